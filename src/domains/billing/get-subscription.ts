import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { loadSubscription, subscriptionViews } from './loaders.ts';
import type { SubscriptionView } from './views.ts';

/** One subscription with its plan and service area (404 for another workspace's id). */
export async function getSubscription({ ctx, id }: { ctx: Ctx; id: string }): Promise<SubscriptionView> {
  authorize(ctx, 'billing:read');
  const [view] = await subscriptionViews(ctx, [await loadSubscription(ctx, { id })]);
  return view;
}
