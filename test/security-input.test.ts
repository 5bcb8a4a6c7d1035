import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage } from '../src/domains/conversations/index.ts';
import { encodeCursor } from '../src/platform/pagination.ts';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app, 'Input'); });

/** A 400 whose details name exactly this field. */
async function namesField(res: Response, field: string) {
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.code).toBe('validation_failed');
  expect(body.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  expect(body.message).toContain(field);
}

describe('bad input is a 400 naming the field, never a 500', () => {
  it('refuses NUL in a body string (nested too), in an object key, in a query parameter and in the path', async () => {
    await namesField(await t.request('/api/v1/customers', { method: 'POST', json: { name: 'Jan\u0000' } }), 'name');
    await namesField(await t.request('/api/v1/customers', { method: 'POST', json: { name: 'Jan', channelPrefs: { doNotContact: ['sms', 'e\u0000mail'] } } }), 'channelPrefs.doNotContact.1');
    await namesField(await t.request('/api/v1/channels', { method: 'POST', json: { kind: 'chat', name: 'x', config: { 'ti\u0000tle': 'x' } } }), 'config.ti\\0tle');
    await namesField(await t.request('/api/v1/customers?q=jan%00'), 'q');
    await namesField(await t.request('/api/v1/customers/abc%00def'), 'path');
    await namesField(await t.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'email', from: { kind: 'email', value: 'n@example.test' }, bodyText: 'a\u0000b' } }), 'bodyText');
  });

  it('refuses lone surrogates, which jsonb cannot hold', async () => {
    await namesField(await t.request('/api/v1/customers', { method: 'POST', json: { name: 'ok', channelPrefs: { preferred: '\ud800' } } }), 'channelPrefs.preferred');
  });

  it('still lets a channel adapter hand in text with NUL, dropping it rather than losing the message', async () => {
    const r = await receiveMessage({ ctx: t.system, input: { channel: 'sms', from: { kind: 'phone', value: '+31612340000' }, bodyText: 'line\u0000one' } });
    expect(r.message.bodyText).toBe('lineone');
  });

  it('refuses dates out of range (before 1970, after 9999, beyond what a Date holds) naming the field', async () => {
    const inbound = (receivedAt: unknown) => t.request('/api/v1/messages/inbound', { method: 'POST', json: { channel: 'email', from: { kind: 'email', value: 'd@example.test' }, bodyText: 'x', receivedAt } });
    for (const d of ['1969-12-31T23:59:59Z', '+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', -1, 8.64e15, 'not a date']) await namesField(await inbound(d), 'receivedAt');
    expect((await inbound('2026-12-01T10:00:00Z')).status).toBe(201);
    const conv = (await (await inbound('2026-12-01T10:01:00Z')).json()).message.conversationId;
    await namesField(await t.request(`/api/v1/conversations/${conv}`, { method: 'PATCH', json: { status: 'snoozed', snoozedUntil: '99999-01-01' } }), 'snoozedUntil');
  });

  it('refuses numbers out of range naming the field', async () => {
    await namesField(await t.request('/api/v1/plans/p', { method: 'PUT', json: { name: 'P', priceCents: 1, currency: 'EUR', downloadMbps: 1, uploadMbps: 1, dataCapGb: 2 ** 31 } }), 'dataCapGb');
    await namesField(await t.request('/api/v1/plans/p', { method: 'PUT', json: { name: 'P', priceCents: 1e308, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } }), 'priceCents');
    await namesField(await t.request('/api/v1/customers?limit=99999999999999999999'), 'limit');
    await namesField(await t.request('/api/v1/customers?limit=-1'), 'limit');
  });

  it('refuses a forged cursor naming it, and ids that are not ids answer 404, not 500', async () => {
    await namesField(await t.request(`/api/v1/customers?cursor=${encodeCursor({ k: '-271821-04-20T00:00:00Z', id: '01900000-0000-7000-8000-000000000000' })}`), 'cursor');
    await namesField(await t.request(`/api/v1/conversations?cursor=${encodeCursor({ k: '2026-01-01T00:00:00Z', id: "x' or 1=1" })}`), 'cursor');
    for (const [method, path] of [['DELETE', '/api/v1/api-keys/not-a-key'], ['POST', '/api/v1/jobs/42/retry'], ['PUT', '/api/v1/agents/nobody/skills']] as const) {
      const res = await t.request(path, { method, ...(method === 'PUT' ? { json: { skills: [] } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('names the body when it is not JSON at all', async () => {
    const res = await t.request('/api/v1/customers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    await namesField(res, 'body');
  });
});
