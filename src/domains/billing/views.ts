import { serviceAreas, plans, subscriptions, usageDaily, invoices, invoiceLines, payments } from '../../db/schema/index.ts';
import { toIso } from '../../platform/pagination.ts';

export type ServiceAreaRow = typeof serviceAreas.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type UsageRow = typeof usageDaily.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

const iso = (d: Date | string | null) => (d ? toIso(d) : null);
/** A date column as YYYY-MM-DD whichever driver read it. */
export const dayString = (d: Date | string): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
const dayOrNull = (d: Date | string | null) => (d ? dayString(d) : null);

export const serviceAreaView = (a: ServiceAreaRow) => ({ id: a.id, code: a.code, name: a.name, region: a.region });
export type ServiceAreaView = ReturnType<typeof serviceAreaView>;

export const planView = (p: PlanRow) => ({
  id: p.id, code: p.code, name: p.name, priceCents: p.priceCents, currency: p.currency,
  downloadMbps: p.downloadMbps, uploadMbps: p.uploadMbps, dataCapGb: p.dataCapGb, active: p.active,
});
export type PlanView = ReturnType<typeof planView>;

export const subscriptionView = (s: SubscriptionRow, plan: PlanRow, area: ServiceAreaRow) => ({
  id: s.id, customerId: s.customerId, externalRef: s.externalRef, status: s.status, address: s.address,
  startedAt: toIso(s.startedAt), endedAt: iso(s.endedAt), plan: planView(plan), serviceArea: serviceAreaView(area),
});
export type SubscriptionView = ReturnType<typeof subscriptionView>;

export const usageView = (u: UsageRow) => ({ subscriptionId: u.subscriptionId, day: dayString(u.day), downloadMb: Number(u.downloadMb), uploadMb: Number(u.uploadMb) });

export const lineView = (l: InvoiceLineRow) => ({
  position: l.position, kind: l.kind, description: l.description, quantity: l.quantity, amountCents: l.amountCents,
  periodStart: dayOrNull(l.periodStart), periodEnd: dayOrNull(l.periodEnd),
});

export const invoiceView = (i: InvoiceRow, lines: InvoiceLineRow[], paidCents: number) => ({
  id: i.id, number: i.number, customerId: i.customerId, subscriptionId: i.subscriptionId,
  periodStart: dayString(i.periodStart), periodEnd: dayString(i.periodEnd), issuedAt: toIso(i.issuedAt), dueAt: toIso(i.dueAt),
  totalCents: i.totalCents, paidCents, currency: i.currency, status: i.status,
  lines: [...lines].sort((a, b) => a.position - b.position).map(lineView),
});
export type InvoiceView = ReturnType<typeof invoiceView>;

export const paymentView = (p: PaymentRow) => ({
  id: p.id, customerId: p.customerId, invoiceId: p.invoiceId, amountCents: p.amountCents, currency: p.currency,
  method: p.method, receivedAt: toIso(p.receivedAt), externalRef: p.externalRef,
});
export type PaymentView = ReturnType<typeof paymentView>;

/** Cents as a person reads them: 4900 EUR → €49.00. */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
