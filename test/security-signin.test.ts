import { describe, it, expect, beforeAll } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { listen } from './support/http-server.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createApp } from '../src/http/app.ts';
import { clientAddress, TrustedProxies } from '../src/platform/client-address.ts';
import { GuessThrottle } from '../src/platform/guess-throttle.ts';
import { loadConfig } from '../src/platform/config.ts';
import { sessions } from '../src/db/schema/index.ts';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app, 'Sec'); });

const loginBody = (email: string, password: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('client address (CANDOR_TRUSTED_PROXIES)', () => {
  const trusted = TrustedProxies.parse('10.0.0.0/8, 192.168.1.7,fd00::/8');

  it('ignores X-Forwarded-For and Forwarded from a peer that is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.9', { 'x-forwarded-for': '1.2.3.4' }, trusted)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', { forwarded: 'for=1.2.3.4' }, trusted)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', { 'x-forwarded-for': '1.2.3.4' }, TrustedProxies.parse(''))).toBe('203.0.113.9');
  });

  it('reads the chain from a trusted proxy, nearest hop first, skipping trusted hops and never believing what the client put in front', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6" itself; its proxy appended the real address.
    expect(clientAddress('10.1.2.3', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' }, trusted)).toBe('198.51.100.4');
    expect(clientAddress('10.1.2.3', { 'x-forwarded-for': '198.51.100.4, 192.168.1.7' }, trusted)).toBe('198.51.100.4');
    expect(clientAddress('10.1.2.3', { forwarded: 'for=6.6.6.6, for="[2001:db8::1]:4711";proto=https' }, trusted)).toBe('2001:db8::1');
    expect(clientAddress('fd00::1', { 'x-forwarded-for': '198.51.100.4' }, trusted)).toBe('198.51.100.4');
    expect(clientAddress('10.1.2.3', {}, trusted)).toBe('10.1.2.3');
    expect(clientAddress('10.1.2.3', { 'x-forwarded-for': 'unknown' }, trusted)).toBe('10.1.2.3');
  });

  it('refuses a malformed setting at start rather than trusting everyone', () => {
    expect(() => TrustedProxies.parse('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => TrustedProxies.parse('not-an-ip')).toThrow(/CANDOR_TRUSTED_PROXIES/);
    expect(loadConfig({ CANDOR_TRUSTED_PROXIES: '10.0.0.0/8' }).trustedProxies).toBe('10.0.0.0/8');
  });

  it('a rotating X-Forwarded-For no longer defeats the sign-in limits; behind a trusted proxy each client is limited apart', async () => {
    const direct = await listen(createApp(app, { webDir: null, trustedProxies: '' }));
    const proxied = await listen(createApp(app, { webDir: null, trustedProxies: '127.0.0.1/32' }));
    try {
      const spoof = (base: string, i: number) => fetch(`${base}/api/v1/auth/login`, { ...loginBody(t.admin.email, 'wrong'), headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i}.${i}` } });
      const direct8 = [];
      for (let i = 0; i < 8; i++) direct8.push((await spoof(direct.url, i)).status);
      expect(direct8.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(direct8.slice(5)).toEqual([429, 429, 429]);
      // The same through a trusted proxy: every forwarded address is its own client, so none is limited yet.
      const proxied8 = [];
      for (let i = 0; i < 8; i++) proxied8.push((await spoof(proxied.url, i + 100)).status);
      expect(proxied8).toEqual(Array(8).fill(401));
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});

describe('guessing is slowed, the owner is never locked out', () => {
  it('gives each (account, address) five free failures, then delays that double', () => {
    const g = new GuessThrottle({ freePerPair: 5, baseDelayMs: 1000 });
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) { expect(g.check('jan', '1.1.1.1', t0).allowed).toBe(true); g.fail('jan', '1.1.1.1', t0); }
    expect(g.check('jan', '1.1.1.1', t0)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(g.check('jan', '1.1.1.1', t0 + 1000).allowed).toBe(true);
    g.fail('jan', '1.1.1.1', t0 + 1000);
    expect(g.check('jan', '1.1.1.1', t0 + 2000)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(g.check('jan', '1.1.1.1', t0 + 1000)).toMatchObject({ allowed: false, retryAfterSeconds: 2 });
    expect(g.check('jan', '1.1.1.1', t0 + 3000).allowed).toBe(true);
    // Never a lock: even after 40 failures the wait is capped and ends.
    for (let i = 0; i < 40; i++) g.fail('jan', '1.1.1.1', t0 + 3000);
    const v = g.check('jan', '1.1.1.1', t0 + 3000);
    expect(v).toMatchObject({ allowed: false, retryAfterSeconds: 900 });
    expect(g.check('jan', '1.1.1.1', t0 + 3000 + 900_000).allowed).toBe(true);
  });

  it('past the account ceiling, every address gets one try, and a new address (the owner) still gets its first', () => {
    const g = new GuessThrottle({ accountCeiling: 20, freePerPair: 5 });
    const t0 = 5_000_000;
    for (let i = 0; i < 20; i++) g.fail('jan', `9.9.9.${i}`, t0); // a botnet, one guess each
    expect(g.check('jan', '9.9.9.0', t0 + 10).allowed).toBe(false); // a second guess from a bot waits
    expect(g.check('jan', '8.8.8.8', t0 + 10).allowed).toBe(true); // the owner, from home
    g.succeed('jan', '8.8.8.8');
    expect(g.check('jan', '8.8.8.8', t0 + 20).allowed).toBe(true);
    expect(g.check('piet', '9.9.9.0', t0 + 10).allowed).toBe(true); // other accounts are not slowed by jan's ceiling
  });

  it('limits password spraying: one address failing for many accounts waits, whatever account it tries next', () => {
    const g = new GuessThrottle({ sprayAccounts: 5 });
    const t0 = 9_000_000;
    for (let i = 0; i < 6; i++) { expect(g.check(`user${i}`, '7.7.7.7', t0).allowed).toBe(true); g.fail(`user${i}`, '7.7.7.7', t0); }
    expect(g.check('user99', '7.7.7.7', t0)).toMatchObject({ allowed: false, reason: 'spray' });
    expect(g.check('user99', '6.6.6.6', t0).allowed).toBe(true);
  });

  it('over HTTP: a stranger hammering the admin account from one address does not stop the admin signing in from another', async () => {
    const srv = await listen(createApp(app, { webDir: null, trustedProxies: '127.0.0.1/32' }));
    try {
      const from = (ip: string, password: string) => fetch(`${srv.url}/api/v1/auth/login`, { ...loginBody(t.supervisor.email, password), headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
      const stranger = [];
      for (let i = 0; i < 8; i++) stranger.push((await from('203.0.113.66', 'guess' + i)).status);
      expect(stranger.filter((s) => s === 429).length).toBeGreaterThan(0);
      // The stranger's last try was refused before the password was even checked: even the right one waits.
      expect((await from('203.0.113.66', 'pw-supervisor')).status).toBe(429);
      const owner = await from('198.51.100.10', 'pw-supervisor');
      expect(owner.status).toBe(200);
      const limited = await from('203.0.113.66', 'guess');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.json()).code).toBe('rate_limited');
    } finally { await srv.close(); }
  });

  it('limits spraying over HTTP: one address trying one password against many accounts', async () => {
    const srv = await listen(createApp(app, { webDir: null, trustedProxies: '127.0.0.1/32' }));
    try {
      const statuses = [];
      for (let i = 0; i < 8; i++) {
        const r = await fetch(`${srv.url}/api/v1/auth/login`, { ...loginBody(`someone${i}@${t.slug}.test`, 'Summer2026!'), headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.50' } });
        statuses.push(r.status);
      }
      expect(statuses.slice(0, 6)).toEqual(Array(6).fill(401));
      expect(statuses.slice(6)).toEqual([429, 429]);
    } finally { await srv.close(); }
  });
});

describe('sessions', () => {
  const signIn = async (http: ReturnType<typeof createApp>, cookie?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (cookie) headers.cookie = cookie;
    return http.request('/api/v1/auth/login', { method: 'POST', headers, body: JSON.stringify({ email: t.agent.email, password: 'pw-agent' }) });
  };

  it('sets Secure cookies by default when the public URL is https, not on plain-http local use', async () => {
    const secure = (await signIn(createApp(app, { webDir: null, publicUrl: 'https://candor.example' }))).headers.get('set-cookie')!;
    expect(secure).toMatch(/;\s*Secure/i);
    expect(secure).toMatch(/HttpOnly/i);
    const plain = (await signIn(createApp(app, { webDir: null }))).headers.get('set-cookie')!;
    expect(plain).not.toMatch(/;\s*Secure/i);
    expect(loadConfig({ CANDOR_PUBLIC_URL: 'https://candor.example' }).secureCookies).toBe(true);
    expect(loadConfig({ CANDOR_PUBLIC_URL: 'https://candor.example', CANDOR_SECURE_COOKIES: '0' }).secureCookies).toBe(false);
    expect(loadConfig({ CANDOR_PUBLIC_URL: 'http://localhost:4000' }).secureCookies).toBe(false);
  });

  it('rotates on sign-in: the session a browser came with (a planted one too) ends, a new one begins', async () => {
    const http = createApp(app, { webDir: null });
    const planted = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/auth/me', { cookie: planted })).status).toBe(200);
    const r = await signIn(http, planted);
    expect(r.status).toBe(200);
    const fresh = r.headers.get('set-cookie')!.split(';')[0];
    expect(fresh).not.toBe(planted);
    expect((await t.request('/api/v1/auth/me', { cookie: planted })).status).toBe(401);
    expect((await t.request('/api/v1/auth/me', { cookie: fresh })).status).toBe(200);
  });

  it('ends a session after its idle timeout, and after its absolute timeout however busy', async () => {
    const idIn = (cookie: string) => cookie.split('=')[1].split('.')[1];
    const idle = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/auth/me', { cookie: idle })).status).toBe(200);
    await app.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 13 * 3600_000) }).where(and(eq(sessions.workspaceId, t.ws.id), eq(sessions.id, idIn(idle))));
    expect((await t.request('/api/v1/auth/me', { cookie: idle })).status).toBe(401);

    const busy = await t.sessionCookie('agent');
    const [row] = await app.db.select().from(sessions).where(and(eq(sessions.workspaceId, t.ws.id), eq(sessions.id, idIn(busy))));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(7 * 86400_000 + 1000);
    await app.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() }).where(and(eq(sessions.workspaceId, t.ws.id), eq(sessions.id, idIn(busy))));
    expect((await t.request('/api/v1/auth/me', { cookie: busy })).status).toBe(401);
  });

  it('records use, so an active session outlives the idle timeout', async () => {
    const cookie = await t.sessionCookie('agent');
    const id = cookie.split('=')[1].split('.')[1];
    await app.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 11 * 3600_000) }).where(and(eq(sessions.workspaceId, t.ws.id), eq(sessions.id, id)));
    expect((await t.request('/api/v1/auth/me', { cookie })).status).toBe(200);
    const [row] = await app.db.select().from(sessions).where(and(eq(sessions.workspaceId, t.ws.id), eq(sessions.id, id)));
    expect(Date.now() - row.lastSeenAt.getTime()).toBeLessThan(60_000);
  });
});

