import { and, eq } from 'drizzle-orm';
import { customers, customerIdentities, type IdentityKind } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError } from '../../platform/errors.ts';
import { normaliseIdentity } from './customers.schemas.ts';
import { loadCustomer } from './get-customer.ts';
import { recordTimeline } from './record-timeline.ts';

/** Links another identity (a phone, a Telegram id …) to a customer. */
export async function linkIdentity({ ctx, customerId, input }: { ctx: Ctx; customerId: string; input: { kind: IdentityKind; value: string; verified?: boolean } }) {
  authorize(ctx, 'customers:write');
  const value = normaliseIdentity(input.kind, input.value);
  return withTransaction(ctx, async (tx) => {
    const customer = await loadCustomer(tx, customerId);
    const [row] = await tx.db.insert(customerIdentities).values({
      workspaceId: ctx.workspaceId, id: newId(), customerId: customer.id, kind: input.kind, value, verified: input.verified ?? false,
    }).onConflictDoNothing().returning();
    if (!row) {
      const owner = await findIdentity(tx, input.kind, value);
      if (owner?.customerId === customer.id) return owner;
      throw new AppError('conflict', `Identity ${input.kind} ${value} belongs to another customer; merge the two customers instead`, { details: { customerId: owner?.customerId } } as any);
    }
    await audit(tx, { action: 'identity.linked', entityType: 'customer', entityId: customer.id, after: row });
    await recordTimeline(tx, [{ customerId: customer.id, kind: 'identity.linked', summary: `${input.kind} ${value} linked`, refId: row.id }]);
    emit(tx, 'customer.identity_linked', { customerId: customer.id, data: { kind: input.kind } });
    return row;
  });
}

export async function findIdentity(ctx: Ctx, kind: IdentityKind, value: string) {
  const [row] = await ctx.db.select().from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), eq(customerIdentities.kind, kind), eq(customerIdentities.value, value)));
  return row ?? null;
}

/**
 * Resolves an inbound identity to its customer, creating an unverified customer when it is new.
 * Safe under concurrency: two first messages from one new address end on one customer.
 */
export async function resolveIdentity({ ctx, input }: { ctx: Ctx; input: { kind: IdentityKind; value: string; name?: string } }): Promise<{ customerId: string; created: boolean }> {
  authorize(ctx, 'messages:ingest');
  const value = normaliseIdentity(input.kind, input.value);
  return withTransaction(ctx, async (tx) => {
    const found = await findIdentity(tx, input.kind, value);
    if (found) return { customerId: await survivingId(tx, found.customerId), created: false };
    const customerId = newId();
    const now = new Date();
    const [claimed] = await tx.db.insert(customerIdentities).values({ workspaceId: ctx.workspaceId, id: newId(), customerId, kind: input.kind, value, createdAt: now })
      .onConflictDoNothing().returning();
    if (!claimed) {
      const winner = await findIdentity(tx, input.kind, value);
      return { customerId: await survivingId(tx, winner!.customerId), created: false };
    }
    await tx.db.insert(customers).values({
      workspaceId: ctx.workspaceId, id: customerId, name: input.name ?? null, email: input.kind === 'email' ? value : null,
      phone: input.kind === 'phone' ? value : null, createdAt: now, updatedAt: now,
    });
    await recordTimeline(tx, [{ customerId, kind: 'customer.created', summary: `Unverified customer created from ${input.kind} ${value}`, occurredAt: now }]);
    await audit(tx, { action: 'customer.created', entityType: 'customer', entityId: customerId, after: { kind: input.kind, value, name: input.name } });
    emit(tx, 'customer.created', { customerId, data: { from: input.kind } });
    return { customerId, created: true };
  });
}

async function survivingId(ctx: Ctx, id: string): Promise<string> {
  const [row] = await ctx.db.select({ m: customers.mergedIntoId }).from(customers).where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, id)));
  return row?.m ? (await loadCustomer(ctx, id)).id : id;
}
