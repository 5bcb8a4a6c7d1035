import { and, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { invoices, payments } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, invalid, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { recordTimeline, type TimelineInput } from '../customers/record-timeline.ts';
import { PaymentInput } from './billing.schemas.ts';
import { loadInvoice, paidCents } from './loaders.ts';
import { formatMoney, paymentView, type InvoiceRow, type PaymentRow, type PaymentView } from './views.ts';

/**
 * Records a payment, idempotent by externalRef: recording the same payment again returns it
 * and changes nothing (the same ref with a different amount, currency or invoice is a conflict).
 * Records `payment.received` on the customer's timeline; when the payments for an open or
 * overdue invoice cover its total, the invoice is marked paid.
 */
export async function recordPayment({ ctx, input }: { ctx: Ctx; input: z.input<typeof PaymentInput> }): Promise<{ created: boolean; payment: PaymentView }> {
  authorize(ctx, 'billing:write');
  const data = parseInput(PaymentInput, input);
  return withTransaction(ctx, async (tx) => {
    const invoiceField = data.invoiceId ? 'invoiceId' : 'invoiceNumber';
    // Locking the invoice serialises payments against it, so two that together cover it mark it paid.
    const invoice = data.invoiceId || data.invoiceNumber
      ? await loadInvoice(tx, { id: data.invoiceId, key: data.invoiceNumber }, { lock: true, field: invoiceField })
      : null;
    const existing = await byRef(tx, data.externalRef);
    if (existing) return { created: false, payment: replay(existing, data, invoice) };

    const customer = await loadCustomer(tx, data.customerId ?? invoice!.customerId);
    if (invoice && invoice.customerId !== customer.id) throw invalid(invoiceField, 'the invoice belongs to another customer');
    if (invoice && invoice.currency !== data.currency) throw invalid('currency', `the invoice is in ${invoice.currency}`);
    const receivedAt = data.receivedAt ?? new Date();
    const [row] = await tx.db.insert(payments).values({
      workspaceId: ctx.workspaceId, id: newId(), customerId: customer.id, invoiceId: invoice?.id ?? null, amountCents: data.amountCents,
      currency: data.currency, method: data.method, receivedAt, externalRef: data.externalRef,
    }).onConflictDoNothing().returning();
    if (!row) return { created: false, payment: replay((await byRef(tx, data.externalRef))!, data, invoice) };

    const view = paymentView(row);
    await audit(tx, { action: 'payment.recorded', entityType: 'payment', entityId: row.id, after: view });
    let settled = false;
    const entries: TimelineInput[] = [];
    if (invoice && (invoice.status === 'open' || invoice.status === 'overdue')) {
      const paid = (await paidCents(tx, [invoice.id])).get(invoice.id) ?? 0;
      if (paid >= invoice.totalCents) {
        settled = true;
        await tx.db.update(invoices).set({ status: 'paid' }).where(and(eq(invoices.workspaceId, ctx.workspaceId), eq(invoices.id, invoice.id)));
        await audit(tx, { action: 'invoice.paid', entityType: 'invoice', entityId: invoice.id, before: { status: invoice.status }, after: { status: 'paid', paidCents: paid } });
        emit(tx, 'invoice.paid', { customerId: customer.id, data: { invoiceId: invoice.id, from: invoice.status, to: 'paid', paymentId: row.id } });
      }
    }
    const money = formatMoney(row.amountCents, row.currency);
    entries.push({
      customerId: customer.id, refId: row.id, kind: 'payment.received', occurredAt: receivedAt,
      summary: `Payment of ${money} received (${row.method})${invoice ? ` for invoice ${invoice.number}${settled ? ', now paid in full' : ''}` : ''}`,
      data: { paymentId: row.id, invoiceId: invoice?.id ?? null, amountCents: row.amountCents, currency: row.currency, method: row.method, invoicePaid: settled },
    });
    await recordTimeline(tx, entries);
    emit(tx, 'payment.received', { customerId: customer.id, data: { paymentId: row.id, invoiceId: invoice?.id ?? null, amountCents: row.amountCents, currency: row.currency } });
    return { created: true, payment: view };
  });
}

async function byRef(ctx: Ctx, externalRef: string): Promise<PaymentRow | undefined> {
  const [row] = await ctx.db.select().from(payments).where(and(eq(payments.workspaceId, ctx.workspaceId), eq(payments.externalRef, externalRef)));
  return row;
}

/** A payment recorded before: the same facts replay it; different ones are a conflict, never a silent change. */
function replay(row: PaymentRow, data: { amountCents: number; currency: string; externalRef: string }, invoice: InvoiceRow | null): PaymentView {
  if (row.amountCents !== data.amountCents || row.currency !== data.currency || (invoice && row.invoiceId !== invoice.id)) {
    throw new AppError('conflict', `Payment ${data.externalRef} was already recorded with different details`, { fields: [{ path: 'externalRef', message: 'already recorded' }] });
  }
  return paymentView(row);
}
