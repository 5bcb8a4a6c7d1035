import type { ComponentStatus } from '../../db/schema/index.ts';

/**
 * Uptime from incident and maintenance windows, as time-weighted intervals (pure, no I/O).
 *
 * - At every instant a component has one weight of downtime: the largest of the windows open then
 *   (major outage 1, partial outage 0.5, degraded performance 0 — or `degradedWeight` when degraded
 *   does not count as up). Overlapping incidents are never added up, so nothing counts twice.
 * - Time under maintenance is left out (neither up nor down) when `maintenanceExcluded`, including
 *   any incident inside it; otherwise it weighs 1.
 * - Time before the component existed (or after `now`) is not observed: a day with nothing observed
 *   is "no data" (null), never 100%.
 * - Everything is computed on UTC instants; days and months are the page's local calendar days
 *   (23 or 25 hours on the days the clocks change), found from its IANA time zone.
 */
export type UptimeWindow = { start: number; end: number | null; status: ComponentStatus };
export type UptimeRules = { degradedCountsAsUp: boolean; degradedWeight: number; maintenanceExcluded: boolean };
export type Span = { observedMs: number; excludedMs: number; downMs: number; uptime: number | null };

export function weightOf(status: ComponentStatus, rules: UptimeRules): number {
  switch (status) {
    case 'major_outage': return 1;
    case 'partial_outage': return 0.5;
    case 'degraded_performance': return rules.degradedCountsAsUp ? 0 : rules.degradedWeight;
    case 'under_maintenance': return rules.maintenanceExcluded ? 0 : 1;
    default: return 0;
  }
}

/** Uptime over [from, to) of a component observed from `observedFrom`, up to `now`. */
export function uptimeOver(from: number, to: number, windows: UptimeWindow[], rules: UptimeRules, observedFrom: number, now: number): Span {
  const a = Math.max(from, observedFrom);
  const b = Math.min(to, now);
  if (b <= a) return { observedMs: 0, excludedMs: 0, downMs: 0, uptime: null };
  const open = windows.map((w) => ({ s: w.start, e: w.end ?? now, status: w.status })).filter((w) => w.e > a && w.s < b);
  const cuts = new Set<number>([a, b]);
  for (const w of open) { if (w.s > a && w.s < b) cuts.add(w.s); if (w.e > a && w.e < b) cuts.add(w.e); }
  const points = [...cuts].sort((x, y) => x - y);
  let excluded = 0, down = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [p, q] = [points[i], points[i + 1]];
    const here = open.filter((w) => w.s <= p && w.e >= q);
    if (rules.maintenanceExcluded && here.some((w) => w.status === 'under_maintenance')) { excluded += q - p; continue; }
    const weight = here.reduce((m, w) => Math.max(m, weightOf(w.status, rules)), 0);
    down += weight * (q - p);
  }
  const observed = b - a;
  const counted = observed - excluded;
  return { observedMs: observed, excludedMs: excluded, downMs: down, uptime: counted > 0 ? 1 - down / counted : null };
}

/** The offset of a time zone from UTC at an instant, in ms (Europe/Amsterdam in summer: +2 h). */
const formatters = new Map<string, Intl.DateTimeFormat>();
/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatterFor = (timeZone: string) => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
};

export function zoneOffset(ms: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant a local calendar day begins in a time zone (months may overflow: month 12 is next January). */
const midnights = new Map<string, number>();
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month, day);
  const key = `${timeZone}|${guess}`;
  const hit = midnights.get(key);
  if (hit !== undefined) return hit;
  let t = guess - zoneOffset(guess, timeZone);
  t = guess - zoneOffset(t, timeZone);
  if (midnights.size > 20_000) midnights.clear();
  midnights.set(key, t);
  return t;
}

/** The local calendar date (y, m 0-based, d) of an instant. */
export function localDate(ms: number, timeZone: string): { y: number; m: number; d: number } {
  const l = new Date(ms + zoneOffset(ms, timeZone));
  return { y: l.getUTCFullYear(), m: l.getUTCMonth(), d: l.getUTCDate() };
}

export type DayBar = { day: string; uptime: number | null; downMinutes: number; worst: ComponentStatus };

/** One bar per local day, the last `days` days up to and including today. */
export function dailyBars(windows: UptimeWindow[], rules: UptimeRules, observedFrom: number, now: number, timeZone: string, days = 90): DayBar[] {
  const today = localDate(now, timeZone);
  const out: DayBar[] = [];
  for (let k = days - 1; k >= 0; k--) {
    const start = localMidnight(today.y, today.m, today.d - k, timeZone);
    const end = localMidnight(today.y, today.m, today.d - k + 1, timeZone);
    const span = uptimeOver(start, end, windows, rules, observedFrom, now);
    const worst = windows.filter((w) => w.start < Math.min(end, now) && (w.end ?? now) > start)
      .reduce<ComponentStatus>((m, w) => (rank[w.status] > rank[m] ? w.status : m), 'operational');
    out.push({ day: new Date(Date.UTC(today.y, today.m, today.d - k)).toISOString().slice(0, 10), uptime: span.uptime, downMinutes: Math.round(span.downMs / 60_000), worst });
  }
  return out;
}

const rank: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

/** Uptime per local calendar month, the last `months` months up to now. */
export function monthlyUptime(windows: UptimeWindow[], rules: UptimeRules, observedFrom: number, now: number, timeZone: string, months = 3) {
  const t = localDate(now, timeZone);
  const out: { month: string; uptime: number | null; downMinutes: number }[] = [];
  for (let k = months - 1; k >= 0; k--) {
    const start = localMidnight(t.y, t.m - k, 1, timeZone);
    const end = localMidnight(t.y, t.m - k + 1, 1, timeZone);
    const span = uptimeOver(start, end, windows, rules, observedFrom, now);
    const l = localDate(start + 12 * 3_600_000, timeZone);
    out.push({ month: `${l.y}-${String(l.m + 1).padStart(2, '0')}`, uptime: span.uptime, downMinutes: Math.round(span.downMs / 60_000) });
  }
  return out;
}
