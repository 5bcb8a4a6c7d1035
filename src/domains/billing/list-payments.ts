import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { payments } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { decodeCursor, toIso, toPage } from '../../platform/pagination.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { paymentView } from './views.ts';

/** A customer's payments newest first; keyset-paginated on (receivedAt, id). */
export async function listPayments({ ctx, customerId, input = {} }: { ctx: Ctx; customerId: string; input?: { limit?: number; cursor?: string } }) {
  authorize(ctx, 'billing:read');
  const customer = await loadCustomer(ctx, customerId);
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const cursor = decodeCursor(input.cursor);
  const p = payments;
  const conds: SQL[] = [eq(p.workspaceId, ctx.workspaceId), eq(p.customerId, customer.id)];
  if (cursor) {
    const at = new Date(cursor.k);
    conds.push(or(lt(p.receivedAt, at), and(eq(p.receivedAt, at), lt(p.id, cursor.id)))!);
  }
  const rows = await ctx.db.select().from(p).where(and(...conds)).orderBy(desc(p.receivedAt), desc(p.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: toIso(r.receivedAt), id: r.id }));
  return { customerId: customer.id, data: page.data.map(paymentView), nextCursor: page.nextCursor };
}
