import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { whatsappAdapter } from '../src/channels/whatsapp/index.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { postMessage, listMessages } from '../src/domains/conversations/index.ts';
import { getCustomer } from '../src/domains/customers/index.ts';

/*
 * WhatsApp Cloud API end to end: Meta's documented webhook samples, signed as Meta signs them
 * (X-Hub-Signature-256 = sha256=HMAC-SHA256(raw body, App Secret)), sent to the channel's webhook;
 * replies go to a local stand-in for the Graph API that checks every request field by field.
 */

const APP_SECRET = 'wa-app-secret-9f2c';
const ACCESS_TOKEN = 'EAAG-wa-access-token';
const VERIFY_TOKEN = 'candor-verify-7781';
const PHONE_NUMBER_ID = '106540352242922';
const VERSION = 'v21.0';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;

// ---------- Meta's documented payloads (messages webhook reference), parameterised ----------

/** The "text message sent to a business" sample from the messages webhook reference. */
const textSample = (o: { id: string; from: string; name?: string; body?: string; timestamp?: number; phoneNumberId?: string; context?: string }) => ({
  object: 'whatsapp_business_account',
  entry: [{
    id: '102290129340398',
    changes: [{
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550783881', phone_number_id: o.phoneNumberId ?? PHONE_NUMBER_ID },
        contacts: [{ profile: { name: o.name ?? 'Sheena Nelson' }, wa_id: o.from }],
        messages: [{
          ...(o.context ? { context: { from: '15550783881', id: o.context } } : {}),
          from: o.from, id: o.id, timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
          type: 'text', text: { body: o.body ?? 'Does it come in another color?' },
        }],
      },
      field: 'messages',
    }],
  }],
});

/** The sticker sample (a type Candor records as a summary rather than content). */
const stickerSample = (o: { id: string; from: string }) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
    contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: o.from }],
    messages: [{ from: o.from, id: o.id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'sticker',
      sticker: { mime_type: 'image/webp', sha256: 'XBfMe8SyT1UhqAz3AQqNhaBcjGlZjsZ57o+WgXxQR9I=', id: '1228295501780640', animated: false } }],
  } }] }],
});

/** The status messages webhook sample: sent / delivered / read, or failed with Meta's errors[]. */
const statusSample = (o: { id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; recipient: string; timestamp?: number; error?: { code: number; title: string; details: string } }) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
    statuses: [{
      id: o.id, status: o.status, timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)), recipient_id: o.recipient,
      ...(o.status === 'failed' ? {
        errors: [{ code: o.error!.code, title: o.error!.title, message: o.error!.title, error_data: { details: o.error!.details }, href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/' }],
      } : {
        conversation: { id: 'f5fdae3920125a39a1e6a23e5f877c16', origin: { type: 'service' } },
        pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' },
      }),
    }],
  } }] }],
});

const wamid = () => `wamid.HBgL${randomBytes(18).toString('base64').replace(/[+/=]/g, 'A')}`;
const waId = () => `1650555${String(Math.floor(1000 + Math.random() * 8999))}`;
const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** POSTs a payload to a channel's webhook the way Meta does: JSON, signed over the exact bytes. */
function deliver(ws: TestWorkspace, path: string, payload: unknown, opts: { secret?: string; signature?: string | null; raw?: string } = {}) {
  const body = opts.raw ?? JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' };
  const sig = opts.signature === undefined ? sign(body, opts.secret) : opts.signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  return ws.http.request(path, { method: 'POST', headers, body });
}

// ---------- A stand-in for the Graph API that checks every request against the documented format ----------

type Seen = { method: string; path: string; headers: IncomingMessage['headers']; body: any; problems: string[] };
const graph = {
  server: undefined as Server | undefined,
  url: '',
  seen: [] as Seen[],
  /** What the next requests get: a normal answer, a Graph 4xx refusal, or a 5xx outage. */
  mode: 'ok' as 'ok' | 'reject' | 'outage',
};

function check(req: IncomingMessage, body: any): string[] {
  const p: string[] = [];
  const expect = (cond: boolean, what: string) => { if (!cond) p.push(what); };
  const keys = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o).sort().join(',') : String(o));
  expect(req.method === 'POST', `method ${req.method}`);
  expect(req.url === `/${VERSION}/${PHONE_NUMBER_ID}/messages`, `path ${req.url}`);
  expect(req.headers.authorization === `Bearer ${ACCESS_TOKEN}`, `authorization ${req.headers.authorization}`);
  expect(String(req.headers['content-type']).startsWith('application/json'), `content-type ${req.headers['content-type']}`);
  if (!body || typeof body !== 'object') return [...p, 'body is not JSON'];
  expect(body.messaging_product === 'whatsapp', 'messaging_product');
  expect(body.recipient_type === 'individual', 'recipient_type');
  expect(typeof body.to === 'string' && /^[1-9]\d{6,14}$/.test(body.to), `to ${body.to}`);
  if (body.type === 'text') {
    expect(keys(body) === 'messaging_product,recipient_type,text,to,type', `text message keys ${keys(body)}`);
    expect(keys(body.text) === 'body,preview_url', `text keys ${keys(body.text)}`);
    expect(body.text.preview_url === false, 'preview_url');
    expect(typeof body.text.body === 'string' && body.text.body.length > 0 && body.text.body.length <= 4096, 'text.body');
    expect(!/<[a-z/][^>]*>/i.test(body.text.body), 'text.body carries HTML');
  } else if (body.type === 'template') {
    expect(keys(body) === 'messaging_product,recipient_type,template,to,type', `template message keys ${keys(body)}`);
    const tpl = body.template;
    expect(typeof tpl?.name === 'string' && /^[a-z0-9_]+$/.test(tpl.name), `template.name ${tpl?.name}`);
    expect(keys(tpl?.language) === 'code' && typeof tpl.language.code === 'string', 'template.language');
    for (const c of tpl?.components ?? []) {
      expect(c.type === 'body', `component type ${c.type}`);
      for (const prm of c.parameters ?? []) {
        expect(keys(prm) === 'text,type' && prm.type === 'text', `parameter ${keys(prm)}`);
        expect(!/[\n\t]/.test(prm.text) && !/ {5,}/.test(prm.text), 'parameter holds newlines, tabs or 5+ spaces');
      }
    }
  } else p.push(`type ${body.type}`);
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
      graph.seen.push({ method: req.method!, path: req.url!, headers: req.headers, body, problems });
      const reply = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(json)); };
      if (problems.length) return reply(400, { error: { message: `(#100) Invalid parameter: ${problems.join('; ')}`, type: 'OAuthException', code: 100, fbtrace_id: 'AbCdEf' } });
      if (graph.mode === 'outage') return reply(503, { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true, fbtrace_id: 'AbCdEf' } });
      if (graph.mode === 'reject') {
        return reply(400, { error: { message: '(#131030) Recipient phone number not in allowed list', type: 'OAuthException', code: 131030,
          error_data: { messaging_product: 'whatsapp', details: 'Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.' },
          error_subcode: 2655007, fbtrace_id: 'Agd7sVvnVkYQ' } });
      }
      reply(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: wamid() }] });
    });
  });
  await new Promise<void>((r) => graph.server!.listen(0, '127.0.0.1', r));
  graph.url = `http://127.0.0.1:${(graph.server!.address() as AddressInfo).port}`;
}

const runner = () => deliveryRunner(app, [whatsappAdapter]);
const messageIn = async (conversationId: string, id: string) => (await listMessages({ ctx: t.agentCtx, conversationId, input: { limit: 200 } })).data.find((m) => m.id === id)!;

async function waChannel(ws: TestWorkspace, name: string, config: Record<string, unknown> = {}) {
  return createChannel({ ctx: ws.adminCtx, input: {
    kind: 'whatsapp', name,
    config: { phoneNumberId: PHONE_NUMBER_ID, graphBaseUrl: graph.url, graphVersion: VERSION, templateName: 'service_follow_up', templateLanguage: 'en_US', ...config },
    secrets: { appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, verifyToken: VERIFY_TOKEN },
  } });
}

/** A customer writes (Meta's sample), an agent answers, the job sends it: the conversation and the reply. */
async function conversationWithReply(ch: { webhookPath: string }, o: { from?: string; timestamp?: number; reply?: string } = {}) {
  const from = o.from ?? waId();
  const id = wamid();
  const r = await deliver(t, ch.webhookPath, textSample({ id, from, timestamp: o.timestamp, body: 'My fibre box blinks red' }));
  expect(r.status).toBe(200);
  const [{ conversation_id: conversationId }] = await app.database.query<{ conversation_id: string }>(
    `select conversation_id from messages where workspace_id = $1 and channel = 'whatsapp' and external_id = $2`, [t.ws.id, id]);
  const out = await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: o.reply ?? 'We reset your line; it should be green in two minutes.' } });
  graph.seen = [];
  await runner().drain();
  return { from, conversationId, out };
}

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Fibre');
  other = await newWorkspace(app, 'Other');
  await startGraph();
});
afterAll(async () => { await new Promise((r) => graph.server?.close(r)); });
beforeEach(() => { graph.mode = 'ok'; graph.seen = []; });

describe('WhatsApp webhook verification (GET)', () => {
  it('echoes hub.challenge as text/plain for the right verify token and answers 403 otherwise', async () => {
    const ch = await waChannel(t, 'verify');
    const ok = await t.http.request(`${ch.webhookPath}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    expect((await t.http.request(`${ch.webhookPath}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444`)).status).toBe(403);
    expect((await t.http.request(`${ch.webhookPath}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
    expect((await t.http.request(`${ch.webhookPath}?hub.challenge=1`)).status).toBe(403);
  });
});

describe('WhatsApp inbound messages', () => {
  it('turns Meta\'s text sample into a customer (wa_id, profile name) and a conversation, committed before the 200', async () => {
    const ch = await waChannel(t, 'inbound');
    const from = waId();
    const id = wamid();
    const ts = Math.floor(Date.now() / 1000) - 60;
    const r = await deliver(t, ch.webhookPath, textSample({ id, from, timestamp: ts }));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ received: 1, duplicates: 0 });
    const [m] = await app.database.query<any>(`select * from messages where workspace_id = $1 and channel = 'whatsapp' and external_id = $2`, [t.ws.id, id]);
    expect(m).toMatchObject({ direction: 'in', body_text: 'Does it come in another color?', channel_id: ch.id, delivery_status: 'received' });
    expect(new Date(m.created_at).getTime()).toBe(ts * 1000);
    const customer = await getCustomer({ ctx: t.agentCtx, id: m.customer_id });
    expect(customer.name).toBe('Sheena Nelson');
    expect(customer.identities).toEqual([expect.objectContaining({ kind: 'whatsapp', value: from })]);
    const conv = await (await t.request(`/api/v1/conversations/${m.conversation_id}`)).json();
    expect(conv).toMatchObject({ channel: 'whatsapp', channelId: ch.id, customerId: m.customer_id, messageCount: 1, status: 'open' });
  });

  it('treats a redelivery of the same wamid as a no-op 200', async () => {
    const ch = await waChannel(t, 'replay');
    const payload = textSample({ id: wamid(), from: waId() });
    expect(await (await deliver(t, ch.webhookPath, payload)).json()).toMatchObject({ received: 1, duplicates: 0 });
    const again = await deliver(t, ch.webhookPath, payload);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ received: 0, duplicates: 1 });
    const rows = await app.database.query(`select 1 from messages where workspace_id = $1 and external_id = $2`, [t.ws.id, payload.entry[0].changes[0].value.messages[0].id]);
    expect(rows).toHaveLength(1);
  });

  it('answers 401 to a wrong or missing signature and stores nothing', async () => {
    const ch = await waChannel(t, 'badsig');
    const from = waId();
    const payload = textSample({ id: wamid(), from });
    expect((await deliver(t, ch.webhookPath, payload, { secret: 'not-the-app-secret' })).status).toBe(401);
    expect((await deliver(t, ch.webhookPath, payload, { signature: null })).status).toBe(401);
    expect((await deliver(t, ch.webhookPath, payload, { signature: 'sha1=' + 'a'.repeat(40) })).status).toBe(401);
    // Signed over other bytes (the JSON re-serialised with spaces): the signature covers the raw body.
    expect((await deliver(t, ch.webhookPath, payload, { raw: JSON.stringify(payload, null, 1), signature: sign(JSON.stringify(payload)) })).status).toBe(401);
    expect(await app.database.query(`select 1 from messages where workspace_id = $1 and external_id = $2`, [t.ws.id, payload.entry[0].changes[0].value.messages[0].id])).toHaveLength(0);
    expect(await app.database.query(`select 1 from customer_identities where workspace_id = $1 and value = $2`, [t.ws.id, from])).toHaveLength(0);
    expect(await app.database.query(`select 1 from inbound_quarantine where workspace_id = $1 and channel_id = $2`, [t.ws.id, ch.id])).toHaveLength(0);
  });

  it('answers 400 to a malformed body and keeps it in quarantine for an admin', async () => {
    const ch = await waChannel(t, 'malformed');
    const raw = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[';
    const r = await deliver(t, ch.webhookPath, null, { raw });
    expect(r.status).toBe(400);
    expect((await r.json()).message).toMatch(/malformed JSON/);
    const q = (await (await t.request('/api/v1/quarantine')).json()).data.find((x: any) => x.channelId === ch.id);
    expect(q).toMatchObject({ kind: 'whatsapp', reason: 'malformed JSON', payload: raw });
    const wrongObject = await deliver(t, ch.webhookPath, { object: 'page', entry: [] });
    expect(wrongObject.status).toBe(400);
    expect(await app.database.query(`select 1 from inbound_quarantine where workspace_id = $1 and channel_id = $2`, [t.ws.id, ch.id])).toHaveLength(2);
  });

  it('accepts a sticker (an unsupported type) and records it as "[sticker]"', async () => {
    const ch = await waChannel(t, 'sticker');
    const id = wamid();
    const r = await deliver(t, ch.webhookPath, stickerSample({ id, from: waId() }));
    expect(r.status).toBe(200);
    const [m] = await app.database.query<any>(`select body_text from messages where workspace_id = $1 and external_id = $2`, [t.ws.id, id]);
    expect(m.body_text).toBe('[sticker]');
  });

  it('files a message sent to another number of the same app under that number\'s channel', async () => {
    const a = await waChannel(t, 'number-a', { phoneNumberId: '111111111111111' });
    const b = await waChannel(t, 'number-b', { phoneNumberId: '222222222222222' });
    const id = wamid();
    expect((await deliver(t, a.webhookPath, textSample({ id, from: waId(), phoneNumberId: '222222222222222' }))).status).toBe(200);
    const [m] = await app.database.query<any>(`select channel_id from messages where workspace_id = $1 and external_id = $2`, [t.ws.id, id]);
    expect(m.channel_id).toBe(b.id);
  });
});

describe('WhatsApp replies (Graph API stand-in)', () => {
  it('sends an agent reply as one documented text message and records the wamid', async () => {
    const ch = await waChannel(t, 'reply');
    const { from, conversationId, out } = await conversationWithReply(ch);
    expect(graph.seen).toHaveLength(1);
    expect(graph.seen[0].problems).toEqual([]);
    expect(graph.seen[0].body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: from, type: 'text',
      text: { preview_url: false, body: 'We reset your line; it should be green in two minutes.' } });
    const m = await messageIn(conversationId, out.id);
    expect(m.deliveryStatus).toBe('sent');
    expect(m.externalId).toMatch(/^wamid\./);
    expect(m.channelId).toBe(ch.id);
  });

  it('sends plain text only: HTML in a reply is stripped', async () => {
    const ch = await waChannel(t, 'html');
    await conversationWithReply(ch, { reply: '<p>Your <b>new router</b> ships today &amp; arrives Friday.</p>' });
    expect(graph.seen[0].problems).toEqual([]);
    expect(graph.seen[0].body.text.body).toBe('Your new router ships today & arrives Friday.');
  });

  it('sends the configured template when the 24-hour window is shut (last message 25 h ago)', async () => {
    const ch = await waChannel(t, 'template');
    const { from, conversationId, out } = await conversationWithReply(ch, {
      timestamp: Math.floor(Date.now() / 1000) - 25 * 3600, reply: 'Good news:\n\tthe outage    is over.',
    });
    expect(graph.seen).toHaveLength(1);
    expect(graph.seen[0].problems).toEqual([]);
    expect(graph.seen[0].body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: from, type: 'template',
      template: { name: 'service_follow_up', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Good news: the outage   is over.' }] }] } });
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('sent');
  });

  it('fails permanently, saying why, when the window is shut and no template is configured', async () => {
    const ch = await waChannel(t, 'no-template', { templateName: undefined });
    const { conversationId, out } = await conversationWithReply(ch, { timestamp: Math.floor(Date.now() / 1000) - 25 * 3600 });
    expect(graph.seen).toHaveLength(0);
    const m = await messageIn(conversationId, out.id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toMatch(/more than 24 hours ago.*no templateName configured/);
  });

  it('marks the message failed with Graph\'s reason when it answers 400, without retrying', async () => {
    const ch = await waChannel(t, 'rejected');
    graph.mode = 'reject';
    const { conversationId, out } = await conversationWithReply(ch);
    expect(graph.seen).toHaveLength(1);
    const m = await messageIn(conversationId, out.id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toContain('(#131030) Recipient phone number not in allowed list');
    expect(m.deliveryError).toContain('code 131030');
    const [job] = await app.database.query<any>(`select status from jobs where workspace_id = $1 and payload->>'messageId' = $2`, [t.ws.id, out.id]);
    expect(job.status).toBe('done');
  });

  it('retries after a 5xx and sends once Graph is back', async () => {
    const ch = await waChannel(t, 'outage');
    graph.mode = 'outage';
    const { conversationId, out } = await conversationWithReply(ch);
    expect(graph.seen).toHaveLength(1);
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('queued');
    const [job] = await app.database.query<any>(`select status, last_error from jobs where workspace_id = $1 and payload->>'messageId' = $2`, [t.ws.id, out.id]);
    expect(job).toMatchObject({ status: 'queued' });
    expect(job.last_error).toMatch(/HTTP 503/);
    graph.mode = 'ok';
    await app.database.query(`update jobs set run_at = now() where workspace_id = $1 and payload->>'messageId' = $2`, [t.ws.id, out.id]);
    await runner().drain();
    expect(graph.seen).toHaveLength(2);
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('sent');
  });
});

describe('WhatsApp delivery statuses', () => {
  it('applies statuses in any order: read then delivered stays read', async () => {
    const ch = await waChannel(t, 'statuses');
    const { from, conversationId, out } = await conversationWithReply(ch);
    const sent = await messageIn(conversationId, out.id);
    const now = Math.floor(Date.now() / 1000);
    const read = await deliver(t, ch.webhookPath, statusSample({ id: sent.externalId!, status: 'read', recipient: from, timestamp: now + 2 }));
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ receipts: 1 });
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('read');
    const late = await deliver(t, ch.webhookPath, statusSample({ id: sent.externalId!, status: 'delivered', recipient: from, timestamp: now + 1 }));
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ receipts: 0 });
    const sentAgain = await deliver(t, ch.webhookPath, statusSample({ id: sent.externalId!, status: 'sent', recipient: from, timestamp: now }));
    expect(sentAgain.status).toBe(200);
    expect((await messageIn(conversationId, out.id)).deliveryStatus).toBe('read');
  });

  it('records a failed status with the provider\'s error title and code', async () => {
    const ch = await waChannel(t, 'failed');
    const { from, conversationId, out } = await conversationWithReply(ch);
    const sent = await messageIn(conversationId, out.id);
    const r = await deliver(t, ch.webhookPath, statusSample({ id: sent.externalId!, status: 'failed', recipient: from,
      error: { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.' } }));
    expect(r.status).toBe(200);
    const m = await messageIn(conversationId, out.id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toBe('This message was not delivered to maintain healthy ecosystem engagement. (code 131049): In order to maintain a healthy ecosystem engagement, the message failed to be delivered.');
  });

  it('asks Meta to redeliver a fresh receipt for a wamid not recorded yet, and drops an old one', async () => {
    const ch = await waChannel(t, 'unknown-status');
    const fresh = await deliver(t, ch.webhookPath, statusSample({ id: wamid(), status: 'delivered', recipient: '16505551234' }));
    expect(fresh.status).toBe(503);
    const old = await deliver(t, ch.webhookPath, statusSample({ id: wamid(), status: 'delivered', recipient: '16505551234', timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(old.status).toBe(200);
    const sentOnly = await deliver(t, ch.webhookPath, statusSample({ id: wamid(), status: 'sent', recipient: '16505551234' }));
    expect(sentOnly.status).toBe(200);
  });
});

describe('WhatsApp tenant isolation', () => {
  it('never writes a webhook for workspace A into B, and B cannot read A\'s WhatsApp conversation', async () => {
    const ch = await waChannel(t, 'isolation');
    const from = waId();
    const id = wamid();
    const payload = textSample({ id, from, body: 'private to A' });
    // A's channel id under B's workspace path: no such channel there.
    expect((await deliver(t, `/hooks/${other.ws.id}/${ch.id}`, payload)).status).toBe(404);
    expect(await app.database.query(`select 1 from messages where external_id = $1`, [id])).toHaveLength(0);
    expect((await deliver(t, ch.webhookPath, payload)).status).toBe(200);
    const rows = await app.database.query<any>(`select workspace_id, conversation_id from messages where external_id = $1`, [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].workspace_id).toBe(t.ws.id);
    expect(await app.database.query(`select 1 from customer_identities where workspace_id = $1 and value = $2`, [other.ws.id, from])).toHaveLength(0);
    expect((await other.request(`/api/v1/conversations/${rows[0].conversation_id}`)).status).toBe(404);
    expect((await other.request(`/api/v1/conversations/${rows[0].conversation_id}/messages`)).status).toBe(404);
    expect((await (await other.request('/api/v1/conversations?channel=whatsapp')).json()).data).toEqual([]);
  });
});
