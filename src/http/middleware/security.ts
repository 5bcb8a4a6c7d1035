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

type StringCheck = (s: string) => string | null;
/** NUL, which PostgreSQL text cannot hold, and lone surrogates, which jsonb refuses and UTF-8 cannot carry. */
const unstorable: StringCheck = (s) => (s.includes('\u0000') ? 'must not contain NUL characters' : !(s as string & { isWellFormed(): boolean }).isWellFormed() ? 'must be well-formed Unicode (a lone surrogate)' : null);

/** The path (a.b.0.c) and the problem of the first unstorable string in a parsed JSON value, keys included. */
function findUnstorable(v: unknown, path: string[] = []): { path: string; message: string } | null {
  if (typeof v === 'string') { const m = unstorable(v); return m ? { path: path.join('.') || 'body', message: m } : null; }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) { const p = findUnstorable(v[i], [...path, String(i)]); if (p) return p; }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const m = unstorable(k);
      if (m) return { path: [...path, k.replaceAll('\u0000', '\\0')].join('.'), message: m };
      const p = findUnstorable(x, [...path, k]); if (p) return p;
    }
  }
  return null;
}

const fieldError = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, { fields: [{ path, message }] });

/**
 * Text PostgreSQL cannot store is refused with 400 naming where it was, before it can reach the
 * database as a 500: NUL in the path, a query parameter or any string of a JSON body, and lone
 * surrogates (`\ud800`) in a JSON body. (Channel adapters, whose providers sometimes send NUL in
 * message text, drop it instead: see conversations.schemas.ts.) A body is parsed a second time
 * only when its text holds a `\u0000` or `\uD8xx` escape: otherwise this costs a substring search.
 */
export function rejectUnstorableText(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const url = c.req.url;
    if (/%00/i.test(url) || url.includes('\u0000')) {
      const u = new URL(url);
      if (/%00/i.test(u.pathname)) throw fieldError('path', 'must not contain NUL characters');
      for (const [k, v] of u.searchParams) if (k.includes('\u0000') || v.includes('\u0000')) throw fieldError(k.replaceAll('\u0000', '\\0'), 'must not contain NUL characters');
    }
    if (!SAFE.has(c.req.method) && /json/i.test(c.req.header('content-type') ?? '')) {
      const text = await c.req.text();
      if (/\\u(0000|d[89a-f])/i.test(text)) {
        let parsed: unknown;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        const bad = parsed === undefined ? null : findUnstorable(parsed);
        if (bad) throw fieldError(bad.path, bad.message);
      }
    }
    await next();
  };
}
