import { describe, it, expect, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createChannel, updateChannel, secretNamesOf } from '../src/domains/channels/index.ts';
import { channelKinds } from '../src/db/schema/index.ts';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
const post = (path: string, body = '{}') => t.http.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Hooks');
  other = await newWorkspace(app, 'Other');
});

describe('webhook endpoints', () => {
  it('answers 404 with the error body, never 500, for unknown or malformed workspaces and channels', async () => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'sms', name: 'sms', config: { accountSid: 'AC1', fromNumber: '+15005550006' }, secrets: { authToken: 'tok' } } });
    const paths = [`/hooks/${randomUUID()}/${ch.id}`, `/hooks/not-a-workspace/${ch.id}`, `/hooks/${t.ws.id}/${randomUUID()}`, `/hooks/${t.ws.id}/not-a-channel`,
      `/hooks/${other.ws.id}/${ch.id}`, `/hooks/x/y/z`, `/hooks/${t.ws.id}/${ch.id}'--/status`];
    for (const p of paths) {
      const r = await post(p);
      expect(r.status, p).toBe(404);
      expect(await r.json(), p).toMatchObject({ code: 'not_found', message: expect.any(String), requestId: expect.any(String) });
    }
  });

  it("answers 404 for a sub-path that is not the channel kind's", async () => {
    const email = await createChannel({ ctx: t.adminCtx, input: { kind: 'email', name: 'mail', config: { address: `s-${t.slug}@example.test` }, secrets: { signingKey: 'k' } } });
    for (const sub of ['/sms', '/status', '/whatsapp', '/']) {
      const r = await post(`${email.webhookPath}${sub === '/' ? '' : sub}`);
      expect(r.status, sub).toBe(404);
      expect((await r.json()).code).toBe('not_found');
    }
  });

  it('refuses an unknown or missing secret name with 422 naming the field, on create and update', async () => {
    const typo = await t.request('/api/v1/channels', { method: 'POST', json: { kind: 'sms', name: 'typo', config: {}, secrets: { authtoken: 'x' } }, cookie: await t.sessionCookie('admin') });
    expect(typo.status).toBe(422);
    const body = await typo.json();
    expect(body).toMatchObject({ code: 'unprocessable', requestId: expect.any(String) });
    expect(JSON.stringify(body)).toContain('secrets.authtoken');
    expect(JSON.stringify(body)).toContain('secrets.authToken');
    await expect(createChannel({ ctx: t.adminCtx, input: { kind: 'whatsapp', name: 'wa', config: {}, secrets: { accessToken: 'a' } } })).rejects.toMatchObject({ code: 'unprocessable', message: expect.stringContaining('secrets.appSecret') });
    const ok = await createChannel({ ctx: t.adminCtx, input: { kind: 'telegram', name: 'bot', config: {}, secrets: { webhookSecret: 's', botToken: 'b' } } });
    await expect(updateChannel({ ctx: t.adminCtx, id: ok.id, input: { secrets: { webhook_secret: 'x' } } })).rejects.toMatchObject({ code: 'unprocessable', message: expect.stringContaining('secrets.webhook_secret') });
    expect((await updateChannel({ ctx: t.adminCtx, id: ok.id, input: { secrets: { botToken: 'b2' } } })).secretNames).toEqual(['botToken', 'webhookSecret']);
  });

  it('every channel kind declares its secret names', () => {
    for (const k of channelKinds) expect(Array.isArray(secretNamesOf(k))).toBe(true);
    expect(secretNamesOf('sms')).toEqual(['authToken']);
  });
});
