import { and, asc, eq } from 'drizzle-orm';
import { subscriptions } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { subscriptionViews } from './loaders.ts';
import type { SubscriptionView } from './views.ts';

/** A customer's subscriptions, oldest first, each with its plan and service area (404 for another workspace's customer). */
export async function listSubscriptions({ ctx, customerId }: { ctx: Ctx; customerId: string }): Promise<{ customerId: string; data: SubscriptionView[] }> {
  authorize(ctx, 'billing:read');
  const customer = await loadCustomer(ctx, customerId);
  const rows = await ctx.db.select().from(subscriptions)
    .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.customerId, customer.id)))
    .orderBy(asc(subscriptions.startedAt), asc(subscriptions.id));
  return { customerId: customer.id, data: await subscriptionViews(ctx, rows) };
}
