import { DateTime } from 'luxon';

/**
 * A business calendar: an IANA time zone, opening ranges per weekday (several a day allowed:
 * a lunch break is two ranges), and holidays as local dates. `day` is 0 = Sunday … 6 = Saturday,
 * as in the workspace settings. No ranges at all means open around the clock (holidays ignored).
 * Arithmetic is done on local clock times with luxon and returns UTC instants (ms), so a DST change
 * makes that day's 09:00–17:00 7 or 9 real hours only if the clock change falls inside it.
 */
export type BusinessCalendar = {
  zone: string;
  hours: { day: number; open: string; close: string }[];
  holidays: string[];
};

const DAY_MS = 86_400_000;
const MAX_DAYS = 3 * 366;

const at = (d: DateTime, hhmm: string): DateTime => {
  const [h, m] = hhmm.split(':').map(Number);
  if (h === 24) return d.plus({ days: 1 }).startOf('day');
  return d.set({ hour: h, minute: m, second: 0, millisecond: 0 });
};

type Day = { ranges: [number, number][]; next: number };
/** Per calendar, each local day's open ranges (UTC ms) and the next day's start: luxon runs once per day seen, not per question. */
const dayCache = new WeakMap<BusinessCalendar, Map<number, Day>>();

function dayOf(cal: BusinessCalendar, holidays: Set<string>, startMs: number): Day {
  let days = dayCache.get(cal);
  if (!days) dayCache.set(cal, (days = new Map()));
  let d = days.get(startMs);
  if (!d) {
    const day = DateTime.fromMillis(startMs, { zone: cal.zone });
    const weekday = day.weekday % 7;
    const ranges = holidays.has(day.toISODate()!) ? [] : cal.hours.filter((r) => r.day === weekday)
      .map((r) => [at(day, r.open).toMillis(), at(day, r.close).toMillis()] as [number, number]).sort((a, b) => a[0] - b[0]);
    d = { ranges, next: day.plus({ days: 1 }).startOf('day').toMillis() };
    if (days.size > 20_000) days.clear();
    days.set(startMs, d);
  }
  return d;
}

/** The open intervals [start, end) in ms, in order, that overlap [fromMs, toMs) (toMs may be Infinity). */
export function* openIntervals(cal: BusinessCalendar, fromMs: number, toMs: number): Generator<[number, number]> {
  if (toMs <= fromMs) return;
  if (!cal.hours.length) { yield [fromMs, toMs]; return; }
  const holidays = new Set(cal.holidays);
  let dayStart = DateTime.fromMillis(fromMs, { zone: cal.zone }).startOf('day').toMillis();
  for (let i = 0; i < MAX_DAYS && dayStart < toMs; i++) {
    const d = dayOf(cal, holidays, dayStart);
    for (const [s, e] of d.ranges) {
      const start = Math.max(s, fromMs);
      const end = Math.min(e, toMs);
      if (end > start) yield [start, end];
    }
    dayStart = d.next;
  }
}

/** Business milliseconds between two instants. */
export function businessMs(cal: BusinessCalendar, fromMs: number, toMs: number): number {
  let total = 0;
  for (const [s, e] of openIntervals(cal, fromMs, toMs)) total += e - s;
  return total;
}

/**
 * The instant at which `ms` business milliseconds have passed since `fromMs` (within the
 * optional limit `untilMs`); null when the limit comes first, or the calendar never opens.
 */
export function addBusinessMs(cal: BusinessCalendar, fromMs: number, ms: number, untilMs = Infinity): number | null {
  if (ms <= 0) {
    // Zero left: due at the first open instant (now, if open).
    for (const [s] of openIntervals(cal, fromMs, untilMs)) return s;
    return null;
  }
  let left = ms;
  for (const [s, e] of openIntervals(cal, fromMs, Math.min(untilMs, fromMs + MAX_DAYS * DAY_MS))) {
    if (e - s >= left) return s + left;
    left -= e - s;
  }
  return null;
}

export const ALWAYS_OPEN: BusinessCalendar = { zone: 'UTC', hours: [], holidays: [] };
