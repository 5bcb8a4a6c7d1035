import { createHash } from 'node:crypto';
import { agents, areas, plans, teams } from './catalog.ts';
import { DAY } from './clock.ts';
import { Rng } from './random.ts';
import { windowAt, type AreaRow, type DemoData, type PlanRow, type Refs } from './model.ts';
import { generateCustomers } from './gen-customers.ts';
import { generateOutages, generateUsage } from './gen-usage.ts';
import { planConversations } from './gen-conversation-plan.ts';
import { generateBilling } from './gen-billing.ts';
import { writeConversations } from './gen-conversations.ts';

export type GenerateOptions = { seed: number; now: number; customers: number; conversations: number };

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const root = (seed: number) => new Rng(`fibrelink:${seed}`);

/** The demo workspace's id: derived from the seed and the moment of seeding, like every other id. */
export const demoWorkspaceId = (seed: number, now: number) => root(seed).fork('workspace').uuidAt(now);

/**
 * Generates the whole Fibrelink dataset in memory. Pure: the same options and refs give the
 * same rows, ids included. Each part draws from its own forked stream, so e.g. more customers
 * do not reshuffle the catalogue.
 */
export function generateDemoData(opts: GenerateOptions, refs: Refs): DemoData {
  const rng = root(opts.seed);
  const win = windowAt(opts.now);
  const cat = rng.fork('catalog');
  const since = opts.now - 6 * 365 * DAY;
  const areaRows: AreaRow[] = areas.map((a) => ({ id: cat.uuidAt(since), code: a.code, name: a.name, region: a.region }));
  const planRows = new Map<string, PlanRow>(plans.map((p) => [p.code, {
    id: cat.uuidAt(since), code: p.code, name: p.name, priceCents: p.priceCents, currency: 'EUR', downloadMbps: p.down, uploadMbps: p.up, dataCapGb: p.capGb, active: p.active,
  }]));

  const { people, identities, timeline: customerTimeline } = generateCustomers(rng.fork('customers'), win, opts.customers, areaRows, planRows);
  const outages = generateOutages(rng.fork('outages'), win, areaRows);
  const usage = generateUsage(rng.fork('usage'), win, people, outages);
  const seeds = planConversations(rng.fork('conversations'), win, people, outages, opts.conversations);
  const billing = generateBilling(rng.fork('billing'), win, people, seeds, planRows);
  const convs = writeConversations(rng.fork('messages'), win, seeds, refs);

  return {
    workspaceId: refs.workspaceId,
    outages,
    areas: areaRows, plans: [...planRows.values()],
    customers: people.map((p) => p.row).sort(byId), identities: identities.sort(byId), subscriptions: people.map((p) => p.sub).sort(byId),
    usage, invoices: billing.invoices.sort(byId), invoiceLines: billing.lines, payments: billing.payments.sort(byId),
    conversations: convs.conversations, messages: convs.messages.sort(byId),
    // Time order (UUIDv7 ids sort by time): the primary-key index then grows at its right edge.
    timeline: [...customerTimeline, ...billing.timeline, ...convs.timeline].sort(byId),
  };
}

/** Stand-in ids for agents and teams, so the data can be generated while their rows are still being created. */
export function placeholderRefs(workspaceId: string): Refs {
  const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return { workspaceId, agentIds: agents.map((_, i) => id(i + 1)), teamIds: Object.fromEntries(teams.map((t, i) => [t.name, id(100 + i)])) };
}

/** Swaps stand-in agent and team ids for the real ones. */
export function rebindRefs(d: DemoData, from: Refs, to: Refs): void {
  const map = new Map<string, string>();
  from.agentIds.forEach((id, i) => map.set(id, to.agentIds[i]));
  for (const [name, id] of Object.entries(from.teamIds)) map.set(id, to.teamIds[name]);
  const swap = (v: string | null) => (v === null ? null : map.get(v) ?? v);
  for (const c of d.conversations) { c.assigneeId = swap(c.assigneeId); c.teamId = swap(c.teamId); }
  for (const m of d.messages) m.authorId = swap(m.authorId)!;
  for (const t of d.timeline) t.actorId = swap(t.actorId);
}

/** Row counts by table, as seedDemo reports them. */
export function countRows(d: DemoData): Record<string, number> {
  return {
    serviceAreas: d.areas.length, plans: d.plans.length, customers: d.customers.length, identities: d.identities.length,
    subscriptions: d.subscriptions.length, usageDays: d.usage.reduce((n, u) => n + u.downloadMb.length, 0), invoices: d.invoices.length,
    invoiceLines: d.invoiceLines.length, payments: d.payments.length, conversations: d.conversations.length, messages: d.messages.length,
    timelineEntries: d.timeline.length,
  };
}

/** A SHA-256 over every generated row: equal hashes mean identical data. */
export function hashDemoData(d: DemoData): string {
  const h = createHash('sha256');
  for (const [name, rows] of Object.entries(d)) {
    h.update(name);
    if (Array.isArray(rows)) for (const row of rows) h.update(JSON.stringify(row));
    else h.update(String(rows));
  }
  return h.digest('hex');
}
