import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ParsedMail } from 'mailparser';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { startRelay, eventually } from './support/smtp-relay.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { JobRunner } from '../src/platform/jobs.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { getCustomer, mergeCustomers, createCustomer } from '../src/domains/customers/index.ts';
import { postMessage } from '../src/domains/conversations/index.ts';
import { chatAdapter, userHashOf, userIdentityValue, anonymousIdentityValue } from '../src/channels/chat/index.ts';
import { VisitorClient, type Hello, type VisitorFrame } from '../src/channels/chat/visitor-client.ts';
import type { VisitorMessage } from '../src/domains/conversations/index.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { RealtimeClient, UpgradeRejected } from '../src/realtime/client.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let server: RunningServer;
let runner: JobRunner;
let relay: { port: number; mails: { to: string[]; parsed: ParsedMail }[]; close(): Promise<void> };
const clients: { close(): Promise<void> }[] = [];
type Ch = { ws: string; id: string; secret?: string };
let verifiedCh: Ch; // A, identity verification on
let openCh: Ch;     // A, anonymous visitors
let bCh: Ch;        // B, identity verification on
let emailChId: string;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const uid = () => Math.random().toString(36).slice(2, 10);
const rows = <T = Record<string, unknown>>(sql: string, params: unknown[]) => app.database.query<T>(sql, params);
const count = async (sql: string, params: unknown[]) => Number((await rows<{ n: number }>(sql, params))[0].n);
const statusOf = async (t: TestWorkspace, id: string) => (await rows<{ s: string }>('select delivery_status as s from messages where workspace_id = $1 and id = $2', [t.ws.id, id]))[0]?.s;

async function connect(ch: Ch, headers: Record<string, string> = {}) {
  const c = await VisitorClient.connect(server.url, { workspace: ch.ws, channel: ch.id }, headers);
  clients.push(c);
  return c;
}
/** A visitor on a channel: verified as `userId` when given (with the channel's secret), else anonymous. */
async function visitor(ch: Ch, hello: Hello & { as?: string } = {}) {
  const { as, ...rest } = hello;
  const c = await connect(ch);
  const welcome = await c.hello(as ? { userId: as, userHash: userHashOf(ch.secret!, as), ...rest } : rest);
  expect(welcome.type, JSON.stringify(welcome)).toBe('welcome');
  return { c, welcome };
}
const ackOf = (f: VisitorFrame) => { expect(f.type, JSON.stringify(f)).toBe('ack'); return f.message as VisitorMessage; };
const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('upgrade was accepted'); }, (e) => e as UpgradeRejected);

beforeAll(async () => {
  app = await testPlatform();
  [a, b] = [await newWorkspace(app, 'A'), await newWorkspace(app, 'B')];
  relay = await startRelay();
  const mk = async (t: TestWorkspace, name: string, config: Record<string, unknown>, secret?: string): Promise<Ch> => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'chat', name, config, secrets: secret ? { identitySecret: secret } : {} } });
    return { ws: t.ws.id, id: ch.id, secret };
  };
  verifiedCh = await mk(a, 'site', { title: 'Fibrelink support', greeting: 'Hi! How can we help?', color: '#1d3557' }, 'secret-of-a');
  openCh = await mk(a, 'anonymous', {});
  bCh = await mk(b, 'site', {}, 'secret-of-b');
  emailChId = (await createChannel({ ctx: a.adminCtx, input: { kind: 'email', name: 'support', config: { address: `support-${a.slug}@fibrelink.test`, fromName: 'Fibrelink Support', smtpHost: '127.0.0.1', smtpPort: relay.port } } })).id;
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  // Outbound delivery runs only when a test drains this runner, so each test sees every step.
  await app.jobs.stop();
  runner = deliveryRunner(app, [chatAdapter]);
  afterAll(async () => { await server.close(); await relay.close(); }); // registered after the platform's: runs before it closes
});
afterAll(async () => { await Promise.all(clients.map((c) => c.close())); });

describe('web chat: identity', () => {
  it('accepts a verified customer, stores their message through the one ingest verb, and an agent sees it live', async () => {
    const agent = await RealtimeClient.connect(server.url, { token: a.apiKey });
    clients.push(agent);
    expect(await agent.subscribe('inbox')).toMatchObject({ type: 'subscribed' });
    const { c, welcome } = await visitor(verifiedCh, { as: 'cust-1001', name: 'Ana Lima' });
    expect(welcome).toMatchObject({ verified: true, conversationId: null, messages: [], settings: { title: 'Fibrelink support', greeting: 'Hi! How can we help?', color: '#1d3557' } });
    expect(welcome.visitorId).toBeUndefined();

    const m = ackOf(await c.say('My router blinks red', 'client-msg-0001'));
    expect(m).toMatchObject({ direction: 'in', author: 'visitor', text: 'My router blinks red', clientId: 'client-msg-0001' });
    const f = await agent.nextEvent('inbox', (e) => e.type === 'message.created' && e.data.messageId === m.id, 5000, true);
    expect(f.event).toMatchObject({ workspaceId: a.ws.id, conversationId: m.conversationId, data: { direction: 'in', channel: 'chat' } });

    const [row] = await rows<Record<string, string>>('select channel, channel_id, external_id, customer_id from messages where workspace_id = $1 and id = $2', [a.ws.id, m.id]);
    expect(row).toMatchObject({ channel: 'chat', channel_id: verifiedCh.id, external_id: 'ext:cust-1001/client-msg-0001' });
    const customer = await getCustomer({ ctx: a.agentCtx, id: row.customer_id });
    expect(customer).toMatchObject({ name: 'Ana Lima', verified: false });
    expect(customer.identities).toEqual([expect.objectContaining({ kind: 'portal', value: 'ext:cust-1001' })]);

    // A second message joins the same conversation.
    const again = ackOf(await c.say('It started this morning'));
    expect(again.conversationId).toBe(m.conversationId);
    expect(await count('select message_count as n from conversations where workspace_id = $1 and id = $2', [a.ws.id, m.conversationId])).toBe(2);
  });

  it('refuses a wrong, missing or foreign hash, and an anonymous visitor where verification is on, storing nothing', async () => {
    const before = await count('select count(*)::int as n from messages where workspace_id = $1', [a.ws.id]);
    const attempts: Hello[] = [
      { userId: 'cust-1001', userHash: userHashOf('not-the-secret', 'cust-1001') },
      { userId: 'cust-1001', userHash: 'f'.repeat(64) },
      { userId: 'cust-1001' },
      { userId: 'cust-1001', userHash: userHashOf('secret-of-a', 'cust-1002') },
      {},
      { visitorId: 'a'.repeat(40) },
    ];
    for (const hello of attempts) {
      const c = await connect(verifiedCh);
      expect(await c.hello(hello)).toMatchObject({ type: 'error', code: 'unauthenticated' });
      c.sendRaw({ type: 'message', id: `intruder-${uid()}`, text: 'let me in' });
      expect((await c.whenClosed()).code).toBe(4401);
    }
    expect(await count('select count(*)::int as n from messages where workspace_id = $1', [a.ws.id])).toBe(before);
    expect(await count("select count(*)::int as n from customer_identities where workspace_id = $1 and value like 'anon:%'", [a.ws.id])).toBe(0);

    // Anything before a valid hello is refused too.
    const early = await connect(verifiedCh);
    early.sendRaw({ type: 'message', id: 'early-message-1', text: 'hi' });
    expect(await early.next((f) => f.type === 'error')).toMatchObject({ code: 'validation_failed' });
    expect((await early.whenClosed()).code).toBe(4400);
  });

  it('keeps user ids that differ only in case apart', () => {
    expect(userIdentityValue('cust-1001')).toBe('ext:cust-1001');
    expect(userIdentityValue('AbC~1')).toBe('ext:~ab~c~~1');
    expect(userIdentityValue('AbC~1')).not.toBe(userIdentityValue('abc~1'));
    expect(userIdentityValue('Zoë')).toMatch(/^ext:~#[0-9a-f]{64}$/);
  });

  it('gives an anonymous visitor an unguessable id, stores only its hash, and shows the history again on reconnect', async () => {
    const { c, welcome } = await visitor(openCh);
    expect(welcome).toMatchObject({ verified: false, messages: [], conversationId: null });
    const visitorId = welcome.visitorId!;
    expect(visitorId).toMatch(/^[0-9a-f]{40}$/);
    const m = ackOf(await c.say('Is there an outage in Utrecht?'));
    const [row] = await rows<{ value: string }>('select i.value from customer_identities i join messages m on m.workspace_id = i.workspace_id and m.customer_id = i.customer_id where m.workspace_id = $1 and m.id = $2', [a.ws.id, m.id]);
    expect(row.value).toBe(anonymousIdentityValue(visitorId));
    expect(row.value).toBe(`anon:${sha256(visitorId)}`);
    expect(await count('select count(*)::int as n from customer_identities where value like $1', [`%${visitorId}%`])).toBe(0);
    await c.close();

    const back = await visitor(openCh, { visitorId });
    expect(back.welcome.visitorId).toBe(visitorId);
    expect(back.welcome.conversationId).toBe(m.conversationId);
    expect(back.welcome.messages!.map((x) => x.id)).toEqual([m.id]);

    const stranger = await visitor(openCh);
    expect(stranger.welcome.visitorId).not.toBe(visitorId);
    expect(stranger.welcome.messages).toEqual([]);
    const malformed = await visitor(openCh, { visitorId: 'guessable' });
    expect(malformed.welcome.visitorId).toMatch(/^[0-9a-f]{40}$/);
    expect(malformed.welcome.messages).toEqual([]);

    // Without an identity secret a user id cannot be verified: the visitor stays anonymous.
    const unverifiable = await visitor(openCh, { userId: 'cust-1001', userHash: userHashOf('anything', 'cust-1001') });
    expect(unverifiable.welcome).toMatchObject({ verified: false, messages: [] });
    expect(unverifiable.welcome.visitorId).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('web chat: replies', () => {
  it('pushes an agent reply to the visitor, marks it delivered, and never shows an internal note', async () => {
    const userId = `reply-${uid()}`;
    const { c } = await visitor(verifiedCh, { as: userId });
    const first = ackOf(await c.say('Can someone call me?'));
    const note = await postMessage({ ctx: a.agentCtx, conversationId: first.conversationId, input: { direction: 'note', bodyText: 'internal: customer is on the churn list' } });
    const reply = await postMessage({ ctx: a.agentCtx, conversationId: first.conversationId, input: { bodyText: 'We will call you within the hour.' } });
    expect(reply.channel).toBe('chat');
    const shown = await c.nextMessage((m) => m.id === reply.id);
    expect(shown).toMatchObject({ direction: 'out', author: 'agent', text: 'We will call you within the hour.', conversationId: first.conversationId });
    await runner.drain();
    expect(await eventually(() => statusOf(a, reply.id), (s) => s === 'delivered')).toBe('delivered');

    // History on reconnect: both sides, oldest first, no note.
    await c.close();
    const { welcome } = await visitor(verifiedCh, { as: userId });
    expect(welcome.messages!.map((m) => [m.direction, m.text])).toEqual([['in', 'Can someone call me?'], ['out', 'We will call you within the hour.']]);
    await sleep(100);
    for (const sock of [c]) expect(JSON.stringify(sock.frames)).not.toContain('churn list');
    expect(JSON.stringify(welcome)).not.toContain(note.id);
  });

  it('treats a resent client message id as a no-op', async () => {
    const userId = `dup-${uid()}`;
    const { c } = await visitor(verifiedCh, { as: userId });
    const one = ackOf(await c.say('only once please', 'resend-after-reconnect-1'));
    await c.close();
    const { c: same } = await visitor(verifiedCh, { as: userId });
    const twice = await same.say('only once please', 'resend-after-reconnect-1');
    expect(twice).toMatchObject({ type: 'ack', duplicate: true });
    expect((twice.message as VisitorMessage).id).toBe(one.id);
    expect(await count("select count(*)::int as n from messages where workspace_id = $1 and conversation_id = $2", [a.ws.id, one.conversationId])).toBe(1);
  });

  it('emails the reply to an offline visitor who gave an address, without linking it as an identity', async () => {
    const email = `ana.${uid()}@example.test`;
    const { c } = await visitor(verifiedCh, { as: `mail-${uid()}`, email, name: 'Ana' });
    const first = ackOf(await c.say('My bill is twice what I expected'));
    await c.close();
    const mailsBefore = relay.mails.length;
    const reply = await postMessage({ ctx: a.agentCtx, conversationId: first.conversationId, input: { bodyText: 'We refunded the double charge.' } });
    await runner.drain();
    const row = await eventually(async () => (await rows<{ s: string; x: string | null }>('select delivery_status as s, external_id as x from messages where workspace_id = $1 and id = $2', [a.ws.id, reply.id]))[0], (r) => r.s !== 'queued');
    expect(row.s).toBe('sent');
    expect(row.x).toMatch(/^<.+@fibrelink\.test>$/);
    const mail = await eventually(async () => relay.mails.slice(mailsBefore).find((m) => m.to.includes(email)), Boolean);
    expect(mail).toBeTruthy();
    expect(mail!.parsed.text).toContain('We refunded the double charge.');
    expect(mail!.parsed.text).toContain('> My bill is twice what I expected');
    expect(mail!.parsed.from?.value[0].address).toBe(`support-${a.slug}@fibrelink.test`);
    const customer = await getCustomer({ ctx: a.agentCtx, id: reply.customerId });
    expect(customer.email).toBe(email);
    expect(customer.identities.map((i) => i.kind)).toEqual(['portal']);
  });

  it('leaves the reply sent for an offline visitor without email, and marks it delivered when they come back', async () => {
    const { c, welcome } = await visitor(openCh);
    const first = ackOf(await c.say('Anyone there?'));
    await c.close();
    const mailsBefore = relay.mails.length;
    const reply = await postMessage({ ctx: a.agentCtx, conversationId: first.conversationId, input: { bodyText: 'Yes, sorry for the wait!' } });
    await runner.drain();
    expect(await statusOf(a, reply.id)).toBe('sent');
    expect(relay.mails.length).toBe(mailsBefore);
    const back = await visitor(openCh, { visitorId: welcome.visitorId });
    expect(back.welcome.messages!.map((m) => m.text)).toEqual(['Anyone there?', 'Yes, sorry for the wait!']);
    expect(await eventually(() => statusOf(a, reply.id), (s) => s === 'delivered')).toBe('delivered');
    // A read receipt moves it on.
    back.c.sendRaw({ type: 'read', ids: [reply.id] });
    expect(await eventually(() => statusOf(a, reply.id), (s) => s === 'read')).toBe('read');
  });

  it('follows the customer when an agent merges the visitor into a known record', async () => {
    const { c } = await visitor(verifiedCh, { as: `merge-${uid()}` });
    const first = ackOf(await c.say('I am the same person as jan@example.test'));
    const known = await createCustomer({ ctx: a.agentCtx, input: { name: 'Jan', email: `jan.${uid()}@example.test` } });
    await mergeCustomers({ ctx: a.agentCtx, input: { sourceId: (await rows<{ c: string }>('select customer_id as c from messages where workspace_id = $1 and id = $2', [a.ws.id, first.id]))[0].c, targetId: known.id } });
    const reply = await postMessage({ ctx: a.agentCtx, conversationId: first.conversationId, input: { bodyText: 'Merged, thanks Jan.' } });
    expect((await c.nextMessage((m) => m.id === reply.id)).text).toBe('Merged, thanks Jan.');
  });
});

describe('web chat: limits', () => {
  it('caps message size and refuses empty messages', async () => {
    const { c } = await visitor(openCh);
    expect(await c.say('x'.repeat(5001))).toMatchObject({ type: 'error', code: 'validation_failed' });
    expect(await c.say('   \n ')).toMatchObject({ type: 'error', code: 'validation_failed' });
    expect(await c.say('ok', 'bad id!')).toMatchObject({ type: 'error', code: 'validation_failed' });
    c.sendRaw('not json');
    expect(await c.next((f) => f.type === 'error' && !f.id)).toMatchObject({ code: 'validation_failed' });
    c.sendRaw(JSON.stringify({ type: 'message', id: 'huge-frame-1', text: 'y'.repeat(40_000) }));
    expect((await c.whenClosed()).code).toBe(1009);
  });

  it('rate-limits a socket to 10 messages per 10 seconds', async () => {
    const { c } = await visitor(openCh);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => c.say(`message ${n}`, `burst-${n}-${uid()}`)));
    const accepted = answers.filter((f) => f.type === 'ack');
    const limited = answers.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(accepted.length).toBeGreaterThanOrEqual(10);
    expect(accepted.length).toBeLessThan(20);
    expect(limited.length).toBe(20 - accepted.length);
    const conv = (accepted[0].message as VisitorMessage).conversationId;
    expect(await count('select count(*)::int as n from messages where workspace_id = $1 and conversation_id = $2', [a.ws.id, conv])).toBe(accepted.length);
  });
});

describe('web chat: tenant isolation', () => {
  it('refuses a forged workspace/channel pair, another kind of channel, or garbage, at the upgrade', async () => {
    const cases = [
      { workspace: a.ws.id, channel: bCh.id }, { workspace: b.ws.id, channel: openCh.id }, { workspace: a.ws.id, channel: emailChId },
      { workspace: a.ws.id, channel: '00000000-0000-7000-8000-000000000000' }, { workspace: 'nope', channel: 'nope' },
    ];
    for (const q of cases) {
      const r = await rejection(VisitorClient.connect(server.url, q));
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'not_found' });
    }
  });

  it("never shows a visitor another workspace's conversation, even with the same user id", async () => {
    const inA = await visitor(verifiedCh, { as: 'shared-user-7' });
    const mine = ackOf(await inA.c.say('secret billing question in A'));
    const inB = await visitor(bCh, { as: 'shared-user-7' });
    expect(inB.welcome.messages).toEqual([]);
    // A's hash means nothing in B, and A's anonymous visitor id finds nothing in B either.
    const forged = await connect(bCh);
    expect(await forged.hello({ userId: 'shared-user-7', userHash: userHashOf('secret-of-a', 'shared-user-7') })).toMatchObject({ type: 'error', code: 'unauthenticated' });
    const reply = await postMessage({ ctx: a.agentCtx, conversationId: mine.conversationId, input: { bodyText: 'reply only for A' } });
    await inA.c.nextMessage((m) => m.id === reply.id);
    const theirs = ackOf(await inB.c.say('question in B'));
    expect(theirs.conversationId).not.toBe(mine.conversationId);
    await sleep(100);
    expect(JSON.stringify(inB.c.frames)).not.toMatch(/secret billing|reply only for A/);
  });
});

describe('widget script', () => {
  it('is served as one JavaScript file, cacheable, with a Shadow DOM and no dependencies', async () => {
    const r = await a.http.request('/widget.js');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const body = await r.text();
    expect(body).toContain('attachShadow');
    expect(body).not.toMatch(/\bimport\s|require\(/);
    expect(body.length).toBeLessThan(16_000);
    const etag = r.headers.get('etag')!;
    expect((await a.http.request('/widget.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const zipped = await a.http.request('/widget.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')).toBe(body);
  });

  it('serves a demo page embedding it for a named chat channel, and says what to do without one', async () => {
    const page = await a.http.request(`/widget-demo?workspace=${openCh.ws}&channel=${openCh.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<script src="/widget.js" data-workspace="${openCh.ws}" data-channel="${openCh.id}" async></script>`);
    const none = await a.http.request('/widget-demo');
    expect([200, 404]).toContain(none.status); // 200 when a demo workspace with a chat channel exists in this database
  });
});
