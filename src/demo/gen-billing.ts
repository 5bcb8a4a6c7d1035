import { lateFeeCents, overagePerGbCents, type PlanDef } from './catalog.ts';
import { DAY, HOUR, MIN, atLocalHour, dayMonth, daysInMonth, euro, isoDay, monthName, utcDay } from './clock.ts';
import type { Rng } from './random.ts';
import type { InvoiceRow, LineRow, Ms, PaymentRow, Person, PlanRow, TimelineRow, Window } from './model.ts';
import type { ConvSeed } from './gen-conversation-plan.ts';

const methodLabel = { direct_debit: 'direct debit', ideal: 'iDEAL', bank_transfer: 'bank transfer', credit_card: 'credit card' } as const;
const refPrefix = { direct_debit: 'DD', ideal: 'IDL', bank_transfer: 'TRF', credit_card: 'CC' } as const;

/**
 * Three monthly invoices per customer, billed in arrears for the last three full months: the
 * plan (prorated for a start, an end or a plan change), data over the cap, goodwill credits
 * after an outage the customer reported, loyalty discounts, reminder fees after a late payment.
 * Totals are the sum of their lines. Payments follow each customer's habits.
 */
export function generateBilling(rng: Rng, win: Window, people: Person[], seeds: ConvSeed[], planRows: Map<string, PlanRow>) {
  const invoices: InvoiceRow[] = [];
  const lines: LineRow[] = [];
  const payments: PaymentRow[] = [];
  const timeline: TimelineRow[] = [];
  const outageContacts = new Map<number, ConvSeed[]>();
  const discounts = new Map<number, ConvSeed>();
  for (const s of seeds) {
    if (s.topic === 'outage') outageContacts.set(s.person.idx, [...(outageContacts.get(s.person.idx) ?? []), s]);
    if (s.discountCents) discounts.set(s.person.idx, s);
  }
  const seq = new Map<Ms, number>();
  let paySeq = 0;

  for (const p of people) {
    const r = rng.fork(p.idx);
    const subFrom = utcDay(p.sub.startedAt);
    const subTo = p.sub.endedAt ? utcDay(p.sub.endedAt) + DAY : Infinity;
    const change = p.changeAt ? utcDay(p.changeAt) : null;
    const planAt = (day: Ms): PlanDef => (change !== null && day >= change ? p.plan : p.planFrom);
    let prev: Person['invoices'][number] | null = null;

    win.months.forEach((ms, k) => {
      const me = k < 2 ? win.months[k + 1] : win.currentMonth;
      const a = Math.max(ms, subFrom), b = Math.min(me, subTo);
      if (a >= b) return;
      const dim = daysInMonth(ms);
      const month = `${monthName(ms)} ${new Date(ms).getUTCFullYear()}`;
      const issuedAt = Math.min(me + 2 * HOUR, win.now - MIN);
      const n = (seq.get(ms) ?? 0) + 1;
      seq.set(ms, n);
      const number = `FL-${isoDay(ms).slice(0, 7).replace('-', '')}-${String(n).padStart(5, '0')}`;
      const id = r.uuidAt(issuedAt);
      const own: LineRow[] = [];
      const sum = () => own.reduce((t, l) => t + l.amountCents, 0);
      const line = (kind: LineRow['kind'], description: string, amountCents: number, quantity = 1, from: Ms | null = a, to: Ms | null = b) =>
        own.push({ invoiceId: id, position: own.length + 1, kind, description, quantity, amountCents, periodStart: from === null ? null : isoDay(from), periodEnd: to === null ? null : isoDay(to - DAY) });
      const planPiece = (plan: PlanDef, from: Ms, to: Ms, kind: 'plan' | 'proration') => {
        const days = Math.round((to - from) / DAY);
        if (days === dim) return line(kind, `${plan.name} — ${month}`, plan.priceCents, 1, from, to);
        const span = `${new Date(from).getUTCDate()}–${new Date(to - DAY).getUTCDate()} ${monthName(ms)}`;
        line(kind, `${plan.name} — ${span} (${days} of ${dim} days${kind === 'proration' ? ', after plan change' : ''})`, Math.round((plan.priceCents * days) / dim), 1, from, to);
      };
      if (change !== null && change > a && change < b) { planPiece(p.planFrom, a, change, 'plan'); planPiece(p.plan, change, b, 'proration'); }
      else planPiece(planAt(a), a, b, 'plan');

      // Data over the cap is charged for full months on a capped plan (the month of a plan change is on the house).
      const capped = change !== null && change > a && change < b ? null : planAt(b - DAY).capGb;
      const used = p.usageByMonth.get(ms) ?? 0;
      if (capped && used > capped) {
        const over = Math.ceil(used - capped);
        line('usage', `Data above your ${capped} GB cap: ${over} GB × ${euro(overagePerGbCents)}`, over * overagePerGbCents, over);
      }
      for (const s of outageContacts.get(p.idx) ?? []) {
        const o = s.outage!;
        const credit = o.end - o.start > 4 * HOUR ? -1000 : -500;
        if (o.start >= ms && o.start < me && o.end < win.now && sum() + credit > 0 && r.chance(0.8)) {
          line('credit', `Goodwill credit: outage in ${o.area.name} on ${dayMonth(o.start)}`, credit, 1, null, null);
        }
      }
      const loyal = discounts.get(p.idx);
      if (loyal && me > loyal.at && sum() > loyal.discountCents!) line('discount', 'Loyalty discount (12 months)', -loyal.discountCents!, 1);
      if (prev && (prev.paidAt === null || prev.paidAt > prev.row.dueAt)) line('fee', `Reminder fee for invoice ${prev.row.number}`, lateFeeCents, 1, null, null);

      const total = sum();
      const dueAt = issuedAt + 14 * DAY;
      let paidAt = payDate(r, p, issuedAt, dueAt, k);
      if (paidAt !== null && paidAt > win.now - 10 * MIN) paidAt = null;
      const status = paidAt !== null ? 'paid' : win.now > dueAt ? 'overdue' : 'open';
      const row: InvoiceRow = { id, customerId: p.row.id, subscriptionId: p.sub.id, number, periodStart: isoDay(ms), periodEnd: isoDay(me - DAY), issuedAt, dueAt, totalCents: total, currency: 'EUR', status };
      invoices.push(row);
      lines.push(...own);
      prev = { row, lines: own, paidAt };
      p.invoices.push(prev);
      const sys = (at: Ms, kind: string, summary: string, refId: string, data: Record<string, unknown>) =>
        timeline.push({ id: r.uuidAt(at), customerId: p.row.id, occurredAt: at, kind, actorType: 'system', actorId: 'billing', conversationId: null, refId, summary, data });
      sys(issuedAt, 'invoice.issued', `Invoice ${number} issued: ${euro(total)} for ${month}`, id, { number, totalCents: total, currency: 'EUR', periodStart: row.periodStart, periodEnd: row.periodEnd });
      if (paidAt !== null) {
        const method = p.payer.method;
        const pay: PaymentRow = { id: r.uuidAt(paidAt), customerId: p.row.id, invoiceId: id, amountCents: total, currency: 'EUR', method, receivedAt: paidAt, externalRef: `${refPrefix[method]}-${isoDay(paidAt).replace(/-/g, '')}-${String(++paySeq).padStart(6, '0')}` };
        payments.push(pay);
        sys(paidAt, 'payment.received', `Payment of ${euro(total)} received for invoice ${number} (${methodLabel[method]})`, pay.id, { invoiceId: id, amountCents: total, method });
      }
    });
    if (p.changeAt) {
      timeline.push({
        id: r.uuidAt(p.changeAt), customerId: p.row.id, occurredAt: p.changeAt, kind: 'plan.changed', actorType: 'customer', actorId: p.row.id, conversationId: null, refId: p.sub.id,
        summary: `Plan changed from ${p.planFrom.name} to ${p.plan.name}`,
        data: { fromPlanId: planRows.get(p.planFrom.code)!.id, toPlanId: planRows.get(p.plan.code)!.id, from: p.planFrom.code, to: p.plan.code },
      });
    }
  }
  return { invoices, lines, payments, timeline };
}

/** When a customer pays an invoice, by habit: direct debit a few days in, others before the due date, some late, some not at all. */
function payDate(r: Rng, p: Person, issuedAt: Ms, dueAt: Ms, k: number): Ms | null {
  if (p.suspendedAt && k >= 1) return null;
  const late = p.payer.lateness === 'bad' ? r.chance(0.6) : p.payer.lateness === 'sometimes' ? r.chance(0.35) : r.chance(0.01);
  if (late) return p.payer.lateness === 'bad' && r.chance(0.5) ? null : dueAt + r.int(2, 25) * DAY + r.int(0, 600) * MIN;
  if (p.payer.method === 'direct_debit') return atLocalHour(utcDay(issuedAt) + 4 * DAY, 6 + r.float() * 2);
  return Math.round(issuedAt + r.between(0.3, 12) * DAY);
}
