import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { JobRunner } from '../src/platform/jobs.ts';
import { telegramAdapter, splitForTelegram } from '../src/channels/telegram/telegram-adapter.ts';
import { createChannel, listQuarantine } from '../src/domains/channels/index.ts';
import { listMessages, postMessage } from '../src/domains/conversations/index.ts';

/**
 * Telegram Bot API adapter, end to end: webhook → committed message; reply → sendMessage on a local
 * stand-in of api.telegram.org that checks each request against the Bot API's documented format.
 */
const BOT_TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const SECRET = 'Candor_webhook-secret_0123456789';

/** The sample Update from Telegram's webhook guide (core.telegram.org/bots/webhooks, "Testing your bot with updates"). */
const sampleUpdate = (over: { update_id?: number; message_id?: number; text?: string; userId?: number } = {}) => JSON.stringify({
  update_id: over.update_id ?? 10000,
  message: {
    date: 1441645532,
    chat: { last_name: 'Test Lastname', id: over.userId ?? 1111111, type: 'private', first_name: 'Test Firstname', username: 'Testusername' },
    message_id: over.message_id ?? 1365,
    from: { last_name: 'Test Lastname', id: over.userId ?? 1111111, first_name: 'Test Firstname', username: 'Testusername' },
    text: over.text ?? '/start',
  },
});

type Seen = { method: string; path: string; headers: IncomingHttpHeaders; body: string; problems: string[] };
type Answer = { status: number; json: unknown };

/** api.telegram.org stand-in: checks sendMessage field by field, answers as the Bot API does. */
function telegramStandIn() {
  const seen: Seen[] = [];
  let next: ((s: Seen) => Answer | undefined) | undefined;
  let messageId = 5000;
  const check = (method: string, path: string, headers: IncomingHttpHeaders, body: string) => {
    const problems: string[] = [];
    if (method !== 'POST') problems.push(`method ${method}`);
    if (path !== `/bot${BOT_TOKEN}/sendMessage`) problems.push(`path ${path}`);
    if (!String(headers['content-type']).startsWith('application/json')) problems.push(`content-type ${headers['content-type']}`);
    let json: any;
    try { json = JSON.parse(body); } catch { problems.push('body is not JSON'); return { problems, json: null }; }
    const keys = Object.keys(json).sort().join(',');
    if (keys !== 'chat_id,text') problems.push(`fields ${keys}`);
    if (!Number.isInteger(json.chat_id)) problems.push(`chat_id ${json.chat_id}`);
    if (typeof json.text !== 'string' || json.text.length < 1 || json.text.length > 4096) problems.push('text must be 1-4096 characters');
    return { problems, json };
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { problems, json } = check(req.method!, req.url!, req.headers, body);
      const s: Seen = { method: req.method!, path: req.url!, headers: req.headers, body, problems };
      seen.push(s);
      let answer: Answer | undefined = next?.(s);
      if (!answer && problems.length) answer = { status: 400, json: { ok: false, error_code: 400, description: `Bad Request: ${problems.join('; ')}` } };
      answer ??= { status: 200, json: { ok: true, result: {
        message_id: ++messageId, from: { id: 123456, is_bot: true, first_name: 'Candor Test', username: 'candor_test_bot' },
        chat: { id: json.chat_id, first_name: 'Test Firstname', type: 'private' }, date: Math.floor(Date.now() / 1000), text: json.text,
      } } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
    });
  });
  return {
    seen, server,
    respond(f?: (s: Seen) => Answer | undefined) { next = f; },
    async listen() { await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r())); return `http://127.0.0.1:${(server.address() as AddressInfo).port}`; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
let api: ReturnType<typeof telegramStandIn>;
let channel: Awaited<ReturnType<typeof createChannel>>;
let runner: JobRunner;

const hook = (ws: TestWorkspace, path: string, body: string, secret: string | null = SECRET) =>
  ws.http.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret }) } });
const countMessages = async (externalIdLike: string) =>
  (await app.database.query<{ n: number }>('select count(*)::int as n from messages where external_id like $1', [externalIdLike]))[0].n;
const conversationOf = async (ws: TestWorkspace, channelId: string) =>
  (await (await ws.request('/api/v1/conversations?channel=telegram&limit=100')).json()).data.find((c: any) => c.channelId === channelId);
const makeDue = () => app.database.query(`update jobs set run_at = now() where status = 'queued'`);

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Telegram A');
  other = await newWorkspace(app, 'Telegram B');
  api = telegramStandIn();
  const base = await api.listen();
  channel = await createChannel({ ctx: t.adminCtx, input: { kind: 'telegram', name: 'support bot', config: { apiBaseUrl: base }, secrets: { botToken: BOT_TOKEN, webhookSecret: SECRET } } });
  runner = deliveryRunner(app, [telegramAdapter]);
});
afterAll(async () => { await api?.close(); });

describe('telegram webhook', () => {
  it('commits the documented sample Update before answering 200, as a message from the Telegram user', async () => {
    const r = await hook(t, channel.webhookPath, sampleUpdate());
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, duplicate: false });
    const conv = await conversationOf(t, channel.id);
    expect(conv).toMatchObject({ channel: 'telegram', messageCount: 1 });
    const { data } = await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} });
    expect(data[0]).toMatchObject({ direction: 'in', channel: 'telegram', channelId: channel.id, bodyText: '/start', externalId: `${channel.id}:1111111:1365` });
    // The sample's date (2015) is implausible as of now: kept as the sent time, ordered by arrival.
    expect(data[0].meta).toMatchObject({ sentAt: new Date(1441645532 * 1000).toISOString() });
    expect(Date.now() - Date.parse(data[0].createdAt)).toBeLessThan(3600_000);
    const customer = await (await t.request(`/api/v1/customers/${conv.customerId}`)).json();
    expect(customer).toMatchObject({ name: 'Test Firstname Test Lastname', identities: [{ kind: 'telegram', value: '1111111' }] });
  });

  it('answers 401 and stores nothing for a wrong or missing secret token', async () => {
    const body = sampleUpdate({ update_id: 10001, message_id: 4242, text: 'forged' });
    expect((await hook(t, channel.webhookPath, body, 'not-the-secret')).status).toBe(401);
    expect((await hook(t, channel.webhookPath, body, null)).status).toBe(401);
    expect(await countMessages(`%:4242`)).toBe(0);
    expect((await listQuarantine({ ctx: t.adminCtx, input: {} })).data.filter((q) => q.payload.includes('forged'))).toHaveLength(0);
  });

  it('treats a redelivered Update as a no-op', async () => {
    const body = sampleUpdate({ update_id: 10002, message_id: 1366, text: 'my router blinks red' });
    expect(await (await hook(t, channel.webhookPath, body)).json()).toEqual({ ok: true, duplicate: false });
    const again = await hook(t, channel.webhookPath, body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(await countMessages(`${channel.id}:1111111:1366`)).toBe(1);
    expect((await conversationOf(t, channel.id)).messageCount).toBe(2);
  });

  it('an edited_message updates the original and keeps its earlier text, never adding a message', async () => {
    const before = (await conversationOf(t, channel.id)).messageCount;
    const edited = JSON.stringify({ update_id: 10003, edited_message: { ...JSON.parse(sampleUpdate({ message_id: 1366 })).message, text: 'my router blinks orange', edit_date: 1441645600 } });
    expect(await (await hook(t, channel.webhookPath, edited)).json()).toEqual({ ok: true, edited: true });
    expect(await (await hook(t, channel.webhookPath, edited)).json()).toEqual({ ok: true, edited: false });
    const again = JSON.stringify({ update_id: 10005, edited_message: { ...JSON.parse(sampleUpdate({ message_id: 1366 })).message, text: 'blinks orange and green', edit_date: 1441645700 } });
    expect((await hook(t, channel.webhookPath, again)).status).toBe(200);
    const conv = await conversationOf(t, channel.id);
    expect(conv.messageCount).toBe(before);
    expect(await countMessages(`${channel.id}:1111111:1366%`)).toBe(1);
    const { data } = await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} });
    const m = data.find((x) => x.externalId === `${channel.id}:1111111:1366`)!;
    expect(m.bodyText).toBe('blinks orange and green');
    expect(m.meta).toMatchObject({ editedAt: new Date(1441645700 * 1000).toISOString(), history: [
      { text: 'my router blinks red', until: new Date(1441645600 * 1000).toISOString() }, { text: 'my router blinks orange', until: new Date(1441645700 * 1000).toISOString() }] });
    // An edited channel post of a post Candor never held changes nothing and adds nothing.
    const post = JSON.stringify({ update_id: 10006, edited_channel_post: { message_id: 77, date: 1441645000, edit_date: 1441645800, chat: { id: -1001234567890, type: 'channel', title: 'News' }, text: 'edited post' } });
    expect(await (await hook(t, channel.webhookPath, post)).json()).toMatchObject({ ok: true, ignored: expect.any(String) });
    expect((await conversationOf(t, channel.id)).messageCount).toBe(before);
  });

  it('answers 400 to a malformed body and keeps it in quarantine', async () => {
    const r = await hook(t, channel.webhookPath, '{"update_id": 10004, "message": {');
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'validation_failed' });
    const notAnUpdate = await hook(t, channel.webhookPath, JSON.stringify({ hello: 'world' }));
    expect(notAnUpdate.status).toBe(400);
    const q = (await listQuarantine({ ctx: t.adminCtx, input: {} })).data;
    expect(q.find((x) => x.payload === '{"update_id": 10004, "message": {')).toMatchObject({ channelId: channel.id, kind: 'telegram', reason: 'malformed JSON' });
    expect(q.find((x) => x.payload.includes('hello'))!.reason).toContain('update_id');
  });

  it('answers 200 without storing updates that are not a person writing privately', async () => {
    const group = JSON.parse(sampleUpdate({ update_id: 10005, message_id: 77, text: 'group chatter' }));
    group.message.chat = { id: -100123, type: 'supergroup', title: 'Fibre fans' };
    const r = await hook(t, channel.webhookPath, JSON.stringify(group));
    expect(r.status).toBe(200);
    expect((await r.json()).ignored).toBeTruthy();
    expect((await hook(t, channel.webhookPath, JSON.stringify({ update_id: 10006, callback_query: { id: '1' } }))).status).toBe(200);
    expect(await countMessages('%:-100123:77')).toBe(0);
  });
});

describe('telegram replies', () => {
  it('sends plain text with sendMessage to the customer\'s chat and records Telegram\'s message id', async () => {
    const conv = await conversationOf(t, channel.id);
    const before = api.seen.length;
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Your line is <b>back</b> &amp; fast again' } });
    await runner.drain();
    const req = api.seen[before];
    expect(req.problems).toEqual([]);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(JSON.parse(req.body)).toEqual({ chat_id: 1111111, text: 'Your line is back & fast again' });
    const m = (await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} })).data.find((x) => x.id === out.id)!;
    expect(m).toMatchObject({ deliveryStatus: 'sent', externalId: `${channel.id}:1111111:${5001}` });
  });

  it('fails at once with Telegram\'s description on a 4xx', async () => {
    const conv = await conversationOf(t, channel.id);
    api.respond(() => ({ status: 403, json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }));
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Are you still there?' } });
    await runner.drain();
    api.respond();
    const m = (await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} })).data.find((x) => x.id === out.id)!;
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toContain('Forbidden: bot was blocked by the user');
    expect(m.deliveryError).not.toContain(BOT_TOKEN);
  });

  it('retries on 5xx and 429, then sends', async () => {
    const conv = await conversationOf(t, channel.id);
    let calls = 0;
    api.respond(() => {
      calls++;
      if (calls === 1) return { status: 502, json: { ok: false, error_code: 502, description: 'Bad Gateway' } };
      if (calls === 2) return { status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } };
      return undefined;
    });
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'Retry me' } });
    const byId = async () => (await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} })).data.find((x) => x.id === out.id)!;
    await runner.drain();
    expect((await byId()).deliveryStatus).toBe('queued');
    const [job] = await app.database.query<{ last_error: string; attempts: number }>(`select last_error, attempts from jobs where payload->>'messageId' = $1`, [out.id]);
    expect(job).toMatchObject({ attempts: 1 });
    expect(job.last_error).toContain('502');
    await makeDue(); await runner.drain();
    expect((await byId()).deliveryStatus).toBe('queued');
    await makeDue(); await runner.drain();
    api.respond();
    expect(await byId()).toMatchObject({ deliveryStatus: 'sent' });
    expect(calls).toBe(3);
  });

  it('retries when Telegram cannot be reached, without leaking the bot token', async () => {
    const dead = await createChannel({ ctx: t.adminCtx, input: { kind: 'telegram', name: 'unreachable bot', config: { apiBaseUrl: 'http://127.0.0.1:1' }, secrets: { botToken: BOT_TOKEN, webhookSecret: SECRET } } });
    expect((await hook(t, dead.webhookPath, sampleUpdate({ update_id: 30000, message_id: 1, userId: 2222222, text: 'hello?' }))).status).toBe(200);
    const conv = await conversationOf(t, dead.id);
    const out = await postMessage({ ctx: t.agentCtx, conversationId: conv.id, input: { bodyText: 'On our way' } });
    await runner.drain();
    const m = (await listMessages({ ctx: t.agentCtx, conversationId: conv.id, input: {} })).data.find((x) => x.id === out.id)!;
    expect(m.deliveryStatus).toBe('queued');
    const [job] = await app.database.query<{ last_error: string; status: string }>(`select last_error, status from jobs where payload->>'messageId' = $1`, [out.id]);
    expect(job.status).toBe('queued');
    expect(job.last_error).toMatch(/^Telegram unreachable/);
    expect(job.last_error).not.toContain(BOT_TOKEN);
  });

  it('splits a reply longer than 4096 characters at a line break', () => {
    const parts = splitForTelegram(`${'a'.repeat(3000)}\n${'b'.repeat(3000)}`);
    expect(parts.map((p) => p.length)).toEqual([3000, 3000]);
    expect(splitForTelegram('x'.repeat(9000)).every((p) => p.length <= 4096)).toBe(true);
  });
});

describe('telegram tenant isolation', () => {
  it('never lands workspace A\'s webhook in B, and B cannot read A\'s conversation', async () => {
    const wrongTenant = await hook(other, `/hooks/${other.ws.id}/${channel.id}`, sampleUpdate({ update_id: 20000, message_id: 9000, text: 'cross' }));
    expect(wrongTenant.status).toBe(404);
    expect(await countMessages('%:9000')).toBe(0);
    const conv = await conversationOf(t, channel.id);
    expect((await other.request(`/api/v1/conversations/${conv.id}`)).status).toBe(404);
    expect((await (await other.request('/api/v1/conversations?channel=telegram')).json()).data).toEqual([]);
  });
});
