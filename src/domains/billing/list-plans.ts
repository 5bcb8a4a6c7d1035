import { and, asc, eq, type SQL } from 'drizzle-orm';
import { plans } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { planView, type PlanView } from './views.ts';

/** The workspace's plans, cheapest first; `active` filters on whether a plan is still sold. */
export async function listPlans({ ctx, input = {} }: { ctx: Ctx; input?: { active?: boolean } }): Promise<{ data: PlanView[] }> {
  authorize(ctx, 'billing:read');
  const conds: SQL[] = [eq(plans.workspaceId, ctx.workspaceId)];
  if (input.active !== undefined) conds.push(eq(plans.active, input.active));
  const rows = await ctx.db.select().from(plans).where(and(...conds)).orderBy(asc(plans.priceCents), asc(plans.code));
  return { data: rows.map(planView) };
}
