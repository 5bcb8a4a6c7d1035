import { and, eq } from 'drizzle-orm';
import { customers, customerIdentities, conversations, messages, timelineEntries, subscriptions, invoices, payments } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { invalid } from '../../platform/errors.ts';
import { getCustomer, loadCustomer } from './get-customer.ts';
import { recordTimeline } from './record-timeline.ts';

const owned = [customerIdentities, conversations, messages, timelineEntries, subscriptions, invoices, payments] as const;

/**
 * Merges `sourceId` into `targetId`: every identity, conversation, message, timeline entry,
 * subscription, invoice and payment moves to the target; the source remains as a pointer
 * so old links still resolve. Audited with both records as they were.
 */
export async function mergeCustomers({ ctx, input }: { ctx: Ctx; input: { sourceId: string; targetId: string } }) {
  authorize(ctx, 'customers:write');
  return withTransaction(ctx, async (tx) => {
    const source = await loadCustomer(tx, input.sourceId);
    const target = await loadCustomer(tx, input.targetId);
    if (source.id === target.id) throw invalid('sourceId', 'a customer cannot be merged into itself');
    const before = { source: await getCustomer({ ctx: tx, id: source.id }), target: await getCustomer({ ctx: tx, id: target.id }) };
    for (const table of owned) {
      await tx.db.update(table).set({ customerId: target.id } as any)
        .where(and(eq(table.workspaceId, ctx.workspaceId), eq(table.customerId, source.id)));
    }
    const now = new Date();
    await tx.db.update(customers).set({
      name: target.name ?? source.name, email: target.email ?? source.email, emailClaimed: target.email ? target.emailClaimed : source.emailClaimed, phone: target.phone ?? source.phone,
      verified: target.verified || source.verified, updatedAt: now,
    }).where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, target.id)));
    await tx.db.update(customers).set({ mergedIntoId: target.id, updatedAt: now })
      .where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, source.id)));
    const after = await getCustomer({ ctx: tx, id: target.id });
    await audit(tx, { action: 'customer.merged', entityType: 'customer', entityId: target.id, before, after: { ...after, mergedFrom: source.id } });
    await recordTimeline(tx, [{ customerId: target.id, kind: 'customer.merged', summary: `Merged with ${source.name ?? source.email ?? source.id}`, refId: source.id, occurredAt: now }]);
    emit(tx, 'customer.merged', { customerId: target.id, data: { sourceId: source.id } });
    return after;
  });
}
