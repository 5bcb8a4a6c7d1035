import { Hono, type Context } from 'hono';
import type { Platform } from '../../platform/platform.ts';
import { StatusSnapshots, subscribeToStatus, setSubscription, publicStatusUrl, type SnapshotFile } from '../../domains/status/index.ts';
import { renderPublicStatusPage } from '../../web/features/status/public-page.tsx';
import { AppError } from '../../platform/errors.ts';
import type { Env } from '../context.ts';

const v2Files = new Set(['summary.json', 'status.json', 'components.json', 'incidents.json', 'incidents/unresolved.json',
  'scheduled-maintenances.json', 'scheduled-maintenances/upcoming.json', 'scheduled-maintenances/active.json']);

/** Whether If-None-Match names this ETag (weak comparison, as RFC 9110 allows for GET). */
const matches = (header: string | undefined, etag: string) =>
  !!header && (header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag));

/**
 * The public status surface, no sign-in: `/status` and `/api/v2/*.json` (Statuspage's paths) for
 * the install's public workspace, and `/status/{slug}` (+ `/api/v2/…`, feeds, subscribe) for every
 * workspace. Served from a snapshot (src/domains/status/snapshot.ts) with a strong ETag,
 * Cache-Control and 304 on If-None-Match.
 */
export function statusPublicRoutes(app: Platform, opts: { publicSlug: string; maxAgeSeconds?: number }) {
  const snaps = new StatusSnapshots(app, renderPublicStatusPage);
  const maxAge = opts.maxAgeSeconds ?? 10;
  const r = new Hono<Env>();

  async function workspace(slug: string | undefined) {
    const id = await snaps.workspaceOf(slug ?? opts.publicSlug);
    if (!id) throw new AppError('not_found', `No status page ${slug ?? opts.publicSlug}`);
    return id;
  }
  function send(c: Context<Env>, f: SnapshotFile | null) {
    if (!f) throw new AppError('not_found', 'No such file');
    c.header('ETag', f.etag);
    c.header('Cache-Control', `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 3}`);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('X-Content-Type-Options', 'nosniff');
    if (matches(c.req.header('if-none-match'), f.etag)) return c.body(null, 304);
    c.header('Content-Type', f.type);
    return c.body(f.body, 200);
  }
  const file = async (c: Context<Env>, slug: string | undefined, name: string) => send(c, await snaps.file(await workspace(slug), name));
  const v2 = async (c: Context<Env>, slug: string | undefined, prefix: string) => {
    const name = c.req.path.slice(prefix.length);
    if (!v2Files.has(name)) throw new AppError('not_found', `No /api/v2/${name}`);
    return file(c, slug, name);
  };

  r.get('/api/v2/*', (c) => v2(c, undefined, '/api/v2/'));
  r.get('/status', (c) => file(c, undefined, 'index.html'));
  r.get('/status/history.atom', (c) => file(c, undefined, 'history.atom'));
  r.get('/status/history.rss', (c) => file(c, undefined, 'history.rss'));
  r.get('/status/:slug', (c) => file(c, c.req.param('slug'), 'index.html'));
  r.get('/status/:slug/history.atom', (c) => file(c, c.req.param('slug'), 'history.atom'));
  r.get('/status/:slug/history.rss', (c) => file(c, c.req.param('slug'), 'history.rss'));
  r.get('/status/:slug/api/v2/*', (c) => v2(c, c.req.param('slug'), `/status/${c.req.param('slug')}/api/v2/`));

  const subscribe = async (c: Context<Env>, slug: string | undefined) => {
    const wsId = await workspace(slug);
    const form = (c.req.header('content-type') ?? '').includes('json') ? await c.req.json() : Object.fromEntries((await c.req.formData()).entries());
    const input = { email: form.email || undefined, webhook: form.webhook || undefined };
    await subscribeToStatus({ app, workspaceId: wsId, input });
    if ((c.req.header('accept') ?? '').includes('json')) return c.json({ pending: true }, 202);
    return c.html(message('Check your inbox', 'We sent a link to confirm. Nothing more is sent until you click it.', publicStatusUrl(slug ?? opts.publicSlug)), 202);
  };
  r.post('/status/subscribe', (c) => subscribe(c, undefined));
  r.post('/status/:slug/subscribe', (c) => subscribe(c, c.req.param('slug')));
  for (const action of ['confirm', 'unsubscribe'] as const) {
    const handler = async (c: Context<Env>) => {
      const slug = c.req.param('slug');
      const ok = await setSubscription({ app, workspaceId: await workspace(slug), token: c.req.query('token') ?? '', action });
      const page = publicStatusUrl(slug ?? opts.publicSlug);
      if (!ok) return c.html(message('Link not recognised', 'This link is not (or no longer) valid.', page), 404);
      return c.html(action === 'confirm' ? message('Subscribed', 'You will hear from us when something happens.', page) : message('Unsubscribed', 'You will get no more updates.', page), 200);
    };
    r.get(`/status/:slug/subscriptions/${action}`, handler);
    // RFC 8058 one-click: mail clients POST to the List-Unsubscribe URL.
    r.post(`/status/:slug/subscriptions/${action}`, handler);
  }
  return r;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const message = (title: string, text: string, back: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>`
  + `<body style="font-family:system-ui,sans-serif;max-width:560px;margin:40px auto;padding:0 16px"><h1>${esc(title)}</h1><p>${esc(text)}</p><p><a href="${esc(back)}">Back to the status page</a></p></body></html>`;
