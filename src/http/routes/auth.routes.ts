import { createRoute, z } from '@hono/zod-openapi';
import { setCookie, deleteCookie, getCookie } from 'hono/cookie';
import { login, logout, endSession, getAgent, getWorkspace, AgentSchema } from '../../domains/workspaces/index.ts';
import { RateLimiter } from '../../platform/rate-limit.ts';
import { GuessThrottle } from '../../platform/guess-throttle.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { router, json, body, errors } from '../context.ts';
import { SESSION_COOKIE } from '../middleware/auth.ts';

const LoginInput = z.object({ email: z.string().email(), password: z.string().min(1).max(200), workspace: z.string().optional() }).openapi('Login');
const Me = z.object({ agent: AgentSchema, workspace: z.object({ id: z.string(), slug: z.string(), name: z.string() }) }).openapi('Me');

/**
 * Public: sign in. Wrong passwords are slowed per (email, address), per email over all addresses
 * and per address over emails (GuessThrottle: growing delays, never a lock a stranger can set);
 * any address may also make at most 30 sign-in requests a minute. Over a limit: 429, Retry-After.
 * A successful sign-in ends the session the browser came with and starts a new one (rotation).
 */
export function publicAuthRoutes(app: Platform, opts: { secureCookies: boolean; throttle?: GuessThrottle }) {
  const r = router();
  const byIp = new RateLimiter(30, 30 / 60);
  const guesses = opts.throttle ?? new GuessThrottle();
  r.openapi(createRoute({
    method: 'post', path: '/auth/login', tags: ['auth'], summary: 'Sign in with email and password; sets an HTTP-only session cookie',
    request: body(LoginInput), responses: { 200: json(Me), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async (c) => {
    const input = c.req.valid('json');
    const ip = c.get('clientIp');
    const account = input.email.trim().toLowerCase();
    const flood = byIp.take(ip);
    const verdict = guesses.check(account, ip);
    const wait = Math.max(flood, verdict.allowed ? 0 : verdict.retryAfterSeconds);
    if (wait) { c.header('Retry-After', String(wait)); throw new AppError('rate_limited', `Too many sign-in attempts; retry in ${wait}s`, { retryAfterSeconds: wait }); }
    let s;
    try {
      s = await login({ app, input });
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthenticated') guesses.fail(account, ip);
      throw err;
    }
    guesses.succeed(account, ip);
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) await endSession({ app, token: previous });
    setCookie(c, SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: opts.secureCookies, expires: s.expiresAt });
    const ws = await getWorkspace({ ctx: { workspaceId: s.workspace.id, actor: { type: 'system', id: 'login' }, db: app.db, app } });
    return c.json({ agent: s.agent, workspace: { id: ws.id, slug: ws.slug, name: ws.name } }, 200);
  });
  return r;
}

export function authRoutes() {
  const r = router();
  r.openapi(createRoute({ method: 'get', path: '/auth/me', tags: ['auth'], summary: 'The signed-in agent and workspace', responses: { 200: json(Me), 401: errors[401] } }), async (c) => {
    const ctx = c.get('ctx');
    if (ctx.actor.type !== 'agent') throw new AppError('forbidden', 'Only a signed-in agent has a profile');
    const [agent, ws] = await Promise.all([getAgent({ ctx, id: ctx.actor.id }), getWorkspace({ ctx })]);
    return c.json({ agent, workspace: { id: ws.id, slug: ws.slug, name: ws.name } }, 200);
  });
  r.openapi(createRoute({ method: 'post', path: '/auth/logout', tags: ['auth'], summary: 'Sign out', responses: { 204: { description: 'Signed out' } } }), async (c) => {
    const token = c.get('sessionToken');
    if (token) await logout({ ctx: c.get('ctx'), token });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  return r;
}
