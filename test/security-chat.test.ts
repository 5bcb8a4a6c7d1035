import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { createCustomer, getCustomer, listCustomers } from '../src/domains/customers/index.ts';
import { receiveMessage, listConversations, getConversation } from '../src/domains/conversations/index.ts';
import { VisitorClient, type VisitorFrame } from '../src/channels/chat/visitor-client.ts';
import { UpgradeRejected } from '../src/realtime/client.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import '../src/channels/chat/index.ts';

// This file's node: small caps, and 127.0.0.1 (the test's own connections) is the trusted proxy,
// so each test names its visitors' addresses in X-Forwarded-For.
Object.assign(process.env, {
  CANDOR_TRUSTED_PROXIES: '127.0.0.1/32', CANDOR_CHAT_SOCKETS_PER_ADDRESS: '3', CANDOR_CHAT_SOCKETS_PER_CHANNEL: '5',
  CANDOR_CHAT_NEW_VISITORS_PER_ADDRESS: '2', CANDOR_CHAT_NEW_VISITORS_PER_CHANNEL: '4',
});

let app: Platform;
let t: TestWorkspace;
let server: RunningServer;
const clients: VisitorClient[] = [];
let n = 0;
const chat = async (config: Record<string, unknown> = {}) =>
  (await createChannel({ ctx: t.adminCtx, input: { kind: 'chat', name: `chat ${++n}`, config } })).id;
const connect = async (channel: string, address: string, headers: Record<string, string> = {}) => {
  const c = await VisitorClient.connect(server.url, { workspace: t.ws.id, channel }, { 'x-forwarded-for': address, ...headers });
  clients.push(c);
  return c;
};
const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('upgrade was accepted'); }, (e) => e as UpgradeRejected);
const customersNamed = async (name: string) => (await listCustomers({ ctx: t.agentCtx, input: { q: name, limit: 100 } })).data.filter((c) => c.name === name);

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Chat guard');
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  afterAll(async () => { await server.close(); });
});
afterAll(async () => { await Promise.all(clients.map((c) => c.close())); });

describe('chat widget: connection caps', () => {
  it('caps open sockets per address (429 at the upgrade), and frees a slot when one closes', async () => {
    const ch = await chat();
    const open = [await connect(ch, '198.51.100.1'), await connect(ch, '198.51.100.1'), await connect(ch, '198.51.100.1')];
    const refused = await rejection(connect(ch, '198.51.100.1'));
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).code).toBe('rate_limited');
    expect((await connect(ch, '198.51.100.2')).ws.readyState).toBe(1); // another address is not affected
    await open[0].close();
    await new Promise((r) => setTimeout(r, 100));
    expect((await connect(ch, '198.51.100.1')).ws.readyState).toBe(1);
  });

  it('caps open sockets per channel, whatever the addresses', async () => {
    const ch = await chat();
    for (let i = 0; i < 5; i++) await connect(ch, `203.0.113.${i + 10}`);
    expect((await rejection(connect(ch, '203.0.113.99'))).status).toBe(429);
    expect((await connect(await chat(), '203.0.113.99')).ws.readyState).toBe(1);
  });

  it("keeps the channel's allow-list of origins: another site's page cannot open its socket", async () => {
    const ch = await chat({ allowedOrigins: ['https://shop.example'] });
    expect((await rejection(connect(ch, '192.0.2.80', { origin: 'https://evil.example' }))).status).toBe(403);
    expect((await rejection(connect(ch, '192.0.2.80'))).status).toBe(403);
    expect((await connect(ch, '192.0.2.80', { origin: 'https://shop.example' })).ws.readyState).toBe(1);
  });
});

describe('chat widget: new visitors are paced, not a customer per connection', () => {
  it('an address gets two new visitors; the third waits (rate_limited, retryAfter), with nothing stored, while known visitors go on', async () => {
    const ch = await chat();
    const name = `Pace ${Date.now()}`;
    const first = await connect(ch, '192.0.2.10');
    const welcome = await first.hello({ name });
    expect((await first.say('hello one')).type).toBe('ack');
    const second = await connect(ch, '192.0.2.10');
    await second.hello({ name });
    expect((await second.say('hello two')).type).toBe('ack');
    const third = await connect(ch, '192.0.2.10');
    await third.hello({ name });
    const refused: VisitorFrame & { retryAfter?: number } = await third.say('hello three');
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(await customersNamed(name)).toHaveLength(2);
    // Connecting alone creates nothing: many sockets that never write leave no records.
    for (let i = 0; i < 2; i++) await (await connect(ch, '192.0.2.11')).hello({ name });
    expect(await customersNamed(name)).toHaveLength(2);
    // The first visitor, known by its id, keeps chatting (from a new tab: the old one closed, the address holds three sockets at most).
    await first.close();
    await new Promise((r) => setTimeout(r, 100));
    const back = await connect(ch, '192.0.2.10');
    await back.hello({ visitorId: welcome.visitorId, name });
    expect((await back.say('still me')).type).toBe('ack');
  });

  it('a channel gets four new visitors a minute, over however many addresses', async () => {
    const ch = await chat();
    const name = `Flood ${Date.now()}`;
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      const c = await connect(ch, `100.64.0.${i + 1}`);
      await c.hello({ name });
      outcomes.push((await c.say('hi')).type);
      await c.close();
    }
    expect(outcomes).toEqual(['ack', 'ack', 'ack', 'ack', 'error', 'error']);
    expect(await customersNamed(name)).toHaveLength(4);
  });
});

describe('chat widget: a claimed email', () => {
  it('is marked unverified on the customer, is no identity, and never joins the verified customer who owns the address', async () => {
    const email = `jan.${Date.now()}@example.test`;
    const owner = await createCustomer({ ctx: t.agentCtx, input: { name: 'Jan (real)', verified: true, identities: [{ kind: 'email', value: email, verified: true }] } });
    const ch = await chat();
    const c = await connect(ch, '192.0.2.200');
    await c.hello({ name: 'Jan?', email });
    const ack = await c.say('Please read me my last invoice');
    expect(ack.type).toBe('ack');
    const conversation = await getConversation({ ctx: t.agentCtx, id: (ack.message as { conversationId: string }).conversationId });
    const claimed = await getCustomer({ ctx: t.agentCtx, id: conversation.customerId });
    expect(claimed.id).not.toBe(owner.id);
    expect(claimed.email).toBe(email);
    expect(claimed.emailClaimed).toBe(true);
    expect(claimed.verified).toBe(false);
    expect(claimed.identities.map((i) => i.kind)).toEqual(['portal']);
    // The owner is untouched, and the owner's own mail still lands on the owner.
    const ownerAfter = await getCustomer({ ctx: t.agentCtx, id: owner.id });
    expect(ownerAfter).toMatchObject({ emailClaimed: false, verified: true });
    expect((await listConversations({ ctx: t.agentCtx, input: { customerId: owner.id } })).data).toHaveLength(0);
    const mail = await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: email }, bodyText: 'It is really me' } });
    expect(mail.message.customerId).toBe(owner.id);
    // What the agent UI and API consumers read.
    const viaApi = await (await t.request(`/api/v1/customers/${claimed.id}`)).json();
    expect(viaApi).toMatchObject({ email, emailClaimed: true, verified: false });
  });
});
