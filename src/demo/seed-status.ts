import type { Ctx } from '../platform/ctx.ts';
import { statusPages, networkUpgrades, statusStatements, incidents, incidentComponents, incidentUpdates, type AffectedComponent, type ComponentStatus } from '../db/schema/index.ts';
import { newId } from '../platform/ids.ts';
import { syncComponents, defaultStatusSettings, type IncidentRow } from '../domains/status/index.ts';
import { DAY, HOUR, MIN, clock, utcDay, atLocalHour, dayMonth } from './clock.ts';
import type { DemoData } from './model.ts';
import { Rng } from './random.ts';

const services = ['Fibre internet', 'Telephony (VoIP)'];
const upgrades = [
  { title: 'XGS-PON: symmetric 8 Gbit/s on every street', description: 'New optics in the exchange and new line cards; your fibre and router stay. One night-time interruption of about 30 minutes per street, announced a week ahead.' },
  { title: 'Second fibre route to the exchange', description: 'A separate path for the trunk cable, so one cut can no longer take the whole area down.' },
  { title: 'Battery backup in every street cabinet', description: 'Four hours of power in each cabinet, so a local power failure does not cut the internet of the homes that still have power.' },
];
const statements = [
  { key: 'ai', title: 'How we use AI', position: 1, bodyMd: 'We read every message with a model that **suggests** why you wrote (a contact reason), how you feel and which language you speak, so the right person answers sooner. It is trained on our own conversations, runs on our own servers, and never sends your words to an outside AI service.\n\n- A person writes every answer you get; the model never replies on its own.\n- The only automatic messages are outage notices and the "we know about it" answer while an incident is open; each says so, and replying reaches a person.\n- An agent can correct the suggested reason in one click; those corrections are how it learns.' },
  { key: 'outsourcing', title: 'Who answers you', position: 2, bodyMd: 'Our support desk is our own team in Amsterdam and Utrecht; we do not outsource it. Field repairs are done by **Glasvezel Techniek BV**, under our supervision and with our quality checks. Your data stays in the EU.' },
  { key: 'environment', title: 'Environmental choices', position: 3, bodyMd: 'Our exchanges run on certified wind power. Fibre uses about a third of the energy per home of the copper network it replaces. We refurbish returned routers (74% last year) and recycle the rest through a certified partner.\n\nWe report our emissions every year: [sustainability report](https://fibrelink.test/sustainability).' },
];

/**
 * The demo's status page: services × the eight areas as components (observed for a year), one
 * incident per outage of the generated story with its updates (the last one still being fixed,
 * so the page and the inbox agree), a completed and an upcoming maintenance, one network upgrade
 * per area and the transparency statements, inside the seed's transaction. History is told
 * without notices or credits (the demo's invoices already carry the goodwill credits of its outages);
 * resolving the current outage owes them under the policy (a day's fee per started four hours).
 */
export async function seedStatusDemo(tx: Ctx, data: DemoData, now: number): Promise<number> {
  const rng = new Rng(`fibrelink-status:${data.workspaceId}`);
  const settings = { ...defaultStatusSettings(), services };
  await tx.db.insert(statusPages).values({ workspaceId: tx.workspaceId, settings });
  const components = await syncComponents(tx, new Date(now - 365 * DAY));
  const ofArea = (areaId: string) => components.filter((c) => c.serviceAreaId === areaId);
  // Written as rows in three inserts (not through the verbs one update at a time): a first start stays fast.
  const inc: (typeof incidents.$inferInsert)[] = [];
  const links: (typeof incidentComponents.$inferInsert)[] = [];
  const ups: (typeof incidentUpdates.$inferInsert)[] = [];
  const story = (row: typeof incidents.$inferInsert, areaId: string, state: ComponentStatus, steps: { at: number; status: IncidentRow['status']; body: string }[]) => {
    inc.push(row);
    const comps = ofArea(areaId);
    for (const c of comps) links.push({ workspaceId: tx.workspaceId, incidentId: row.id, componentId: c.id, status: state });
    steps.forEach((u, k) => {
      const last = k === steps.length - 1 && ['resolved', 'completed'].includes(u.status);
      const affected: AffectedComponent[] | null = k === 0 || last
        ? comps.map((c) => ({ code: c.id, name: c.name, old_status: k === 0 ? 'operational' : state, new_status: k === 0 ? state : 'operational' })) : null;
      ups.push({ workspaceId: tx.workspaceId, id: newId(u.at), incidentId: row.id, status: u.status, body: u.body, affectedComponents: affected, notify: false, authorId: 'demo', createdAt: new Date(u.at), displayAt: new Date(u.at) });
    });
  };
  for (const o of data.outages) {
    const ongoing = o.end > now;
    const area = o.area.name;
    const impact = o.homes >= 1200 ? 'critical' as const : 'major' as const;
    const identified = Math.min(o.start + rng.int(18, 45) * MIN, now - MIN);
    const monitoring = Math.max(identified + 5 * MIN, o.end - rng.int(10, 25) * MIN);
    const steps = [
      { at: o.start, status: 'investigating' as const, body: `We are getting reports that fibre internet and telephony are down in parts of ${area}. We are looking into it. Reference ${o.ticket}.` },
      { at: identified, status: 'identified' as const, body: `The cause is ${o.cause}. About ${o.homes.toLocaleString('en-GB')} addresses are affected. Our engineers are on site${ongoing ? `; we expect service back around ${clock(o.end)}` : ''}.` },
      ...(ongoing ? [] : [
        { at: monitoring, status: 'monitoring' as const, body: 'The repair is done and connections are coming back. If yours is not back within 10 minutes, restart your router.' },
        { at: o.end, status: 'resolved' as const, body: `Everyone in ${area} is back online since ${clock(o.end)}.${o.end - o.start > 4 * HOUR ? ' Because it lasted more than four hours, affected customers get a credit on their next bill.' : ''}` },
      ]),
    ];
    const last = steps[steps.length - 1].at;
    story({ workspaceId: tx.workspaceId, id: newId(o.start), kind: 'incident', name: `No internet in ${area}`, status: steps[steps.length - 1].status, impact, published: true, source: 'manual',
      startedAt: new Date(o.start), acknowledgedAt: new Date(identified), monitoringAt: ongoing ? null : new Date(monitoring), resolvedAt: ongoing ? null : new Date(o.end),
      createdAt: new Date(o.start), updatedAt: new Date(last) }, o.areaRow.id, impact === 'critical' ? 'major_outage' : 'partial_outage', steps);
  }

  // Maintenance: one done a month ago, one planned the Tuesday after next (01:00–04:00 local).
  const doneArea = data.areas[2], nextArea = data.areas[5];
  const lastMonth = atLocalHour(utcDay(now) - 31 * DAY, 1);
  story({ workspaceId: tx.workspaceId, id: newId(lastMonth - 7 * DAY), kind: 'maintenance', name: `Exchange power upgrade, ${doneArea.name}`, status: 'completed', impact: 'maintenance',
    published: true, source: 'manual', startedAt: new Date(lastMonth), scheduledFor: new Date(lastMonth), scheduledUntil: new Date(lastMonth + 3 * HOUR),
    acknowledgedAt: new Date(lastMonth), resolvedAt: new Date(lastMonth + 130 * MIN), createdAt: new Date(lastMonth - 7 * DAY), updatedAt: new Date(lastMonth + 130 * MIN) },
  doneArea.id, 'under_maintenance', [
    { at: lastMonth - 7 * DAY, status: 'scheduled', body: 'We are replacing the power supply in the exchange. Expect up to 20 minutes without service between 01:00 and 04:00.' },
    { at: lastMonth, status: 'in_progress', body: 'The work has started.' },
    { at: lastMonth + 130 * MIN, status: 'completed', body: 'Done; everything is back. Service was off for 14 minutes.' },
  ]);
  const daysToTuesday = ((2 - new Date(now).getUTCDay() + 7) % 7) || 7;
  const next = atLocalHour(utcDay(now) + (daysToTuesday + 7) * DAY, 1);
  story({ workspaceId: tx.workspaceId, id: newId(now - 2 * DAY), kind: 'maintenance', name: `Core router software upgrade, ${nextArea.name}`, status: 'scheduled', impact: 'maintenance',
    published: true, source: 'manual', startedAt: new Date(next), scheduledFor: new Date(next), scheduledUntil: new Date(next + 3 * HOUR), createdAt: new Date(now - 2 * DAY), updatedAt: new Date(now - 2 * DAY) },
  nextArea.id, 'under_maintenance', [{ at: now - 2 * DAY, status: 'scheduled',
    body: `On the night of ${dayMonth(next)} we upgrade the software of the core routers serving ${nextArea.name}. Internet and telephony may be off for up to 15 minutes between 01:00 and 04:00.` }]);
  await tx.db.insert(incidents).values(inc);
  await tx.db.insert(incidentComponents).values(links);
  await tx.db.insert(incidentUpdates).values(ups);
  const n = ups.length;

  // The roadmap: one upgrade per area, the first two already under way or done.
  await tx.db.insert(networkUpgrades).values(data.areas.map((a, i) => {
    const u = upgrades[i % upgrades.length];
    const status = i === 0 ? 'done' as const : i === 1 ? 'in_progress' as const : 'planned' as const;
    const month = new Date(now + (i - 1) * 45 * DAY);
    const dayOf = (d: Date) => d.toISOString().slice(0, 10);
    return { workspaceId: tx.workspaceId, id: newId(now - 200 * DAY), serviceAreaId: a.id, title: u.title, description: u.description, status,
      plannedFor: dayOf(month), doneAt: status === 'done' ? dayOf(new Date(now - 40 * DAY)) : null };
  }));
  await tx.db.insert(statusStatements).values(statements.map((s) => ({ workspaceId: tx.workspaceId, ...s })));
  return n;
}
