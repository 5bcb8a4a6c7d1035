import { and, desc, eq, inArray } from 'drizzle-orm';
import { plans, serviceAreas, subscriptions } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import { recordTimeline, type TimelineInput } from '../customers/record-timeline.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import type { AssistantScope } from './portal.schemas.ts';

/**
 * The first line of every portal verb: the customer this caller acts for. A signed-in customer
 * acts for themselves; an assistant for the customer who granted it, and only within its scopes
 * (a missing one is refused naming it). `'customer'` marks what only the customer may do
 * themselves (grants, preferences, export, deletion). Anyone else (an agent, an API key) is
 * refused: these are the customer's own routes.
 */
export function selfOf(ctx: Ctx, need: AssistantScope | 'customer' | null = null): string {
  const a = ctx.actor;
  if (a.type === 'customer') return a.id;
  if (a.type === 'assistant') {
    if (need === 'customer') throw new AppError('forbidden', 'Only the customer themselves may do this, not an assistant', { requires: 'customer' });
    if (need && !a.scopes.includes(need)) throw new AppError('forbidden', `This assistant grant lacks the scope ${need}`, { missingScope: need });
    return a.customerId;
  }
  throw new AppError('forbidden', 'These are a customer\'s own routes: sign in to the portal as the customer, or use an assistant grant');
}

/** The same workspace and transaction, read as the system: for loading a customer's own rows once selfOf has said whose. */
export const asSystem = (ctx: Ctx): Ctx => ({ ...ctx, actor: { type: 'system', id: `portal:${ctx.actor.id}` } });

/** What marks a timeline entry made by an assistant: the grant that did it. */
export function actorMark(ctx: Ctx): Record<string, unknown> {
  const a = ctx.actor;
  return a.type === 'assistant' ? { via: 'assistant', grantId: a.id, grantName: a.name ?? null } : { via: 'portal' };
}

/** Records on the customer's timeline what they (or their assistant) did, marked with who. */
export async function recordSelf(ctx: Ctx, entry: Omit<TimelineInput, 'customerId'> & { customerId: string }): Promise<void> {
  const a = ctx.actor;
  const by = a.type === 'assistant' ? `Assistant "${a.name ?? a.id.slice(0, 8)}"` : a.type === 'customer' ? 'Customer' : `Staff (${a.type} ${a.id})`;
  await recordTimeline(ctx, [{ ...entry, summary: `${by}: ${entry.summary}`, data: { ...(entry.data ?? {}), ...actorMark(ctx) } }]);
}

export type MySubscription = { row: typeof subscriptions.$inferSelect; plan: typeof plans.$inferSelect; area: typeof serviceAreas.$inferSelect };

/** The customer's subscription the portal is about: the active one, else the latest. Null when they have none. */
export async function mySubscription(ctx: Ctx, customerId: string, opts: { lock?: boolean } = {}): Promise<MySubscription | null> {
  const customer = await loadCustomer(ctx, customerId);
  const q = ctx.db.select().from(subscriptions)
    .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.customerId, customer.id)))
    .orderBy(desc(subscriptions.startedAt));
  const rows = opts.lock ? await q.for('update') : await q;
  const row = rows.find((r) => r.status === 'active') ?? rows.find((r) => r.status === 'suspended') ?? rows[0];
  if (!row) return null;
  const [[plan], [area]] = await Promise.all([
    ctx.db.select().from(plans).where(and(eq(plans.workspaceId, ctx.workspaceId), eq(plans.id, row.planId))),
    ctx.db.select().from(serviceAreas).where(and(eq(serviceAreas.workspaceId, ctx.workspaceId), inArray(serviceAreas.id, [row.serviceAreaId]))),
  ]);
  return { row, plan, area };
}

export const planOut = (p: typeof plans.$inferSelect) => ({
  id: p.id, code: p.code, name: p.name, priceCents: p.priceCents, currency: p.currency,
  downloadMbps: p.downloadMbps, uploadMbps: p.uploadMbps, dataCapGb: p.dataCapGb, active: p.active,
});

export const subscriptionOut = (s: MySubscription) => ({
  id: s.row.id, status: s.row.status, address: s.row.address, startedAt: s.row.startedAt.toISOString(), endedAt: s.row.endedAt?.toISOString() ?? null,
  plan: planOut(s.plan), serviceArea: { id: s.area.id, code: s.area.code, name: s.area.name },
});

export const DAY_MS = 86_400_000;
export const isoDay = (t: number | Date) => new Date(t).toISOString().slice(0, 10);
export const daysInMonthOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
