import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { adapters } from '../src/channels/registry.ts';
import { jsonResponse, type ChannelAdapter } from '../src/channels/adapter.ts';
import { quarantineInbound, createChannel } from '../src/domains/channels/index.ts';
import { receiveMessages, postMessage, listMessages } from '../src/domains/conversations/index.ts';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;

/** A stand-in provider: its "signature" is a shared header; its payload a JSON list of messages. */
const probe: ChannelAdapter = {
  kind: 'social',
  async webhook({ ctx, channel, request, rawBody }) {
    if (request.headers.get('x-probe-secret') !== channel.secrets.signingKey) return jsonResponse(401, { code: 'unauthenticated' });
    let body: { messages: { from: string; text: string; id: string }[] };
    try { body = JSON.parse(rawBody.toString('utf8')); } catch {
      await quarantineInbound(ctx, { channelId: channel.id, kind: 'social', reason: 'malformed JSON', contentType: request.headers.get('content-type'), payload: rawBody.toString('utf8') });
      return jsonResponse(400, { code: 'validation_failed', message: 'body: malformed JSON; kept in quarantine' });
    }
    const r = await receiveMessages({ ctx, input: body.messages.map((m) => ({ channel: 'social', channelId: channel.id, from: { kind: 'social', value: m.from }, bodyText: m.text, externalId: m.id })) });
    return jsonResponse(200, { accepted: r.filter((x) => !x.duplicate).length });
  },
  async send(_ctx, channel, message) { return { externalId: `probe-${channel.name}-${message.id.slice(0, 8)}` }; },
};

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app);
  other = await newWorkspace(app, 'Other');
  adapters.unshift(probe); // ahead of the real social adapter, so its kind routes here
});
afterAll(() => { adapters.splice(adapters.indexOf(probe), 1); });

describe('channel configuration', () => {
  it('creates, lists and updates channels without ever showing secrets', async () => {
    const cookie = await t.sessionCookie('admin');
    const created = await t.request('/api/v1/channels', { method: 'POST', cookie, json: { kind: 'social', name: 'main', config: { network: 'x' }, secrets: { signingKey: 's3cret' } } });
    expect(created.status).toBe(201);
    const ch = await created.json();
    expect(ch).toMatchObject({ kind: 'social', name: 'main', secretNames: ['signingKey'], webhookPath: `/hooks/${t.ws.id}/${ch.id}` });
    expect(JSON.stringify(await (await t.request('/api/v1/channels')).json())).not.toContain('s3cret');
    const dup = await t.request('/api/v1/channels', { method: 'POST', cookie, json: { kind: 'social', name: 'main' } });
    expect(dup.status).toBe(409);
    const patched = await (await t.request(`/api/v1/channels/${ch.id}`, { method: 'PATCH', cookie, json: { config: { network: 'mastodon' } } })).json();
    expect(patched.config.network).toBe('mastodon');
    expect(patched.secretNames).toEqual(['signingKey']);
    const agent = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/channels', { method: 'POST', cookie: agent, json: { kind: 'sms', name: 'x' } })).status).toBe(403);
    expect((await other.request(`/api/v1/channels/${ch.id}`, { method: 'PATCH', json: { active: false } })).status).toBe(404);
  });
});

describe('webhooks', () => {
  it('routes a provider call to its adapter, which commits before answering and ignores redelivery', async () => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'hooks', secrets: { signingKey: 'k1' } } });
    const call = (body: string, secret = 'k1') => t.http.request(ch.webhookPath, { method: 'POST', headers: { 'x-probe-secret': secret, 'content-type': 'application/json' }, body });
    const payload = JSON.stringify({ messages: [{ from: 'x:fan', text: 'love the speed', id: 'p1' }, { from: 'x:fan', text: 'really', id: 'p2' }] });
    const r = await call(payload);
    expect(await r.json()).toEqual({ accepted: 2 });
    expect(await (await call(payload)).json()).toEqual({ accepted: 0 });
    const convs = await (await t.request('/api/v1/conversations?channel=social')).json();
    const conv = convs.data.find((c: any) => c.channelId === ch.id);
    expect(conv).toMatchObject({ messageCount: 2, channel: 'social' });
  });

  it('answers 401 to a bad signature and stores nothing', async () => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'sig', secrets: { signingKey: 'k2' } } });
    const r = await t.http.request(ch.webhookPath, { method: 'POST', headers: { 'x-probe-secret': 'wrong' }, body: JSON.stringify({ messages: [{ from: 'x:intruder', text: 'hi', id: 'bad1' }] }) });
    expect(r.status).toBe(401);
    const found = await app.database.query("select 1 from messages where workspace_id = $1 and external_id = 'bad1'", [t.ws.id]);
    expect(found).toHaveLength(0);
  });

  it('keeps a malformed body in quarantine for an admin and answers 400', async () => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'q', secrets: { signingKey: 'k3' } } });
    const r = await t.http.request(ch.webhookPath, { method: 'POST', headers: { 'x-probe-secret': 'k3', 'content-type': 'application/json' }, body: '{"messages": [' });
    expect(r.status).toBe(400);
    const q = await (await t.request('/api/v1/quarantine')).json();
    expect(q.data[0]).toMatchObject({ channelId: ch.id, reason: 'malformed JSON', payload: '{"messages": [' });
    expect(await (await other.request('/api/v1/quarantine')).json()).toMatchObject({ data: [] });
  });

  it('answers 404 for an unknown channel or another workspace\'s id pair', async () => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'x404', secrets: { signingKey: 'k' } } });
    expect((await t.http.request(`/hooks/${other.ws.id}/${ch.id}`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await t.http.request(`/hooks/${t.ws.id}/not-a-uuid`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('sends the reply by the channel the customer wrote through', async () => {
    const a = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'first', secrets: {} } });
    const b = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'second', secrets: {} } });
    const [r] = await receiveMessages({ ctx: t.system, input: [{ channel: 'social', channelId: b.id, from: { kind: 'social', value: 'x:replyme' }, bodyText: 'hello' }] });
    expect(r.conversation!.channelId).toBe(b.id);
    expect(a.id).not.toBe(b.id);
    const out = await postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'hi back' } });
    const runner = deliveryRunner(app, [probe]);
    await runner.drain();
    const m = (await listMessages({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: {} })).data.find((x) => x.id === out.id)!;
    expect(m).toMatchObject({ deliveryStatus: 'sent', channelId: b.id, externalId: `probe-second-${out.id.slice(0, 8)}` });
  });
});
