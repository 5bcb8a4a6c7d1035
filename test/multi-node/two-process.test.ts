import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freshPostgresDatabase } from '../support/platform.ts';
import { createPlatform } from '../../src/platform/platform.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { systemCtx } from '../../src/platform/ctx.ts';
import { createWorkspace, createAgent, createApiKey } from '../../src/domains/workspaces/index.ts';
import { RealtimeClient, type RealtimeFrame } from '../../src/realtime/client.ts';
import { CandorProcess, freePort } from './candor-process.ts';

// Only collected when DATABASE_URL names a PostgreSQL server (vitest.config.ts): two processes
// share one database and carry events between them with LISTEN/NOTIFY.

let key: string;
let dbUrl: string;
let spare: { id: string; token: string };
let nodeA: CandorProcess;
let nodeB: CandorProcess;
const clients: RealtimeClient[] = [];
const isMessage = (id: string) => (f: RealtimeFrame) => f.type === 'event' && f.event!.type === 'message.created' && f.event!.data.messageId === id;

beforeAll(async () => {
  const url = await freshPostgresDatabase();
  if (!url) throw new Error('test/multi-node needs DATABASE_URL (PostgreSQL)');
  dbUrl = url;
  const setup = await createPlatform({ open: { url, poolSize: 2 }, log: createLogger('silent'), migrate: false });
  try {
    const slug = `two-${randomBytes(4).toString('hex')}`;
    const ws = await createWorkspace({ ctx: systemCtx(setup, ''), input: { slug, name: 'Two nodes' } });
    const system = systemCtx(setup, ws.id);
    await createAgent({ ctx: system, input: { email: `agent@${slug}.test`, name: 'Agent', role: 'agent', password: 'pw-agent' } });
    key = (await createApiKey({ ctx: system, input: { name: 'two-process', scopes: ['*'] } })).token;
    spare = await createApiKey({ ctx: system, input: { name: 'to revoke', scopes: ['customers:read'] } });
  } finally {
    await setup.close();
  }
  // One after the other: a first start may build the web app, and two builds must not race.
  nodeA = new CandorProcess('node A', await freePort(), { DATABASE_URL: url });
  await nodeA.ready();
  nodeB = new CandorProcess('node B', await freePort(), { DATABASE_URL: url });
  await nodeB.ready();
}, 180_000);

afterAll(async () => {
  // Safety net: the last test stops both nodes gracefully; if it did not run, stop them here.
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await Promise.all([nodeA, nodeB].filter((n) => n?.running).map((n) => n.stop()));
}, 60_000);

async function connect(node: CandorProcess, topic: string) {
  const c = await RealtimeClient.connect(node.url, { token: key });
  clients.push(c);
  expect(await c.subscribe(topic)).toMatchObject({ type: 'subscribed', topic });
  return c;
}

describe('two Candor processes on one PostgreSQL server', () => {
  let conversationId: string;

  it('delivers a message posted to node A to an inbox socket on node B', async () => {
    const onB = await connect(nodeB, 'inbox');
    const onA = await connect(nodeA, 'inbox');
    const r = await nodeA.post('/api/v1/messages/inbound', key, { channel: 'chat', from: { kind: 'email', value: 'n@example.com' }, bodyText: 'from A' });
    expect(r.status).toBe(201);
    conversationId = r.body.conversation.id;
    const f = await onB.next(isMessage(r.body.message.id), 10_000, true);
    expect(f.event).toMatchObject({ conversationId, customerId: r.body.conversation.customerId, data: { preview: 'from A', direction: 'in' } });
    await onA.next(isMessage(r.body.message.id), 10_000, true); // and to node A's own sockets
  });

  it('delivers a reply posted through node B to a conversation socket on node A', async () => {
    const onA = await connect(nodeA, `conversation:${conversationId}`);
    const r = await nodeB.post(`/api/v1/conversations/${conversationId}/messages`, key, { bodyText: 'reply from B' });
    expect(r.status).toBe(201);
    const f = await onA.next(isMessage(r.body.id), 10_000, true);
    expect(f).toMatchObject({ topic: `conversation:${conversationId}`, event: { conversationId, data: { direction: 'out', preview: 'reply from B' } } });
  });

  it('refuses a key on node B as soon as node A revokes it, though B had just accepted it', async () => {
    expect((await nodeB.call('GET', '/api/v1/customers', spare.token)).status).toBe(200);
    expect((await nodeA.call('GET', '/api/v1/customers', spare.token)).status).toBe(200);
    expect((await nodeA.call('DELETE', `/api/v1/api-keys/${spare.id}`, key)).status).toBe(200);
    expect((await nodeA.call('GET', '/api/v1/customers', spare.token)).status).toBe(401);
    // B hears of it by NOTIFY, committed with the revocation: a few milliseconds, not its 30 s cache.
    const deadline = Date.now() + 2000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await nodeB.call('GET', '/api/v1/customers', spare.token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
  });

  it('shows on node B a message committed on node A, though B had that page cached', async () => {
    const post = (bodyText: string) => nodeA.post('/api/v1/messages/inbound', key, { channel: 'chat', from: { kind: 'email', value: 'cached-page@example.com' }, bodyText });
    const first = await post('first');
    const path = `/api/v1/conversations/${first.body.conversation.id}/messages`;
    const texts = async () => (await nodeB.call('GET', path, key)).body.data.map((m: { bodyText: string }) => m.bodyText);
    expect(await texts()).toEqual(['first']);
    expect(await texts()).toEqual(['first']); // served from B's memory now
    await post('second');
    // B forgets the page when A's NOTIFY arrives (committed with the message): milliseconds.
    const deadline = Date.now() + 2000;
    let seen = await texts();
    while (seen.length < 2 && Date.now() < deadline) { await new Promise((r) => setTimeout(r, 10)); seen = await texts(); }
    expect(seen).toEqual(['first', 'second']);
  });

  it('survives losing its LISTEN connection: node B reconnects, tells its sockets to resync, and hears node A again', async () => {
    const onB = await connect(nodeB, 'inbox');
    const admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    try {
      const killed = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'");
      expect(killed.rowCount).toBe(2); // one per node
    } finally {
      await admin.end();
    }
    await onB.next((f) => f.type === 'resync', 10_000, true);
    const r = await nodeA.post('/api/v1/messages/inbound', key, { channel: 'chat', from: { kind: 'email', value: 'after-drop@example.com' }, bodyText: 'after the drop' });
    expect(r.status).toBe(201);
    await onB.next(isMessage(r.body.message.id), 10_000, true);
  });

  it('carries events A→B within a bounded time (measured)', async () => {
    const onB = await connect(nodeB, 'inbox');
    const response: number[] = [];
    const onNodeB: number[] = [];
    const fromEmit: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = Date.now();
      const bodyText = `latency ${i}`;
      const event = onB.next((f) => f.type === 'event' && f.event!.type === 'message.created' && f.event!.data.preview === bodyText, 10_000)
        .then((f) => { onNodeB.push(Date.now() - t0); fromEmit.push(Date.now() - Date.parse(f.event!.at)); });
      const r = await nodeA.post('/api/v1/messages/inbound', key, { channel: 'chat', from: { kind: 'email', value: `lat${i}@example.com` }, bodyText });
      response.push(Date.now() - t0);
      expect(r.status).toBe(201);
      await event;
    }
    const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
    const line = (xs: number[]) => `p50 ${p(xs, 0.5)} ms, max ${Math.max(...xs)} ms`;
    console.log(`A→B over 20 messages: POST sent → event on B ${line(onNodeB)}; POST sent → response from A ${line(response)}; ` +
      `emitted (inside the transaction) → event on B ${line(fromEmit)}`);
    expect(p(onNodeB, 0.5)).toBeLessThan(1000);
  });

  it('shuts both nodes down gracefully on SIGTERM, closing their sockets with 1001', async () => {
    const onA = await connect(nodeA, 'inbox');
    const onB = await connect(nodeB, 'inbox');
    const [a, b] = await Promise.all([nodeA.stop(), nodeB.stop()]);
    expect({ code: a.code, signal: a.signal }, a.output).toEqual({ code: 0, signal: null });
    expect({ code: b.code, signal: b.signal }, b.output).toEqual({ code: 0, signal: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(onA.closed?.code).toBe(1001);
    expect(onB.closed?.code).toBe(1001);
    for (const n of [nodeA, nodeB]) expect(() => process.kill(n.child.pid!, 0)).toThrow(); // gone, not lingering
  }, 60_000);
});
