import { plans, routers, technicians, type PlanDef } from './catalog.ts';
import { DAY, HOUR, MIN, clock, dayMonth, euro, monthName, utcDay, weekday } from './clock.ts';
import type { Rng } from './random.ts';
import type { Ms, Person } from './model.ts';
import type { ConvSeed } from './gen-conversation-plan.ts';
import type { Slots } from './texts.ts';

const competitors = ['Glasweb', 'Speedline', 'NordNet Fiber', 'Lumen Glas'];
const postcodeLetters = 'ABCDEGHJKLMNPRSTVWXZ';

/** The plan a person had at a moment (before or after their plan change). */
export const planAt = (p: Person, at: Ms): PlanDef => (p.changeAt && at >= p.changeAt ? p.plan : p.planFrom);

/**
 * The facts a conversation can mention, taken from the customer's own data where it exists
 * (their plan, address, invoices, the outage in their area), so the story matches the records.
 * Slots are computed when a template first asks for them.
 */
export function slotsFor(s: ConvSeed, r: Rng): { slots: Slots; setAgent(name: string): void; script: string; visitAt: Ms; move?: { address: string; at: Ms } } {
  const p = s.person;
  const at = s.at;
  const plan = planAt(p, at);
  let n = 0;
  while (n < p.invoices.length && p.invoices[n].row.issuedAt < at) n++;
  const inv = n > 0 ? p.invoices[n - 1] : undefined;
  const prev = n > 1 ? p.invoices[n - 2] : undefined;
  const fee = inv?.lines.find((l) => l.kind === 'fee');
  const usage = inv?.lines.find((l) => l.kind === 'usage');
  const proration = inv?.lines.find((l) => l.kind === 'proration');
  const amount = inv?.row.totalCents ?? plan.priceCents;
  const prevAmount = prev?.row.totalCents ?? plan.priceCents;
  const monthMs = inv ? Date.parse(inv.row.periodStart) : at - 30 * DAY;
  const changing = s.topic === 'upgrade' || s.topic === 'downgrade';
  const target: PlanDef = changing
    ? (p.changeAt && at < p.changeAt ? p.plan : plans.find((x) => x.active && x.priceCents > plan.priceCents) ?? plan)
    : proration ? p.plan : plan;
  const o = s.outage;
  const moveAt = utcDay(at) + r.int(12, 45) * DAY;
  const newStreet = `${r.pick(p.area.streets.filter((x) => !p.street.startsWith(x)))} ${r.int(1, 200)}`;
  let agent = 'the agent';
  // Technicians come Monday to Saturday, two to four days out.
  let visitDay = utcDay(at) + r.int(2, 4) * DAY;
  if (new Date(visitDay).getUTCDay() === 0) visitDay += DAY;

  const compute = (k: string): string | undefined => {
    switch (k) {
      case 'first': return p.first;
      case 'last': return p.last;
      case 'agent': return agent;
      case 'plan': return plan.name;
      case 'planPrice': return euro(plan.priceCents);
      case 'planPriceNl': return euro(plan.priceCents, true);
      case 'speed': return String(plan.down);
      case 'cap': return String(plan.capGb ?? 250);
      case 'newPlan': return target.name;
      case 'newPrice': return euro(target.priceCents);
      case 'newSpeed': return String(target.down);
      case 'priceDiff': return euro(Math.abs(target.priceCents - plan.priceCents));
      case 'area': return p.area.name;
      case 'town': return p.area.town;
      case 'street': return p.street;
      case 'postcode': return p.postcode;
      case 'address': return p.address;
      case 'router': return routers[p.idx % routers.length];
      case 'amount': return euro(amount);
      case 'amountNl': return euro(amount, true);
      case 'prevAmount': return euro(prevAmount);
      case 'prevAmountNl': return euro(prevAmount, true);
      case 'month': return monthName(monthMs);
      case 'monthNl': return monthName(monthMs, true);
      case 'invoice': return inv?.row.number ?? `FL-${p.row.externalRef.slice(4)}`;
      case 'lateFee': return euro(fee?.amountCents ?? 500);
      case 'lateFeeNl': return euro(fee?.amountCents ?? 500, true);
      case 'overGb': return String(usage?.quantity ?? 0);
      case 'overAmount': return euro(usage?.amountCents ?? 0);
      case 'usedGb': return String(Math.round(p.usageByMonth.get(monthMs) ?? 0));
      case 'changeDate': return dayMonth(p.changeAt ?? at);
      case 'chargeDate': return dayMonth(inv?.paidAt ?? (inv ? inv.row.issuedAt + 4 * DAY : at - 3 * DAY));
      case 'refundDate': return dayMonth(at + 5 * DAY);
      case 'iban4': case 'last4': return r.digits(4);
      case 'ref': return `FL-${r.digits(6)}`;
      case 'measured': return String(Math.max(2, Math.round(plan.down * r.between(0.08, 0.45))));
      case 'wiredLow': return String(Math.max(2, Math.round(plan.down * r.between(0.35, 0.6))));
      case 'wired': return String(Math.min(Math.round(plan.down * r.between(0.86, 0.96)), 940));
      case 'tracking': return `3SFBL${r.digits(9)}`;
      case 'drops': return String(r.int(4, 19));
      case 'visitDate': return `${weekday(visitDay + 9 * HOUR)} ${dayMonth(visitDay + 9 * HOUR)}`;
      case 'tech': return r.pick(technicians);
      case 'moveDate': return dayMonth(moveAt);
      case 'moveDateNl': return dayMonth(moveAt, true);
      case 'newAddress': return `${newStreet}, ${p.area.town}`;
      case 'since': return clock(o ? o.start : at - r.int(20, 90) * MIN);
      case 'eta': return clock(o ? o.end : at + 3 * HOUR);
      case 'cause': return o?.cause ?? 'a fault in the local cabinet';
      case 'causeNl': return o?.causeNl ?? 'een storing in de wijkkast';
      case 'homes': return String(o?.homes ?? 300);
      case 'ticket': return o?.ticket ?? 'INC-0000';
      case 'reason': return p.cancelReason ?? r.pick(['it is too expensive', 'I found a better offer', 'I am not happy with the speed lately']);
      case 'reasonCap': { const x = compute('reason')!; return x[0].toUpperCase() + x.slice(1); }
      case 'discount': return euro(s.discountCents ?? 1000);
      case 'endDate': return dayMonth(p.sub.endedAt ?? at + 30 * DAY);
      case 'competitor': return r.pick(competitors);
      default: return undefined;
    }
  };
  // A slot keeps its value for the whole conversation (the same technician, the same tracking code).
  const memo = new Map<string, string | undefined>();
  const slots: Slots = (k) => {
    if (k === 'agent') return agent;
    if (!memo.has(k)) memo.set(k, compute(k));
    return memo.get(k);
  };

  let script = s.script ?? 'main';
  if (s.topic === 'billing.higher') script = fee ? 'fee' : usage ? 'usage' : proration ? 'proration' : 'generic';
  if (s.topic === 'billing.direct_debit') script = p.payer.method === 'direct_debit' && inv && inv.paidAt && inv.paidAt > inv.row.dueAt ? 'failed' : r.pick(['portal', 'agent']);
  if (s.topic === 'router') script = r.weighted([['broken', 65], ['portforward', 20], ['ownrouter', 15]] as const);
  if (s.topic === 'account') script = r.weighted([['phone', 40], ['marketing', 40], ['partner', 20]] as const);
  const move = s.topic === 'moving'
    ? { address: `${newStreet}, ${p.postcode.slice(0, 4)} ${r.pick([...postcodeLetters])}${r.pick([...postcodeLetters])} ${p.area.town}`, at: moveAt }
    : undefined;
  return { slots, setAgent: (name) => { agent = name; }, script, visitAt: visitDay + 11 * HOUR, move };
}
