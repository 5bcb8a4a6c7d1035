import { createRoute, z } from '@hono/zod-openapi';
import { setCookie, deleteCookie } from 'hono/cookie';
import { login, logout, getAgent, getWorkspace, AgentSchema } from '../../domains/workspaces/index.ts';
import { RateLimiter } from '../../platform/rate-limit.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { router, json, body, errors } from '../context.ts';
import { SESSION_COOKIE } from '../middleware/auth.ts';

const LoginInput = z.object({ email: z.string().email(), password: z.string().min(1).max(200), workspace: z.string().optional() }).openapi('Login');
const Me = z.object({ agent: AgentSchema, workspace: z.object({ id: z.string(), slug: z.string(), name: z.string() }) }).openapi('Me');

/** Public: sign in. 5 tries a minute per address and per email, then 429. */
export function publicAuthRoutes(app: Platform, opts: { secureCookies: boolean }) {
  const r = router();
  const byIp = new RateLimiter(10, 10 / 60);
  const byEmail = new RateLimiter(5, 5 / 60);
  r.openapi(createRoute({
    method: 'post', path: '/auth/login', tags: ['auth'], summary: 'Sign in with email and password; sets an HTTP-only session cookie',
    request: body(LoginInput), responses: { 200: json(Me), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async (c) => {
    const input = c.req.valid('json');
    const ip = c.req.header('x-forwarded-for')?.split(',')[0].trim() ?? (c.env as any)?.incoming?.socket?.remoteAddress ?? 'local';
    const wait = Math.max(byIp.take(ip), byEmail.take(input.email.toLowerCase()));
    if (wait) { c.header('Retry-After', String(wait)); throw new AppError('rate_limited', `Too many sign-in attempts; retry in ${wait}s`); }
    const s = await login({ app, input });
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
