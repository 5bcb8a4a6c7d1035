import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { listen } from './support/http-server.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createApp, defaultWebDir } from '../src/http/app.ts';
import { createChannel } from '../src/domains/channels/index.ts';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app, 'Headers'); });

const csp = (r: Response) => Object.fromEntries((r.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim()).filter(Boolean)
  .map((d) => { const [k, ...v] = d.split(/\s+/); return [k, v.join(' ')]; }));

describe('security headers on every answer', () => {
  it('the web app, the API (answers and errors) and the docs carry CSP, frame-ancestors, nosniff and Referrer-Policy; no HSTS over plain http', async () => {
    const http = createApp(app, { webDir: defaultWebDir });
    const answers = [
      await http.request('/'), await http.request('/inbox'), await http.request('/api/v1/customers', { headers: { authorization: `Bearer ${t.apiKey}` } }),
      await http.request('/api/v1/customers'), await http.request('/api/v1/nothing-here', { headers: { authorization: `Bearer ${t.apiKey}` } }), await http.request('/healthz'), await http.request('/api/v1/docs'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401, 404, 200, 200]);
    for (const r of answers) {
      const policy = csp(r);
      expect(policy['default-src']).toBe("'self'");
      expect(policy['script-src']).toBe("'self'");
      expect(policy['object-src']).toBe("'none'");
      expect(policy['frame-ancestors']).toBe("'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
    expect(answers[0].headers.get('x-frame-options')).toBe('DENY');
  });

  it('sends HSTS when the public URL is https', async () => {
    const http = createApp(app, { webDir: null, publicUrl: 'https://candor.example' });
    expect((await http.request('/healthz')).headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
  });

  it('the built web app and the docs page hold no inline script (the CSP would refuse it)', async () => {
    const index = join(defaultWebDir, 'index.html');
    expect(existsSync(index)).toBe(true);
    const pages = [readFileSync(index, 'utf8'), await (await createApp(app, { webDir: null }).request('/api/v1/docs')).text()];
    for (const html of pages) {
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc=/);
        expect(body.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('keeps the headers a route set itself (an attachment download\'s sandbox, the widget script\'s cross-origin CORP)', async () => {
    const http = createApp(app, { webDir: null });
    const widget = await http.request('/widget.js');
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(csp(widget)['frame-ancestors']).toBe("'none'");
  });

  it('the widget demo page lets the chat channel\'s allowed origins frame it, nobody else, and passes its own CSP (style by hash)', async () => {
    const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'chat', name: 'framed', config: { allowedOrigins: ['https://shop.example'] } } });
    const http = createApp(app, { webDir: null });
    const r = await http.request(`/widget-demo?workspace=${t.ws.id}&channel=${ch.id}`);
    expect(r.status).toBe(200);
    const policy = csp(r);
    expect(policy['frame-ancestors']).toBe("'self' https://shop.example");
    expect(policy['script-src']).toBe("'self'");
    expect(policy['style-src']).toMatch(/^'self' 'sha256-[A-Za-z0-9+/=]+'$/);
    expect(r.headers.get('x-frame-options')).toBeNull();
    const html = await r.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const { createHash } = await import('node:crypto');
    expect(policy['style-src']).toContain(createHash('sha256').update(style).digest('base64'));
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });
});

describe('cookie-authenticated writes must come from Candor\'s own pages', () => {
  it('refuses a cross-site or origin-less write with a session cookie, accepts a same-origin one, and leaves API keys alone', async () => {
    const cookie = await t.sessionCookie('agent');
    const write = (headers: Record<string, string>) => t.http.request('/api/v1/customers', {
      method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'CSRF probe' }),
    });
    const refused = [
      await write({ 'sec-fetch-site': 'cross-site' }), await write({ 'sec-fetch-site': 'same-site' }), await write({ origin: 'https://evil.example' }),
      await write({ origin: 'null' }), await write({}),
    ];
    for (const r of refused) {
      expect(r.status).toBe(403);
      expect((await r.json()).code).toBe('forbidden');
    }
    expect((await write({ 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await write({ origin: 'http://localhost', host: 'localhost' })).status).toBe(201);
    // Reads need no such header; a bearer key is not sent by browsers on its own, so it is not checked.
    expect((await t.http.request('/api/v1/customers', { headers: { cookie } })).status).toBe(200);
    expect((await t.request('/api/v1/customers', { method: 'POST', json: { name: 'by key' } })).status).toBe(201);
    const list = await (await t.request('/api/v1/customers?limit=200')).json();
    expect(list.data.filter((c: { name: string }) => c.name === 'CSRF probe')).toHaveLength(2);
  });
});

describe('body limits', () => {
  it('gives requests without credentials a small limit, authenticated ones the large one, webhooks a medium one', async () => {
    const srv = await listen(createApp(app, { webDir: null, maxPublicBodyBytes: 16 * 1024, maxWebhookBodyBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 }));
    try {
      const big = JSON.stringify({ email: 'x@y.test', password: 'p', pad: 'x'.repeat(40 * 1024) });
      const anon = await fetch(`${srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(anon.status).toBe(413);
      expect((await anon.json()).code).toBe('payload_too_large');
      // A forged cookie or key buys nothing: the credentials are checked before the body is read.
      const forged = await fetch(`${srv.url}/api/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer cnd_forged' }, body: big });
      expect(forged.status).toBe(401);
      const forgedCookie = await fetch(`${srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'candor_session=a.b.c' }, body: big });
      expect(forgedCookie.status).toBe(413);
      const authed = await fetch(`${srv.url}/api/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.apiKey}` },
        body: JSON.stringify({ name: 'Big note', externalRef: 'big-1', identities: [], pad: 'x'.repeat(40 * 1024) }) });
      expect(authed.status).toBe(201);
      const tooBig = await fetch(`${srv.url}/api/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.apiKey}` }, body: JSON.stringify({ pad: 'x'.repeat(1100 * 1024) }) });
      expect(tooBig.status).toBe(413);
      const hook = await fetch(`${srv.url}/hooks/${t.ws.id}/${t.ws.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(100 * 1024) }) });
      expect(hook.status).toBe(413);
    } finally { await srv.close(); }
  });
});
