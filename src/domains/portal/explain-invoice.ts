import { formatMoney, type InvoiceView } from '../billing/index.ts';

type Line = InvoiceView['lines'][number];
type Kind = 'proration' | 'plan_change' | 'price_rise' | 'partial_period' | 'credits' | 'fees' | 'usage' | 'discounts' | 'tax' | 'other';
export type Difference = { kind: Kind; deltaCents: number; text: string };

const planName = (l: Line) => l.description.split(' — ')[0].trim();
const days = (l: Line) => (l.periodStart && l.periodEnd ? Math.round((Date.parse(l.periodEnd) - Date.parse(l.periodStart)) / 86_400_000) + 1 : null);
const sum = (ls: Line[], kinds: string[]) => ls.filter((l) => kinds.includes(l.kind)).reduce((t, l) => t + l.amountCents, 0);

/** One invoice line in plain language. */
export function explainLine(l: Line, currency: string): string {
  const m = formatMoney(Math.abs(l.amountCents), currency);
  const d = days(l);
  switch (l.kind) {
    case 'plan': return d && /of \d+ days/.test(l.description)
      ? `Your ${planName(l)} subscription for part of the month (${d} days): ${m}. You pay only for the days you had it.`
      : `Your ${planName(l)} subscription for the month: ${m}.`;
    case 'proration': return `After your plan change: ${planName(l)} for the remaining ${d ?? 'few'} days of the month, charged to the day: ${m}.`;
    case 'usage': return `Data you used above your plan's monthly cap: ${l.quantity} GB extra, ${m} in all.`;
    case 'credit': return `A credit to you, taken off this bill: ${m} (${l.description.replace(/^Goodwill credit:\s*/i, '')}).`;
    case 'discount': return `A discount taken off this bill: ${m} (${l.description}).`;
    case 'fee': return `A one-off fee: ${m} (${l.description}).`;
    case 'tax': return `Tax: ${m}.`;
    default: return `${l.description}: ${m}.`;
  }
}

/**
 * Why this bill differs from the one before, computed from the lines: a plan change (and its
 * proration), a price rise on the same plan, a part month, data above the cap, credits,
 * discounts, fees, tax. The deltas add up to the difference in totals.
 */
export function compareInvoices(cur: InvoiceView, prev: InvoiceView | null): { differenceCents: number | null; differences: Difference[]; summary: string } {
  const money = (c: number) => formatMoney(c, cur.currency);
  if (!prev) return { differenceCents: null, differences: [], summary: `Your first bill with us: ${money(cur.totalCents)}.` };
  const out: Difference[] = [];
  const push = (kind: Kind, deltaCents: number, text: string) => { if (deltaCents !== 0) out.push({ kind, deltaCents, text }); };
  const signed = (c: number) => `${c > 0 ? '+' : '−'}${money(Math.abs(c))}`;

  const planDelta = sum(cur.lines, ['plan', 'proration']) - sum(prev.lines, ['plan', 'proration']);
  const curPlans = cur.lines.filter((l) => l.kind === 'plan' || l.kind === 'proration');
  const prevPlans = prev.lines.filter((l) => l.kind === 'plan' || l.kind === 'proration');
  const curNames = [...new Set(curPlans.map(planName))];
  const prevNames = [...new Set(prevPlans.map(planName))];
  if (cur.lines.some((l) => l.kind === 'proration')) {
    push('proration', planDelta, `You changed plan during the month (${curNames.join(' → ')}): each plan is charged for its own days (${signed(planDelta)}).`);
  } else if (curNames.join() !== prevNames.join()) {
    push('plan_change', planDelta, `Your plan is now ${curNames.join(', ')} instead of ${prevNames.join(', ')} (${signed(planDelta)}).`);
  } else if (prev.lines.some((l) => l.kind === 'proration')) {
    push('proration', planDelta, `Last bill had your plan change charged to the day; this one is a full month of ${curNames.join(', ')} (${signed(planDelta)}).`);
  } else {
    const full = (ls: Line[]) => ls.every((l) => !/of \d+ days/.test(l.description));
    if (full(curPlans) && full(prevPlans)) push('price_rise', planDelta, planDelta > 0 ? `The monthly price of ${curNames.join(', ')} went up (${signed(planDelta)}).` : `The monthly price of ${curNames.join(', ')} went down (${signed(planDelta)}).`);
    else push('partial_period', planDelta, `One of the two bills covers only part of a month, so its plan charge is for fewer days (${signed(planDelta)}).`);
  }
  const d = (kinds: string[]) => sum(cur.lines, kinds) - sum(prev.lines, kinds);
  const usage = d(['usage']);
  push('usage', usage, usage > 0 ? `You used more data above your cap than last month (${signed(usage)}).` : `Less data above your cap than last month (${signed(usage)}).`);
  const credits = d(['credit']);
  push('credits', credits, credits < 0 ? `A credit this month that last month did not have (${signed(credits)}).` : `Last month had a credit this one does not (${signed(credits)}).`);
  const discounts = d(['discount']);
  push('discounts', discounts, discounts < 0 ? `A discount this month (${signed(discounts)}).` : `A discount last month that has ended (${signed(discounts)}).`);
  const fees = d(['fee']);
  push('fees', fees, fees > 0 ? `A fee this month: ${cur.lines.filter((l) => l.kind === 'fee').map((l) => l.description).join('; ')} (${signed(fees)}).` : `No fee this month, unlike last month (${signed(fees)}).`);
  push('tax', d(['tax']), `Tax changed (${signed(d(['tax']))}).`);
  const diff = cur.totalCents - prev.totalCents;
  const rest = diff - out.reduce((t, x) => t + x.deltaCents, 0);
  push('other', rest, `Other changes (${signed(rest)}).`);
  const short: Record<Kind, string> = {
    proration: 'plan changed during the month', plan_change: 'a different plan', price_rise: planDelta > 0 ? 'a higher monthly price' : 'a lower monthly price',
    partial_period: 'a part month', credits: credits < 0 ? 'a credit' : 'no credit this time', fees: fees > 0 ? 'a fee' : 'no fee this time',
    usage: usage > 0 ? 'more data above the cap' : 'less data above the cap', discounts: discounts < 0 ? 'a discount' : 'a discount ended', tax: 'tax', other: 'other changes',
  };
  const summary = diff === 0 ? `The same as last month: ${money(cur.totalCents)}.`
    : `${money(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'} than last month (${money(prev.totalCents)} → ${money(cur.totalCents)}): ${out.map((x) => `${short[x.kind]} ${signed(x.deltaCents)}`).join(', ')}.`;
  return { differenceCents: diff, differences: out, summary };
}
