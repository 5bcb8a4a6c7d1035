import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { clientAddress, type TrustedProxies } from '../../platform/client-address.ts';
import { AppError } from '../../platform/errors.ts';
import type { Env } from '../context.ts';

/** The client's address (src/platform/client-address.ts): headers only from trusted proxies. */
export function clientIp(trusted: TrustedProxies): MiddlewareHandler<Env> {
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    c.set('clientIp', clientAddress(incoming?.socket?.remoteAddress, c.req.raw.headers, trusted));
    await next();
  };
}

export type CspSources = { frameAncestors?: string[]; styleSrc?: string[]; scriptSrc?: string[] };

/**
 * Security headers on every answer, HTML and API alike, through Hono's secure-headers middleware:
 * a Content-Security-Policy with no inline script or style (the web app is built without any),
 * `frame-ancestors 'none'` unless a page says otherwise, nosniff, `Referrer-Policy: no-referrer`,
 * and HSTS when Candor is served over https (its public URL). A header a route set itself (an
 * attachment's sandbox CSP, the widget script's cross-origin CORP) is kept.
 */
export function securityHeaders(opts: { https: boolean }, page: CspSources = {}): MiddlewareHandler {
  const self = ["'self'"];
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: self, scriptSrc: page.scriptSrc ?? self, styleSrc: page.styleSrc ?? self, imgSrc: ["'self'", 'data:'],
      connectSrc: self, fontSrc: self, objectSrc: ["'none'"], baseUri: ["'none'"], formAction: self,
      frameAncestors: page.frameAncestors ?? ["'none'"],
    },
    xFrameOptions: page.frameAncestors ? false : 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: opts.https ? 'max-age=31536000; includeSubDomains' : false,
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    overwrite: false,
  });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write authenticated by the session cookie must come from Candor's own pages (CSRF, beside
 * SameSite=Lax): `Sec-Fetch-Site: same-origin`, or, from a browser that does not send it, an
 * `Origin` whose host is this one (the Host header or the public URL). A request with neither is
 * refused: every browser sends one of them on a write, so only a forged request lacks both.
 */
export function assertSameOriginWrite(c: Context<Env>, publicUrl: string | undefined): void {
  if (SAFE.has(c.req.method)) return;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) {
    if (site === 'same-origin') return;
    throw new AppError('forbidden', `A cookie-authenticated ${c.req.method} must come from Candor's own pages (Sec-Fetch-Site: ${site})`);
  }
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try { host = new URL(origin).host; } catch { /* malformed: refused below */ }
    const allowed = [c.req.header('host'), publicUrl ? new URL(publicUrl).host : undefined].filter(Boolean);
    if (host && allowed.includes(host)) return;
  }
  throw new AppError('forbidden', `A cookie-authenticated ${c.req.method} must come from Candor's own pages (Origin)`);
}
