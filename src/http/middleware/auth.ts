import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { authenticateApiKey, authenticateSession } from '../../domains/workspaces/index.ts';
import { actorCtx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Env } from '../context.ts';
import { assertSameOriginWrite } from './security.ts';

export const SESSION_COOKIE = 'candor_session';

/**
 * Resolves the caller (session cookie or `Authorization: Bearer` API key) into ctx, or answers 401.
 * A write by cookie must also come from Candor's own pages (assertSameOriginWrite).
 */
export function authenticate(app: Platform, opts: { publicUrl?: string } = {}): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let who = null;
    if (header?.startsWith('Bearer ')) {
      who = await authenticateApiKey({ app, token: header.slice(7).trim() });
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) { who = await authenticateSession({ app, token }); if (who) c.set('sessionToken', token); }
      if (who) assertSameOriginWrite(c, opts.publicUrl);
    }
    if (!who) throw new AppError('unauthenticated', header ? 'API key is invalid or revoked' : 'Sign in first');
    c.set('ctx', actorCtx(app, who.workspaceId, who.actor, c.get('requestId')));
    c.set('principal', `${who.actor.type}:${who.actor.id}`);
    await next();
  };
}
