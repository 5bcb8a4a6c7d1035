import { eq } from 'drizzle-orm';
import type { TestWorkspace } from './workspace.ts';
import { workspaces } from '../../src/db/schema/index.ts';
import { createCustomer } from '../../src/domains/customers/index.ts';
import { importInvoice, recordPayment, recordUsage, upsertPlan, upsertServiceArea, upsertSubscription } from '../../src/domains/billing/index.ts';
import { createIncident } from '../../src/domains/status/index.ts';
import { DemoNetworkSimulator, registerNetworkProbe, type LineFault } from '../../src/domains/portal/index.ts';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const monthStart = (k: number) => { const n = new Date(); return Date.UTC(n.getUTCFullYear(), n.getUTCMonth() - k, 1); };
const monthEnd = (k: number) => monthStart(k - 1) - 86_400_000;

/**
 * A small portal world in a test workspace: two areas (North with an open fibre-cut incident,
 * South without), three plans, customers with a subscription each, this month's usage, two
 * months of invoices that differ (a plan change with proration, a credit, a fee), the outbox on,
 * and the network simulator with faults pinned per customer.
 */
export async function portalFixture(w: TestWorkspace, tag = 'p') {
  const app = w.system.app;
  await app.db.update(workspaces).set({ settings: { ...(await app.db.select().from(workspaces).where(eq(workspaces.id, w.ws.id)))[0].settings, outbox: { fallback: true } } }).where(eq(workspaces.id, w.ws.id));
  const sim = new DemoNetworkSimulator();
  registerNetworkProbe(w.ws.id, sim);
  const north = await upsertServiceArea({ ctx: w.system, input: { code: `north-${tag}`, name: `North ${tag}` } });
  const south = await upsertServiceArea({ ctx: w.system, input: { code: `south-${tag}`, name: `South ${tag}` } });
  const basic = await upsertPlan({ ctx: w.system, input: { code: `BASIC-${tag}`, name: 'Basic 50', priceCents: 3500, currency: 'EUR', downloadMbps: 50, uploadMbps: 50, dataCapGb: 250 } });
  const f500 = await upsertPlan({ ctx: w.system, input: { code: `F500-${tag}`, name: 'Fibre 500', priceCents: 5500, currency: 'EUR', downloadMbps: 500, uploadMbps: 500 } });
  const f1000 = await upsertPlan({ ctx: w.system, input: { code: `F1000-${tag}`, name: 'Fibre 1000', priceCents: 6500, currency: 'EUR', downloadMbps: 1000, uploadMbps: 1000 } });
  const people: Record<string, { id: string; email: string; subscriptionId: string }> = {};
  const add = async (key: string, area: 'north' | 'south', plan: string, fault: LineFault | null, extra: Record<string, unknown> = {}) => {
    const email = `${key}-${tag}@example.test`;
    const c = await createCustomer({ ctx: w.system, input: { name: `${key} ${tag}`, email, timezone: 'Europe/Amsterdam', ...extra } });
    const { subscription } = await upsertSubscription({ ctx: w.system, input: { externalRef: `sub-${key}-${tag}`, customerId: c.id, planCode: plan, serviceAreaCode: `${area}-${tag}`, address: `${key} street 1`, startedAt: '2024-01-01T00:00:00Z' } as any });
    sim.assign(c.id, fault);
    people[key] = { id: c.id, email, subscriptionId: subscription.id };
    return c;
  };
  await add('anna', 'south', `F500-${tag}`, 'wifi_congestion', { phone: '+31612345670' });
  await add('bram', 'north', `F500-${tag}`, null);
  await add('cees', 'south', `F500-${tag}`, 'low_optical_power');
  await add('dirk', 'south', `BASIC-${tag}`, null);
  // Anna: last month on Basic 50 until the 10th, then Fibre 500 (proration); the month before a full Basic month with a reminder fee.
  const a = people.anna;
  const [m2, m1] = [monthStart(2), monthStart(1)];
  const inv = async (n: string, start: number, end: number, lines: { kind: any; description: string; amountCents: number; periodStart?: string; periodEnd?: string; quantity?: number }[], paid: boolean) => {
    const total = lines.reduce((t, l) => t + l.amountCents, 0);
    const i = await importInvoice({ ctx: w.system, input: { number: `${n}-${tag}`, customerId: a.id, subscriptionRef: `sub-anna-${tag}`, periodStart: day(start), periodEnd: day(end), issuedAt: new Date(end + 86_400_000 + 7_200_000).toISOString(), dueAt: new Date(end + 15 * 86_400_000).toISOString(), currency: 'EUR', totalCents: total, status: paid ? 'paid' : 'open', lines } as any });
    if (paid) await recordPayment({ ctx: w.system, input: { externalRef: `pay-${n}-${tag}`, invoiceNumber: `${n}-${tag}`, amountCents: total, currency: 'EUR', method: 'direct_debit' } as any });
    return i.invoice;
  };
  const dim1 = Math.round((monthStart(0) - m1) / 86_400_000);
  const first = await inv('INV-1', m2, monthEnd(2), [
    { kind: 'plan', description: `Basic 50 — month`, amountCents: 3500, periodStart: day(m2), periodEnd: day(monthEnd(2)) },
    { kind: 'usage', description: 'Data above your 250 GB cap: 12 GB × €2.00', amountCents: 2400, quantity: 12 },
  ], true);
  const beforeDays = 9, afterDays = dim1 - 9;
  const second = await inv('INV-2', m1, monthEnd(1), [
    { kind: 'plan', description: `Basic 50 — 1–9 (${beforeDays} of ${dim1} days)`, amountCents: Math.round(3500 * beforeDays / dim1), periodStart: day(m1), periodEnd: day(m1 + 8 * 86_400_000) },
    { kind: 'proration', description: `Fibre 500 — 10–${dim1} (${afterDays} of ${dim1} days, after plan change)`, amountCents: Math.round(5500 * afterDays / dim1), periodStart: day(m1 + 9 * 86_400_000), periodEnd: day(monthEnd(1)) },
    { kind: 'credit', description: 'Goodwill credit: outage in South on 3 May', amountCents: -500 },
    { kind: 'fee', description: 'Reminder fee for invoice INV-1', amountCents: 500 },
  ], false);
  const items = [];
  for (let t = monthStart(0); t < Date.now() - 86_400_000; t += 86_400_000) items.push({ subscriptionId: a.subscriptionId, day: day(t), downloadMb: 9000, uploadMb: 1000 });
  if (items.length) await recordUsage({ ctx: w.system, input: { items } });
  const incident = await createIncident({ ctx: w.system, input: { name: `Fibre cut in North ${tag}`, impact: 'critical', status: 'identified', body: 'Groundworks cut a fibre cable; a crew is splicing it.', areaIds: [north.id], notify: false } });
  return { north, south, plans: { basic, f500, f1000 }, people, sim, invoices: { first, second }, incident };
}
