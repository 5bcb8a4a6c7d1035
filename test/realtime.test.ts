import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { receiveMessage, postMessage, updateConversation } from '../src/domains/conversations/index.ts';
import { attachRealtime } from '../src/realtime/gateway.ts';
import { RealtimeConnection } from '../src/realtime/connection.ts';
import { RealtimeClient, UpgradeRejected, type RealtimeFrame } from '../src/realtime/client.ts';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
let server: RunningServer;
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  app = await testPlatform();
  [t, other] = [await newWorkspace(app), await newWorkspace(app, 'Other')];
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  afterAll(async () => { await server.close(); }); // registered after the platform's: runs before it closes
});
afterAll(async () => { await Promise.all(clients.map((c) => c.close())); });

async function connect(auth: Parameters<typeof RealtimeClient.connect>[1]) {
  const c = await RealtimeClient.connect(server.url, auth);
  clients.push(c);
  return c;
}
const ingest = (ws: TestWorkspace, from: string, bodyText: string) =>
  receiveMessage({ ctx: ws.system, input: { channel: 'chat', from: { kind: 'email', value: from }, bodyText } });
const isMessage = (messageId: string) => (f: RealtimeFrame) => f.type === 'event' && f.event!.type === 'message.created' && f.event!.data.messageId === messageId;
const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('upgrade was accepted'); }, (e) => e as UpgradeRejected);

describe('realtime gateway: authentication', () => {
  it('rejects an upgrade without credentials, or with a bad key, with 401 in the error shape', async () => {
    const none = await rejection(RealtimeClient.connect(server.url));
    expect(none).toBeInstanceOf(UpgradeRejected);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ code: 'unauthenticated', requestId: expect.any(String) });
    expect((await rejection(RealtimeClient.connect(server.url, { token: 'cnd_nope' }))).status).toBe(401);
    expect((await rejection(RealtimeClient.connect(server.url, { cookie: 'candor_session=forged.token.value' }))).status).toBe(401);
  });

  it('accepts a session cookie, a Bearer key and ?access_token=, and refuses a cookie sent from a foreign origin', async () => {
    const cookie = await t.sessionCookie('agent');
    for (const auth of [{ cookie }, { token: t.apiKey }, { queryToken: t.apiKey }, { cookie, origin: server.url }]) {
      const c = await connect(auth);
      expect(await c.subscribe('inbox')).toMatchObject({ type: 'subscribed', topic: 'inbox' });
    }
    const hijack = await rejection(RealtimeClient.connect(server.url, { cookie, origin: 'https://evil.example' }));
    expect(hijack.status).toBe(403);
  });
});

describe('realtime gateway: topics and delivery', () => {
  let agent: RealtimeClient;
  let otherSock: RealtimeClient;
  let first: Awaited<ReturnType<typeof ingest>>;
  beforeAll(async () => {
    agent = await connect({ cookie: await t.sessionCookie('agent') });
    otherSock = await connect({ cookie: await other.sessionCookie('agent') });
    expect(await agent.subscribe('inbox')).toMatchObject({ type: 'subscribed', topic: 'inbox' });
    expect(await otherSock.subscribe('inbox')).toMatchObject({ type: 'subscribed', topic: 'inbox' });
  });

  it('delivers message.created to an agent subscribed to the inbox, after commit', async () => {
    first = await ingest(t, 'x@example.com', 'hello');
    const f = await agent.next(isMessage(first.message.id), 5000, true);
    expect(f.topic).toBe('inbox');
    expect(f.event).toMatchObject({
      type: 'message.created', workspaceId: t.ws.id, conversationId: first.conversation!.id, customerId: first.conversation!.customerId,
      data: { direction: 'in', channel: 'chat', preview: 'hello' },
    });
    // the conversation it opened was announced on the inbox too
    await agent.nextEvent('inbox', (e) => e.type === 'conversation.created' && e.conversationId === first.conversation!.id, 5000, true);
  });

  it("never sends one workspace's events to another workspace's sockets", async () => {
    const mine = await ingest(t, 'private@example.com', 'only for workspace t');
    await agent.next(isMessage(mine.message.id), 5000, true); // positive control: it was delivered
    await sleep(150);
    // The other workspace's own message arrives; nothing of t's ever did (same node, same order).
    const theirs = await ingest(other, 'someone@example.com', 'for the other workspace');
    await otherSock.next(isMessage(theirs.message.id), 5000, true);
    expect(otherSock.frames.filter((f) => f.type === 'event' && f.event!.workspaceId !== other.ws.id)).toEqual([]);
    expect(agent.frames.filter((f) => f.type === 'event' && f.event!.workspaceId !== t.ws.id)).toEqual([]);
  });

  it('answers not_found for a conversation or customer of another workspace, and names a bad topic', async () => {
    expect(await otherSock.subscribe(`conversation:${first.conversation!.id}`)).toMatchObject({ type: 'error', code: 'not_found' });
    expect(await otherSock.subscribe(`customer:${first.conversation!.customerId}`)).toMatchObject({ type: 'error', code: 'not_found' });
    expect(await otherSock.subscribe('conversation:not-a-uuid')).toMatchObject({ type: 'error', code: 'validation_failed' });
    expect(await otherSock.subscribe('everything')).toMatchObject({ type: 'error', code: 'validation_failed' });
    expect(await otherSock.request({ type: 'shout' })).toMatchObject({ type: 'error', code: 'validation_failed' });
  });

  it('delivers a conversation topic and a customer topic their events, and stops after unsubscribe', async () => {
    const convTopic = `conversation:${first.conversation!.id}`;
    const custTopic = `customer:${first.conversation!.customerId}`;
    const sock = await connect({ token: t.apiKey });
    expect(await sock.subscribe(convTopic)).toMatchObject({ type: 'subscribed', topic: convTopic });
    expect(await sock.subscribe(custTopic)).toMatchObject({ type: 'subscribed', topic: custTopic });

    const reply = await postMessage({ ctx: t.agentCtx, conversationId: first.conversation!.id, input: { bodyText: 'we are on it' } });
    for (const topic of [convTopic, custTopic]) {
      const f = await sock.nextEvent(topic, (e) => e.type === 'message.created' && e.data.messageId === reply.id, 5000, true);
      expect(f.event).toMatchObject({ conversationId: first.conversation!.id, data: { direction: 'out' } });
    }
    await updateConversation({ ctx: t.agentCtx, id: first.conversation!.id, input: { priority: 'high' } });
    await sock.nextEvent(convTopic, (e) => e.type === 'conversation.updated', 5000, true);

    // A message in another conversation is not on this conversation's topic.
    const elsewhere = await ingest(t, 'elsewhere@example.com', 'different thread');
    await agent.next(isMessage(elsewhere.message.id), 5000, true);

    expect(await sock.unsubscribe(convTopic)).toMatchObject({ type: 'unsubscribed', topic: convTopic });
    const after = await ingest(t, 'x@example.com', 'second message, same thread');
    await sock.nextEvent(custTopic, (e) => e.data.messageId === after.message.id, 5000, true); // still on the customer topic
    expect(sock.frames.filter((f) => f.event?.data.messageId === elsewhere.message.id)).toEqual([]);
    expect(sock.frames.filter((f) => f.topic === convTopic && f.event?.data.messageId === after.message.id)).toEqual([]);
  });

  it('never delivers an event from a rolled-back transaction', async () => {
    let rolledBack = '';
    await expect(withTransaction(t.system, async (tx) => {
      const r = await receiveMessage({ ctx: tx, input: { channel: 'chat', from: { kind: 'email', value: 'ghost@example.com' }, bodyText: 'never happened' } });
      rolledBack = r.message.id;
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(rolledBack).not.toBe('');
    await sleep(150);
    const control = await ingest(t, 'ghost@example.com', 'this one is real');
    await agent.next(isMessage(control.message.id), 5000, true);
    expect(agent.frames.filter((f) => f.event?.data.messageId === rolledBack || f.event?.data.preview === 'never happened')).toEqual([]);
  });
});

describe('realtime gateway: liveness, presence, limits, shutdown', () => {
  let http: Server;
  let rt: ReturnType<typeof attachRealtime>;
  let base: string;
  beforeAll(async () => {
    http = createServer((_req, res) => { res.statusCode = 404; res.end(); });
    rt = attachRealtime(http, app, { heartbeatMs: 50, closeTimeoutMs: 1000 });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  afterAll(async () => { await rt.close(); await new Promise((r) => http.close(r)); });

  it('drops a socket that stops answering pings', async () => {
    const url = `${base.replace('http', 'ws')}/api/v1/realtime?access_token=${t.apiKey}`;
    const dead = new WebSocket(url, { autoPong: false });
    const live = await RealtimeClient.connect(base, { token: t.apiKey });
    const code = await new Promise<number>((resolve, reject) => {
      dead.on('close', (c) => resolve(c));
      dead.on('error', reject);
    });
    expect(code).toBe(1006); // terminated, no close frame
    await sleep(200);
    expect(live.closed).toBeUndefined(); // answering pings keeps a socket open
    await live.close();
  });

  it('keeps the agents connected per workspace for presence', async () => {
    const a = await RealtimeClient.connect(base, { cookie: await t.sessionCookie('agent') });
    const b = await RealtimeClient.connect(base, { cookie: await t.sessionCookie('agent') });
    const k = await RealtimeClient.connect(base, { token: t.apiKey });
    expect(rt.hub.presence(t.ws.id)).toEqual([t.agent.id]);
    expect(rt.hub.presence(other.ws.id)).toEqual([]);
    await a.close();
    expect(rt.hub.presence(t.ws.id)).toEqual([t.agent.id]); // still one socket open
    await b.close();
    await sleep(20);
    expect(rt.hub.presence(t.ws.id)).toEqual([]);
    await k.close();
  });

  it('closes a slow consumer instead of buffering without bound', () => {
    const sent: string[] = [];
    const closed: number[] = [];
    const ws = { readyState: WebSocket.OPEN, bufferedAmount: 0, on() {}, send: (s: string) => sent.push(s), close: (c: number) => closed.push(c) };
    const conn = new RealtimeConnection(ws as unknown as WebSocket, t.agentCtx, { maxBufferedBytes: 1000, maxTopics: 10, maxQueuedFrames: 10 });
    conn.send({ type: 'pong' });
    ws.bufferedAmount = 5000;
    conn.send({ type: 'pong' });
    expect(sent).toHaveLength(1);
    expect(closed).toEqual([1013]);
  });

  it('closes every socket with 1001 on shutdown and refuses new ones', async () => {
    const c = await RealtimeClient.connect(base, { token: t.apiKey });
    await rt.close();
    await sleep(50);
    expect(c.closed?.code).toBe(1001);
    // The gateway no longer answers upgrades: Node hands the request to the plain HTTP handler (404 here).
    expect(await rejection(RealtimeClient.connect(base, { token: t.apiKey }))).toMatchObject({ status: 404 });
  });
});
