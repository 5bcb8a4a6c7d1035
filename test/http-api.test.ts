import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/domains/workspaces/index.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { startServer } from '../src/server.ts';
import { createHmac } from 'node:crypto';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app); });

describe('health', () => {
  it('answers /healthz and /readyz with migrations applied', async () => {
    expect((await t.http.request('/healthz')).status).toBe(200);
    const r = await t.http.request('/readyz');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, database: 'reachable', migrations: 'applied' });
  });
});

describe('sign-in', () => {
  it('sets an HTTP-only session cookie that authenticates later requests', async () => {
    const r = await t.http.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: t.agent.email, password: 'pw-agent' }) });
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/candor_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await t.request('/api/v1/auth/me', { cookie: cookie.split(';')[0] });
    expect(await me.json()).toMatchObject({ agent: { id: t.agent.id, role: 'agent' }, workspace: { id: t.ws.id } });
    const out = await t.request('/api/v1/auth/logout', { method: 'POST', cookie: cookie.split(';')[0] });
    expect(out.status).toBe(204);
    expect((await t.request('/api/v1/auth/me', { cookie: cookie.split(';')[0] })).status).toBe(401);
  });

  it('gives the same message for a wrong password and an unknown email, then rate-limits', async () => {
    const http = createApp(app, { webDir: null });
    const attempt = (email: string) => http.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' }, body: JSON.stringify({ email, password: 'nope' }) });
    const a = await attempt(t.admin.email);
    const b = await attempt('nobody@example.com');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect((await a.json()).message).toBe((await b.json()).message);
    let last: Response = a;
    for (let i = 0; i < 6; i++) last = await attempt(t.admin.email);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  it('answers 401 without credentials and with a revoked key, in the common error shape', async () => {
    const r = await t.http.request('/api/v1/customers');
    expect(r.status).toBe(401);
    const body = await r.json();
    expect(body).toMatchObject({ code: 'unauthenticated', message: expect.any(String), requestId: expect.any(String) });
    expect(r.headers.get('x-request-id')).toBe(body.requestId);
    const key = await createApiKey({ ctx: t.adminCtx, input: { name: 'short-lived', scopes: ['customers:read'] } });
    expect((await t.request('/api/v1/customers', { token: key.token })).status).toBe(200);
    // The key is now verified and cached on this node: its id with another secret is still refused.
    const forged = key.token.slice(0, -4) + (key.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await t.request('/api/v1/customers', { token: forged })).status).toBe(401);
    expect((await t.request('/api/v1/customers', { token: key.token.slice(0, -1) })).status).toBe(401);
    expect((await t.request('/api/v1/customers', { token: key.token })).status).toBe(200);
    expect((await t.request(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.request('/api/v1/customers', { token: key.token })).status).toBe(401);
  });

  it('names every invalid field in a 400', async () => {
    const r = await t.request('/api/v1/customers', { method: 'POST', json: { email: 'not-an-email', phone: '0612' } });
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.code).toBe('validation_failed');
    expect(body.details.fields.map((f: any) => f.path).sort()).toEqual(['email', 'phone']);
    const bad = await t.http.request('/api/v1/customers', { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: '{"name":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('validation_failed');
  });

  it('answers 403 when a key lacks the scope', async () => {
    const key = await createApiKey({ ctx: t.adminCtx, input: { name: 'ro', scopes: ['customers:read'] } });
    const r = await t.request('/api/v1/customers', { method: 'POST', token: key.token, json: { name: 'X' } });
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe('forbidden');
  });

  it('keeps agents out of admin verbs', async () => {
    const cookie = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/api-keys', { cookie })).status).toBe(403);
    expect((await t.request('/api/v1/agents', { method: 'POST', cookie, json: { email: 'x@y.test', name: 'X', role: 'admin' } })).status).toBe(403);
  });
});

describe('idempotency', () => {
  it('creates one record for the same creating POST sent twice with one key', async () => {
    const send = () => t.request('/api/v1/customers', { method: 'POST', headers: { 'Idempotency-Key': 'create-ada-1' }, json: { name: 'Idem Ada', email: 'idem@example.com' } });
    const a = await send();
    const b = await send();
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect((await a.json()).id).toBe((await b.json()).id);
    const list = await (await t.request('/api/v1/customers?q=idem@')).json();
    expect(list.data).toHaveLength(1);
    const other = await t.request('/api/v1/customers', { method: 'POST', headers: { 'Idempotency-Key': 'create-ada-1' }, json: { name: 'Someone else' } });
    expect(other.status).toBe(422);
  });

  it('replays conversation creation too', async () => {
    const c = await (await t.request('/api/v1/customers', { method: 'POST', json: { name: 'Conv Idem' } })).json();
    const send = () => t.request('/api/v1/conversations', { method: 'POST', headers: { 'Idempotency-Key': 'conv-1' }, json: { customerId: c.id, channel: 'email', message: { bodyText: 'Hello' } } });
    const [a, b] = [await send(), await send()];
    expect((await a.json()).id).toBe((await b.json()).id);
    const list = await (await t.request(`/api/v1/conversations?customerId=${c.id}`)).json();
    expect(list.data).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key spends its burst', async () => {
    const http = createApp(app, { webDir: null, rateLimit: { burst: 3, perSecond: 0.5 } });
    const hit = () => http.request('/api/v1/customers', { headers: { authorization: `Bearer ${t.apiKey}` } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await hit()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const r = await hit();
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await r.json()).code).toBe('rate_limited');
  });
});

describe('resources over HTTP', () => {
  it('creates a customer, a conversation and messages, and reads them back with the timeline', async () => {
    const c = await (await t.request('/api/v1/customers', { method: 'POST', json: { name: 'Http Hal', email: 'hal@example.com' } })).json();
    expect((await t.request(`/api/v1/customers/${c.id}`)).status).toBe(200);
    const inbound = await t.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'email', from: { kind: 'email', value: 'hal@example.com' }, bodyText: 'The light is red', externalId: 'hal-1' } });
    expect(inbound.status).toBe(201);
    const { conversation } = await inbound.json();
    expect(conversation.customerId).toBe(c.id);
    const dup = await t.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'email', from: { kind: 'email', value: 'hal@example.com' }, bodyText: 'The light is red', externalId: 'hal-1' } });
    expect(dup.status).toBe(200);
    expect((await dup.json()).duplicate).toBe(true);
    const cookie = await t.sessionCookie('agent');
    const reply = await t.request(`/api/v1/conversations/${conversation.id}/messages`, { method: 'POST', cookie, json: { bodyText: 'Restart the box please' } });
    expect(reply.status).toBe(201);
    const msgs = await (await t.request(`/api/v1/conversations/${conversation.id}/messages`)).json();
    expect(msgs.data.map((m: any) => m.bodyText)).toEqual(['The light is red', 'Restart the box please']);
    const patched = await t.request(`/api/v1/conversations/${conversation.id}`, { method: 'PATCH', cookie, json: { status: 'resolved' } });
    expect((await patched.json()).status).toBe('resolved');
    const tl = await (await t.request(`/api/v1/customers/${c.id}/timeline?limit=2`)).json();
    expect(tl.data).toHaveLength(2);
    expect(tl.data[0].kind).toBe('conversation.resolved');
    const rest = await (await t.request(`/api/v1/customers/${c.id}/timeline?limit=50&cursor=${tl.nextCursor}`)).json();
    expect([...tl.data, ...rest.data].map((e: any) => e.kind)).toEqual(['conversation.resolved', 'message.sent', 'message.received', 'conversation.opened', 'customer.created']);
    expect(rest.nextCursor).toBeNull();
  });

  it('serves an OpenAPI 3.1 document with the conventional paths, and a docs page', async () => {
    const doc = await (await t.http.request('/api/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/auth/login', '/customers', '/customers/{id}', '/customers/{id}/timeline', '/conversations', '/conversations/{id}/messages']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/customers'].post.requestBody).toBeTruthy();
    const docs = await t.http.request('/api/v1/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('openapi.json');
    expect((await t.http.request('/api/v1/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});

describe('over a real socket', () => {
  it('reads JSON bodies, replays an idempotent POST, checks a webhook signature over the exact bytes, and refuses an oversized body with 413', async () => {
    const server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false, maxBodyBytes: 64 * 1024 });
    try {
      const post = (path: string, body: string, headers: Record<string, string> = {}) =>
        fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const api = { authorization: `Bearer ${t.apiKey}` };
      const inbound = JSON.stringify({ channel: 'chat', from: { kind: 'email', value: 'socket@example.com' }, bodyText: 'Glasvezel storing — één vraag' });
      const first = await post('/api/v1/messages/inbound', inbound, api);
      expect(first.status).toBe(201);
      expect((await first.json()).message.bodyText).toBe('Glasvezel storing — één vraag');

      const create = JSON.stringify({ name: 'Socket Customer', email: 'socket-customer@example.com' });
      const once = await post('/api/v1/customers', create, { ...api, 'idempotency-key': 'socket-1' });
      const again = await post('/api/v1/customers', create, { ...api, 'idempotency-key': 'socket-1' });
      expect([once.status, again.status]).toEqual([201, 201]);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await again.json()).id).toBe((await once.json()).id);

      const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'whatsapp', name: 'socket wa', config: { phoneNumberId: '106540352242922' }, secrets: { appSecret: 'socket-secret', accessToken: 'tok', verifyToken: 'v' } } });
      const payload = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
        contacts: [{ profile: { name: 'Zoë' }, wa_id: '16505551234' }],
        messages: [{ from: '16505551234', id: 'wamid.socket-1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'ça marche? 👍' } }],
      } }] }] });
      const sig = (body: string) => `sha256=${createHmac('sha256', 'socket-secret').update(body).digest('hex')}`;
      expect((await post(ch.webhookPath, payload, { 'x-hub-signature-256': sig(payload) })).status).toBe(200);
      expect((await post(ch.webhookPath, payload.replace('👍', '👎'), { 'x-hub-signature-256': sig(payload) })).status).toBe(401);
      const [row] = await app.database.query<{ body_text: string }>("select body_text from messages where workspace_id = $1 and external_id = 'wamid.socket-1'", [t.ws.id]);
      expect(row.body_text).toBe('ça marche? 👍');

      const big = await post('/api/v1/messages/inbound', JSON.stringify({ channel: 'chat', from: { kind: 'email', value: 'big@example.com' }, bodyText: 'x'.repeat(70 * 1024) }), api);
      expect(big.status).toBe(413);
      expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
      const [none] = await app.database.query<{ n: number }>("select count(*)::int as n from customers where workspace_id = $1 and email = 'big@example.com'", [t.ws.id]);
      expect(none.n).toBe(0);
    } finally {
      await server.close();
    }
  });
});
