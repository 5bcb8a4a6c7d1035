import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage } from '../src/domains/conversations/index.ts';
import { createTeam, createApiKey } from '../src/domains/workspaces/index.ts';
import { createChannel } from '../src/domains/channels/index.ts';

/*
 * Bad input is a 400 naming the field, never a 500: every operation of the OpenAPI document is
 * called with valid values everywhere but one parameter or body field, which gets a malformed
 * value (NUL, out-of-range numbers and dates, wrong types, huge strings …), and some calls get
 * a wholly malformed body. No answer may be a 5xx; a 400 must name the field.
 */

type Schema = Record<string, any>;
type Op = { method: string; path: string; op: Schema };

let app: Platform;
let t: TestWorkspace;
let doc: Schema;
let ids: Record<string, string>;

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Fuzz');
  const r = await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: 'fuzz@example.test' }, bodyText: 'hello' } });
  const team = await createTeam({ ctx: t.adminCtx, input: { name: 'fuzz team' } });
  const spare = await createApiKey({ ctx: t.adminCtx, input: { name: 'spare', scopes: ['customers:read'] } });
  const channel = await createChannel({ ctx: t.adminCtx, input: { kind: 'sms', name: 'fuzz sms', secrets: { authToken: 'fuzz-token' } } });
  const email = await createChannel({ ctx: t.adminCtx, input: { kind: 'email', name: 'fuzz email', config: { address: 'fuzz-in@example.test' } } });
  ids = { customers: r.message.customerId, conversations: r.message.conversationId, teams: team.id, 'api-keys': spare.id, agents: t.agent.id, channels: channel.id };
  doc = await (await t.request('/api/v1/openapi.json')).json();
  await t.request('/api/v1/service-areas/fuzz-area', { method: 'PUT', json: { name: 'Fuzz area' } });
  await t.request('/api/v1/plans/fuzz-plan', { method: 'PUT', json: { name: 'Fuzz plan', priceCents: 4900, currency: 'EUR', downloadMbps: 100, uploadMbps: 100 } });
  const sub = await (await t.request('/api/v1/subscriptions', { method: 'POST', json: { externalRef: 'fuzz-sub', customerId: ids.customers, planCode: 'fuzz-plan', serviceAreaCode: 'fuzz-area', address: 'Fuzzstraat 1' } })).json();
  ids.subscriptions = sub.id;
  const day = new Date().toISOString().slice(0, 10);
  const now = new Date().toISOString();
  // Bodies that pass validation and reach the verbs behind it: the generator alone cannot know a valid identity or plan.
  fixtures = {
    'POST /messages/inbound': { channel: 'email', from: { kind: 'email', value: 'fuzz@example.test', name: 'Fuzz' }, bodyText: 'hi', bodyHtml: '<p>hi</p>', subject: 'fuzz', receivedAt: now, conversationId: ids.conversations, channelId: email.id, newConversation: false, externalId: OMIT },
    'POST /customers': { name: 'Fuzz', email: 'fuzz2@example.test', phone: '+31612345678', language: 'en', identities: [{ kind: 'phone', value: '+31612345679' }] },
    'PATCH /customers/{id}': { name: 'Fuzz', language: 'nl', timezone: 'Europe/Amsterdam' },
    'POST /customers/{id}/identities': { kind: 'phone', value: '+31612345670' },
    'POST /conversations': { customerId: ids.customers, channel: 'email', subject: 'fuzz', teamId: team.id, message: { bodyText: 'hi', direction: 'note' } },
    'PATCH /conversations/{id}': { status: 'snoozed', snoozedUntil: new Date(Date.now() + 3600_000).toISOString(), priority: 'high', tags: ['fuzz'], assigneeId: t.agent.id, teamId: team.id },
    'POST /conversations/{id}/messages': { bodyText: 'hi', direction: 'note', attachments: [{ id: randomUUID(), filename: 'a.txt', contentType: 'text/plain', size: 1 }] },
    'POST /subscriptions': { externalRef: 'fuzz-sub', customerId: ids.customers, planCode: 'fuzz-plan', serviceAreaCode: 'fuzz-area', address: 'Fuzzstraat 1', startedAt: now, endedAt: OMIT, effectiveAt: now, planId: OMIT, serviceAreaId: OMIT },
    'POST /usage': { items: [{ subscriptionRef: 'fuzz-sub', subscriptionId: OMIT, day, downloadMb: 10, uploadMb: 1 }] },
    'POST /invoices': { number: 'F-1', customerId: ids.customers, subscriptionRef: 'fuzz-sub', subscriptionId: OMIT, periodStart: day, periodEnd: day, issuedAt: now, dueAt: now, currency: 'EUR', totalCents: 4900, lines: [{ kind: 'plan', description: 'Plan', amountCents: 4900, periodStart: day, periodEnd: day }] },
    'POST /payments': { externalRef: 'fuzz-pay', customerId: ids.customers, invoiceId: OMIT, invoiceNumber: 'F-1', amountCents: 4900, currency: 'EUR', method: 'direct_debit', receivedAt: now },
    'PUT /plans/{code}': { name: 'Fuzz plan', priceCents: 4900, currency: 'EUR', downloadMbps: 100, uploadMbps: 100, dataCapGb: 100 },
    'PUT /service-areas/{code}': { name: 'Fuzz area', region: 'North' },
    'POST /agents': { email: 'fuzz-agent@example.test', name: 'Fuzz agent', role: 'agent', password: 'long enough password' },
    'POST /channels': { kind: 'chat', name: 'fuzz chat', config: { allowedOrigins: ['https://shop.example'] } },
  };
});
let fixtures: Record<string, Record<string, unknown>> = {};
/** In a fixture: leave this optional field out (it conflicts with one the fixture gives, or names something that does not exist). */
const OMIT = Symbol('omit');
const merge = (a: unknown, b: unknown): unknown => {
  if (Array.isArray(a) && Array.isArray(b)) return b.map((x, i) => merge(a[i], x));
  if (!(a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b))) return b ?? a;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return Object.fromEntries(keys.filter((k) => (b as any)[k] !== OMIT).map((k) => [k, k in (b as object) ? merge((a as any)[k], (b as any)[k]) : (a as any)[k]]));
};

const resolve = (s: Schema | undefined): Schema => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s ?? {});

/** A valid value for a schema: the least it takes to pass validation, so a malformed sibling reaches the code behind it. */
function valid(raw: Schema | undefined, depth = 0, full = false): unknown {
  const s = resolve(raw);
  if (s.anyOf || s.oneOf) return valid((s.anyOf ?? s.oneOf).find((x: Schema) => resolve(x).type !== 'null'), depth, full);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Schema) => valid(x, depth, full)));
  if (s.enum) return s.enum[0];
  if ('const' in s) return s.const;
  if ('default' in s && depth > 0) return s.default;
  const type = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      // Required properties; with `full`, the optional ones too (each then a slot for a malformed value).
      const keys = full && depth < 3 ? Object.keys(s.properties ?? {}) : s.required ?? [];
      for (const k of keys) o[k] = valid(s.properties?.[k], depth + 1, full);
      return o;
    }
    case 'array': return Array.from({ length: Math.max(s.minItems ?? 0, full && depth < 3 ? 1 : 0) }, () => valid(s.items, depth + 1, full));
    case 'integer': case 'number': return Math.max(s.minimum ?? 1, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean': return true;
    case 'string': {
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'email') return `fuzz-${randomUUID().slice(0, 8)}@example.test`;
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'date') return new Date().toISOString().slice(0, 10);
      if (s.format === 'uri' || s.format === 'url') return 'https://example.test/';
      if (s.pattern?.includes('\\+')) return '+31612345678';
      if (s.pattern?.includes('#')) return '#112233';
      if (s.pattern) return 'fuzz_1';
      return 'f'.repeat(Math.max(s.minLength ?? 1, 1));
    }
    default: return 'x';
  }
}

/** Every leaf path of a value (where one malformed value goes), the value itself included. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [path];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...leaves(x, [...path, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...leaves(x, [...path, k]));
  return out;
}
function setAt(v: unknown, path: (string | number)[], x: unknown): unknown {
  if (!path.length) return x;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), x);
  return copy;
}

const cursor = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
const nastyStrings = [
  cursor({ k: '-271821-04-20T00:00:00Z', id: '01900000-0000-7000-8000-000000000000' }), cursor({ k: 'yesterday', id: 'x' }), cursor({ k: 1e308, id: "'" }),
  cursor({ k: '2026-01-01T00:00:00Z', id: '01900000-0000-7000-8000-00000000000g' }), cursor([]), cursor(null),
  '', ' ', '\u0000', 'a\u0000b', 'x'.repeat(20_000), '-1', '0', '1e309', 'NaN', 'Infinity', '-Infinity', '99999999999999999999999',
  '-99999999999999999999', '2147483648', '9223372036854775808', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z',
  '0000-00-00', '2026-02-30', '1969-12-31T23:59:59Z', '294277-01-01', "'; drop table customers; --", '../../etc/passwd', '%00', '\ud800', '😀',
  '<script>alert(1)</script>', 'true', 'null', '[]', '{}', 'cnd_', '01900000-0000-7000-8000-000000000000', ' 01900000-0000-7000-8000-000000000000',
];
const nastyValue = fc.oneof(
  fc.constantFrom(...nastyStrings), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(), fc.double(), fc.constantFrom(2 ** 31, 2 ** 53, -(2 ** 31) - 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.5),
  fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constant({}), fc.constant([]), fc.array(fc.integer(), { minLength: 50, maxLength: 60 }),
);
const asParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined');

function operations(): Op[] {
  const out: Op[] = [];
  for (const [path, ops] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(ops)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push({ method, path, op });
  }
  return out;
}

function defaultPathParam(path: string, name: string): string {
  const section = path.split('/')[1];
  if (name === 'code') return `fuzz-${section}`;
  return ids[section] ?? randomUUID();
}

type Call = { url: string; init: { method: string; json?: unknown; body?: string; headers?: Record<string, string> }; target: string };

/** One request: valid everywhere but at `target`, which gets `value` (or the whole body is `rawBody`). */
function build(o: Op, choice: number, value: unknown, rawBody: string | null, full: boolean): Call {
  const params: Schema[] = o.op.parameters ?? [];
  const bodySchema = o.op.requestBody?.content?.['application/json']?.schema;
  const fixture = fixtures[`${o.method.toUpperCase()} ${o.path}`];
  const body = bodySchema ? (fixture ? merge(valid(bodySchema, 0, full), fixture) : valid(bodySchema, 0, full)) : undefined;
  const bodyLeaves = body === undefined ? [] : leaves(body);
  const slots = params.length + bodyLeaves.length;
  const pick = slots ? choice % slots : -1;
  const pathValues: Record<string, string> = {};
  const query = new URLSearchParams();
  let target = 'none';
  params.forEach((p, i) => {
    const v = i === pick ? asParam(value) : p.in === 'path' ? defaultPathParam(o.path, p.name) : undefined;
    if (i === pick) target = `${p.in}:${p.name}`;
    if (p.in === 'path') pathValues[p.name] = v ?? defaultPathParam(o.path, p.name);
    else if (p.in === 'query' && v !== undefined) query.set(p.name, v);
  });
  let json = body;
  if (pick >= params.length) {
    const leaf = bodyLeaves[pick - params.length];
    target = `body:${leaf.join('.') || '(root)'}`;
    json = setAt(body, leaf, value);
  }
  const path = o.path.replace(/\{([^}]+)\}/g, (_, n) => encodeURIComponent((pathValues[n] as string & { toWellFormed(): string }).toWellFormed()));
  const qs = query.toString();
  const url = `/api/v1${path}${qs ? `?${qs}` : ''}`;
  const method = o.method.toUpperCase();
  if (rawBody !== null && bodySchema) return { url, init: { method, body: rawBody, headers: { 'content-type': 'application/json' } }, target: 'body:(raw)' };
  return { url, init: { method, ...(json !== undefined ? { json } : {}) }, target };
}

const rawBodies = fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":', '{"__proto__":{"admin":true}}', '\u0000', '{"x":"\\u0000"}', '1e999', JSON.stringify({ deep: Array(5000).fill('[').join('') }));

/** One of each kind of malformed value, tried in every slot of every operation. */
const sweep: unknown[] = [
  'a\u0000b', 'x'.repeat(20_000), -1, 2 ** 31, 1e308, 0.5, 'NaN', 8.64e15, '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z', null, {}, '\ud800', cursor({ k: '-271821-04-20T00:00:00Z', id: '01900000-0000-7000-8000-000000000000' }),
];

async function call(o: Op, c: Call, value: unknown, failures: string[]): Promise<void> {
  const res = await t.request(c.url, c.init as RequestInit & { json?: unknown });
  const text = await res.text();
  const what = `${o.method.toUpperCase()} ${o.path} ${c.target}=${JSON.stringify(value)?.slice(0, 60)}`;
  if (process.env.FUZZ_DEBUG && what.includes(process.env.FUZZ_DEBUG)) console.log(what, res.status, text.slice(0, 300), JSON.stringify(c.init.json)?.slice(0, 600));
  if (res.status >= 500) failures.push(`${what} → ${res.status} ${text.slice(0, 200)}`);
  if (res.status === 400) {
    const err = JSON.parse(text);
    const named = Array.isArray(err.details?.fields) && err.details.fields.length > 0 && err.details.fields.every((f: { path?: string }) => typeof f.path === 'string' && f.path.length > 0);
    if (!named) failures.push(`${what}: a 400 that names no field: ${text.slice(0, 200)}`);
  }
}

const fuzzed = () => operations().filter((o) => o.path !== '/auth/login' && o.path !== '/openapi.json');
const slotsOf = (o: Op, full: boolean) => {
  const bodySchema = o.op.requestBody?.content?.['application/json']?.schema;
  const fixture = fixtures[`${o.method.toUpperCase()} ${o.path}`];
  const body = bodySchema ? (fixture ? merge(valid(bodySchema, 0, full), fixture) : valid(bodySchema, 0, full)) : undefined;
  return (o.op.parameters ?? []).length + (body === undefined ? 0 : leaves(body).length);
};

describe('fuzzing the OpenAPI document: malformed input never answers 5xx', () => {
  it('tries one malformed value of each kind in every parameter and body field of every operation', async () => {
    const ops = fuzzed();
    expect(ops.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let calls = 0;
    for (const o of ops) {
      const slots = slotsOf(o, true);
      for (let slot = 0; slot < Math.max(slots, 1); slot++) {
        for (const value of sweep) { await call(o, build(o, slot, value, null, true), value, failures); calls++; }
      }
    }
    expect(failures).toEqual([]);
    if (process.env.FUZZ_DEBUG) console.log('sweep calls', calls);
    expect(calls).toBeGreaterThan(ops.length * sweep.length);
  }, 120_000);

  it('explores with fast-check: random malformed values, shapes and raw bodies', async () => {
    const failures: string[] = [];
    for (const o of fuzzed()) {
      await fc.assert(fc.asyncProperty(fc.nat(), nastyValue, fc.option(rawBodies, { freq: 6 }), fc.boolean(), async (choice, value, raw, full) => {
        await call(o, build(o, choice, value, raw, full), raw ?? value, failures);
      }), { numRuns: Number(process.env.FUZZ_RUNS ?? 10), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) });
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
