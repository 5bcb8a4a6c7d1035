import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { JobRunner } from '../src/platform/jobs.ts';
import { socialAdapter } from '../src/channels/social/social-adapter.ts';
import { createChannel, listQuarantine } from '../src/domains/channels/index.ts';
import { listMessages, postMessage } from '../src/domains/conversations/index.ts';

/**
 * Social connector contract (docs/channels/social.md), end to end: signed mentions and DMs in,
 * replies out through a stand-in connector that checks each request against the contract.
 */
const KEY = 'social-connector-key-7f3a9c0d';
/** The signature as the contract defines it, computed independently of Candor's helper. */
const sign = (key: string, body: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

/** The documented sample mention (docs/channels/social.md). */
const sampleMention = {
  network: 'x', id: '1790000000000000001', type: 'mention', author: { handle: 'fibrefan', name: 'Fibre Fan' },
  text: '@fibrelink is the outage in Utrecht fixed yet?', url: 'https://x.com/fibrefan/status/1790000000000000001', createdAt: '2025-03-01T09:30:00Z',
};

type Seen = { method: string; path: string; headers: IncomingHttpHeaders; body: string; problems: string[] };
type Answer = { status: number; json: unknown };

/** A connector stand-in: checks the reply request field by field, answers {id} as the contract says. */
function connectorStandIn() {
  const seen: Seen[] = [];
  let next: ((s: Seen) => Answer | undefined) | undefined;
  let n = 1790000000000000900n;
  const check = (method: string, path: string, headers: IncomingHttpHeaders, body: string) => {
    const problems: string[] = [];
    if (method !== 'POST') problems.push(`method ${method}`);
    if (path !== '/replies') problems.push(`path ${path}`);
    if (!String(headers['content-type']).startsWith('application/json')) problems.push(`content-type ${headers['content-type']}`);
    if (headers['x-candor-signature'] !== sign(KEY, body)) problems.push('X-Candor-Signature');
    if (!/^[0-9a-f-]{36}$/.test(String(headers['idempotency-key']))) problems.push('Idempotency-Key');
    let json: any;
    try { json = JSON.parse(body); } catch { problems.push('body is not JSON'); return problems; }
    const keys = Object.keys(json).sort().join(',');
    if (keys !== 'inReplyTo,network,text,to,type') problems.push(`fields ${keys}`);
    if (!['mention', 'dm'].includes(json.type)) problems.push(`type ${json.type}`);
    if (json.inReplyTo !== null && typeof json.inReplyTo !== 'string') problems.push('inReplyTo');
    if (typeof json.to !== 'string' || json.to.startsWith('@') || !json.to) problems.push(`to ${json.to}`);
    if (typeof json.text !== 'string' || !json.text || /<[a-z]/i.test(json.text)) problems.push('text must be non-empty plain text');
    return problems;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const s: Seen = { method: req.method!, path: req.url!, headers: req.headers, body, problems: check(req.method!, req.url!, req.headers, body) };
      seen.push(s);
      let answer = next?.(s);
      if (!answer && s.problems.length) answer = { status: 400, json: { error: `rejected: ${s.problems.join('; ')}` } };
      answer ??= { status: 200, json: { id: String(++n) } };
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
let connector: ReturnType<typeof connectorStandIn>;
let channel: Awaited<ReturnType<typeof createChannel>>;
let runner: JobRunner;

const hook = (ws: TestWorkspace, path: string, body: string, key: string | null = KEY) =>
  ws.http.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(key ? { 'X-Candor-Signature': sign(key, body) } : {}) } });
const countMessages = async (externalId: string) =>
  (await app.database.query<{ n: number }>(`select count(*)::int as n from messages where channel = 'social' and external_id = $1`, [externalId]))[0].n;
const conversationOfHandle = async (value: string) => {
  const [row] = await app.database.query<{ conversation_id: string }>(
    `select m.conversation_id from messages m join customer_identities i on i.workspace_id = m.workspace_id and i.customer_id = m.customer_id
     where m.workspace_id = $1 and i.kind = 'social' and i.value = $2 order by m.created_at desc limit 1`, [t.ws.id, value]);
  return row?.conversation_id;
};
const messageById = async (conversationId: string, id: string) =>
  (await listMessages({ ctx: t.agentCtx, conversationId, input: { limit: 200 } })).data.find((x) => x.id === id)!;

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Social A');
  other = await newWorkspace(app, 'Social B');
  connector = connectorStandIn();
  const base = await connector.listen();
  channel = await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'x connector', config: { replyUrl: `${base}/replies`, network: 'x', ownHandles: ['@FibreLink'] }, secrets: { signingKey: KEY } } });
  runner = deliveryRunner(app, [socialAdapter]);
});
afterAll(async () => { await connector?.close(); });

describe('social webhook', () => {
  it('commits the documented sample mention, marked public, from network:handle', async () => {
    const r = await hook(t, channel.webhookPath, JSON.stringify(sampleMention));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ accepted: 1, duplicates: 0 });
    const conversationId = await conversationOfHandle('x:fibrefan');
    const [m] = (await listMessages({ ctx: t.agentCtx, conversationId, input: {} })).data;
    expect(m).toMatchObject({
      direction: 'in', channel: 'social', channelId: channel.id, externalId: 'x:mention:1790000000000000001', createdAt: '2025-03-01T09:30:00.000Z',
      bodyText: 'Public mention on x — https://x.com/fibrefan/status/1790000000000000001\n\n@fibrelink is the outage in Utrecht fixed yet?',
    });
  });

  it('takes a batch, and a DM joins the same customer\'s conversation', async () => {
    const dm = { ...sampleMention, id: 'dm-555', type: 'dm', url: undefined, author: { handle: '@FibreFan' }, text: 'My address is Oudegracht 1', createdAt: '2025-03-01T09:35:00Z' };
    const r = await hook(t, channel.webhookPath, JSON.stringify([dm, { ...sampleMention, id: 'self-1', author: { handle: 'fibrelink' } }]));
    expect(await r.json()).toEqual({ accepted: 1, duplicates: 0 });
    const conversationId = await conversationOfHandle('x:fibrefan');
    const msgs = (await listMessages({ ctx: t.agentCtx, conversationId, input: {} })).data;
    expect(msgs.map((m) => m.bodyText)).toEqual([expect.stringContaining('Public mention'), 'My address is Oudegracht 1']);
    expect(await countMessages('x:mention:self-1')).toBe(0); // our own account's post is not a customer message
  });

  it('answers 401 and stores nothing for a wrong or missing signature', async () => {
    const body = JSON.stringify({ ...sampleMention, id: 'forged-1' });
    expect((await hook(t, channel.webhookPath, body, 'not-the-key')).status).toBe(401);
    expect((await hook(t, channel.webhookPath, body, null)).status).toBe(401);
    const r = await t.http.request(channel.webhookPath, { method: 'POST', body: body.replace('fixed', 'FIXED'), headers: { 'X-Candor-Signature': sign(KEY, body) } });
    expect(r.status).toBe(401);
    expect(await countMessages('x:mention:forged-1')).toBe(0);
  });

  it('treats a replay as a no-op', async () => {
    const r = await hook(t, channel.webhookPath, JSON.stringify(sampleMention));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await countMessages('x:mention:1790000000000000001')).toBe(1);
  });

  it('answers 400 to malformed JSON or an item outside the contract, and keeps it in quarantine', async () => {
    expect((await hook(t, channel.webhookPath, '[{"network": "x"')).status).toBe(400);
    const bad = await hook(t, channel.webhookPath, JSON.stringify({ ...sampleMention, id: 'rt-1', type: 'retweet' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('type');
    const q = (await listQuarantine({ ctx: t.adminCtx, input: {} })).data;
    expect(q.find((x) => x.payload === '[{"network": "x"')).toMatchObject({ channelId: channel.id, kind: 'social', reason: 'malformed JSON' });
    expect(q.find((x) => x.payload.includes('rt-1'))!.reason).toContain('type');
    expect(await countMessages('x:retweet:rt-1')).toBe(0);
  });
});

describe('social replies through the connector', () => {
  it('answers the customer\'s latest item, signed, as plain text, and records the connector\'s id', async () => {
    const conversationId = (await conversationOfHandle('x:fibrefan'))!;
    const before = connector.seen.length;
    const out = await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: 'Thanks!', bodyHtml: '<p>Thanks!</p>' } });
    await runner.drain();
    const req = connector.seen[before];
    expect(req.problems).toEqual([]);
    expect(req.headers['idempotency-key']).toBe(out.id);
    expect(JSON.parse(req.body)).toEqual({ network: 'x', type: 'dm', inReplyTo: 'dm-555', to: 'fibrefan', text: 'Thanks!' });
    const m = await messageById(conversationId, out.id);
    expect(m).toMatchObject({ deliveryStatus: 'sent', externalId: 'x:reply:1790000000000000901' });
  });

  it('replies in public to a mention, with HTML reduced to text', async () => {
    await hook(t, channel.webhookPath, JSON.stringify({ ...sampleMention, id: '1790000000000000002', text: '@fibrelink still down', createdAt: '2025-03-01T10:00:00Z' }));
    const conversationId = (await conversationOfHandle('x:fibrefan'))!;
    const before = connector.seen.length;
    await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: 'Back since 09:12 &mdash; <a href="https://status.fibrelink.test">status</a>' } });
    await runner.drain();
    expect(connector.seen[before].problems).toEqual([]);
    expect(JSON.parse(connector.seen[before].body)).toEqual({
      network: 'x', type: 'mention', inReplyTo: '1790000000000000002', to: 'fibrefan', text: 'Back since 09:12 — status (https://status.fibrelink.test)',
    });
  });

  it('fails at once with the connector\'s reason on a 4xx, retries on a 5xx', async () => {
    const conversationId = (await conversationOfHandle('x:fibrefan'))!;
    connector.respond(() => ({ status: 422, json: { error: 'the post you reply to was deleted' } }));
    const failed = await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: 'Reply to a deleted post' } });
    await runner.drain();
    expect(await messageById(conversationId, failed.id)).toMatchObject({ deliveryStatus: 'failed', deliveryError: 'Social connector answered 422: the post you reply to was deleted' });

    let calls = 0;
    connector.respond(() => (++calls === 1 ? { status: 503, json: { error: 'rate limited upstream' } } : undefined));
    const retried = await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: 'Retry me' } });
    await runner.drain();
    expect((await messageById(conversationId, retried.id)).deliveryStatus).toBe('queued');
    await app.database.query(`update jobs set run_at = now() where status = 'queued'`);
    await runner.drain();
    connector.respond();
    expect((await messageById(conversationId, retried.id)).deliveryStatus).toBe('sent');
    const keys = connector.seen.slice(-2).map((s) => s.headers['idempotency-key']);
    expect(keys).toEqual([retried.id, retried.id]); // the connector can tell a retry from a new reply
  });
});

describe('social tenant isolation', () => {
  it('never lands workspace A\'s webhook in B, and B cannot read A\'s conversation', async () => {
    const body = JSON.stringify({ ...sampleMention, id: 'cross-1' });
    expect((await hook(other, `/hooks/${other.ws.id}/${channel.id}`, body)).status).toBe(404);
    expect(await countMessages('x:mention:cross-1')).toBe(0);
    const conversationId = (await conversationOfHandle('x:fibrefan'))!;
    expect((await other.request(`/api/v1/conversations/${conversationId}`)).status).toBe(404);
  });
});
