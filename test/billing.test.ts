import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { DomainEvent } from '../src/platform/events.ts';
import { createCustomer, getTimeline } from '../src/domains/customers/index.ts';
import { listAuditLog } from '../src/domains/workspaces/index.ts';
import {
  upsertServiceArea, listServiceAreas, upsertPlan, listPlans, upsertSubscription, getSubscription, listSubscriptions,
  recordUsage, listUsage, importInvoice, getInvoice, listInvoices, recordPayment, listPayments, type InvoiceLineInput,
} from '../src/domains/billing/index.ts';
import type { z } from '@hono/zod-openapi';

type Line = z.input<typeof InvoiceLineInput>;

let app: Platform;
let t: TestWorkspace;
const events: DomainEvent[] = [];
const eventsOf = (type: string, workspaceId = t.ws.id) => events.filter((e) => e.type === type && e.workspaceId === workspaceId);

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Billing');
  app.bus.subscribe((e) => events.push(e));
});

/** A catalogue (two areas, three plans) and a customer, in the given workspace. */
async function catalogue(w: TestWorkspace, tag: string) {
  const north = await upsertServiceArea({ ctx: w.system, input: { code: `north-${tag}`, name: 'North', region: 'Utrecht' } });
  const south = await upsertServiceArea({ ctx: w.system, input: { code: `south-${tag}`, name: 'South' } });
  const f100 = await upsertPlan({ ctx: w.system, input: { code: `F100-${tag}`, name: 'Fibre 100', priceCents: 3500, currency: 'eur', downloadMbps: 100, uploadMbps: 100, dataCapGb: 500 } });
  const f500 = await upsertPlan({ ctx: w.system, input: { code: `F500-${tag}`, name: 'Fibre 500', priceCents: 4900, currency: 'EUR', downloadMbps: 500, uploadMbps: 500 } });
  const customer = await createCustomer({ ctx: w.agentCtx, input: { name: `Customer ${tag}`, email: `c-${tag}@example.com` } });
  return { north, south, f100, f500, customer };
}

const lines = (plan = 4900): Line[] => [
  { kind: 'plan', description: 'Fibre 500, March', amountCents: plan, periodStart: '2025-03-01', periodEnd: '2025-03-31' },
  { kind: 'discount', description: 'Loyalty discount', amountCents: -500 },
  { kind: 'tax', description: 'VAT 21%', amountCents: Math.round((plan - 500) * 0.21) },
];
const total = (ls: Line[]) => ls.reduce((s, l) => s + l.amountCents, 0);
const invoiceInput = (customerId: string, number: string, ls = lines(), extra: Record<string, unknown> = {}) => ({
  number, customerId, periodStart: '2025-03-01', periodEnd: '2025-03-31', issuedAt: '2025-04-01T08:00:00Z', dueAt: '2025-04-15T00:00:00Z',
  currency: 'EUR', totalCents: total(ls), lines: ls, ...extra,
});

describe('billing: catalogue', () => {
  it('upserts service areas and plans by code, writing nothing when nothing changed', async () => {
    const a = await upsertServiceArea({ ctx: t.adminCtx, input: { code: 'ams', name: 'Amsterdam', region: 'NH' } });
    const same = await upsertServiceArea({ ctx: t.adminCtx, input: { code: 'ams', name: 'Amsterdam', region: 'NH' } });
    expect(same).toEqual(a);
    const renamed = await upsertServiceArea({ ctx: t.adminCtx, input: { code: 'ams', name: 'Amsterdam Centre', region: 'NH' } });
    expect(renamed).toMatchObject({ id: a.id, name: 'Amsterdam Centre' });
    const audit = await listAuditLog({ ctx: t.adminCtx, input: { entityType: 'service_area', entityId: a.id } });
    expect(audit.data.map((e) => e.action).sort()).toEqual(['service_area.created', 'service_area.updated']);

    const p = await upsertPlan({ ctx: t.adminCtx, input: { code: 'BASIC', name: 'Basic', priceCents: 2500, currency: 'eur', downloadMbps: 50, uploadMbps: 10, dataCapGb: 200 } });
    expect(p).toMatchObject({ currency: 'EUR', dataCapGb: 200, active: true });
    const retired = await upsertPlan({ ctx: t.adminCtx, input: { code: 'BASIC', name: 'Basic', priceCents: 2700, currency: 'EUR', downloadMbps: 50, uploadMbps: 10, active: false } });
    expect(retired).toMatchObject({ id: p.id, priceCents: 2700, dataCapGb: null, active: false });
    expect(eventsOf('plan.updated').at(-1)!.data).toMatchObject({ planId: p.id, fromPriceCents: 2500, toPriceCents: 2700 });

    expect((await listServiceAreas({ ctx: t.agentCtx })).data.map((x) => x.code)).toContain('ams');
    expect((await listPlans({ ctx: t.agentCtx })).data.find((x) => x.code === 'BASIC')).toMatchObject({ priceCents: 2700 });
    expect((await listPlans({ ctx: t.agentCtx, input: { active: true } })).data.map((x) => x.code)).not.toContain('BASIC');
  });

  it('names the field of invalid input and refuses writes without billing:write', async () => {
    await expect(upsertPlan({ ctx: t.adminCtx, input: { code: 'BAD', name: 'Bad', priceCents: -1, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('priceCents') });
    await expect(upsertPlan({ ctx: t.adminCtx, input: { code: 'BAD', name: 'Bad', priceCents: 1, currency: 'EURO', downloadMbps: 1, uploadMbps: 1 } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('currency') });
    await expect(upsertServiceArea({ ctx: t.adminCtx, input: { code: 'has space', name: 'X' } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('code') });
    await expect(upsertPlan({ ctx: t.agentCtx, input: { code: 'AGENT', name: 'A', priceCents: 1, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } }))
      .rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('billing: subscriptions', () => {
  it('starts a subscription, records plan and status changes on the timeline, and emits events', async () => {
    const c = await catalogue(t, 'sub');
    const first = await upsertSubscription({ ctx: t.system, input: {
      externalRef: 'SUB-1', customerId: c.customer.id, planCode: c.f100.code, serviceAreaCode: c.north.code, address: 'Kerkstraat 1', startedAt: '2024-01-10T00:00:00Z',
    } });
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({ status: 'active', startedAt: '2024-01-10T00:00:00.000Z', endedAt: null, plan: { name: 'Fibre 100' }, serviceArea: { code: c.north.code } });
    const id = first.subscription.id;
    expect(eventsOf('subscription.started').at(-1)).toMatchObject({ customerId: c.customer.id, data: { subscriptionId: id } });

    const again = await upsertSubscription({ ctx: t.system, input: { externalRef: 'SUB-1', customerId: c.customer.id, planId: c.f100.id, serviceAreaId: c.north.id, address: 'Kerkstraat 1' } });
    expect(again).toEqual({ created: false, subscription: first.subscription });

    const upgraded = await upsertSubscription({ ctx: t.system, input: { externalRef: 'SUB-1', customerId: c.customer.id, planCode: c.f500.code, serviceAreaCode: c.north.code, address: 'Kerkstraat 1' } });
    expect(upgraded).toMatchObject({ created: false, subscription: { id, plan: { id: c.f500.id } } });
    expect(eventsOf('subscription.changed').at(-1)).toMatchObject({
      customerId: c.customer.id, data: { subscriptionId: id, fromPlanId: c.f100.id, toPlanId: c.f500.id, serviceAreaId: c.north.id },
    });

    await upsertSubscription({ ctx: t.system, input: { externalRef: 'SUB-1', customerId: c.customer.id, planCode: c.f500.code, serviceAreaCode: c.north.code, address: 'Kerkstraat 1', status: 'suspended' } });
    const cancelled = await upsertSubscription({ ctx: t.system, input: {
      externalRef: 'SUB-1', customerId: c.customer.id, planCode: c.f500.code, serviceAreaCode: c.north.code, address: 'Kerkstraat 1', status: 'cancelled', effectiveAt: '2025-02-01T00:00:00Z',
    } });
    expect(cancelled.subscription).toMatchObject({ status: 'cancelled', endedAt: '2025-02-01T00:00:00.000Z' });
    expect(eventsOf('subscription.status_changed').filter((e) => e.data.subscriptionId === id).map((e) => e.data.to)).toEqual(['suspended', 'cancelled']);

    const timeline = await getTimeline({ ctx: t.agentCtx, customerId: c.customer.id, input: {} });
    const billing = timeline.data.filter((e) => e.refId === id);
    expect(billing.map((e) => e.kind).sort()).toEqual(['plan.changed', 'subscription.cancelled', 'subscription.started', 'subscription.suspended']);
    const change = billing.find((e) => e.kind === 'plan.changed')!;
    expect(change.summary).toBe('Plan changed from Fibre 100 to Fibre 500');
    expect(change.data).toMatchObject({ fromPlanId: c.f100.id, toPlanId: c.f500.id, fromPriceCents: 3500, toPriceCents: 4900 });
    expect(billing.find((e) => e.kind === 'subscription.started')!.occurredAt).toBe('2024-01-10T00:00:00.000Z');

    const audit = await listAuditLog({ ctx: t.adminCtx, input: { entityType: 'subscription', entityId: id } });
    expect(audit.data.map((e) => e.action).sort()).toEqual(['subscription.created', 'subscription.updated', 'subscription.updated', 'subscription.updated']);
    expect(await getSubscription({ ctx: t.agentCtx, id })).toEqual(cancelled.subscription);
  });

  it('lists a customer\'s subscriptions and records a move to another area', async () => {
    const c = await catalogue(t, 'list');
    const s1 = await upsertSubscription({ ctx: t.system, input: { externalRef: 'L-1', customerId: c.customer.id, planCode: c.f100.code, serviceAreaCode: c.north.code, address: 'A 1', startedAt: '2024-01-01T00:00:00Z' } });
    await upsertSubscription({ ctx: t.system, input: { externalRef: 'L-2', customerId: c.customer.id, planCode: c.f500.code, serviceAreaCode: c.south.code, address: 'B 2', startedAt: '2024-06-01T00:00:00Z' } });
    await upsertSubscription({ ctx: t.system, input: { externalRef: 'L-1', customerId: c.customer.id, planCode: c.f100.code, serviceAreaCode: c.south.code, address: 'C 3' } });
    const list = await listSubscriptions({ ctx: t.agentCtx, customerId: c.customer.id });
    expect(list.data.map((s) => [s.externalRef, s.serviceArea.code, s.address])).toEqual([['L-1', c.south.code, 'C 3'], ['L-2', c.south.code, 'B 2']]);
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: c.customer.id, input: { kinds: ['subscription.moved'] } });
    expect(tl.data).toEqual([expect.objectContaining({ refId: s1.subscription.id, summary: 'Service moved to C 3 (South)' })]);
  });

  it('requires a plan and an existing customer, plan and area in this workspace', async () => {
    const c = await catalogue(t, 'req');
    const base = { externalRef: 'REQ-1', customerId: c.customer.id, serviceAreaCode: c.north.code, address: 'X 1' };
    await expect(upsertSubscription({ ctx: t.system, input: base })).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('planCode') });
    await expect(upsertSubscription({ ctx: t.system, input: { ...base, planId: c.f100.id, planCode: c.f100.code } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('not both') });
    await expect(upsertSubscription({ ctx: t.system, input: { ...base, planCode: 'NOPE' } })).rejects.toMatchObject({ code: 'not_found', message: 'Plan not found' });
    await expect(upsertSubscription({ ctx: t.system, input: { ...base, planCode: c.f100.code, customerId: '01900000-0000-7000-8000-000000000000' } }))
      .rejects.toMatchObject({ code: 'not_found', message: 'Customer not found' });
    await expect(upsertSubscription({ ctx: t.agentCtx, input: { ...base, planCode: c.f100.code } })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('billing: usage', () => {
  it('records a batch by id and by ref, upserting a resent day, with no timeline entries', async () => {
    const c = await catalogue(t, 'use');
    const s = (await upsertSubscription({ ctx: t.system, input: { externalRef: 'U-1', customerId: c.customer.id, planCode: c.f100.code, serviceAreaCode: c.north.code, address: 'U 1' } })).subscription;
    const s2 = (await upsertSubscription({ ctx: t.system, input: { externalRef: 'U-2', customerId: c.customer.id, planCode: c.f500.code, serviceAreaCode: c.north.code, address: 'U 2' } })).subscription;
    const before = (await getTimeline({ ctx: t.agentCtx, customerId: c.customer.id, input: {} })).data.length;
    const items = Array.from({ length: 10 }, (_, i) => ({ subscriptionId: s.id, day: `2025-03-${String(i + 1).padStart(2, '0')}`, downloadMb: 1000 + i, uploadMb: 100 }));
    const r = await recordUsage({ ctx: t.system, input: { items: [...items, { subscriptionRef: 'U-2', day: '2025-03-01', downloadMb: 5, uploadMb: 1 }, { subscriptionRef: 'U-1', day: '2025-03-01', downloadMb: 7, uploadMb: 7 }] } });
    expect(r).toEqual({ recorded: 11, subscriptions: 2 });
    await recordUsage({ ctx: t.system, input: { items: [{ subscriptionRef: 'U-1', day: '2025-03-02', downloadMb: 2, uploadMb: 2 }] } });

    const u = await listUsage({ ctx: t.agentCtx, input: { subscriptionId: s.id, from: '2025-03-01', to: '2025-03-05' } });
    expect(u.data.map((d) => [d.day, d.downloadMb, d.uploadMb])).toEqual([
      ['2025-03-01', 7, 7], ['2025-03-02', 2, 2], ['2025-03-03', 1002, 100], ['2025-03-04', 1003, 100], ['2025-03-05', 1004, 100],
    ]);
    expect(u.totals).toEqual({ downloadMb: 7 + 2 + 1002 + 1003 + 1004, uploadMb: 309 });
    const all = await listUsage({ ctx: t.agentCtx, input: { customerId: c.customer.id, from: '2025-03-01', to: '2025-03-01' } });
    expect(all.data.map((d) => d.subscriptionId).sort()).toEqual([s.id, s2.id].sort());
    expect(all.subscriptionId).toBeNull();
    expect((await getTimeline({ ctx: t.agentCtx, customerId: c.customer.id, input: {} })).data.length).toBe(before);
    expect(eventsOf('usage.recorded').filter((e) => e.data.subscriptionId === s.id).at(0)!.data).toMatchObject({ from: '2025-03-01', to: '2025-03-10', days: 10 });
  });

  it('names the bad item and field', async () => {
    await expect(recordUsage({ ctx: t.system, input: { items: [{ subscriptionRef: 'U-1', day: '2025-02-30', downloadMb: 1, uploadMb: 1 }] } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('items.0.day') });
    await expect(recordUsage({ ctx: t.system, input: { items: [{ subscriptionRef: 'U-1', day: '2025-02-01', downloadMb: -1, uploadMb: 1 }] } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('items.0.downloadMb') });
    await expect(recordUsage({ ctx: t.system, input: { items: [{ subscriptionRef: 'U-1', day: '2025-02-01', downloadMb: 1, uploadMb: 1 }, { subscriptionRef: 'NOPE', day: '2025-02-01', downloadMb: 1, uploadMb: 1 }] } }))
      .rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('items.1.subscriptionRef') });
    await expect(listUsage({ ctx: t.agentCtx, input: { subscriptionId: 'not-a-uuid' } })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('billing: invoices and payments', () => {
  it('imports an invoice with lines, idempotently by number, and records it on the timeline', async () => {
    const c = await catalogue(t, 'inv');
    await upsertSubscription({ ctx: t.system, input: { externalRef: 'I-1', customerId: c.customer.id, planCode: c.f500.code, serviceAreaCode: c.north.code, address: 'I 1' } });
    const input = invoiceInput(c.customer.id, 'INV-2025-0001', lines(), { subscriptionRef: 'I-1' });
    const first = await importInvoice({ ctx: t.system, input });
    expect(first.created).toBe(true);
    expect(first.invoice).toMatchObject({ number: 'INV-2025-0001', totalCents: 5324, paidCents: 0, status: 'open', periodStart: '2025-03-01', issuedAt: '2025-04-01T08:00:00.000Z' });
    expect(first.invoice.lines.map((l) => [l.position, l.kind, l.amountCents, l.quantity, l.periodStart])).toEqual([[0, 'plan', 4900, 1, '2025-03-01'], [1, 'discount', -500, 1, null], [2, 'tax', 924, 1, null]]);

    const replay = await importInvoice({ ctx: t.system, input });
    expect(replay).toEqual({ created: false, invoice: first.invoice });

    const revisedLines: Line[] = [...lines(), { kind: 'credit', description: 'Outage credit', amountCents: -300 }];
    const revised = await importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'INV-2025-0001', revisedLines, { subscriptionRef: 'I-1' }) });
    expect(revised.created).toBe(false);
    expect(revised.invoice.id).toBe(first.invoice.id);
    expect(revised.invoice.totalCents).toBe(5024);
    expect(revised.invoice.lines).toHaveLength(4);

    const tl = await getTimeline({ ctx: t.agentCtx, customerId: c.customer.id, input: { kinds: ['invoice.issued', 'invoice.revised'] } });
    expect(tl.data.map((e) => [e.kind, e.summary])).toEqual([
      ['invoice.revised', 'Invoice INV-2025-0001 revised: €50.24'],
      ['invoice.issued', 'Invoice INV-2025-0001 issued: €53.24'],
    ]);
    expect(tl.data[1]).toMatchObject({ refId: first.invoice.id, occurredAt: '2025-04-01T08:00:00.000Z', data: { totalCents: 5324, currency: 'EUR' } });
    expect(eventsOf('invoice.issued').filter((e) => e.data.invoiceId === first.invoice.id)).toHaveLength(1);
  });

  it('refuses lines that do not add up to the total, naming lines', async () => {
    const c = await catalogue(t, 'sum');
    await expect(importInvoice({ ctx: t.system, input: { ...invoiceInput(c.customer.id, 'SUM-1'), totalCents: 1 } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^lines: lines add up to 5324/), details: { fields: [{ path: 'lines' }] } });
    await expect(importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'SUM-2', [{ kind: 'discount', description: 'wrong sign', amountCents: 500 }]) }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('lines.0.amountCents') });
    await expect(importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'SUM-3', [{ kind: 'bonus' as any, description: 'x', amountCents: 1 }]) }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('lines.0.kind') });
    const other = await createCustomer({ ctx: t.agentCtx, input: { name: 'Other' } });
    await importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'SUM-4') });
    await expect(importInvoice({ ctx: t.system, input: invoiceInput(other.id, 'SUM-4') })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('pages a customer\'s invoices newest first with their lines', async () => {
    const c = await catalogue(t, 'page');
    for (let m = 1; m <= 3; m++) {
      await importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, `PAGE-${m}`, lines(), { issuedAt: `2025-0${m}-01T00:00:00Z` }) });
    }
    const p1 = await listInvoices({ ctx: t.agentCtx, customerId: c.customer.id, input: { limit: 2 } });
    expect(p1.data.map((i) => i.number)).toEqual(['PAGE-3', 'PAGE-2']);
    expect(p1.data[0].lines).toHaveLength(3);
    const p2 = await listInvoices({ ctx: t.agentCtx, customerId: c.customer.id, input: { limit: 2, cursor: p1.nextCursor! } });
    expect(p2.data.map((i) => i.number)).toEqual(['PAGE-1']);
    expect(p2.nextCursor).toBeNull();
  });

  it('records payments idempotently and marks the invoice paid once they cover it', async () => {
    const c = await catalogue(t, 'pay');
    const { invoice } = await importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'PAY-1') });
    const part = await recordPayment({ ctx: t.system, input: { externalRef: 'P-1', invoiceId: invoice.id, amountCents: 3000, currency: 'EUR', method: 'card', receivedAt: '2025-04-02T10:00:00Z' } });
    expect(part).toMatchObject({ created: true, payment: { customerId: c.customer.id, invoiceId: invoice.id, amountCents: 3000 } });
    expect(await getInvoice({ ctx: t.agentCtx, id: invoice.id })).toMatchObject({ status: 'open', paidCents: 3000 });

    expect(await recordPayment({ ctx: t.system, input: { externalRef: 'P-1', invoiceId: invoice.id, amountCents: 3000, currency: 'EUR', method: 'card' } }))
      .toEqual({ created: false, payment: part.payment });
    await expect(recordPayment({ ctx: t.system, input: { externalRef: 'P-1', invoiceId: invoice.id, amountCents: 2999, currency: 'EUR', method: 'card' } }))
      .rejects.toMatchObject({ code: 'conflict' });
    await expect(recordPayment({ ctx: t.system, input: { externalRef: 'P-X', invoiceNumber: 'PAY-1', amountCents: 1, currency: 'GBP', method: 'card' } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('currency') });
    await expect(recordPayment({ ctx: t.system, input: { externalRef: 'P-Y', amountCents: 1, currency: 'EUR', method: 'card' } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('customerId') });

    await recordPayment({ ctx: t.system, input: { externalRef: 'P-2', invoiceNumber: 'PAY-1', customerId: c.customer.id, amountCents: 2324, currency: 'EUR', method: 'direct_debit', receivedAt: '2025-04-10T10:00:00Z' } });
    const paid = await getInvoice({ ctx: t.agentCtx, id: invoice.id });
    expect(paid).toMatchObject({ status: 'paid', paidCents: 5324 });
    expect(paid.payments.map((p) => p.externalRef)).toEqual(['P-1', 'P-2']);
    expect(eventsOf('invoice.paid').at(-1)!.data).toMatchObject({ invoiceId: invoice.id, to: 'paid' });

    // A re-import that says "open" does not undo what the payments settled.
    expect((await importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'PAY-1') })).invoice.status).toBe('paid');

    const tl = await getTimeline({ ctx: t.agentCtx, customerId: c.customer.id, input: { kinds: ['payment.received'] } });
    expect(tl.data.map((e) => e.summary)).toEqual([
      'Payment of €23.24 received (direct_debit) for invoice PAY-1, now paid in full',
      'Payment of €30.00 received (card) for invoice PAY-1',
    ]);
    const payments = await listPayments({ ctx: t.agentCtx, customerId: c.customer.id, input: { limit: 1 } });
    expect(payments.data.map((p) => p.externalRef)).toEqual(['P-2']);
    expect(payments.nextCursor).not.toBeNull();
  });
});

describe('billing under concurrency', () => {
  it('ends concurrent imports of one number on one invoice, and concurrent part-payments on a paid invoice', async () => {
    const c = await catalogue(t, 'race');
    const imports = await Promise.all(Array.from({ length: 4 }, () => importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'RACE-1') })));
    expect(new Set(imports.map((r) => r.invoice.id)).size).toBe(1);
    expect(imports.filter((r) => r.created)).toHaveLength(1);
    const id = imports[0].invoice.id;
    await Promise.all([
      recordPayment({ ctx: t.system, input: { externalRef: 'RACE-P1', invoiceId: id, amountCents: 3000, currency: 'EUR', method: 'card' } }),
      recordPayment({ ctx: t.system, input: { externalRef: 'RACE-P2', invoiceId: id, amountCents: 2324, currency: 'EUR', method: 'card' } }),
      recordPayment({ ctx: t.system, input: { externalRef: 'RACE-P2', invoiceId: id, amountCents: 2324, currency: 'EUR', method: 'card' } }),
    ]);
    expect(await getInvoice({ ctx: t.agentCtx, id })).toMatchObject({ status: 'paid', paidCents: 5324, payments: [{}, {}] });
    const subs = await Promise.all(['F100', 'F500'].map((p) => upsertSubscription({ ctx: t.system, input: {
      externalRef: 'RACE-S', customerId: c.customer.id, planCode: `${p}-race`, serviceAreaCode: c.north.code, address: 'Race 1',
    } })));
    expect(subs[0].subscription.id).toBe(subs[1].subscription.id);
  });
});

describe('billing over HTTP', () => {
  it('runs the whole import and read flow through the API', async () => {
    const j = async (r: Response, status: number) => { const body = await r.json(); expect(r.status, JSON.stringify(body)).toBe(status); return body; };
    await j(await t.request('/api/v1/service-areas/http-west', { method: 'PUT', json: { name: 'West', region: 'ZH' } }), 200);
    await j(await t.request('/api/v1/plans/HTTP-100', { method: 'PUT', json: { name: 'Fibre 100', priceCents: 3500, currency: 'EUR', downloadMbps: 100, uploadMbps: 100 } }), 200);
    await j(await t.request('/api/v1/plans/HTTP-1000', { method: 'PUT', json: { name: 'Fibre 1000', priceCents: 6900, currency: 'EUR', downloadMbps: 1000, uploadMbps: 1000 } }), 200);
    expect((await j(await t.request('/api/v1/service-areas'), 200)).data.map((a: any) => a.code)).toContain('http-west');
    expect((await j(await t.request('/api/v1/plans?active=true'), 200)).data.map((p: any) => p.code)).toEqual(expect.arrayContaining(['HTTP-100', 'HTTP-1000']));

    const customer = await j(await t.request('/api/v1/customers', { method: 'POST', json: { name: 'Http Customer' } }), 201);
    const sub = { externalRef: 'HTTP-SUB', customerId: customer.id, planCode: 'HTTP-100', serviceAreaCode: 'http-west', address: 'Dam 1' };
    const created = await j(await t.request('/api/v1/subscriptions', { method: 'POST', json: sub }), 201);
    const changed = await j(await t.request('/api/v1/subscriptions', { method: 'POST', json: { ...sub, planCode: 'HTTP-1000' } }), 200);
    expect(changed).toMatchObject({ id: created.id, plan: { code: 'HTTP-1000' } });
    expect((await j(await t.request(`/api/v1/subscriptions/${created.id}`), 200)).plan.name).toBe('Fibre 1000');
    expect((await j(await t.request(`/api/v1/customers/${customer.id}/subscriptions`), 200)).data.map((s: any) => s.id)).toEqual([created.id]);
    const tl = await j(await t.request(`/api/v1/customers/${customer.id}/timeline?kinds=plan.changed`), 200);
    expect(tl.data[0].summary).toBe('Plan changed from Fibre 100 to Fibre 1000');

    expect(await j(await t.request('/api/v1/usage', { method: 'POST', json: { items: [
      { subscriptionId: created.id, day: '2025-05-01', downloadMb: 800, uploadMb: 80 },
      { subscriptionRef: 'HTTP-SUB', day: '2025-05-02', downloadMb: 900, uploadMb: 90 },
    ] } }), 200)).toEqual({ recorded: 2, subscriptions: 1 });
    const usage = await j(await t.request(`/api/v1/subscriptions/${created.id}/usage?from=2025-05-01&to=2025-05-31`), 200);
    expect(usage).toMatchObject({ subscriptionId: created.id, customerId: customer.id, from: '2025-05-01', to: '2025-05-31', totals: { downloadMb: 1700, uploadMb: 170 } });
    expect((await j(await t.request(`/api/v1/customers/${customer.id}/usage?from=2025-05-02&to=2025-05-02`), 200)).data).toHaveLength(1);
    const badRange = await j(await t.request(`/api/v1/subscriptions/${created.id}/usage?from=2025-05-10&to=2025-05-01`), 400);
    expect(badRange.details.fields[0].path).toBe('to');

    const inv = invoiceInput(customer.id, 'HTTP-INV-1', lines(6900), { subscriptionId: created.id });
    const invoice = await j(await t.request('/api/v1/invoices', { method: 'POST', json: inv }), 201);
    expect(await j(await t.request('/api/v1/invoices', { method: 'POST', json: inv }), 200)).toMatchObject({ id: invoice.id });
    const bad = await j(await t.request('/api/v1/invoices', { method: 'POST', json: { ...inv, number: 'HTTP-INV-2', totalCents: 1 } }), 400);
    expect(bad).toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'lines' }] } });
    const listed = await j(await t.request(`/api/v1/customers/${customer.id}/invoices?status=open`), 200);
    expect(listed.data.map((i: any) => i.number)).toEqual(['HTTP-INV-1']);
    expect(listed.data[0].lines).toHaveLength(3);

    const pay = { externalRef: 'HTTP-PAY-1', invoiceId: invoice.id, amountCents: invoice.totalCents, currency: 'EUR', method: 'ideal' };
    const payment = await j(await t.request('/api/v1/payments', { method: 'POST', json: pay }), 201);
    expect(await j(await t.request('/api/v1/payments', { method: 'POST', json: pay }), 200)).toEqual(payment);
    const detail = await j(await t.request(`/api/v1/invoices/${invoice.id}`), 200);
    expect(detail).toMatchObject({ status: 'paid', paidCents: invoice.totalCents, payments: [{ id: payment.id }] });
    expect((await j(await t.request(`/api/v1/customers/${customer.id}/payments`), 200)).data.map((p: any) => p.id)).toEqual([payment.id]);
  });

  it('lets an agent read billing but not write it, and documents the routes', async () => {
    const cookie = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/plans', { cookie })).status).toBe(200);
    const r = await t.request('/api/v1/plans/AGENT-PLAN', { method: 'PUT', cookie, json: { name: 'X', priceCents: 1, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } });
    expect(r.status).toBe(403);
    const supervisor = await t.sessionCookie('supervisor');
    expect((await t.request('/api/v1/service-areas/sup-area', { method: 'PUT', cookie: supervisor, json: { name: 'S' } })).status).toBe(200);
    const doc = await (await t.request('/api/v1/openapi.json')).json();
    for (const p of ['/service-areas/{code}', '/plans/{code}', '/subscriptions', '/usage', '/subscriptions/{id}/usage', '/invoices', '/invoices/{id}', '/payments', '/customers/{id}/invoices']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});

describe('billing: tenant isolation', () => {
  let b: TestWorkspace;
  let ids: { customer: string; subscription: string; invoice: string; plan: string; area: string; planCode: string };
  beforeAll(async () => {
    b = await newWorkspace(app, 'Other');
    const c = await catalogue(t, 'iso');
    const s = (await upsertSubscription({ ctx: t.system, input: { externalRef: 'ISO-1', customerId: c.customer.id, planCode: c.f100.code, serviceAreaCode: c.north.code, address: 'Iso 1' } })).subscription;
    await recordUsage({ ctx: t.system, input: { items: [{ subscriptionId: s.id, day: '2025-01-01', downloadMb: 10, uploadMb: 1 }] } });
    const { invoice } = await importInvoice({ ctx: t.system, input: invoiceInput(c.customer.id, 'ISO-INV-1') });
    ids = { customer: c.customer.id, subscription: s.id, invoice: invoice.id, plan: c.f100.id, area: c.north.id, planCode: c.f100.code };
  });

  it('answers 404 to another workspace\'s API key and agent for reads and writes', async () => {
    const bCustomer = await createCustomer({ ctx: b.agentCtx, input: { name: 'B customer' } });
    const agent = await b.sessionCookie('admin');
    const cases: [string, string, unknown?][] = [
      ['GET', `/api/v1/subscriptions/${ids.subscription}`],
      ['GET', `/api/v1/subscriptions/${ids.subscription}/usage?from=2025-01-01&to=2025-01-31`],
      ['GET', `/api/v1/customers/${ids.customer}/subscriptions`],
      ['GET', `/api/v1/customers/${ids.customer}/usage`],
      ['GET', `/api/v1/customers/${ids.customer}/invoices`],
      ['GET', `/api/v1/customers/${ids.customer}/payments`],
      ['GET', `/api/v1/invoices/${ids.invoice}`],
      ['POST', '/api/v1/subscriptions', { externalRef: 'ISO-1', customerId: ids.customer, planCode: ids.planCode, serviceAreaId: ids.area, address: 'hijack' }],
      ['POST', '/api/v1/subscriptions', { externalRef: 'ISO-B', customerId: bCustomer.id, planId: ids.plan, serviceAreaId: ids.area, address: 'hijack' }],
      ['POST', '/api/v1/usage', { items: [{ subscriptionId: ids.subscription, day: '2025-01-01', downloadMb: 999999, uploadMb: 0 }] }],
      ['POST', '/api/v1/usage', { items: [{ subscriptionRef: 'ISO-1', day: '2025-01-01', downloadMb: 999999, uploadMb: 0 }] }],
      ['POST', '/api/v1/invoices', invoiceInput(ids.customer, 'ISO-INV-1')],
      ['POST', '/api/v1/invoices', invoiceInput(bCustomer.id, 'ISO-INV-B', lines(), { subscriptionId: ids.subscription })],
      ['POST', '/api/v1/payments', { externalRef: 'ISO-PAY', invoiceId: ids.invoice, amountCents: 5324, currency: 'EUR', method: 'card' }],
      ['POST', '/api/v1/payments', { externalRef: 'ISO-PAY', customerId: ids.customer, amountCents: 5324, currency: 'EUR', method: 'card' }],
    ];
    for (const [method, path, json] of cases) {
      for (const auth of [{}, { cookie: agent }]) {
        const r = await b.request(path, { method, json, ...auth });
        expect(r.status, `${method} ${path} ${JSON.stringify(json)}`).toBe(404);
        expect((await r.json()).code).toBe('not_found');
      }
    }
    await expect(listUsage({ ctx: b.agentCtx, input: { subscriptionId: ids.subscription } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getInvoice({ ctx: b.agentCtx, id: ids.invoice })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getSubscription({ ctx: b.agentCtx, id: ids.subscription })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps codes, refs and numbers per workspace and leaves the first workspace unchanged', async () => {
    const bPlan = await upsertPlan({ ctx: b.system, input: { code: ids.planCode, name: 'B plan', priceCents: 1, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } });
    expect(bPlan.id).not.toBe(ids.plan);
    await upsertServiceArea({ ctx: b.system, input: { code: 'north-iso', name: 'B north' } });
    const bCustomer = await createCustomer({ ctx: b.agentCtx, input: { name: 'B again' } });
    const bSub = await upsertSubscription({ ctx: b.system, input: { externalRef: 'ISO-1', customerId: bCustomer.id, planCode: ids.planCode, serviceAreaCode: 'north-iso', address: 'B 1' } });
    expect(bSub.created).toBe(true);
    expect(bSub.subscription.id).not.toBe(ids.subscription);
    const bInv = await importInvoice({ ctx: b.system, input: invoiceInput(bCustomer.id, 'ISO-INV-1') });
    expect(bInv.created).toBe(true);

    const aSub = await getSubscription({ ctx: t.agentCtx, id: ids.subscription });
    expect(aSub).toMatchObject({ address: 'Iso 1', plan: { name: 'Fibre 100', priceCents: 3500 }, serviceArea: { name: 'North' } });
    expect((await listUsage({ ctx: t.agentCtx, input: { subscriptionId: ids.subscription, from: '2025-01-01', to: '2025-01-01' } })).data[0].downloadMb).toBe(10);
    expect(await getInvoice({ ctx: t.agentCtx, id: ids.invoice })).toMatchObject({ customerId: ids.customer, status: 'open', payments: [] });
    const bLists = JSON.stringify([await listPlans({ ctx: b.agentCtx }), await listServiceAreas({ ctx: b.agentCtx })]);
    expect(bLists).not.toContain(ids.plan);
    expect(bLists).not.toContain(ids.area);
  });
});
