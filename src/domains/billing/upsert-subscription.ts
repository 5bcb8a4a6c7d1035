import { and, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { subscriptions } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { recordTimeline, type TimelineInput } from '../customers/record-timeline.ts';
import { SubscriptionInput, type SubscriptionStatus } from './billing.schemas.ts';
import { claimRow, loadPlan, loadServiceArea } from './loaders.ts';
import { subscriptionView, type PlanRow, type ServiceAreaRow, type SubscriptionRow, type SubscriptionView } from './views.ts';

const statusWords: Record<SubscriptionStatus, string> = { active: 'active', suspended: 'suspended', cancelled: 'cancelled' };
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Creates or updates a subscription by its externalRef, as a billing system reports it. The
 * customer must exist in this workspace; plan and service area are given by id or code.
 * A new subscription records `subscription.started` on the customer's timeline; a plan change
 * records `plan.changed` and emits `subscription.changed`; suspension, cancellation and
 * resumption are recorded too. Sending the same state again changes nothing.
 */
export async function upsertSubscription({ ctx, input }: { ctx: Ctx; input: z.input<typeof SubscriptionInput> }): Promise<{ created: boolean; subscription: SubscriptionView }> {
  authorize(ctx, 'billing:write');
  const data = parseInput(SubscriptionInput, input);
  return withTransaction(ctx, async (tx) => {
    const customer = await loadCustomer(tx, data.customerId);
    const plan = await loadPlan(tx, { id: data.planId, key: data.planCode }, data.planId ? 'planId' : 'planCode');
    const area = await loadServiceArea(tx, { id: data.serviceAreaId, key: data.serviceAreaCode }, data.serviceAreaId ? 'serviceAreaId' : 'serviceAreaCode');
    const now = new Date();
    const at = data.effectiveAt ?? now;
    const endedAt = (prev: Date | null) =>
      data.endedAt !== undefined ? data.endedAt : data.status === 'cancelled' ? (prev ?? at) : null;
    const where = and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.externalRef, data.externalRef));
    const { row, created } = await claimRow(
      async () => (await tx.db.select().from(subscriptions).where(where).for('update'))[0],
      async () => (await tx.db.insert(subscriptions).values({
        workspaceId: ctx.workspaceId, id: newId(), customerId: customer.id, planId: plan.id, serviceAreaId: area.id,
        address: data.address, status: data.status, startedAt: data.startedAt ?? now, endedAt: endedAt(null), externalRef: data.externalRef,
      }).onConflictDoNothing().returning())[0],
    );
    if (created) return { created, subscription: await started(tx, row, plan, area) };

    const next = {
      customerId: customer.id, planId: plan.id, serviceAreaId: area.id, address: data.address, status: data.status,
      startedAt: data.startedAt ?? row.startedAt, endedAt: endedAt(row.endedAt),
    };
    const unchanged = next.customerId === row.customerId && next.planId === row.planId && next.serviceAreaId === row.serviceAreaId
      && next.address === row.address && next.status === row.status && sameTime(next.startedAt, row.startedAt) && sameTime(next.endedAt, row.endedAt);
    const before = subscriptionView(row, row.planId === plan.id ? plan : await loadPlan(tx, { id: row.planId }), row.serviceAreaId === area.id ? area : await loadServiceArea(tx, { id: row.serviceAreaId }));
    if (unchanged) return { created, subscription: before };

    const [updated] = await tx.db.update(subscriptions).set(next)
      .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.id, row.id))).returning();
    const after = subscriptionView(updated, plan, area);
    await audit(tx, { action: 'subscription.updated', entityType: 'subscription', entityId: row.id, before, after });
    const entries: TimelineInput[] = [];
    const base = { customerId: customer.id, refId: row.id };
    if (row.planId !== plan.id) {
      const from = before.plan;
      entries.push({
        ...base, kind: 'plan.changed', occurredAt: at, summary: `Plan changed from ${from.name} to ${plan.name}`,
        data: { subscriptionId: row.id, fromPlanId: from.id, toPlanId: plan.id, fromPlan: from.code, toPlan: plan.code, fromPriceCents: from.priceCents, toPriceCents: plan.priceCents },
      });
      emit(tx, 'subscription.changed', { customerId: customer.id, data: { subscriptionId: row.id, fromPlanId: from.id, toPlanId: plan.id, serviceAreaId: area.id } });
    }
    if (row.serviceAreaId !== area.id || row.address !== data.address) {
      entries.push({ ...base, kind: 'subscription.moved', occurredAt: at, summary: `Service moved to ${data.address} (${area.name})`, data: { subscriptionId: row.id, fromServiceAreaId: row.serviceAreaId, toServiceAreaId: area.id, fromAddress: row.address } });
      emit(tx, 'subscription.moved', { customerId: customer.id, data: { subscriptionId: row.id, fromServiceAreaId: row.serviceAreaId, toServiceAreaId: area.id } });
    }
    if (row.status !== data.status) {
      const kind = data.status === 'active' ? (row.status === 'cancelled' ? 'subscription.reactivated' : 'subscription.resumed') : `subscription.${data.status}`;
      const when = data.status === 'cancelled' ? (updated.endedAt ?? at) : at;
      entries.push({ ...base, kind, occurredAt: when, summary: `${plan.name} subscription at ${data.address} ${kind === 'subscription.resumed' ? 'resumed' : kind === 'subscription.reactivated' ? 'reactivated' : statusWords[data.status]}`, data: { subscriptionId: row.id, from: row.status, to: data.status } });
      emit(tx, 'subscription.status_changed', { customerId: customer.id, data: { subscriptionId: row.id, from: row.status, to: data.status, serviceAreaId: area.id } });
    }
    await recordTimeline(tx, entries);
    return { created, subscription: after };
  });
}

/** The first report of a subscription: audit, timeline, event (and its end, when it arrives already cancelled). */
async function started(tx: Ctx, row: SubscriptionRow, plan: PlanRow, area: ServiceAreaRow): Promise<SubscriptionView> {
  const view = subscriptionView(row, plan, area);
  await audit(tx, { action: 'subscription.created', entityType: 'subscription', entityId: row.id, after: view });
  const base = { customerId: row.customerId, refId: row.id };
  const entries: TimelineInput[] = [{
    ...base, kind: 'subscription.started', occurredAt: row.startedAt, summary: `${plan.name} started at ${row.address}`,
    data: { subscriptionId: row.id, planId: plan.id, plan: plan.code, serviceAreaId: area.id, priceCents: plan.priceCents },
  }];
  if (row.status !== 'active') {
    entries.push({ ...base, kind: `subscription.${row.status}`, occurredAt: row.endedAt ?? row.startedAt, summary: `${plan.name} subscription at ${row.address} ${statusWords[row.status]}`, data: { subscriptionId: row.id, from: 'active', to: row.status } });
  }
  await recordTimeline(tx, entries);
  emit(tx, 'subscription.started', { customerId: row.customerId, data: { subscriptionId: row.id, planId: plan.id, serviceAreaId: area.id, status: row.status } });
  return view;
}
