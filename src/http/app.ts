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
import { publicAuthRoutes, authRoutes } from './routes/auth.routes.ts';
import { customerRoutes } from './routes/customers.routes.ts';
import { conversationRoutes } from './routes/conversations.routes.ts';
import { workspaceRoutes } from './routes/workspace.routes.ts';
import { billingRoutes } from './routes/billing.routes.ts';
import { channelRoutes } from './routes/channels.routes.ts';
import { attachmentRoutes } from './routes/attachments.routes.ts';
import { smsRoutes } from './routes/sms.routes.ts';
import { understandingRoutes } from './routes/understanding.routes.ts';
import { hookRoutes } from './routes/hooks.routes.ts';
import { insightsRoutes } from './routes/insights.routes.ts';
import { docsPage } from './docs-page.ts';
import { widgetRoutes } from '../channels/chat/widget-routes.ts';

export type AppOptions = { secureCookies?: boolean; publicUrl?: string; rateLimit?: { burst: number; perSecond: number }; webDir?: string | null; maxBodyBytes?: number };

export const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The whole HTTP surface: thin routes over the verbs, one error shape, OpenAPI from the same zod schemas. */
export function createApp(platform: Platform, opts: AppOptions = {}) {
  const app = new OpenAPIHono<Env>();
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
  app.use('*', readBody(opts.maxBodyBytes ?? Number(process.env.CANDOR_MAX_BODY_MB ?? 40) * 1024 * 1024));

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
  api.route('/', publicAuthRoutes(platform, { secureCookies: opts.secureCookies ?? false }));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Candor API', version: '1', description: 'Customer records, conversations on every channel, timelines. Errors are { code, message, requestId, details }.' },
    security: [{ bearer: [] }, { session: [] }],
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'API key: cnd_…' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'candor_session' });
  api.get('/docs', (c) => c.html(docsPage('/api/v1/openapi.json', '/api/v1/docs/assets')));
  api.use('/docs/assets/*', serveStatic({ root: relative(process.cwd(), swaggerDir), rewriteRequestPath: (p) => p.replace(/^\/api\/v1\/docs\/assets/, '') }));

  const limiter = new RateLimiter(limits.burst, limits.perSecond);
  const [auth, limit, idem] = [authenticate(platform), rateLimit(limiter), idempotency()];
  api.use('*', async (c, next) => {
    const p = c.req.path;
    if (p.endsWith('/openapi.json') || p.includes('/docs') || p.endsWith('/auth/login')) return next();
    return auth(c, next);
  });
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
  api.route('/', insightsRoutes());
  app.route('/api/v1', api);
  app.route('/hooks', hookRoutes(platform, opts.publicUrl));
  app.route('/', widgetRoutes(platform));
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
