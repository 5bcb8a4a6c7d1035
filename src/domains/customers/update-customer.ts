import { parseInput } from '../../platform/errors.ts';
import { and, eq } from 'drizzle-orm';
import { customers } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { UpdateCustomerInput } from './customers.schemas.ts';
import { getCustomer, loadCustomer } from './get-customer.ts';
import type { z } from '@hono/zod-openapi';

/** Changes profile, language, consent or channel preferences. */
export async function updateCustomer({ ctx, id, input }: { ctx: Ctx; id: string; input: z.input<typeof UpdateCustomerInput> }) {
  authorize(ctx, 'customers:write');
  const data = parseInput(UpdateCustomerInput, input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadCustomer(tx, id);
    const patch: Partial<typeof customers.$inferInsert> = { updatedAt: new Date() };
    if (data.name !== undefined) patch.name = data.name;
    if (data.language !== undefined) patch.language = data.language;
    if (data.timezone !== undefined) patch.timezone = data.timezone;
    if (data.consent) patch.consent = { ...data.consent, updatedAt: new Date().toISOString() };
    if (data.channelPrefs) patch.channelPrefs = { ...before.channelPrefs, ...data.channelPrefs };
    await tx.db.update(customers).set(patch).where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, before.id)));
    const after = await getCustomer({ ctx: tx, id: before.id });
    await audit(tx, { action: 'customer.updated', entityType: 'customer', entityId: before.id, before, after });
    emit(tx, 'customer.updated', { customerId: before.id, data: { fields: Object.keys(data) } });
    return after;
  });
}
