import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { createApiKey } from '../src/domains/workspaces/index.ts';
import { recordTimeline, updateCustomer } from '../src/domains/customers/index.ts';
import { emit } from '../src/platform/events.ts';
import { RealtimeClient } from '../src/realtime/client.ts';
import { startServer } from '../src/server.ts';
import { receiveMessage } from '../src/domains/conversations/index.ts';
import { createChannel, saveAttachment } from '../src/domains/channels/index.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
beforeAll(async () => {
  app = await testPlatform();
  [a, b] = [await newWorkspace(app, 'A'), await newWorkspace(app, 'B')];
});

const keyWith = async (t: TestWorkspace, scopes: string[]) => (await createApiKey({ ctx: t.adminCtx, input: { name: scopes.join(' ') || 'none', scopes } })).token;
const count = async (sql: string, params: unknown[]) => Number((await app.database.query<{ n: number }>(sql, params))[0].n);

describe('the customer timeline honours the key\'s scopes', () => {
  it('a customers:read key sees the customer\'s own entries, no messages, invoices or kinds it cannot place; wider keys see more', async () => {
    const r = await receiveMessage({ ctx: a.system, input: { channel: 'email', from: { kind: 'email', value: `tl-${Date.now()}@example.test` }, bodyText: 'My invoice is wrong: I was charged twice' } });
    const customerId = r.message.customerId;
    await withTransaction(a.system, (tx) => recordTimeline(tx, [
      { customerId, kind: 'invoice.issued', summary: 'Invoice 2026-11: EUR 49.00' },
      { customerId, kind: 'payment.received', summary: 'Paid EUR 49.00' },
      { customerId, kind: 'survey.answered', summary: 'NPS 3: "billing is a mess"' },
    ]));
    const kindsWith = async (token: string) => {
      const res = await a.request(`/api/v1/customers/${customerId}/timeline?limit=200`, { token });
      expect(res.status).toBe(200);
      return new Set(((await res.json()).data as { kind: string }[]).map((e) => e.kind));
    };
    const narrow = await kindsWith(await keyWith(a, ['customers:read']));
    expect([...narrow].sort()).toEqual(['customer.created']);
    const withConversations = await kindsWith(await keyWith(a, ['customers:read', 'conversations:read']));
    expect([...withConversations].sort()).toEqual(['conversation.opened', 'customer.created', 'message.received']);
    const withBilling = await kindsWith(await keyWith(a, ['customers:read', 'billing:read']));
    expect([...withBilling].sort()).toEqual(['customer.created', 'invoice.issued', 'payment.received']);
    const all = await kindsWith(a.apiKey);
    expect(all.has('survey.answered') && all.has('message.received') && all.has('invoice.issued')).toBe(true);
    // An agent (customers, conversations and billing read) sees the whole story, new kinds included.
    const cookie = await a.sessionCookie('agent');
    const agentView = await (await a.request(`/api/v1/customers/${customerId}/timeline?limit=200`, { cookie })).json();
    expect(agentView.data.map((e: { kind: string }) => e.kind)).toContain('survey.answered');
    // Asking for kinds one may not read by name gives nothing either.
    const asked = await a.request(`/api/v1/customers/${customerId}/timeline?kinds=message.received,invoice.issued`, { token: await keyWith(a, ['customers:read']) });
    expect(asked.status).toBe(200);
    expect((await asked.json()).data).toEqual([]);
  });
});

describe('realtime events honour the key\'s scopes', () => {
  it('a customers:read key on customer:<id> hears customer changes, not messages or invoices', async () => {
    const server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
    const sockets: RealtimeClient[] = [];
    try {
      const email = `rt-${Date.now()}@example.test`;
      const r = await receiveMessage({ ctx: a.system, input: { channel: 'email', from: { kind: 'email', value: email }, bodyText: 'first' } });
      const customerId = r.message.customerId;
      const listen = async (token: string) => {
        const c = await RealtimeClient.connect(server.url, { token });
        sockets.push(c);
        expect((await c.subscribe(`customer:${customerId}`)).type).toBe('subscribed');
        return c;
      };
      const narrow = await listen(await keyWith(a, ['customers:read']));
      const wide = await listen(a.apiKey);
      await withTransaction(a.system, async (tx) => { emit(tx, 'invoice.issued', { customerId, data: { invoiceId: 'x', totalCents: 4900 } }); });
      await receiveMessage({ ctx: a.system, input: { channel: 'email', from: { kind: 'email', value: email }, bodyText: 'a private message' } });
      await updateCustomer({ ctx: a.agentCtx, id: customerId, input: { name: 'Renamed' } });
      const topic = `customer:${customerId}`;
      // The wide key hears all three, in order; the narrow one only the customer change.
      await wide.nextEvent(topic, (e) => e.type === 'invoice.issued', 5000, true);
      await wide.nextEvent(topic, (e) => e.type === 'message.created', 5000, true);
      await wide.nextEvent(topic, (e) => e.type === 'customer.updated', 5000, true);
      await narrow.nextEvent(topic, (e) => e.type === 'customer.updated', 5000, true);
      const heard = narrow.frames.filter((f) => f.type === 'event').map((f) => f.event!.type);
      expect(heard).toEqual(['customer.updated']);
    } finally {
      await Promise.all(sockets.map((s) => s.close()));
      await server.close();
    }
  });
});

describe('attachment links are built by Candor', () => {
  it('ignores a client-supplied url on inbound messages and notes; links only stored attachments of this workspace', async () => {
    const stored = await withTransaction(a.system, (tx) => saveAttachment(tx, { filename: 'router.png', contentType: 'image/png', content: Buffer.from('not really a png') }));
    const foreign = await withTransaction(b.system, (tx) => saveAttachment(tx, { filename: 'b-secret.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 b only') }));
    const inbound = await a.request('/api/v1/messages/inbound', { method: 'POST', json: {
      channel: 'email', from: { kind: 'email', value: `att-${Date.now()}@example.test` }, bodyText: 'See attached',
      attachments: [
        { id: stored.id, filename: 'evil.exe', contentType: 'application/x-msdownload', size: 1, url: 'https://evil.example/phish' },
        { id: foreign.id, filename: 'b-secret.pdf', contentType: 'application/pdf', size: 3, url: `/api/v1/attachments/${foreign.id}` },
        { id: 'not-a-uuid', filename: 'x.txt', contentType: 'text/plain', size: 1, url: 'javascript:alert(1)' },
      ],
    } });
    expect(inbound.status).toBe(201);
    const { message } = await inbound.json();
    expect(message.attachments).toEqual([
      { id: stored.id, filename: 'router.png', contentType: stored.contentType, size: stored.size, url: `/api/v1/attachments/${stored.id}` },
      { id: foreign.id, filename: 'b-secret.pdf', contentType: 'application/pdf', size: 3 },
      { id: 'not-a-uuid', filename: 'x.txt', contentType: 'text/plain', size: 1 },
    ]);
    const note = await a.request(`/api/v1/conversations/${message.conversationId}/messages`, { method: 'POST', json: {
      direction: 'note', bodyText: 'internal', attachments: [{ id: stored.id, filename: 'x', contentType: 'text/plain', size: 1, url: 'https://evil.example/x' }],
    } });
    expect(note.status).toBe(201);
    expect((await note.json()).attachments).toEqual([{ id: stored.id, filename: 'router.png', contentType: stored.contentType, size: stored.size, url: `/api/v1/attachments/${stored.id}` }]);
    const listed = await (await a.request(`/api/v1/conversations/${message.conversationId}/messages`)).text();
    expect(listed).not.toContain('evil.example');
    expect(listed).not.toContain('javascript:');
  });
});

describe('no remote images reach an agent or an API consumer', () => {
  it('blocks remote images in HTML handed to the API, inbound and in notes, and keeps the message\'s own attachment images', async () => {
    const stored = await withTransaction(a.system, (tx) => saveAttachment(tx, { filename: 'shot.png', contentType: 'image/png', content: Buffer.from('png') }));
    const html = `<p>Hi</p><img src="https://tracker.example/open.gif?u=42" width="1" height="1"><img src="//tracker.example/p"><img src="data:image/gif;base64,R0lGOD"><img src="/api/v1/attachments/${stored.id}" alt="shot">`;
    const r = await a.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'email', from: { kind: 'email', value: `img-${Date.now()}@example.test` }, bodyText: 'Hi', bodyHtml: html } });
    const { message } = await r.json();
    expect(message.bodyHtml).not.toContain('tracker.example');
    expect(message.bodyHtml).not.toContain('data:');
    expect(message.bodyHtml).toContain('[remote image not loaded]');
    expect(message.bodyHtml).toContain(`<img src="/api/v1/attachments/${stored.id}" alt="shot" />`);
    const note = await (await a.request(`/api/v1/conversations/${message.conversationId}/messages`, { method: 'POST', json: { direction: 'note', bodyText: 'x', bodyHtml: '<img src="http://tracker.example/n.gif"><script>x()</script>' } })).json();
    expect(note.bodyHtml).not.toMatch(/tracker|script/);
  });
});

describe('an inbound message naming another workspace\'s channel or conversation', () => {
  it('is refused with 404 and stored nowhere; its own workspace\'s ids are honoured', async () => {
    const bInbound = await receiveMessage({ ctx: b.system, input: { channel: 'email', from: { kind: 'email', value: 'b-customer@example.test' }, bodyText: 'B private' } });
    const bChannel = await createChannel({ ctx: b.adminCtx, input: { kind: 'sms', name: 'B sms', secrets: { authToken: 'b-token' } } });
    const aChannel = await createChannel({ ctx: a.adminCtx, input: { kind: 'sms', name: 'A sms', secrets: { authToken: 'a-token' } } });
    const from = { kind: 'phone', value: '+31612345000' };
    const cases = [
      { conversationId: bInbound.message.conversationId, channel: 'email' },
      { channelId: bChannel.id, channel: 'sms' },
      { channelId: aChannel.id, channel: 'email' }, // its own channel, but not of the message's kind
      { conversationId: '01900000-0000-7000-8000-000000000000', channel: 'email' },
    ];
    for (const [i, c] of cases.entries()) {
      const externalId = `cross-${Date.now()}-${i}`;
      const res = await a.request('/api/v1/messages/inbound', { method: 'POST', json: { ...c, from, bodyText: 'sneaky', externalId } });
      expect(res.status, JSON.stringify(c)).toBe(404);
      expect((await res.json()).code).toBe('not_found');
      expect(await count('select count(*)::int as n from messages where external_id = $1', [externalId])).toBe(0);
    }
    expect(await count('select count(*)::int as n from conversations where workspace_id = $1 and customer_id in (select customer_id from customer_identities where workspace_id = $1 and value = $2)', [a.ws.id, '+31612345000'])).toBe(0);
    const ok = await a.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'sms', channelId: aChannel.id, from, bodyText: 'fine' } });
    expect(ok.status).toBe(201);
    const own = (await ok.json()).message.conversationId;
    const threaded = await a.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'sms', channelId: aChannel.id, conversationId: own, from, bodyText: 'same thread' } });
    expect((await threaded.json()).message.conversationId).toBe(own);
    // B is untouched.
    expect(await count('select count(*)::int as n from messages where workspace_id = $1 and conversation_id = $2', [b.ws.id, bInbound.message.conversationId])).toBe(1);
  });
});

describe('every read honours scopes', () => {
  it('a key without scopes is refused (403) on every authenticated GET of the OpenAPI document', async () => {
    const token = await keyWith(a, []);
    const doc = await (await a.request('/api/v1/openapi.json')).json();
    const open = ['/auth/login', '/openapi.json'];
    const answers: Record<string, number> = {};
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!ops.get || open.includes(path)) continue;
      const url = `/api/v1${path.replace(/\{[^}]+\}/g, '01900000-0000-7000-8000-000000000001')}`;
      answers[path] = (await a.request(url, { token })).status;
    }
    expect(Object.keys(answers).length).toBeGreaterThan(15);
    expect(Object.entries(answers).filter(([, s]) => s !== 403)).toEqual([]);
  });
});
