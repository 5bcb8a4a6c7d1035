import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { invoices, payments } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { formatMoney, type InvoiceView } from '../billing/index.ts';
import { invoiceViews } from '../billing/loaders.ts';
import { compareInvoices, explainLine } from './explain-invoice.ts';
import { asSystem, daysInMonthOf, isoDay, mySubscription, recordSelf, selfOf } from './self.ts';

function explained(inv: InvoiceView, prev: InvoiceView | null, paid: { amountCents: number; method: string; receivedAt: Date }[]) {
  const cmp = compareInvoices(inv, prev);
  return {
    id: inv.id, number: inv.number, periodStart: inv.periodStart, periodEnd: inv.periodEnd, issuedAt: inv.issuedAt, dueAt: inv.dueAt,
    totalCents: inv.totalCents, paidCents: inv.paidCents, currency: inv.currency, status: inv.status,
    lines: inv.lines.map((l) => ({ position: l.position, kind: l.kind, description: l.description, amountCents: l.amountCents, explanation: explainLine(l, inv.currency) })),
    comparedWith: prev ? { id: prev.id, number: prev.number, totalCents: prev.totalCents } : null,
    differenceCents: cmp.differenceCents, differences: cmp.differences, summary: cmp.summary,
    payments: paid.map((p) => ({ amountCents: p.amountCents, method: p.method, receivedAt: p.receivedAt.toISOString() })),
    pdfUrl: `/api/v1/me/invoices/${inv.id}/pdf`, csvUrl: `/api/v1/me/invoices/${inv.id}/csv`,
  };
}

async function myInvoiceViews(ctx: Ctx, customerId: string) {
  const sys = asSystem(ctx);
  const rows = await sys.db.select().from(invoices).where(and(eq(invoices.workspaceId, ctx.workspaceId), eq(invoices.customerId, customerId)))
    .orderBy(asc(invoices.periodStart), asc(invoices.issuedAt)).limit(120);
  const views = await invoiceViews(sys, rows);
  const pays = views.length ? await sys.db.select().from(payments).where(and(eq(payments.workspaceId, ctx.workspaceId), inArray(payments.invoiceId, views.map((v) => v.id)))) : [];
  return views.map((v, i) => explained(v, i ? views[i - 1] : null, pays.filter((p) => p.invoiceId === v.id)));
}

/**
 * My invoices newest first, every line in plain language and each compared with the one before
 * ("why is this bill different"), with payments, the balance due and an estimate of the next bill.
 */
export async function listMyInvoices({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  const customerId = selfOf(ctx, 'billing:read');
  const list = await myInvoiceViews(ctx, customerId);
  const sub = await mySubscription(asSystem(ctx), customerId);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const nextBill = sub && sub.row.status === 'active' ? {
    estimateCents: sub.plan.priceCents, currency: sub.plan.currency, periodStart: isoDay(first),
    periodEnd: isoDay(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), daysInMonthOf(now))),
    text: `Your next bill, early next month, will be about ${formatMoney(sub.plan.priceCents, sub.plan.currency)} for ${sub.plan.name} this month, plus anything above your cap and minus any credits.`,
  } : null;
  const balanceDueCents = list.filter((i) => i.status === 'open' || i.status === 'overdue').reduce((t, i) => t + i.totalCents - i.paidCents, 0);
  if (ctx.actor.type === 'assistant') await recordSelf(ctx, { customerId, kind: 'assistant.read', summary: 'read the invoices and their explanations', data: { what: 'invoices' } });
  return { data: list.reverse(), nextBill, balanceDueCents };
}

/** One of my invoices, explained (not found for anyone else's). */
export async function getMyInvoice({ ctx, id }: { ctx: Ctx; id: string }) {
  const customerId = selfOf(ctx, 'billing:read');
  if (!isUuid(id)) throw notFound('Invoice');
  const inv = (await myInvoiceViews(ctx, customerId)).find((i) => i.id === id || i.number === id);
  if (!inv) throw notFound('Invoice');
  if (ctx.actor.type === 'assistant') await recordSelf(ctx, { customerId, kind: 'assistant.read', refId: inv.id, summary: `read invoice ${inv.number} explained`, data: { what: 'invoice', invoiceId: inv.id } });
  return inv;
}

/** My latest invoice, explained, or null. */
export async function latestInvoiceId(ctx: Ctx, customerId: string): Promise<string | null> {
  const [row] = await asSystem(ctx).db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.workspaceId, ctx.workspaceId), eq(invoices.customerId, customerId)))
    .orderBy(desc(invoices.periodStart)).limit(1);
  return row?.id ?? null;
}
