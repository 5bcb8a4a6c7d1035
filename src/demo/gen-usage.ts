import { areas, outageCauses } from './catalog.ts';
import { DAY, HOUR, MIN, utcDay, atLocalHour } from './clock.ts';
import type { Rng } from './random.ts';
import type { AreaRow, Outage, Person, UsageBlock, Window } from './model.ts';

const outageCausesNl = [
  'een doorgegraven glasvezelkabel', 'een stroomstoring in de wijkkast', 'een defecte kaart in onze centrale',
  'onderhoud dat uitliep', 'een beschadigde lasdoos na de storm', 'een softwarefout in een switch',
];

/** A handful of outages over the window, one of them still going on now, so the inbox has a live incident. */
export function generateOutages(rng: Rng, win: Window, areaRows: AreaRow[]): Outage[] {
  const out: Outage[] = [];
  const n = 9;
  for (let i = 0; i < n; i++) {
    const ongoing = i === n - 1;
    const a = rng.int(0, areas.length - 1);
    const c = rng.int(0, outageCauses.length - 1);
    const start = ongoing
      ? win.now - Math.round(rng.between(1.5, 3.5) * HOUR)
      : atLocalHour(utcDay(win.convFrom) + Math.floor(((i + rng.float()) / n) * 88 + 1) * DAY, rng.weighted([[rng.between(6, 12), 4], [rng.between(12, 19), 4], [rng.between(19, 23), 2]] as const));
    const end = ongoing ? win.now + Math.round(rng.between(1, 3) * 2) * HOUR / 2 : start + Math.round(rng.between(1.5, 9) * 4) * 15 * MIN;
    const year = new Date(start).getUTCFullYear();
    out.push({ area: areas[a], areaRow: areaRows[a], start, end, cause: outageCauses[c], causeNl: outageCausesNl[c], homes: rng.int(12, 240) * 10, ticket: `INC-${year}-${String(rng.int(100, 999)).padStart(4, '0')}` });
  }
  return out;
}

/**
 * Daily download/upload in MB per subscription: a household level from the plan, day-to-day
 * variation, weekend bumps, the odd big download, holidays away and outage days. Generated
 * from the first invoiced month (so overage lines can be computed from the same numbers);
 * only the last 90 days are stored.
 */
export function generateUsage(rng: Rng, win: Window, people: Person[], outages: Outage[]): UsageBlock[] {
  const blocks: UsageBlock[] = [];
  const outageDays = new Map<string, Set<number>>();
  for (const o of outages) {
    for (let d = utcDay(o.start); d <= utcDay(Math.min(o.end, win.now)); d += DAY) {
      if (!outageDays.has(o.area.code)) outageDays.set(o.area.code, new Set());
      outageDays.get(o.area.code)!.add(d);
    }
  }
  const lastDay = win.today - DAY;
  for (const p of people) {
    const r = rng.fork(p.idx);
    const from = Math.max(win.months[0], utcDay(p.sub.startedAt));
    const stopAt = p.sub.endedAt ?? p.suspendedAt;
    const to = Math.min(lastDay, stopAt ? utcDay(stopAt) : lastDay);
    const level = r.between(p.planFrom.dailyGb[0], p.planFrom.dailyGb[1]);
    const levelAfter = p.changeAt ? level * ((p.plan.dailyGb[0] + p.plan.dailyGb[1]) / (p.planFrom.dailyGb[0] + p.planFrom.dailyGb[1])) : level;
    const upRatio = r.between(0.05, 0.2);
    const weekendBoost = r.between(1, 1.35);
    const awayFrom = r.chance(0.22) ? from + r.int(0, 110) * DAY : -1;
    const awayTo = awayFrom + r.int(5, 16) * DAY;
    const down = outageDays.get(p.area.code);
    const block: UsageBlock = { subscriptionId: p.sub.id, firstDay: Math.max(from, win.usageFrom), downloadMb: [], uploadMb: [] };
    let monthAt = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1);
    let monthEnd = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth() + 1, 1);
    let monthGb = 0;
    for (let d = from; d <= to; d += DAY) {
      if (d >= monthEnd) {
        p.usageByMonth.set(monthAt, monthGb);
        monthAt = monthEnd; monthGb = 0;
        monthEnd = Date.UTC(new Date(monthAt).getUTCFullYear(), new Date(monthAt).getUTCMonth() + 1, 1);
      }
      const dow = (d / DAY + 4) % 7;
      let gb = (p.changeAt && d >= utcDay(p.changeAt) ? levelAfter : level) * r.lognormal(0.4);
      if (dow === 0 || dow === 6) gb *= weekendBoost;
      if (r.chance(0.03)) gb *= r.between(2, 5);
      if (d >= awayFrom && d < awayTo) gb *= r.between(0.02, 0.08);
      if (down?.has(d)) gb *= r.between(0.3, 0.7);
      const dl = Math.max(1, Math.round(gb * 1024));
      const ul = Math.max(1, Math.round(dl * upRatio * r.lognormal(0.25)));
      monthGb += (dl + ul) / 1024;
      if (d >= win.usageFrom) { block.downloadMb.push(dl); block.uploadMb.push(ul); }
    }
    p.usageByMonth.set(monthAt, monthGb);
    if (block.downloadMb.length) blocks.push(block);
  }
  return blocks;
}
