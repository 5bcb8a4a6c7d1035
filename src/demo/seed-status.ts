import { eq } from 'drizzle-orm';
import type { Ctx } from '../platform/ctx.ts';
import { statusPages, networkUpgrades, statusStatements } from '../db/schema/index.ts';
import { newId } from '../platform/ids.ts';
import { createIncident, createMaintenance, postIncidentUpdate, syncComponents, defaultStatusSettings } from '../domains/status/index.ts';
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
 * per area and the transparency statements. Written through the status verbs, inside the seed's
 * transaction; history is told without notices, and credits are owed only from now on.
 */
export async function seedStatusDemo(tx: Ctx, data: DemoData, now: number): Promise<number> {
  const rng = new Rng(`fibrelink-status:${data.workspaceId}`);
  const settings = { ...defaultStatusSettings(), services, credits: { ...defaultStatusSettings().credits, enabled: false } };
  await tx.db.insert(statusPages).values({ workspaceId: tx.workspaceId, settings });
  await syncComponents(tx, new Date(now - 365 * DAY));
  let n = 0;
  for (const o of data.outages) {
    const ongoing = o.end > now;
    const area = o.area.name;
    const impact = o.homes >= 1200 ? 'critical' : 'major';
    const inc = await createIncident({ ctx: tx, input: {
      name: `No internet in ${area}`, impact, status: 'investigating', areaIds: [o.areaRow.id], notify: false, startedAt: new Date(o.start).toISOString(),
      body: `We are getting reports that fibre internet and telephony are down in parts of ${area}. We are looking into it. Reference ${o.ticket}.`,
    } });
    const identified = o.start + rng.int(18, 45) * MIN;
    const at = (t: number) => new Date(Math.min(t, now - MIN)).toISOString();
    await postIncidentUpdate({ ctx: tx, id: inc.id, input: { status: 'identified', notify: false, at: at(identified),
      body: `The cause is ${o.cause}. About ${o.homes.toLocaleString('en-GB')} addresses are affected. Our engineers are on site${ongoing ? `; we expect service back around ${clock(o.end)}` : ''}.` } });
    n += 2;
    if (ongoing) continue;
    const monitoring = Math.max(identified + 5 * MIN, o.end - rng.int(10, 25) * MIN);
    await postIncidentUpdate({ ctx: tx, id: inc.id, input: { status: 'monitoring', notify: false, at: at(monitoring), body: 'The repair is done and connections are coming back. If yours is not back within 10 minutes, restart your router.' } });
    await postIncidentUpdate({ ctx: tx, id: inc.id, input: { status: 'resolved', notify: false, at: at(o.end),
      body: `Everyone in ${area} is back online since ${clock(o.end)}.${o.end - o.start > 4 * HOUR ? ' Because it lasted more than four hours, affected customers get a credit on their next bill.' : ''}` } });
    n += 2;
  }

  // Maintenance: one done a month ago, one planned next week (Tuesday night, 01:00–04:00 local).
  const doneArea = data.areas[2], nextArea = data.areas[5];
  const lastMonth = atLocalHour(utcDay(now) - 31 * DAY, 1);
  const past = await createMaintenance({ ctx: tx, input: { name: `Exchange power upgrade, ${doneArea.name}`, areaIds: [doneArea.id], notify: false,
    body: 'We are replacing the power supply in the exchange. Expect up to 20 minutes without service between 01:00 and 04:00.',
    scheduledFor: new Date(lastMonth).toISOString(), scheduledUntil: new Date(lastMonth + 3 * HOUR).toISOString() } });
  await postIncidentUpdate({ ctx: tx, id: past.id, input: { status: 'in_progress', notify: false, at: new Date(lastMonth).toISOString(), body: 'The work has started.' } });
  await postIncidentUpdate({ ctx: tx, id: past.id, input: { status: 'completed', notify: false, at: new Date(lastMonth + 2 * HOUR + 10 * MIN).toISOString(), body: 'Done; everything is back. Service was off for 14 minutes.' } });
  const daysToTuesday = ((2 - new Date(now).getUTCDay() + 7) % 7) || 7;
  const next = atLocalHour(utcDay(now) + (daysToTuesday + 7) * DAY, 1);
  await createMaintenance({ ctx: tx, input: { name: `Core router software upgrade, ${nextArea.name}`, areaIds: [nextArea.id], notify: false,
    body: `On the night of ${dayMonth(next)} we upgrade the software of the core routers serving ${nextArea.name}. Internet and telephony may be off for up to 15 minutes between 01:00 and 04:00.`,
    scheduledFor: new Date(next).toISOString(), scheduledUntil: new Date(next + 3 * HOUR).toISOString() } });
  n += 5;

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
  // From now on resolution owes credits (a day's fee per started four hours down).
  await tx.db.update(statusPages).set({ settings: { ...settings, credits: defaultStatusSettings().credits } }).where(eq(statusPages.workspaceId, tx.workspaceId));
  return n;
}
