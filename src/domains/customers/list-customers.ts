import { and, eq, isNull, or, ilike, lt, desc, sql, exists } from 'drizzle-orm';
import { customers, customerIdentities } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { decodeCursor, toPage } from '../../platform/pagination.ts';
import { customerView, identitiesOf } from './get-customer.ts';

/** Customers newest first, optionally matching a search on name or any identity; keyset paginated. */
export async function listCustomers({ ctx, input }: { ctx: Ctx; input: { q?: string; limit?: number; cursor?: string } }) {
  authorize(ctx, 'customers:read');
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const cursor = decodeCursor(input.cursor);
  const conds = [eq(customers.workspaceId, ctx.workspaceId), isNull(customers.mergedIntoId)];
  if (cursor) conds.push(lt(customers.id, cursor.id));
  if (input.q) {
    const q = input.q.trim().toLowerCase();
    const like = `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    conds.push(or(
      ilike(customers.name, like),
      exists(ctx.db.select({ one: sql`1` }).from(customerIdentities).where(and(
        eq(customerIdentities.workspaceId, customers.workspaceId), eq(customerIdentities.customerId, customers.id),
        sql`${customerIdentities.value} like ${q + '%'}`,
      ))),
    )!);
  }
  const rows = await ctx.db.select().from(customers).where(and(...conds)).orderBy(desc(customers.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: 0, id: r.id }));
  const ids = await identitiesOf(ctx, page.data.map((r) => r.id));
  return { data: page.data.map((r) => customerView(r, ids.get(r.id) ?? [])), nextCursor: page.nextCursor };
}
