import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { authenticateCustomerSession, authenticateGrant, PORTAL_COOKIE } from '../../domains/portal/index.ts';
import { actorCtx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Env } from '../context.ts';
import { assertSameOriginWrite } from './security.ts';

/**
 * The customer's own routes (`/api/v1/me/…`): a portal session (cookie `candor_portal`) or an
 * assistant grant (`Authorization: Bearer cag_…`), nothing else. Staff credentials are refused
 * here, as customer credentials are refused on every other route (middleware/auth.ts knows neither).
 */
export function authenticateCustomer(app: Platform, opts: { publicUrl?: string } = {}): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let who = null;
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      if (!token.startsWith('cag_')) throw new AppError('forbidden', 'These are a customer\'s own routes: use a portal session or an assistant grant, not staff credentials');
      who = await authenticateGrant({ app, token });
      if (!who) throw new AppError('unauthenticated', 'This assistant grant is invalid, revoked or expired');
    } else {
      const token = getCookie(c, PORTAL_COOKIE);
      if (token) { who = await authenticateCustomerSession({ app, token }); if (who) { c.set('sessionToken', token); assertSameOriginWrite(c, opts.publicUrl); } }
      if (!who) throw new AppError('unauthenticated', 'Sign in to the portal first');
    }
    c.set('ctx', actorCtx(app, who.workspaceId, who.actor, c.get('requestId')));
    c.set('principal', `${who.actor.type}:${who.actor.id}`);
    await next();
  };
}
