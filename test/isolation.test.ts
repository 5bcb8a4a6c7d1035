import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage, postMessage } from '../src/domains/conversations/index.ts';
import { createCustomer } from '../src/domains/customers/index.ts';
import { createTeam, createApiKey } from '../src/domains/workspaces/index.ts';
import { createChannel, saveAttachment } from '../src/domains/channels/index.ts';
import { upsertServiceArea, upsertPlan, upsertSubscription, importInvoice, recordPayment } from '../src/domains/billing/index.ts';
import { withTransaction } from '../src/platform/ctx.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let bIds: {
  customer: string; conversation: string; message: string; team: string; apiKey: string; agent: string;
  channel: string; attachment: string; subscription: string; invoice: string; payment: string; plan: string; area: string;
};

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  const customer = await createCustomer({ ctx: b.agentCtx, input: { name: 'B only', email: 'secret@b.test' } });
  const r = await receiveMessage({ ctx: b.system, input: { channel: 'email', from: { kind: 'email', value: 'secret@b.test' }, bodyText: 'private' } });
  const m = await postMessage({ ctx: b.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'reply' } });
  const team = await createTeam({ ctx: b.adminCtx, input: { name: 'B team' } });
  const key = await createApiKey({ ctx: b.adminCtx, input: { name: 'b', scopes: ['*'] } });
  const channel = await createChannel({ ctx: b.adminCtx, input: { kind: 'chat', name: 'B chat', config: { title: 'B only' } } });
  const attachment = await withTransaction(b.system, (tx) => saveAttachment(tx, { filename: 'b-contract.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 B') }));
  const area = await upsertServiceArea({ ctx: b.system, input: { code: 'b-north', name: 'B north' } });
  const plan = await upsertPlan({ ctx: b.system, input: { code: 'b-fibre', name: 'B fibre', priceCents: 4900, currency: 'EUR', downloadMbps: 100, uploadMbps: 100 } });
  const sub = await upsertSubscription({ ctx: b.system, input: { externalRef: 'B-SUB', customerId: customer.id, planCode: 'b-fibre', serviceAreaCode: 'b-north', address: 'B straat 1' } });
  const inv = await importInvoice({ ctx: b.system, input: {
    number: 'B-INV-1', customerId: customer.id, subscriptionRef: 'B-SUB', periodStart: '2026-11-01', periodEnd: '2026-11-30', issuedAt: new Date('2026-12-01'), dueAt: new Date('2026-12-15'),
    currency: 'EUR', totalCents: 4900, lines: [{ kind: 'plan', description: 'B fibre', amountCents: 4900 }],
  } });
  const pay = await recordPayment({ ctx: b.system, input: { externalRef: 'B-PAY', invoiceId: inv.invoice.id, amountCents: 4900, currency: 'EUR', method: 'card' } });
  bIds = {
    customer: customer.id, conversation: r.conversation!.id, message: m.id, team: team.id, apiKey: key.id, agent: b.agent.id,
    channel: channel.id, attachment: attachment.id, subscription: sub.subscription.id, invoice: inv.invoice.id, payment: pay.payment.id, plan: plan.id, area: area.id,
  };
});

describe('tenant isolation: workspace A cannot see or change workspace B', () => {
  const cases: [string, string, (ids: typeof bIds) => string, unknown?][] = [
    ['read a customer', 'GET', (i) => `/api/v1/customers/${i.customer}`],
    ['update a customer', 'PATCH', (i) => `/api/v1/customers/${i.customer}`, { name: 'hijacked' }],
    ['read a timeline', 'GET', (i) => `/api/v1/customers/${i.customer}/timeline`],
    ['link an identity', 'POST', (i) => `/api/v1/customers/${i.customer}/identities`, { kind: 'email', value: 'x@a.test' }],
    ['merge into a customer', 'POST', (i) => `/api/v1/customers/${i.customer}/merge`, { sourceId: 'B_CUSTOMER' }],
    ['read a conversation', 'GET', (i) => `/api/v1/conversations/${i.conversation}`],
    ['update a conversation', 'PATCH', (i) => `/api/v1/conversations/${i.conversation}`, { status: 'closed' }],
    ['read messages', 'GET', (i) => `/api/v1/conversations/${i.conversation}/messages`],
    ['post a message', 'POST', (i) => `/api/v1/conversations/${i.conversation}/messages`, { bodyText: 'hi' }],
    ['start a conversation for a customer', 'POST', () => '/api/v1/conversations', { customerId: 'B_CUSTOMER', channel: 'email', message: { bodyText: 'x' } }],
    ['add a member to a team', 'POST', (i) => `/api/v1/teams/${i.team}/members`, { agentId: 'A_AGENT' }],
    ['revoke an API key', 'DELETE', (i) => `/api/v1/api-keys/${i.apiKey}`],
    ['set skills of an agent', 'PUT', (i) => `/api/v1/agents/${i.agent}/skills`, { skills: ['x'] }],
    ['retry a job', 'POST', (_i) => `/api/v1/jobs/01900000-0000-7000-8000-000000000000/retry`],
    ['change a channel', 'PATCH', (i) => `/api/v1/channels/${i.channel}`, { name: 'hijacked', active: false }],
    ['download an attachment', 'GET', (i) => `/api/v1/attachments/${i.attachment}`],
    ["set a conversation's reason", 'PUT', (i) => `/api/v1/conversations/${i.conversation}/reason`, { reason: 'billing' }],
    ['read a subscription', 'GET', (i) => `/api/v1/subscriptions/${i.subscription}`],
    ["read a subscription's usage", 'GET', (i) => `/api/v1/subscriptions/${i.subscription}/usage`],
    ["read a customer's subscriptions", 'GET', (i) => `/api/v1/customers/${i.customer}/subscriptions`],
    ["read a customer's usage", 'GET', (i) => `/api/v1/customers/${i.customer}/usage`],
    ["read a customer's invoices", 'GET', (i) => `/api/v1/customers/${i.customer}/invoices`],
    ["read a customer's payments", 'GET', (i) => `/api/v1/customers/${i.customer}/payments`],
    ['read an invoice', 'GET', (i) => `/api/v1/invoices/${i.invoice}`],
    ['pay an invoice', 'POST', () => '/api/v1/payments', { externalRef: 'A-PAY', invoiceId: 'B_INVOICE', amountCents: 1, currency: 'EUR', method: 'card' }],
    ['subscribe a customer', 'POST', () => '/api/v1/subscriptions', { externalRef: 'A-SUB', customerId: 'B_CUSTOMER', planCode: 'b-fibre', serviceAreaCode: 'b-north', address: 'x' }],
    ['record usage on a subscription', 'POST', () => '/api/v1/usage', { items: [{ subscriptionId: 'B_SUBSCRIPTION', day: '2026-11-02', downloadMb: 1, uploadMb: 1 }] }],
    ['post an inbound message into a conversation', 'POST', () => '/api/v1/messages/inbound', { channel: 'email', conversationId: 'B_CONVERSATION', from: { kind: 'email', value: 'x@a.test' }, bodyText: 'x' }],
    ['post an inbound message through a channel', 'POST', () => '/api/v1/messages/inbound', { channel: 'chat', channelId: 'B_CHANNEL', from: { kind: 'portal', value: 'x' }, bodyText: 'x' }],
  ];
  for (const [what, method, path, json] of cases) {
    it(`answers 404 to ${what} with an API key and with an admin session`, async () => {
      const cookie = await a.sessionCookie('admin');
      for (const auth of [{}, { cookie }]) {
        const body = json && JSON.parse(JSON.stringify(json).replace('B_CUSTOMER', bIds.customer).replace('A_AGENT', a.agent.id).replace('B_INVOICE', bIds.invoice)
          .replace('B_SUBSCRIPTION', bIds.subscription).replace('B_CONVERSATION', bIds.conversation).replace('B_CHANNEL', bIds.channel));
        const r = await a.request(path(bIds), { method, json: body, ...auth });
        expect(r.status, `${method} ${path(bIds)}`).toBe(404);
        expect((await r.json()).code).toBe('not_found');
      }
    });
  }

  it('lists only its own customers, conversations, agents, teams, keys, audit entries, channels, plans, areas, reasons, jobs and quarantine', async () => {
    const lists = ['/api/v1/customers', '/api/v1/conversations', '/api/v1/agents', '/api/v1/teams', '/api/v1/api-keys', '/api/v1/audit?limit=200',
      '/api/v1/channels', '/api/v1/plans', '/api/v1/service-areas', '/api/v1/reasons', '/api/v1/reasons/models', '/api/v1/reasons/counts', '/api/v1/jobs/dead',
      '/api/v1/quarantine', '/api/v1/workspace'];
    for (const p of lists) {
      const body = JSON.stringify(await (await a.request(p)).json());
      for (const id of Object.values(bIds)) expect(body, p).not.toContain(id);
    }
    expect(JSON.stringify(await (await a.request('/api/v1/customers?q=secret')).json())).not.toContain('secret@b.test');
  });

  it('resolves the same identity to separate customers in each workspace', async () => {
    const ra = await receiveMessage({ ctx: a.system, input: { channel: 'email', from: { kind: 'email', value: 'secret@b.test' }, bodyText: 'hello A' } });
    expect(ra.customerCreated).toBe(true);
    expect(ra.conversation!.customerId).not.toBe(bIds.customer);
    const bAfter = await (await b.request(`/api/v1/conversations/${bIds.conversation}/messages`)).json();
    expect(bAfter.data.map((m: any) => m.bodyText)).toEqual(['private', 'reply']);
  });

  it('leaves B unchanged after all of A\'s attempts', async () => {
    const c = await (await b.request(`/api/v1/customers/${bIds.customer}`)).json();
    expect(c.name).toBe('B only');
    expect(c.identities).toHaveLength(1);
    const conv = await (await b.request(`/api/v1/conversations/${bIds.conversation}`)).json();
    expect(conv.status).toBe('open');
    const keys = await (await b.request('/api/v1/api-keys')).json();
    expect(keys.data.find((k: any) => k.id === bIds.apiKey).revokedAt).toBeNull();
  });
});

describe('the isolation suite covers every resource', () => {
  it('names a case for every route of the OpenAPI document that takes an id, so a new resource must join it', async () => {
    const doc = await (await a.request('/api/v1/openapi.json')).json();
    // Each domain keeps its cases in its own *isolation*.test.ts (portal, status, insights …): all of them count.
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('./', import.meta.url);
    const src = readdirSync(dir).filter((f) => /isolation.*\.test\.ts$/.test(f)).map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    // Routes with a per-workspace code (PUT /plans/{code}) are upserts: another workspace's code makes one's own (tested below).
    const upserts = ['/plans/{code}', '/service-areas/{code}'];
    const missing = Object.keys(doc.paths).filter((p) => p.includes('{') && !upserts.includes(p))
      .filter((p) => !new RegExp('`/api/v1' + p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\}/g, '(?:\\$\\{[^}]+\\}|01900000-[-0-9]+)') + '[`?]').test(src));
    expect(missing).toEqual([]);
  });

  it("an upsert by another workspace's code makes one's own and leaves the other's alone", async () => {
    const r = await a.request('/api/v1/plans/b-fibre', { method: 'PUT', json: { name: 'A fibre', priceCents: 1, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } });
    expect(r.status).toBe(200);
    expect((await r.json()).id).not.toBe(bIds.plan);
    const area = await a.request('/api/v1/service-areas/b-north', { method: 'PUT', json: { name: 'A north' } });
    expect((await area.json()).id).not.toBe(bIds.area);
    const bPlans = await (await b.request('/api/v1/plans')).json();
    expect(bPlans.data.find((p: { id: string }) => p.id === bIds.plan)).toMatchObject({ name: 'B fibre', priceCents: 4900 });
    const bAreas = await (await b.request('/api/v1/service-areas')).json();
    expect(bAreas.data.find((x: { id: string }) => x.id === bIds.area)).toMatchObject({ name: 'B north' });
  });

  it("leaves B's channel, invoice and payment as they were", async () => {
    const ch = (await (await b.request('/api/v1/channels')).json()).data.find((c: { id: string }) => c.id === bIds.channel);
    expect(ch).toMatchObject({ name: 'B chat', active: true });
    const inv = await (await b.request(`/api/v1/invoices/${bIds.invoice}`)).json();
    expect(inv.payments.map((p: { id: string }) => p.id)).toEqual([bIds.payment]);
    expect((await b.request(`/api/v1/attachments/${bIds.attachment}`)).status).toBe(200);
  });
});
