import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { messengerAdapter } from '../src/channels/messenger/index.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { postMessage, listMessages } from '../src/domains/conversations/index.ts';
import { getCustomer } from '../src/domains/customers/index.ts';

/*
 * Facebook Messenger end to end: the Messenger Platform's documented webhook events, signed as
 * Meta signs them (X-Hub-Signature-256 over the raw body with the App Secret), sent to the
 * channel's webhook; replies go to a local stand-in for the Send API that checks every request.
 */

const APP_SECRET = 'ms-app-secret-41aa';
const PAGE_TOKEN = 'EAAB-page-access-token';
const VERIFY_TOKEN = 'candor-messenger-verify';
const PAGE_ID = '682498302938465';
const VERSION = 'v21.0';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;

// ---------- The Messenger Platform's documented webhook events, parameterised ----------

/** A `page` webhook carrying messaging events (Webhook Events Reference: entry[].messaging[]). */
const pageEvent = (...messaging: Record<string, unknown>[]) => ({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging }] });
/** "Text Message" example of the messages webhook event reference. */
const textEvent = (o: { psid: string; mid: string; text?: string; timestamp?: number; pageId?: string; replyTo?: string }) => ({
  sender: { id: o.psid }, recipient: { id: o.pageId ?? PAGE_ID }, timestamp: o.timestamp ?? Date.now(),
  message: { mid: o.mid, text: o.text ?? 'hello, world!', ...(o.replyTo ? { reply_to: { mid: o.replyTo, is_self_reply: false } } : {}) },
});
/** A sticker: `sticker_id` with the `sticker` and `image` attachments Meta sends during its transition. */
const stickerEvent = (o: { psid: string; mid: string }) => ({
  sender: { id: o.psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(),
  message: { mid: o.mid, sticker_id: 369239263222822, attachments: [
    { type: 'sticker', payload: { url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/thumbs_up.png', sticker_id: 369239263222822 } },
    { type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/thumbs_up.png', sticker_id: 369239263222822 } },
  ] },
});
/** message_echoes: the page's own message coming back. */
const echoEvent = (o: { psid: string; mid: string }) => ({
  sender: { id: PAGE_ID }, recipient: { id: o.psid }, timestamp: Date.now(),
  message: { is_echo: true, app_id: 1517776481860111, mid: o.mid, text: 'sent from the page inbox' },
});
/** message_deliveries (per message ids plus a watermark) and message_reads (watermark only). */
const deliveryEvent = (o: { psid: string; mids?: string[]; watermark: number }) => ({
  sender: { id: o.psid }, recipient: { id: PAGE_ID }, delivery: { ...(o.mids ? { mids: o.mids } : {}), watermark: o.watermark },
});
const readEvent = (o: { psid: string; watermark: number }) => ({ sender: { id: o.psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), read: { watermark: o.watermark } });

const mid = () => `m_${randomBytes(24).toString('base64url')}`;
const psid = () => `${24000000000000 + Math.floor(Math.random() * 1e12)}`;
const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function deliver(ws: TestWorkspace, path: string, payload: unknown, opts: { secret?: string; signature?: string | null; raw?: string } = {}) {
  const body = opts.raw ?? JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = opts.signature === undefined ? sign(body, opts.secret) : opts.signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  return ws.http.request(path, { method: 'POST', headers, body });
}

// ---------- A stand-in for the Send API that checks every request against the documented format ----------

type Seen = { method: string; path: string; body: any; problems: string[] };
const graph = { server: undefined as Server | undefined, url: '', seen: [] as Seen[], mode: 'ok' as 'ok' | 'reject' | 'outage' };

function check(req: IncomingMessage, body: any): string[] {
  const p: string[] = [];
  const expect = (cond: boolean, what: string) => { if (!cond) p.push(what); };
  const keys = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o).sort().join(',') : String(o));
  expect(req.method === 'POST', `method ${req.method}`);
  expect(req.url === `/${VERSION}/me/messages`, `path ${req.url}`);
  expect(req.headers.authorization === `Bearer ${PAGE_TOKEN}`, `authorization ${req.headers.authorization}`);
  expect(String(req.headers['content-type']).startsWith('application/json'), `content-type ${req.headers['content-type']}`);
  if (!body || typeof body !== 'object') return [...p, 'body is not JSON'];
  const tagged = body.messaging_type === 'MESSAGE_TAG';
  expect(keys(body) === (tagged ? 'message,messaging_type,recipient,tag' : 'message,messaging_type,recipient'), `keys ${keys(body)}`);
  expect(['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body.messaging_type), `messaging_type ${body.messaging_type}`);
  if (tagged) expect(['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'].includes(body.tag), `tag ${body.tag}`);
  expect(keys(body.recipient) === 'id' && /^\d+$/.test(body.recipient.id), `recipient ${JSON.stringify(body.recipient)}`);
  expect(keys(body.message) === 'text' && typeof body.message.text === 'string' && body.message.text.length > 0 && body.message.text.length <= 2000, 'message.text');
  return p;
}

async function startGraph() {
  graph.server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      let body: any = null;
      try { body = JSON.parse(raw); } catch { /* checked below */ }
      const problems = check(req, body);
      graph.seen.push({ method: req.method!, path: req.url!, body, problems });
      const reply = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(json)); };
      if (problems.length) return reply(400, { error: { message: `(#100) Invalid parameter: ${problems.join('; ')}`, type: 'OAuthException', code: 100, fbtrace_id: 'AbCd' } });
      if (graph.mode === 'outage') return reply(500, { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true, fbtrace_id: 'AbCd' } });
      if (graph.mode === 'reject') return reply(400, { error: { message: '(#551) This person isn\'t available right now.', type: 'OAuthException', code: 551, error_subcode: 1545041, fbtrace_id: 'AbCd' } });
      reply(200, { recipient_id: body.recipient.id, message_id: mid() });
    });
  });
  await new Promise<void>((r) => graph.server!.listen(0, '127.0.0.1', r));
  graph.url = `http://127.0.0.1:${(graph.server!.address() as AddressInfo).port}`;
}

const runner = () => deliveryRunner(app, [messengerAdapter]);
const messageIn = async (conversationId: string, id: string) => (await listMessages({ ctx: t.agentCtx, conversationId, input: { limit: 200 } })).data.find((m) => m.id === id)!;

async function msChannel(ws: TestWorkspace, name: string, config: Record<string, unknown> = {}) {
  return createChannel({ ctx: ws.adminCtx, input: {
    kind: 'messenger', name, config: { pageId: PAGE_ID, graphBaseUrl: graph.url, graphVersion: VERSION, ...config },
    secrets: { appSecret: APP_SECRET, accessToken: PAGE_TOKEN, verifyToken: VERIFY_TOKEN },
  } });
}

async function conversationWithReply(ch: { webhookPath: string }, o: { timestamp?: number; reply?: string } = {}) {
  const who = psid();
  const id = mid();
  expect((await deliver(t, ch.webhookPath, pageEvent(textEvent({ psid: who, mid: id, timestamp: o.timestamp, text: 'Is there an outage in Zuid?' })))).status).toBe(200);
  const [{ conversation_id: conversationId }] = await app.database.query<{ conversation_id: string }>(
    `select conversation_id from messages where workspace_id = $1 and channel = 'messenger' and external_id = $2`, [t.ws.id, id]);
  const out = await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: o.reply ?? 'No outage there; let us check your line.' } });
  graph.seen = [];
  await runner().drain();
  return { psid: who, conversationId, out };
}

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Fibre');
  other = await newWorkspace(app, 'Other');
  await startGraph();
});
afterAll(async () => { await new Promise((r) => graph.server?.close(r)); });
beforeEach(() => { graph.mode = 'ok'; graph.seen = []; });

describe('Messenger webhook verification (GET)', () => {
  it('echoes hub.challenge for the right verify token, 403 otherwise', async () => {
    const ch = await msChannel(t, 'verify');
    const ok = await t.http.request(`${ch.webhookPath}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=CHALLENGE_ACCEPTED`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('CHALLENGE_ACCEPTED');
    expect((await t.http.request(`${ch.webhookPath}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=x`)).status).toBe(403);
  });
});

describe('Messenger inbound messages', () => {
  it('turns the documented text message into a customer (PSID) and a conversation', async () => {
    const ch = await msChannel(t, 'inbound');
    const who = psid();
    const id = mid();
    const ts = Date.now() - 5_000;
    const r = await deliver(t, ch.webhookPath, pageEvent(textEvent({ psid: who, mid: id, timestamp: ts })));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ received: 1, duplicates: 0 });
    const [m] = await app.database.query<any>(`select * from messages where workspace_id = $1 and channel = 'messenger' and external_id = $2`, [t.ws.id, id]);
    expect(m).toMatchObject({ direction: 'in', body_text: 'hello, world!', channel_id: ch.id });
    expect(new Date(m.created_at).getTime()).toBe(ts);
    const customer = await getCustomer({ ctx: t.agentCtx, id: m.customer_id });
    expect(customer.identities).toEqual([expect.objectContaining({ kind: 'messenger', value: who })]);
    expect(await (await t.request(`/api/v1/conversations/${m.conversation_id}`)).json()).toMatchObject({ channel: 'messenger', channelId: ch.id, messageCount: 1 });
  });

  it('is a no-op 200 on redelivery of the same mid', async () => {
    const ch = await msChannel(t, 'replay');
    const payload = pageEvent(textEvent({ psid: psid(), mid: mid() }));
    expect(await (await deliver(t, ch.webhookPath, payload)).json()).toMatchObject({ received: 1 });
    const again = await deliver(t, ch.webhookPath, payload);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ received: 0, duplicates: 1 });
  });

  it('answers 401 to a bad signature and stores nothing', async () => {
    const ch = await msChannel(t, 'badsig');
    const who = psid();
    const payload = pageEvent(textEvent({ psid: who, mid: mid() }));
    expect((await deliver(t, ch.webhookPath, payload, { secret: 'wrong' })).status).toBe(401);
    expect((await deliver(t, ch.webhookPath, payload, { signature: null })).status).toBe(401);
    expect(await app.database.query(`select 1 from customer_identities where workspace_id = $1 and value = $2`, [t.ws.id, who])).toHaveLength(0);
    expect(await app.database.query(`select 1 from messages where workspace_id = $1 and channel = 'messenger' and external_id = $2`, [t.ws.id, (payload.entry[0].messaging[0] as any).message.mid])).toHaveLength(0);
  });

  it('answers 400 to a malformed body and keeps it in quarantine', async () => {
    const ch = await msChannel(t, 'malformed');
    const raw = '{"object":"page","entry":[{"messaging":[{"sender":';
    const r = await deliver(t, ch.webhookPath, null, { raw });
    expect(r.status).toBe(400);
    const q = (await (await t.request('/api/v1/quarantine')).json()).data.find((x: any) => x.channelId === ch.id);
    expect(q).toMatchObject({ kind: 'messenger', reason: 'malformed JSON', payload: raw });
  });

  it('records a sticker as "[sticker]" and skips echoes of the page\'s own messages', async () => {
    const ch = await msChannel(t, 'sticker');
    const who = psid();
    const sticker = mid(); const echo = mid();
    const r = await deliver(t, ch.webhookPath, pageEvent(stickerEvent({ psid: who, mid: sticker }), echoEvent({ psid: who, mid: echo })));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ received: 1, ignored: 1 });
    const rows = await app.database.query<any>(`select external_id, body_text from messages where workspace_id = $1 and external_id in ($2, $3)`, [t.ws.id, sticker, echo]);
    expect(rows).toEqual([{ external_id: sticker, body_text: '[sticker]' }]);
  });
});

describe('Messenger echoes (is_echo)', () => {
  it("stores the page's own messages sent outside Candor as outgoing, once, and never duplicates Candor's sends", async () => {
    const ch = await msChannel(t, 'echoes');
    const { psid: who, conversationId, out } = await conversationWithReply(ch);
    const sent = (await listMessages({ ctx: t.agentCtx, conversationId, input: {} })).data.find((m) => m.id === out.id)!;
    expect(sent.externalId).toBeTruthy();
    const fromInbox = mid();
    const body = pageEvent(echoEvent({ psid: who, mid: sent.externalId! }), echoEvent({ psid: who, mid: fromInbox }));
    expect((await deliver(t, ch.webhookPath, body)).status).toBe(200);
    expect((await deliver(t, ch.webhookPath, body)).status).toBe(200);
    const all = (await listMessages({ ctx: t.agentCtx, conversationId, input: {} })).data;
    expect(all.filter((m) => m.externalId === sent.externalId)).toHaveLength(1);
    const echoed = all.filter((m) => m.externalId === fromInbox);
    expect(echoed).toHaveLength(1);
    expect(echoed[0]).toMatchObject({ direction: 'out', authorType: 'agent', deliveryStatus: 'sent', bodyText: 'sent from the page inbox', meta: { sentOutside: true } });
    expect(all.filter((m) => m.direction === 'in')).toHaveLength(1);
  });
});

describe('Messenger replies (Send API stand-in)', () => {
  it('sends one documented Send API request and records the message_id', async () => {
    const ch = await msChannel(t, 'reply');
    const { psid: who, conversationId, out } = await conversationWithReply(ch);
    expect(graph.seen).toHaveLength(1);
    expect(graph.seen[0].problems).toEqual([]);
    expect(graph.seen[0].body).toEqual({ recipient: { id: who }, messaging_type: 'RESPONSE', message: { text: 'No outage there; let us check your line.' } });
    const m = await messageIn(conversationId, out.id);
    expect(m.deliveryStatus).toBe('sent');
    expect(m.externalId).toMatch(/^m_/);
  });

  it('outside the 24-hour window uses the configured message tag, or fails saying why', async () => {
    const tagged = await msChannel(t, 'tagged', { messageTag: 'HUMAN_AGENT' });
    const old = Date.now() - 25 * 3600_000;
    const a = await conversationWithReply(tagged, { timestamp: old });
    expect(graph.seen).toHaveLength(1);
    expect(graph.seen[0].problems).toEqual([]);
    expect(graph.seen[0].body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect((await messageIn(a.conversationId, a.out.id)).deliveryStatus).toBe('sent');
    const untagged = await msChannel(t, 'untagged');
    const b = await conversationWithReply(untagged, { timestamp: old });
    expect(graph.seen).toHaveLength(0);
    const m = await messageIn(b.conversationId, b.out.id);
    expect(m).toMatchObject({ deliveryStatus: 'failed' });
    expect(m.deliveryError).toMatch(/more than 24 hours ago.*no messageTag configured/);
  });

  it('marks the message failed with the Send API\'s reason on a 400; retries a 500', async () => {
    const ch = await msChannel(t, 'errors');
    graph.mode = 'reject';
    const a = await conversationWithReply(ch);
    const failed = await messageIn(a.conversationId, a.out.id);
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.deliveryError).toContain("(#551) This person isn't available right now.");
    graph.mode = 'outage';
    const b = await conversationWithReply(ch);
    expect((await messageIn(b.conversationId, b.out.id)).deliveryStatus).toBe('queued');
    const [job] = await app.database.query<any>(`select status, last_error from jobs where workspace_id = $1 and payload->>'messageId' = $2`, [t.ws.id, b.out.id]);
    expect(job.status).toBe('queued');
    expect(job.last_error).toMatch(/HTTP 500/);
    graph.mode = 'ok';
    await app.database.query(`update jobs set run_at = now() where workspace_id = $1 and payload->>'messageId' = $2`, [t.ws.id, b.out.id]);
    await runner().drain();
    expect((await messageIn(b.conversationId, b.out.id)).deliveryStatus).toBe('sent');
  });
});

describe('Messenger delivery and read receipts', () => {
  it('moves states forward by mids and by watermark, in any order', async () => {
    const ch = await msChannel(t, 'receipts');
    const { psid: who, conversationId, out } = await conversationWithReply(ch);
    const sent = await messageIn(conversationId, out.id);
    expect(sent.deliveryStatus).toBe('sent');
    // The read receipt (a watermark after the reply) arrives before the delivery receipt.
    const read = await deliver(t, ch.webhookPath, pageEvent(readEvent({ psid: who, watermark: Date.now() })));
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ receipts: 1 });
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('read');
    const delivered = await deliver(t, ch.webhookPath, pageEvent(deliveryEvent({ psid: who, mids: [sent.externalId!], watermark: Date.now() - 1000 })));
    expect(delivered.status).toBe(200);
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('read');
  });

  it('a delivery watermark marks every earlier sent message delivered, and nothing after it', async () => {
    const ch = await msChannel(t, 'watermark');
    const first = await conversationWithReply(ch);
    const watermark = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const later = await postMessage({ ctx: t.agentCtx, conversationId: first.conversationId, input: { bodyText: 'One more thing.' } });
    await runner().drain();
    const r = await deliver(t, ch.webhookPath, pageEvent(deliveryEvent({ psid: first.psid, watermark })));
    expect(r.status).toBe(200);
    expect((await messageIn(first.conversationId, first.out.id)).deliveryStatus).toBe('delivered');
    expect((await messageIn(first.conversationId, later.id)).deliveryStatus).toBe('sent');
  });
});

describe('Messenger tenant isolation', () => {
  it('never writes A\'s webhook into B, and B cannot read A\'s conversation', async () => {
    const ch = await msChannel(t, 'isolation');
    const who = psid(); const id = mid();
    const payload = pageEvent(textEvent({ psid: who, mid: id, text: 'private to A' }));
    expect((await deliver(t, `/hooks/${other.ws.id}/${ch.id}`, payload)).status).toBe(404);
    expect((await deliver(t, ch.webhookPath, payload)).status).toBe(200);
    const rows = await app.database.query<any>(`select workspace_id, conversation_id from messages where external_id = $1`, [id]);
    expect(rows).toEqual([{ workspace_id: t.ws.id, conversation_id: expect.any(String) }]);
    expect(await app.database.query(`select 1 from customer_identities where workspace_id = $1 and value = $2`, [other.ws.id, who])).toHaveLength(0);
    expect((await other.request(`/api/v1/conversations/${rows[0].conversation_id}`)).status).toBe(404);
  });
});
