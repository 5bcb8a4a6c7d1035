import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { invoices } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { decodeCursor, toIso, toPage } from '../../platform/pagination.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import type { InvoiceStatus } from './billing.schemas.ts';
import { invoiceViews } from './loaders.ts';

/** A customer's invoices newest first, each with its lines and what was paid; keyset-paginated on (issuedAt, id). */
export async function listInvoices({ ctx, customerId, input = {} }: { ctx: Ctx; customerId: string; input?: { limit?: number; cursor?: string; status?: InvoiceStatus } }) {
  authorize(ctx, 'billing:read');
  const customer = await loadCustomer(ctx, customerId);
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const cursor = decodeCursor(input.cursor);
  const i = invoices;
  const conds: SQL[] = [eq(i.workspaceId, ctx.workspaceId), eq(i.customerId, customer.id)];
  if (input.status) conds.push(eq(i.status, input.status));
  if (cursor) {
    const at = new Date(cursor.k);
    conds.push(or(lt(i.issuedAt, at), and(eq(i.issuedAt, at), lt(i.id, cursor.id)))!);
  }
  const rows = await ctx.db.select().from(i).where(and(...conds)).orderBy(desc(i.issuedAt), desc(i.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: toIso(r.issuedAt), id: r.id }));
  return { customerId: customer.id, data: await invoiceViews(ctx, page.data), nextCursor: page.nextCursor };
}
