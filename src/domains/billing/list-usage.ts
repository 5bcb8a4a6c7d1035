import { and, asc, between, eq, inArray } from 'drizzle-orm';
import { subscriptions, usageDaily } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { invalid, parseInput } from '../../platform/errors.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { UsageRange } from './billing.schemas.ts';
import { loadSubscription } from './loaders.ts';
import { usageView } from './views.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 400;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Daily usage of one subscription, or of all a customer's subscriptions, from `from` to `to`
 * inclusive (default: the 30 days up to today, UTC), oldest first, with totals.
 */
export async function listUsage({ ctx, input }: { ctx: Ctx; input: { subscriptionId?: string; customerId?: string; from?: string; to?: string } }) {
  authorize(ctx, 'billing:read');
  const range = parseInput(UsageRange, { from: input.from, to: input.to });
  const to = range.to ?? (range.from ? isoDay(Date.parse(range.from) + 29 * DAY_MS) : isoDay(Date.now()));
  const from = range.from ?? isoDay(Date.parse(to) - 29 * DAY_MS);
  if (from > to) throw invalid('to', 'before from');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS) throw invalid('from', `a range is at most ${MAX_DAYS} days`);

  let customerId: string;
  let subscriptionIds: string[];
  if (input.subscriptionId !== undefined) {
    const sub = await loadSubscription(ctx, { id: input.subscriptionId });
    customerId = sub.customerId;
    subscriptionIds = [sub.id];
  } else if (input.customerId !== undefined) {
    customerId = (await loadCustomer(ctx, input.customerId)).id;
    const subs = await ctx.db.select({ id: subscriptions.id }).from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.customerId, customerId)));
    subscriptionIds = subs.map((s) => s.id);
  } else {
    throw invalid('subscriptionId', 'give subscriptionId or customerId');
  }

  const rows = subscriptionIds.length
    ? await ctx.db.select().from(usageDaily)
      .where(and(eq(usageDaily.workspaceId, ctx.workspaceId), inArray(usageDaily.subscriptionId, subscriptionIds), between(usageDaily.day, from, to)))
      .orderBy(asc(usageDaily.day), asc(usageDaily.subscriptionId))
    : [];
  const data = rows.map(usageView);
  const totals = data.reduce((t, u) => ({ downloadMb: t.downloadMb + u.downloadMb, uploadMb: t.uploadMb + u.uploadMb }), { downloadMb: 0, uploadMb: 0 });
  return { customerId, subscriptionId: input.subscriptionId !== undefined ? subscriptionIds[0] : null, from, to, data, totals };
}
