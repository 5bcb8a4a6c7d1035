import { createRoute } from '@hono/zod-openapi';
import { getCookie, setCookie } from 'hono/cookie';
import {
  endCustomerSession, redeemSignInLink, startSignIn, verifySignInCode, PORTAL_COOKIE,
  SignInLinkInput, SignInStartInput, SignInStarted, SignInVerifyInput, MeSchema, getMe,
} from '../../domains/portal/index.ts';
import { actorCtx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import { GuessThrottle } from '../../platform/guess-throttle.ts';
import { RateLimiter } from '../../platform/rate-limit.ts';
import type { Platform } from '../../platform/platform.ts';
import { router, json, body, errors } from '../context.ts';

const tags = ['portal sign-in'];

/**
 * Public: a customer signs in to the portal with a one-time code (email, SMS, WhatsApp) or a
 * magic link. Sending is limited per address (5 per 15 minutes) and per IP (20 per 15 minutes);
 * guessing per code (5 tries, then it is dead) and per (address, IP) / address / IP by GuessThrottle.
 */
export function portalAuthRoutes(app: Platform, opts: { secureCookies: boolean; throttle?: GuessThrottle }) {
  const r = router();
  const sendPerAddress = new RateLimiter(5, 5 / 900);
  const sendPerIp = new RateLimiter(20, 20 / 900);
  const verifyPerIp = new RateLimiter(30, 30 / 60);
  const guesses = opts.throttle ?? new GuessThrottle();
  const limited = (c: { header(k: string, v: string): void }, wait: number, what: string) => {
    c.header('Retry-After', String(wait));
    return new AppError('rate_limited', `Too many ${what}; retry in ${wait}s`, { retryAfterSeconds: wait });
  };
  const startSession = async (c: any, s: { token: string; expiresAt: Date; workspaceId: string; customerId: string }) => {
    const previous = getCookie(c, PORTAL_COOKIE);
    if (previous) await endCustomerSession({ app, token: previous });
    setCookie(c, PORTAL_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: opts.secureCookies, expires: s.expiresAt });
    return getMe({ ctx: actorCtx(app, s.workspaceId, { type: 'customer', id: s.customerId }, c.get('requestId')) });
  };

  r.openapi(createRoute({
    method: 'post', path: '/portal/auth/start', tags, summary: 'Send a one-time sign-in code (and by email a sign-in link) to a customer\'s address',
    request: body(SignInStartInput), responses: { 202: json(SignInStarted, 'Sent, if the address is a customer\'s (the answer is the same either way)'), 400: errors[400], 404: errors[404], 429: errors[429] },
  }), async (c) => {
    const input = c.req.valid('json');
    const ip = c.get('clientIp');
    const wait = Math.max(sendPerIp.take(ip), sendPerAddress.take(`${input.workspace}:${input.address.trim().toLowerCase()}`));
    if (wait) throw limited(c, wait, 'sign-in codes asked for');
    return c.json(await startSignIn({ app, input }) as any, 202);
  });

  r.openapi(createRoute({
    method: 'post', path: '/portal/auth/verify', tags, summary: 'Sign in with the 6-digit code; sets the HTTP-only portal cookie',
    request: body(SignInVerifyInput), responses: { 200: json(MeSchema), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async (c) => {
    const input = c.req.valid('json');
    const ip = c.get('clientIp');
    const account = `${input.workspace}:${input.address.trim().toLowerCase()}`;
    const flood = verifyPerIp.take(ip);
    const verdict = guesses.check(account, ip);
    const wait = Math.max(flood, verdict.allowed ? 0 : verdict.retryAfterSeconds);
    if (wait) throw limited(c, wait, 'sign-in attempts');
    let s;
    try { s = await verifySignInCode({ app, input }); } catch (err) {
      if (err instanceof AppError && err.code === 'unauthenticated') guesses.fail(account, ip);
      throw err;
    }
    guesses.succeed(account, ip);
    return c.json(await startSession(c, s) as any, 200);
  });

  r.openapi(createRoute({
    method: 'post', path: '/portal/auth/link', tags, summary: 'Sign in with a one-time sign-in link\'s token (the page the link opens posts it)',
    request: body(SignInLinkInput), responses: { 200: json(MeSchema), 400: errors[400], 401: errors[401], 429: errors[429] },
  }), async (c) => {
    const ip = c.get('clientIp');
    const wait = verifyPerIp.take(ip);
    if (wait) throw limited(c, wait, 'sign-in attempts');
    const s = await redeemSignInLink({ app, token: c.req.valid('json').token });
    return c.json(await startSession(c, s) as any, 200);
  });
  return r;
}
