import { and, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { plans } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { PlanInput } from './billing.schemas.ts';
import { claimRow } from './loaders.ts';
import { planView, type PlanView } from './views.ts';

/**
 * Creates or updates a plan (price in cents, speeds, data cap) by its code. Sending the same
 * plan again changes nothing and writes nothing. Existing subscriptions keep pointing at it.
 */
export async function upsertPlan({ ctx, input }: { ctx: Ctx; input: z.input<typeof PlanInput> }): Promise<PlanView> {
  authorize(ctx, 'billing:write');
  const data = parseInput(PlanInput, input);
  const values = {
    name: data.name, priceCents: data.priceCents, currency: data.currency, downloadMbps: data.downloadMbps,
    uploadMbps: data.uploadMbps, dataCapGb: data.dataCapGb ?? null, active: data.active ?? true,
  };
  return withTransaction(ctx, async (tx) => {
    const where = and(eq(plans.workspaceId, ctx.workspaceId), eq(plans.code, data.code));
    const { row, created } = await claimRow(
      async () => (await tx.db.select().from(plans).where(where).for('update'))[0],
      async () => (await tx.db.insert(plans).values({ workspaceId: ctx.workspaceId, id: newId(), code: data.code, ...values })
        .onConflictDoNothing().returning())[0],
    );
    if (created) {
      const view = planView(row);
      await audit(tx, { action: 'plan.created', entityType: 'plan', entityId: row.id, after: view });
      emit(tx, 'plan.created', { data: { planId: row.id, code: row.code } });
      return view;
    }
    const before = planView(row);
    if ((Object.keys(values) as (keyof typeof values)[]).every((k) => before[k] === values[k])) return before;
    const [updated] = await tx.db.update(plans).set(values).where(and(eq(plans.workspaceId, ctx.workspaceId), eq(plans.id, row.id))).returning();
    const view = planView(updated);
    await audit(tx, { action: 'plan.updated', entityType: 'plan', entityId: row.id, before, after: view });
    emit(tx, 'plan.updated', { data: { planId: row.id, code: row.code, fromPriceCents: before.priceCents, toPriceCents: view.priceCents } });
    return view;
  });
}
