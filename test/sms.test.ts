import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { JobRunner } from '../src/platform/jobs.ts';
import { createApp } from '../src/http/app.ts';
import { smsAdapter } from '../src/channels/sms/sms-adapter.ts';
import { twilioSignature } from '../src/channels/shared/twilio.ts';
import { smsSegments } from '../src/channels/sms/segments.ts';
import { createChannel, listQuarantine } from '../src/domains/channels/index.ts';
import { listMessages, postMessage } from '../src/domains/conversations/index.ts';

/**
 * Twilio SMS adapter, end to end: signed inbound webhook, delivery status callbacks in any order,
 * replies through a local stand-in of api.twilio.com that checks the Messages API request field by
 * field, and the segment counter agents see.
 */
const ACCOUNT_SID = 'AC' + 'a1b2c3d4'.repeat(4);
const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const FROM_NUMBER = '+15017122661';
const CUSTOMER = '+14155550123';

type Seen = { method: string; path: string; headers: IncomingHttpHeaders; form: URLSearchParams; problems: string[] };
type Answer = { status: number; json: unknown };
const sid = (prefix: string) => prefix + Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

/** api.twilio.com stand-in: checks POST /2010-04-01/Accounts/{Sid}/Messages.json as documented, answers like Twilio. */
function twilioStandIn() {
  const seen: Seen[] = [];
  let next: ((s: Seen) => Promise<Answer | undefined> | Answer | undefined) | undefined;
  let expectedCallback: (form: URLSearchParams) => string | undefined = () => undefined;
  const check = (method: string, path: string, headers: IncomingHttpHeaders, form: URLSearchParams) => {
    const problems: string[] = [];
    if (method !== 'POST') problems.push(`method ${method}`);
    if (path !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) problems.push(`path ${path}`);
    if (headers.authorization !== `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`) problems.push('authorization');
    if (!String(headers['content-type']).startsWith('application/x-www-form-urlencoded')) problems.push(`content-type ${headers['content-type']}`);
    const keys = [...new Set(form.keys())].sort().join(',');
    if (keys !== 'Body,From,StatusCallback,To') problems.push(`fields ${keys}`);
    if (!/^\+[1-9]\d{6,14}$/.test(form.get('To') ?? '')) problems.push(`To ${form.get('To')}`);
    if (form.get('From') !== FROM_NUMBER) problems.push(`From ${form.get('From')}`);
    const body = form.get('Body') ?? '';
    if (!body || body.length > 1600) problems.push('Body must be 1-1600 characters');
    const cb = expectedCallback(form);
    if (cb && form.get('StatusCallback') !== cb) problems.push(`StatusCallback ${form.get('StatusCallback')} (expected ${cb})`);
    return problems;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const s: Seen = { method: req.method!, path: req.url!, headers: req.headers, form, problems: check(req.method!, req.url!, req.headers, form) };
      seen.push(s);
      let answer = await next?.(s);
      if (!answer && s.problems.length) answer = { status: 400, json: { code: 21601, message: `Stand-in rejected: ${s.problems.join('; ')}`, more_info: 'https://www.twilio.com/docs/errors/21601', status: 400 } };
      const now = new Date().toUTCString().replace('GMT', '+0000');
      answer ??= { status: 201, json: {
        account_sid: ACCOUNT_SID, api_version: '2010-04-01', body: form.get('Body'), date_created: now, date_sent: null, date_updated: now,
        direction: 'outbound-api', error_code: null, error_message: null, from: form.get('From'), messaging_service_sid: null,
        num_media: '0', num_segments: String(smsSegments(form.get('Body') ?? '').segments), price: null, price_unit: 'USD',
        sid: (s as any).sid ?? sid('SM'), status: 'queued', to: form.get('To'), uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM.json`,
      } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
    });
  });
  return {
    seen, server,
    respond(f?: (s: Seen) => Promise<Answer | undefined> | Answer | undefined) { next = f; },
    expectCallback(f: (form: URLSearchParams) => string | undefined) { expectedCallback = f; },
    async listen() { await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r())); return `http://127.0.0.1:${(server.address() as AddressInfo).port}`; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
let api: ReturnType<typeof twilioStandIn>;
let channel: Awaited<ReturnType<typeof createChannel>>;
let runner: JobRunner;
let statusUrl: string;

/** Twilio's incoming-message webhook, as in its docs (messaging/guides/webhook-request), signed as Twilio signs. */
const incoming = (over: Record<string, string> = {}) => {
  const messageSid = over.MessageSid ?? sid('SM');
  return new URLSearchParams({
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: messageSid, NumMedia: '0', ToCity: 'SAN FRANCISCO', FromZip: '94105', SmsSid: messageSid,
    FromState: 'CA', SmsStatus: 'received', FromCity: 'SAN FRANCISCO', Body: 'Hello! My fibre is down since this morning.', FromCountry: 'US',
    To: FROM_NUMBER, ToZip: '94105', NumSegments: '1', MessageSid: messageSid, AccountSid: ACCOUNT_SID, From: CUSTOMER, ApiVersion: '2010-04-01',
    ...over,
  });
};
const post = (ws: TestWorkspace, url: string, form: URLSearchParams, signature?: string, http = ws.http) =>
  http.request(url, { method: 'POST', body: form.toString(), headers: {
    'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature ?? twilioSignature(AUTH_TOKEN, url, form),
  } });
const local = (path: string) => `http://localhost${path}`;
const countMessages = async (externalId: string) =>
  (await app.database.query<{ n: number }>('select count(*)::int as n from messages where external_id = $1', [externalId]))[0].n;
const conversationOf = async (ws: TestWorkspace, channelId: string) =>
  (await (await ws.request('/api/v1/conversations?channel=sms&limit=100')).json()).data.find((c: any) => c.channelId === channelId);
const messageById = async (conversationId: string, id: string) =>
  (await listMessages({ ctx: t.agentCtx, conversationId, input: { limit: 200 } })).data.find((x) => x.id === id)!;
const statusCallback = (messageSid: string, status: string, extra: Record<string, string> = {}, url = statusUrl) =>
  new URLSearchParams({ AccountSid: ACCOUNT_SID, ApiVersion: '2010-04-01', From: FROM_NUMBER, MessageSid: messageSid, MessageStatus: status, SmsSid: messageSid, SmsStatus: status, To: CUSTOMER, ...extra });

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'SMS A');
  other = await newWorkspace(app, 'SMS B');
  api = twilioStandIn();
  const base = await api.listen();
  channel = await createChannel({ ctx: t.adminCtx, input: { kind: 'sms', name: 'main number', config: { accountSid: ACCOUNT_SID, fromNumber: FROM_NUMBER, apiBaseUrl: base }, secrets: { authToken: AUTH_TOKEN } } });
  statusUrl = local(`${channel.webhookPath}/status`);
  await t.request(`/api/v1/channels/${channel.id}`, { method: 'PATCH', cookie: await t.sessionCookie('admin'), json: { config: { accountSid: ACCOUNT_SID, fromNumber: FROM_NUMBER, apiBaseUrl: base, statusCallbackUrl: statusUrl } } });
  runner = deliveryRunner(app, [smsAdapter]);
});
afterAll(async () => { await api?.close(); });

describe('twilio signature', () => {
  it('matches the worked example of Twilio\'s security docs', () => {
    const params = new URLSearchParams({ CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' });
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });
});

describe('sms webhook', () => {
  it('commits a signed incoming message before answering empty TwiML', async () => {
    const form = incoming({ MessageSid: 'SM' + '1'.repeat(32), SmsSid: 'SM' + '1'.repeat(32), SmsMessageSid: 'SM' + '1'.repeat(32) });
    const r = await post(t, channel.webhookPath, form, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), form));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/xml');
    expect(await r.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const conv = await conversationOf(t, channel.id);
    expect(conv).toMatchObject({ channel: 'sms', messageCount: 1 });
    const [m] = (await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} })).data;
    expect(m).toMatchObject({ direction: 'in', bodyText: 'Hello! My fibre is down since this morning.', externalId: 'SM' + '1'.repeat(32), channelId: channel.id });
    const customer = await (await t.request(`/api/v1/customers/${conv.customerId}`)).json();
    expect(customer.identities).toEqual([expect.objectContaining({ kind: 'phone', value: CUSTOMER })]);
  });

  it('checks the signature against the public URL Twilio called', async () => {
    const behindProxy = createApp(app, { webDir: null, publicUrl: 'https://support.fibrelink.test', rateLimit: { burst: 1000, perSecond: 1000 } });
    const form = incoming({ Body: 'via the proxy' });
    const signedForPublic = twilioSignature(AUTH_TOKEN, `https://support.fibrelink.test${channel.webhookPath}`, form);
    expect((await post(t, channel.webhookPath, form, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), form), behindProxy)).status).toBe(401);
    expect((await post(t, channel.webhookPath, form, signedForPublic, behindProxy)).status).toBe(200);
    expect(await countMessages(form.get('MessageSid')!)).toBe(1);
  });

  it('answers 401 and stores nothing when the signature is wrong, missing, or the body was altered', async () => {
    const form = incoming({ Body: 'forged' });
    const good = twilioSignature(AUTH_TOKEN, local(channel.webhookPath), form);
    expect((await post(t, channel.webhookPath, form, twilioSignature('wrong-token', local(channel.webhookPath), form))).status).toBe(401);
    expect((await t.http.request(channel.webhookPath, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(401);
    const altered = new URLSearchParams(form); altered.set('Body', 'forged and altered');
    expect((await post(t, channel.webhookPath, altered, good)).status).toBe(401);
    expect(await countMessages(form.get('MessageSid')!)).toBe(0);
    expect((await listQuarantine({ ctx: t.adminCtx, input: {} })).data.filter((q) => q.payload.includes('forged'))).toHaveLength(0);
  });

  it('treats a replay as a no-op', async () => {
    const form = incoming({ Body: 'once only' });
    expect((await post(t, channel.webhookPath, form, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), form))).status).toBe(200);
    const before = (await conversationOf(t, channel.id)).messageCount;
    const again = await post(t, channel.webhookPath, form, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), form));
    expect(again.status).toBe(200);
    expect(await countMessages(form.get('MessageSid')!)).toBe(1);
    expect((await conversationOf(t, channel.id)).messageCount).toBe(before);
  });

  it('answers 400 to a malformed body and keeps it in quarantine', async () => {
    const noSid = incoming({ Body: 'sid-less' }); noSid.delete('MessageSid'); noSid.delete('SmsSid');
    const r = await post(t, channel.webhookPath, noSid, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), noSid));
    expect(r.status).toBe(400);
    const shortCode = incoming({ From: 'FIBRELINK', Body: 'alphanumeric sender' });
    expect((await post(t, channel.webhookPath, shortCode, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), shortCode))).status).toBe(400);
    const q = (await listQuarantine({ ctx: t.adminCtx, input: {} })).data;
    expect(q.find((x) => x.payload.includes('sid-less'))).toMatchObject({ channelId: channel.id, kind: 'sms', contentType: 'application/x-www-form-urlencoded' });
    expect(q.find((x) => x.payload.includes('alphanumeric'))!.reason).toContain('E.164');
    expect(await countMessages(shortCode.get('MessageSid')!)).toBe(0);
  });

  it('lists MMS media for the agent', async () => {
    const form = incoming({ Body: '', NumMedia: '1', MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`, MediaContentType0: 'image/jpeg' });
    expect((await post(t, channel.webhookPath, form, twilioSignature(AUTH_TOKEN, local(channel.webhookPath), form))).status).toBe(200);
    const [row] = await app.database.query<{ body_text: string }>('select body_text from messages where external_id = $1', [form.get('MessageSid')]);
    expect(row.body_text).toBe(`[image/jpeg] ${form.get('MediaUrl0')}`);
  });
});

describe('sms replies and delivery states', () => {
  it('sends through the Messages API exactly as documented and records the SM sid', async () => {
    const conv = await conversationOf(t, channel.id);
    api.expectCallback(() => undefined);
    const before = api.seen.length;
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'We see the fault <i>and</i> a technician is on the way.' } });
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    await runner.drain();
    const req = api.seen[before];
    expect(req.problems).toEqual([]);
    expect(Object.fromEntries(req.form)).toEqual({ To: CUSTOMER, From: FROM_NUMBER, Body: 'We see the fault and a technician is on the way.', StatusCallback: `${statusUrl}?m=${out.id}` });
    const m = await messageById(conv.id, out.id);
    expect(m.deliveryStatus).toBe('sent');
    expect(m.externalId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('moves delivery state forward only, whatever order the callbacks arrive in', async () => {
    const conv = await conversationOf(t, channel.id);
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Order test' } });
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    await runner.drain();
    const { externalId } = await messageById(conv.id, out.id);
    const cb = `${statusUrl}?m=${out.id}`;
    const path = cb.slice('http://localhost'.length);
    for (const s of ['delivered', 'sent', 'queued', 'sending']) {
      const form = statusCallback(externalId!, s);
      const r = await post(t, path, form, twilioSignature(AUTH_TOKEN, cb, form));
      expect(r.status).toBe(200);
    }
    expect(await messageById(conv.id, out.id)).toMatchObject({ deliveryStatus: 'delivered', deliveryError: null });
    const read = statusCallback(externalId!, 'read');
    await post(t, path, read, twilioSignature(AUTH_TOKEN, cb, read));
    expect((await messageById(conv.id, out.id)).deliveryStatus).toBe('read');
  });

  it('keeps a callback that arrives before the send job recorded "sent"', async () => {
    const conv = await conversationOf(t, channel.id);
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Race test' } });
    const messageSid = sid('SM');
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    api.respond(async (s) => {
      // Twilio reports "delivered" to the StatusCallback before our create request has even returned.
      const cb = s.form.get('StatusCallback')!;
      const form = statusCallback(messageSid, 'delivered');
      expect((await post(t, cb.slice('http://localhost'.length), form, twilioSignature(AUTH_TOKEN, cb, form))).status).toBe(200);
      (s as any).sid = messageSid;
      return undefined;
    });
    await runner.drain();
    api.respond();
    expect(await messageById(conv.id, out.id)).toMatchObject({ deliveryStatus: 'delivered', externalId: messageSid });
  });

  it('marks undelivered with Twilio\'s error code, and a late "sent" does not undo it; also by MessageSid alone', async () => {
    const conv = await conversationOf(t, channel.id);
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Failure test' } });
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    await runner.drain();
    const { externalId } = await messageById(conv.id, out.id);
    // A callback URL without ?m= (a send from before this version, or set in the console) goes by MessageSid.
    const failed = statusCallback(externalId!, 'undelivered', { ErrorCode: '30003' });
    expect((await post(t, `${channel.webhookPath}/status`, failed, twilioSignature(AUTH_TOKEN, statusUrl, failed))).status).toBe(200);
    const late = statusCallback(externalId!, 'sent');
    await post(t, `${channel.webhookPath}/status`, late, twilioSignature(AUTH_TOKEN, statusUrl, late));
    const m = await messageById(conv.id, out.id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toBe('SMS undelivered (Twilio error 30003: unreachable destination handset)');
  });

  it('ignores a status callback with a bad signature', async () => {
    const conv = await conversationOf(t, channel.id);
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Forged status test' } });
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    await runner.drain();
    const { externalId } = await messageById(conv.id, out.id);
    const form = statusCallback(externalId!, 'failed', { ErrorCode: '30007' });
    expect((await post(t, `${channel.webhookPath}/status`, form, twilioSignature('attacker', statusUrl, form))).status).toBe(401);
    expect((await messageById(conv.id, out.id)).deliveryStatus).toBe('sent');
  });

  it('fails at once with Twilio\'s message and code on a 4xx', async () => {
    const conv = await conversationOf(t, channel.id);
    api.respond(() => ({ status: 400, json: { code: 21211, message: "The 'To' number +14155550123 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 } }));
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Permanent failure test' } });
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    await runner.drain();
    api.respond();
    const m = await messageById(conv.id, out.id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toBe("Twilio answered 400: The 'To' number +14155550123 is not a valid phone number. (Twilio error 21211)");
  });

  it('retries on a 5xx, then sends', async () => {
    const conv = await conversationOf(t, channel.id);
    let calls = 0;
    api.respond(() => (++calls === 1 ? { status: 503, json: { code: 20503, message: 'Service Unavailable', status: 503 } } : undefined));
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Retry test' } });
    api.expectCallback(() => `${statusUrl}?m=${out.id}`);
    await runner.drain();
    expect((await messageById(conv.id, out.id)).deliveryStatus).toBe('queued');
    await app.database.query(`update jobs set run_at = now() where status = 'queued'`);
    await runner.drain();
    api.respond();
    expect((await messageById(conv.id, out.id)).deliveryStatus).toBe('sent');
    expect(calls).toBe(2);
  });
});

describe('sms segments', () => {
  it('counts GSM-7 at 160 in one segment and 153 a segment beyond', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, charsPerSegment: 160, units: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2, charsPerSegment: 153, units: 161 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    expect(smsSegments('')).toMatchObject({ segments: 0 });
  });

  it('counts an extension character such as € as two septets, never split across segments', () => {
    expect(smsSegments('€')).toEqual({ encoding: 'GSM-7', segments: 1, charsPerSegment: 160, units: 2 });
    expect(smsSegments('a'.repeat(159) + '€')).toMatchObject({ encoding: 'GSM-7', segments: 2, units: 161 });
    expect(smsSegments('a'.repeat(158) + '€')).toMatchObject({ segments: 1, units: 160 });
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments).toBe(3); // 306 septets, but the escape pair moves whole to segment 2
  });

  it('switches to UCS-2 for an emoji: 70 in one segment, 67 beyond', () => {
    expect(smsSegments('Fixed 👍')).toEqual({ encoding: 'UCS-2', segments: 1, charsPerSegment: 70, units: 8 });
    expect(smsSegments('👍' + 'a'.repeat(68))).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(smsSegments('👍' + 'a'.repeat(69))).toEqual({ encoding: 'UCS-2', segments: 2, charsPerSegment: 67, units: 71 });
    expect(smsSegments('a'.repeat(66) + '👍' + 'a'.repeat(66)).segments).toBe(3); // 134 units, but the surrogate pair is never split
    expect(smsSegments('a'.repeat(70) + 'ç').encoding).toBe('UCS-2');
  });

  it('is served to authenticated callers at GET /api/v1/channels/sms/segments', async () => {
    const r = await t.request(`/api/v1/channels/sms/segments?text=${encodeURIComponent('Storing in Utrecht verholpen €')}`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ encoding: 'GSM-7', segments: 1, charsPerSegment: 160, units: 31 });
    expect((await t.http.request('/api/v1/channels/sms/segments?text=hi')).status).toBe(401);
    const agent = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/channels/sms/segments?text=%F0%9F%91%8D', { cookie: agent })).status).toBe(200);
  });
});

describe('sms tenant isolation', () => {
  it('never lands workspace A\'s webhook in B, and B cannot read A\'s conversation', async () => {
    const form = incoming({ Body: 'cross tenant' });
    const wrong = `/hooks/${other.ws.id}/${channel.id}`;
    expect((await post(other, wrong, form, twilioSignature(AUTH_TOKEN, local(wrong), form))).status).toBe(404);
    expect(await countMessages(form.get('MessageSid')!)).toBe(0);
    const conv = await conversationOf(t, channel.id);
    expect((await other.request(`/api/v1/conversations/${conv.id}`)).status).toBe(404);
    expect((await (await other.request('/api/v1/conversations?channel=sms')).json()).data).toEqual([]);
  });
});
