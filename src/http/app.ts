import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { newId } from '../platform/ids.ts';
import { RateLimiter } from '../platform/rate-limit.ts';
import type { Platform } from '../platform/platform.ts';
import type { Env } from './context.ts';
import { errorResponse } from './middleware/errors.ts';
import { authenticate } from './middleware/auth.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { idempotency } from './middleware/idempotency.ts';
import { readBody } from './middleware/body.ts';
import { clientIp, rejectUnstorableText, securityHeaders } from './middleware/security.ts';
import { TrustedProxies, trustedProxiesFromEnv } from '../platform/client-address.ts';
import { publicAuthRoutes, authRoutes } from './routes/auth.routes.ts';
import { customerRoutes } from './routes/customers.routes.ts';
import { conversationRoutes } from './routes/conversations.routes.ts';
import { workspaceRoutes } from './routes/workspace.routes.ts';
import { billingRoutes } from './routes/billing.routes.ts';
import { channelRoutes } from './routes/channels.routes.ts';
import { attachmentRoutes } from './routes/attachments.routes.ts';
import { smsRoutes } from './routes/sms.routes.ts';
import { understandingRoutes } from './routes/understanding.routes.ts';
import { statusRoutes } from './routes/status.routes.ts';
import { statusPublicRoutes } from './routes/status-public.routes.ts';
import { hookRoutes } from './routes/hooks.routes.ts';
import { portalAuthRoutes } from './routes/portal-auth.routes.ts';
import { portalRoutes } from './routes/portal.routes.ts';
import { portalAdminRoutes } from './routes/portal-admin.routes.ts';
import { authenticateCustomer } from './middleware/customer-auth.ts';
import { mcpHandler } from '../mcp/mcp-route.ts';
import { insightsRoutes } from './routes/insights.routes.ts';
import { docsPage, docsScript } from './docs-page.ts';
import { widgetRoutes } from '../channels/chat/widget-routes.ts';

export type AppOptions = {
  /** Default: on when publicUrl is https. */
  secureCookies?: boolean; publicUrl?: string; rateLimit?: { burst: number; perSecond: number }; webDir?: string | null;
  /** Bodies of authenticated requests (CANDOR_MAX_BODY_MB, 40). */
  maxBodyBytes?: number;
  /** Bodies of requests without credentials (CANDOR_MAX_PUBLIC_BODY_KB, 64). */
  maxPublicBodyBytes?: number;
  /** Webhook bodies, read before the provider's signature is checked (CANDOR_MAX_WEBHOOK_BODY_KB, 1024). */
  maxWebhookBodyBytes?: number;
  /** CIDRs whose X-Forwarded-For / Forwarded are believed (CANDOR_TRUSTED_PROXIES). */
  trustedProxies?: TrustedProxies | string;
  /** The workspace `/status` and `/api/v2/` serve (CANDOR_PUBLIC_STATUS; the demo's by default). */
  publicStatusSlug?: string;
};

const SESSION_COOKIE_RE = /(?:^|;\s*)candor_session=/;
/** API paths anyone may call: no authentication, and the small body limit. */
const publicApiPath = (p: string) => p.endsWith('/openapi.json') || p.includes('/docs') || p.endsWith('/auth/login') || p.startsWith('/api/v1/portal/auth/');
/** The customer's own routes: a portal session or an assistant grant, never staff credentials (and those work nowhere else). */
const customerApiPath = (p: string) => p === '/api/v1/me' || p.startsWith('/api/v1/me/');
/** Whether a request's body is read only after its credentials were checked (an API call that brings some). */
const readAfterAuth = (c: { req: { path: string; header(n: string): string | undefined } }) =>
  c.req.path.startsWith('/api/') && !publicApiPath(c.req.path) && (!!c.req.header('authorization') || SESSION_COOKIE_RE.test(c.req.header('cookie') ?? ''));

export const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The whole HTTP surface: thin routes over the verbs, one error shape, OpenAPI from the same zod schemas. */
export function createApp(platform: Platform, opts: AppOptions = {}) {
  const app = new OpenAPIHono<Env>();
  const https = opts.publicUrl?.startsWith('https:') ?? false;
  const secureCookies = opts.secureCookies ?? https;
  const trusted = typeof opts.trustedProxies === 'string' ? TrustedProxies.parse(opts.trustedProxies) : opts.trustedProxies ?? trustedProxiesFromEnv();
  const limits = opts.rateLimit ?? {
    burst: Number(process.env.CANDOR_RATE_BURST ?? 600),
    perSecond: Number(process.env.CANDOR_RATE_PER_SECOND ?? 100),
  };

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || newId();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    if (c.req.path.startsWith('/api/')) {
      platform.log.info({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  });
  app.onError((err, c) => errorResponse(err, c));
  app.use('*', clientIp(trusted));
  const headers = securityHeaders({ https });
  app.use('*', async (c, next) => (c.req.path === '/widget-demo' || c.req.path === '/api/v1/docs' ? next() : headers(c, next)));
  // Bodies: small for anyone (login, the public pages); large only once the credentials were checked.
  const readLarge = readBody(opts.maxBodyBytes ?? Number(process.env.CANDOR_MAX_BODY_MB ?? 40) * 1024 * 1024);
  const readSmall = readBody(opts.maxPublicBodyBytes ?? Number(process.env.CANDOR_MAX_PUBLIC_BODY_KB ?? 64) * 1024);
  const readHook = readBody(opts.maxWebhookBodyBytes ?? Number(process.env.CANDOR_MAX_WEBHOOK_BODY_KB ?? 1024) * 1024);
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/hooks/')) return readHook(c, next);
    if (readAfterAuth(c)) return next(); // read after authentication, below
    return readSmall(c, next);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    try {
      const migrated = await platform.database.migrationsApplied();
      return c.json({ ok: migrated, database: 'reachable', migrations: migrated ? 'applied' : 'pending' }, migrated ? 200 : 503);
    } catch {
      return c.json({ ok: false, database: 'unreachable' }, 503);
    }
  });

  const api = new OpenAPIHono<Env>();
  api.route('/', publicAuthRoutes(platform, { secureCookies }));
  api.route('/', portalAuthRoutes(platform, { secureCookies }));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Candor API', version: '1', description: 'Customer records, conversations on every channel, timelines. Errors are { code, message, requestId, details }.' },
    security: [{ bearer: [] }, { session: [] }],
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'API key: cnd_…' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'candor_session' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'portal', { type: 'apiKey', in: 'cookie', name: 'candor_portal', description: 'A customer signed in to the portal' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'assistant', { type: 'http', scheme: 'bearer', description: 'An assistant grant the customer gave: cag_…' });
  api.get('/docs', securityHeaders({ https }, { styleSrc: ["'self'", "'unsafe-inline'"] }), (c) => c.html(docsPage('/api/v1/openapi.json', '/api/v1/docs/assets')));
  api.get('/docs/start.js', (c) => c.body(docsScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  api.use('/docs/assets/*', serveStatic({ root: relative(process.cwd(), swaggerDir), rewriteRequestPath: (p) => p.replace(/^\/api\/v1\/docs\/assets/, '') }));

  const limiter = new RateLimiter(limits.burst, limits.perSecond);
  const [auth, limit, idem] = [authenticate(platform, { publicUrl: opts.publicUrl }), rateLimit(limiter), idempotency()];
  const customerAuth = authenticateCustomer(platform, { publicUrl: opts.publicUrl });
  api.use('*', async (c, next) => (publicApiPath(c.req.path) ? next() : customerApiPath(c.req.path) ? customerAuth(c, next) : auth(c, next)));
  api.use('*', async (c, next) => (readAfterAuth(c) ? readLarge(c, next) : next()));
  api.use('*', rejectUnstorableText());
  api.use('*', async (c, next) => (c.get('ctx') ? limit(c, next) : next()));
  api.use('*', async (c, next) => (c.get('ctx') ? idem(c, next) : next()));
  api.route('/', authRoutes());
  api.route('/', customerRoutes());
  api.route('/', conversationRoutes());
  api.route('/', workspaceRoutes());
  api.route('/', billingRoutes());
  api.route('/', channelRoutes());
  api.route('/', attachmentRoutes());
  api.route('/', smsRoutes());
  api.route('/', understandingRoutes());
  api.route('/', statusRoutes());
  api.route('/', portalRoutes());
  api.route('/', portalAdminRoutes());
  api.route('/', insightsRoutes());
  app.route('/api/v1', api);
  app.route('/hooks', hookRoutes(platform, opts.publicUrl));
  app.all('/mcp', mcpHandler(platform));
  app.route('/', widgetRoutes(platform, { https }));
  app.route('/', statusPublicRoutes(platform, { publicSlug: opts.publicStatusSlug ?? process.env.CANDOR_PUBLIC_STATUS ?? 'fibrelink' }));
  app.all('/api/*', (c) => c.json({ code: 'not_found', message: `No route ${c.req.method} ${c.req.path}`, requestId: c.get('requestId') }, 404));

  const webDir = opts.webDir === undefined ? defaultWebDir : opts.webDir;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    const index = readFileSync(join(webDir, 'index.html'), 'utf8');
    app.use('/assets/*', serveStatic({ root: relative(process.cwd(), webDir) }));
    app.get('*', (c) => c.html(index));
  } else {
    app.get('/', (c) => c.text('Candor API is running. The web app is not built: run `npm run build:web`.'));
  }
  return app;
}
