import { and, eq, inArray } from 'drizzle-orm';
import { customers, customerIdentities } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';

type CustomerRow = typeof customers.$inferSelect;
type IdentityRow = typeof customerIdentities.$inferSelect;

export const customerView = (c: CustomerRow, ids: IdentityRow[]) => ({
  id: c.id, name: c.name, email: c.email, emailClaimed: c.emailClaimed, phone: c.phone, language: c.language, timezone: c.timezone, verified: c.verified,
  consent: c.consent, channelPrefs: c.channelPrefs, externalRef: c.externalRef,
  identities: ids.map((i) => ({ id: i.id, kind: i.kind, value: i.value, verified: i.verified })),
  createdAt: toIso(c.createdAt), updatedAt: toIso(c.updatedAt),
});
export type CustomerView = ReturnType<typeof customerView>;

/** Loads a customer row in the caller's workspace, following a merge to the surviving record. */
export async function loadCustomer(ctx: Ctx, id: string): Promise<CustomerRow> {
  if (!isUuid(id)) throw notFound('Customer');
  let current = id;
  for (let hops = 0; hops < 5; hops++) {
    const [row] = await ctx.db.select().from(customers).where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, current)));
    if (!row) break;
    if (!row.mergedIntoId) return row;
    current = row.mergedIntoId;
  }
  throw notFound('Customer');
}

/** A customer with identities; a merged-away id answers with the customer it was merged into. */
export async function getCustomer({ ctx, id }: { ctx: Ctx; id: string }): Promise<CustomerView> {
  authorize(ctx, 'customers:read');
  const row = await loadCustomer(ctx, id);
  const ids = await ctx.db.select().from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), eq(customerIdentities.customerId, row.id)))
    .orderBy(customerIdentities.createdAt);
  return customerView(row, ids);
}

export async function identitiesOf(ctx: Ctx, customerIds: string[]): Promise<Map<string, IdentityRow[]>> {
  const map = new Map<string, IdentityRow[]>();
  if (!customerIds.length) return map;
  const rows = await ctx.db.select().from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), inArray(customerIdentities.customerId, customerIds)));
  for (const r of rows) map.set(r.customerId, [...(map.get(r.customerId) ?? []), r]);
  return map;
}
