import { and, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { invoices, invoiceLines } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, invalid, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { recordTimeline, type TimelineInput } from '../customers/record-timeline.ts';
import { InvoiceInput, type InvoiceStatus } from './billing.schemas.ts';
import { claimRow, invoiceViews, loadSubscription, paidCents } from './loaders.ts';
import { formatMoney, type InvoiceView } from './views.ts';

const statusSummary: Record<InvoiceStatus, string> = { open: 'reopened', paid: 'paid', overdue: 'is overdue', void: 'voided' };

/**
 * Imports an invoice with its line items, idempotent by invoice number: importing the same
 * number again replaces header and lines and keeps the id (nothing is written when nothing
 * changed). The lines must add up to the total. A new invoice records `invoice.issued` on the
 * customer's timeline; a changed total or lines `invoice.revised`; a changed status its own entry.
 * An open invoice that payments already cover is marked paid.
 */
export async function importInvoice({ ctx, input }: { ctx: Ctx; input: z.input<typeof InvoiceInput> }): Promise<{ created: boolean; invoice: InvoiceView }> {
  authorize(ctx, 'billing:write');
  const data = parseInput(InvoiceInput, input);
  return withTransaction(ctx, async (tx) => {
    const customer = await loadCustomer(tx, data.customerId);
    let subscriptionId: string | null = null;
    if (data.subscriptionId || data.subscriptionRef) {
      const field = data.subscriptionId ? 'subscriptionId' : 'subscriptionRef';
      const sub = await loadSubscription(tx, { id: data.subscriptionId, key: data.subscriptionRef }, { field });
      if (sub.customerId !== customer.id) throw invalid(field, 'the subscription belongs to another customer');
      subscriptionId = sub.id;
    }
    const header = {
      customerId: customer.id, subscriptionId, periodStart: data.periodStart, periodEnd: data.periodEnd, issuedAt: data.issuedAt,
      dueAt: data.dueAt, totalCents: data.totalCents, currency: data.currency, status: data.status,
    };
    const where = and(eq(invoices.workspaceId, ctx.workspaceId), eq(invoices.number, data.number));
    const { row, created } = await claimRow(
      async () => (await tx.db.select().from(invoices).where(where).for('update'))[0],
      async () => (await tx.db.insert(invoices).values({ workspaceId: ctx.workspaceId, id: newId(), number: data.number, ...header })
        .onConflictDoNothing().returning())[0],
    );
    const lines = data.lines.map((l, position) => ({
      workspaceId: ctx.workspaceId, invoiceId: row.id, position, kind: l.kind, description: l.description, quantity: l.quantity,
      amountCents: l.amountCents, periodStart: l.periodStart ?? null, periodEnd: l.periodEnd ?? null,
    }));
    const byId = and(eq(invoices.workspaceId, ctx.workspaceId), eq(invoices.id, row.id));

    let before: InvoiceView | undefined;
    if (!created) {
      if (row.customerId !== customer.id) {
        throw new AppError('conflict', `Invoice ${data.number} belongs to another customer`, { fields: [{ path: 'number', message: 'used by another customer' }] });
      }
      [before] = await invoiceViews(tx, [row]);
      if (sameInvoice(before, header, lines)) return { created, invoice: before };
      await tx.db.update(invoices).set(header).where(byId);
      await tx.db.delete(invoiceLines).where(and(eq(invoiceLines.workspaceId, ctx.workspaceId), eq(invoiceLines.invoiceId, row.id)));
    }
    await tx.db.insert(invoiceLines).values(lines);
    const paid = (await paidCents(tx, [row.id])).get(row.id) ?? 0;
    if ((header.status === 'open' || header.status === 'overdue') && paid > 0 && paid >= header.totalCents) {
      await tx.db.update(invoices).set({ status: 'paid' }).where(byId);
    }
    const [fresh] = await tx.db.select().from(invoices).where(byId);
    const [after] = await invoiceViews(tx, [fresh]);
    await audit(tx, { action: created ? 'invoice.imported' : 'invoice.revised', entityType: 'invoice', entityId: row.id, before, after });

    const money = formatMoney(after.totalCents, after.currency);
    const base = { customerId: customer.id, refId: row.id };
    const facts = { invoiceId: row.id, number: after.number, totalCents: after.totalCents, currency: after.currency, dueAt: after.dueAt };
    const entries: TimelineInput[] = [];
    if (created) {
      entries.push({ ...base, kind: 'invoice.issued', occurredAt: data.issuedAt, summary: `Invoice ${after.number} issued: ${money}`, data: { ...facts, periodStart: after.periodStart, periodEnd: after.periodEnd } });
      emit(tx, 'invoice.issued', { customerId: customer.id, data: { invoiceId: row.id, number: after.number, totalCents: after.totalCents, currency: after.currency, subscriptionId } });
    } else if (before!.totalCents !== after.totalCents || JSON.stringify(before!.lines) !== JSON.stringify(after.lines)) {
      entries.push({ ...base, kind: 'invoice.revised', summary: `Invoice ${after.number} revised: ${money}`, data: { ...facts, previousTotalCents: before!.totalCents } });
      emit(tx, 'invoice.revised', { customerId: customer.id, data: { invoiceId: row.id, number: after.number, fromTotalCents: before!.totalCents, toTotalCents: after.totalCents } });
    }
    const fromStatus = before?.status ?? 'open';
    if (after.status !== fromStatus) {
      entries.push({ ...base, kind: `invoice.${after.status}`, summary: `Invoice ${after.number} ${statusSummary[after.status]}`, data: { ...facts, from: fromStatus, to: after.status } });
      emit(tx, after.status === 'paid' ? 'invoice.paid' : 'invoice.status_changed', { customerId: customer.id, data: { invoiceId: row.id, from: fromStatus, to: after.status } });
    }
    await recordTimeline(tx, entries);
    return { created, invoice: after };
  });
}

type Header = { customerId: string; subscriptionId: string | null; periodStart: string; periodEnd: string; issuedAt: Date; dueAt: Date; totalCents: number; currency: string; status: InvoiceStatus };
type Line = { position: number; kind: string; description: string; quantity: number; amountCents: number; periodStart: string | null; periodEnd: string | null };

function sameInvoice(v: InvoiceView, h: Header, lines: Line[]): boolean {
  const sameHeader = v.subscriptionId === h.subscriptionId && v.periodStart === h.periodStart && v.periodEnd === h.periodEnd
    && v.issuedAt === h.issuedAt.toISOString() && v.dueAt === h.dueAt.toISOString() && v.totalCents === h.totalCents
    && v.currency === h.currency && (v.status === h.status || (v.status === 'paid' && h.status === 'open'));
  const key = (l: Line) => [l.position, l.kind, l.description, l.quantity, l.amountCents, l.periodStart, l.periodEnd].join('\u0001');
  return sameHeader && v.lines.length === lines.length && v.lines.every((l, i) => key(l) === key(lines[i]));
}
