import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { listen } from './support/http-server.ts';
import { portalFixture } from './support/portal.ts';
import type { Platform } from '../src/platform/platform.ts';
import { systemCtx, actorCtx } from '../src/platform/ctx.ts';
import { createAssistantGrant, createCustomerSession, runDiagnosis, sendSupportMessage, previewPlanChange, requestDeletion } from '../src/domains/portal/index.ts';

// A customer never sees another's data: every /api/v1/me route and every MCP tool, tried by one
// customer (and by their assistant) against another's ids, in the same workspace and across workspaces.

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
let fx: Awaited<ReturnType<typeof portalFixture>>;
let fo: Awaited<ReturnType<typeof portalFixture>>;
let server: { url: string; close(): Promise<void> };
let victim: { invoice: string; diagnosis: string; conversation: string; grant: string; previewToken: string; incident: string; request: string };
let attacker: { cookie: string; token: string };
let outsider: { cookie: string; token: string };
const clients: Client[] = [];

const call = (auth: { cookie?: string; token?: string }, path: string, method = 'GET', json?: unknown) => {
  const headers: Record<string, string> = {};
  if (auth.cookie) { headers.cookie = auth.cookie; headers['sec-fetch-site'] = 'same-origin'; }
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  return t.http.request(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
};
const all = ['usage:read', 'billing:read', 'service:diagnose', 'plan:change', 'support:write'];

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Iso');
  other = await newWorkspace(app, 'Other');
  fx = await portalFixture(t, 'i');
  fo = await portalFixture(other, 'o');
  const anna = actorCtx(app, t.ws.id, { type: 'customer', id: fx.people.anna.id });
  const d = await runDiagnosis({ ctx: anna, input: {} });
  const s = await sendSupportMessage({ ctx: anna, input: { subject: 'Private', message: 'my secret question' } });
  const g = await createAssistantGrant({ ctx: anna, input: { name: 'Anna helper', scopes: all } });
  const q = await previewPlanChange({ ctx: anna, input: { planCode: 'F1000-i' } });
  const del = await requestDeletion({ ctx: actorCtx(app, t.ws.id, { type: 'customer', id: fx.people.dirk.id }) });
  victim = { invoice: fx.invoices.second.id, diagnosis: d.id, conversation: s.conversation.id, grant: g.id, previewToken: q.previewToken, incident: fx.incident.id, request: del.id };
  const bram = fx.people.bram.id;
  attacker = {
    cookie: `candor_portal=${(await createCustomerSession(app, t.ws.id, bram)).token}`,
    token: (await createAssistantGrant({ ctx: systemCtx(app, t.ws.id), customerId: bram, input: { name: 'Bram helper', scopes: all } })).token,
  };
  const o = fo.people.anna.id;
  outsider = {
    cookie: `candor_portal=${(await createCustomerSession(app, other.ws.id, o)).token}`,
    token: (await createAssistantGrant({ ctx: systemCtx(app, other.ws.id), customerId: o, input: { name: 'Other helper', scopes: all } })).token,
  };
  server = await listen(t.http);
});
afterAll(async () => { for (const c of clients) await c.close().catch(() => {}); await server?.close(); });

describe('/api/v1/me: one customer cannot reach another\'s data', () => {
  const byId: [string, string, (i: typeof victim) => string, unknown?][] = [
    ['read an invoice', 'GET', (i) => `/api/v1/me/invoices/${i.invoice}`],
    ['download an invoice PDF', 'GET', (i) => `/api/v1/me/invoices/${i.invoice}/pdf`],
    ['download an invoice CSV', 'GET', (i) => `/api/v1/me/invoices/${i.invoice}/csv`],
    ['read a diagnosis', 'GET', (i) => `/api/v1/me/diagnosis/${i.diagnosis}`],
    ['end a diagnosis', 'POST', (i) => `/api/v1/me/diagnosis/${i.diagnosis}/outcome`, { outcome: 'conversation' }],
    ['read a conversation', 'GET', (i) => `/api/v1/me/conversations/${i.conversation}`],
    ['write in a conversation', 'POST', (i) => `/api/v1/me/conversations/${i.conversation}/messages`, { message: 'hijack' }],
    ['continue a conversation by id', 'POST', () => '/api/v1/me/conversations', { conversationId: 'VICTIM_CONV', message: 'hijack' }],
    ['revoke a grant', 'DELETE', (i) => `/api/v1/me/assistants/${i.grant}`],
  ];
  for (const [what, method, path, json] of byId) {
    it(`answers 404 to ${what}: as another customer, their assistant, and a customer of another workspace`, async () => {
      const body = json && JSON.parse(JSON.stringify(json).replace('VICTIM_CONV', victim.conversation));
      for (const who of [{ cookie: attacker.cookie }, { token: attacker.token }, { cookie: outsider.cookie }, { token: outsider.token }]) {
        const r = await call(who, path(victim), method, body);
        // Grants are the customer's own business: an assistant is refused them outright (403), everyone else finds nothing (404).
        const expected = what === 'revoke a grant' && who.token ? 403 : 404;
        expect(r.status, `${what} ${JSON.stringify(Object.keys(who))}`).toBe(expected);
      }
    });
  }

  it('while the owner reaches every one of them (the 404s above are not for want of a right id)', async () => {
    const anna = { cookie: `candor_portal=${(await createCustomerSession(app, t.ws.id, fx.people.anna.id)).token}` };
    for (const [what, method, path] of byId) {
      if (method !== 'GET') continue;
      expect((await call(anna, path(victim))).status, what).toBe(200);
    }
  });

  it('cannot follow an incident outside their area', async () => {
    const anna = { cookie: `candor_portal=${(await createCustomerSession(app, t.ws.id, fx.people.anna.id)).token}` };
    const follow = (i: typeof victim) => `/api/v1/me/incidents/${i.incident}/follow`;
    expect((await call(anna, follow(victim), 'POST')).status).toBe(404);
    expect((await call({ cookie: outsider.cookie }, follow(victim), 'POST')).status).toBe(404);
    const bram = { cookie: `candor_portal=${(await createCustomerSession(app, t.ws.id, fx.people.bram.id)).token}` };
    expect((await call(bram, follow(victim), 'POST')).status).toBe(200);
  });

  it('an admin of another workspace cannot complete or see this workspace\'s deletion requests', async () => {
    const complete = (i: typeof victim) => `/api/v1/portal-requests/${i.request}/complete`;
    const r = await other.request(complete(victim), { method: 'POST' });
    expect(r.status).toBe(404);
    expect(JSON.stringify(await (await other.request('/api/v1/portal-requests')).json())).not.toContain(victim.request);
    const mine = await (await t.request('/api/v1/portal-requests')).json();
    expect(mine.data.find((x: { id: string }) => x.id === victim.request).status).toBe('open');
  });

  it('lists and exports only their own things', async () => {
    const lists = ['/api/v1/me', '/api/v1/me/usage', '/api/v1/me/invoices', '/api/v1/me/diagnosis', '/api/v1/me/conversations', '/api/v1/me/service-status', '/api/v1/me/plans', '/api/v1/me/preferences', '/api/v1/me/export', '/api/v1/me/assistants', '/api/v1/me/deletion-request'];
    for (const who of [{ cookie: attacker.cookie }, { token: attacker.token }, { cookie: outsider.cookie }]) {
      for (const p of lists) {
        const r = await call(who, p);
        if (r.status === 403) continue; // an assistant on the customer-only routes
        expect(r.status, p).toBe(200);
        const text = await r.text();
        for (const id of [fx.people.anna.id, victim.invoice, victim.diagnosis, victim.conversation, victim.grant, fx.people.anna.email]) if (!id) throw new Error("missing id"); else expect(text, p).not.toContain(id);
        expect(text).not.toContain('my secret question');
      }
    }
  });

  it('a preview token of one customer cannot be used by another, nor reused, nor for another plan', async () => {
    for (const who of [{ cookie: attacker.cookie }, { token: attacker.token }, { token: outsider.token }]) {
      const r = await call(who, '/api/v1/me/plan-change', 'POST', { previewToken: victim.previewToken });
      expect([404, 409]).toContain(r.status);
    }
    const anna = { cookie: `candor_portal=${(await createCustomerSession(app, t.ws.id, fx.people.anna.id)).token}` };
    expect((await call(anna, '/api/v1/me/plan-change', 'POST', { previewToken: victim.previewToken, planCode: 'BASIC-i' })).status).toBe(409);
    expect((await call(anna, '/api/v1/me/plan-change', 'POST', { previewToken: victim.previewToken, planCode: 'F1000-i' })).status).toBe(200);
    expect((await call(anna, '/api/v1/me/plan-change', 'POST', { previewToken: victim.previewToken, planCode: 'F1000-i' })).status).toBe(409);
    const cancelPreview = await (await call(anna, '/api/v1/me/cancellation/preview', 'POST')).json();
    expect((await call(anna, '/api/v1/me/plan-change', 'POST', { previewToken: cancelPreview.previewToken })).status).toBe(409);
  });

  it('locks out code guessing per address and IP', async () => {
    const post = (path: string, json: unknown) => t.http.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
    const address = fx.people.dirk.email;
    await post('/api/v1/portal/auth/start', { workspace: t.slug, address });
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await post('/api/v1/portal/auth/verify', { workspace: t.slug, address, code: String(100000 + i) })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toContain(429);
  });
});

describe('MCP: a grant acts only for its own customer', () => {
  const connect = async (token: string) => {
    const c = new Client({ name: 'iso', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(c);
    return c;
  };
  const text = (r: any) => JSON.stringify(r);

  it('every tool and resource, given another customer\'s ids, finds nothing of theirs', async () => {
    for (const token of [attacker.token, outsider.token]) {
      const c = await connect(token);
      const attempts: [string, Record<string, unknown>][] = [
        ['explain_bill', { invoiceId: victim.invoice }],
        ['get_support_status', { conversationId: victim.conversation }],
        ['open_support_request', { message: 'hijack', conversationId: victim.conversation }],
        ['open_support_request', { message: 'hijack', diagnosisId: victim.diagnosis }],
        ['change_plan', { previewToken: victim.previewToken }],
      ];
      for (const [name, args] of attempts) {
        const r = await c.callTool({ name, arguments: args });
        expect(r.isError, `${name} ${text(r)}`).toBe(true);
        expect(text(r)).not.toContain('my secret question');
      }
      for (const name of ['get_usage', 'explain_bill', 'check_service_status', 'run_diagnosis', 'list_plans', 'get_support_status']) {
        const r = await c.callTool({ name, arguments: {} });
        for (const id of [fx.people.anna.id, victim.invoice, victim.conversation, victim.diagnosis]) expect(text(r), name).not.toContain(id);
      }
      await expect(c.readResource({ uri: `candor://invoices/${victim.invoice}` })).rejects.toThrow();
      await expect(c.readResource({ uri: `candor://conversations/${victim.conversation}` })).rejects.toThrow();
      const { resources } = await c.listResources();
      expect(text(resources)).not.toContain(victim.invoice);
    }
  });
});
