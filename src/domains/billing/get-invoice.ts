import { and, asc, eq } from 'drizzle-orm';
import { payments } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { invoiceViews, loadInvoice } from './loaders.ts';
import { paymentView } from './views.ts';

/** One invoice with its lines, line by line, and the payments received against it (404 for another workspace's id). */
export async function getInvoice({ ctx, id }: { ctx: Ctx; id: string }) {
  authorize(ctx, 'billing:read');
  const row = await loadInvoice(ctx, { id });
  const [view] = await invoiceViews(ctx, [row]);
  const paid = await ctx.db.select().from(payments)
    .where(and(eq(payments.workspaceId, ctx.workspaceId), eq(payments.invoiceId, row.id)))
    .orderBy(asc(payments.receivedAt), asc(payments.id));
  return { ...view, payments: paid.map(paymentView) };
}
