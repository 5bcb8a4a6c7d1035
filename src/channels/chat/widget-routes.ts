import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { systemCtx } from '../../platform/ctx.ts';
import { isUuid } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { findWorkspaceBySlug } from '../../domains/workspaces/index.ts';
import { createChannel, listChannels, loadChannel } from '../../domains/channels/index.ts';
import type { Env } from '../../http/context.ts';
import { securityHeaders } from '../../http/middleware/security.ts';
import { chatConfigOf } from './chat-config.ts';

const WIDGET_FILE = new URL('../../widget/widget.js', import.meta.url);
const DEMO_SLUG = 'fibrelink';
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The widget script, read once; tests and development edit it in place, so it is re-read when NODE_ENV is not production. */
type Script = { body: Buffer; gzip: Buffer; etag: string };
function widgetScript(): () => Script {
  let cached: Script | undefined;
  return () => {
    if (cached && process.env.NODE_ENV === 'production') return cached;
    const body = readFileSync(WIDGET_FILE);
    if (cached && body.equals(cached.body)) return cached;
    cached = { body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    return cached;
  };
}

/**
 * GET /widget.js: the web chat widget, one self-contained script for any site
 * (`<script src=".../widget.js" data-workspace=… data-channel=… async>`).
 * GET /widget-demo: a sample page embedding it, for the demo workspace's chat channel
 * (or `?workspace=…&channel=…`).
 */
export function widgetRoutes(app: Platform, opts: { https?: boolean } = {}) {
  const r = new Hono<Env>();
  const script = widgetScript();
  r.get('/widget.js', (c) => {
    const { body, gzip, etag } = script();
    c.header('ETag', etag);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Vary', 'Accept-Encoding');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      c.header('Content-Encoding', 'gzip');
      return c.body(new Uint8Array(gzip), 200);
    }
    return c.body(new Uint8Array(body), 200);
  });
  r.get('/widget-demo', async (c) => {
    let workspaceId = c.req.query('workspace');
    let channelId = c.req.query('channel');
    if (!workspaceId || !channelId || !isUuid(workspaceId) || !isUuid(channelId)) {
      const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug: DEMO_SLUG });
      const chat = ws && (await listChannels({ ctx: systemCtx(app, ws.id), kind: 'chat' })).find((ch) => ch.active);
      if (!ws || !chat) {
        return withDemoHeaders(c, () => c.html(demoPage(null, `No chat channel yet. Create one (POST /api/v1/channels {"kind":"chat","name":"Website chat"}) in the ${DEMO_SLUG} workspace, or open /widget-demo?workspace=&lt;id&gt;&amp;channel=&lt;id&gt;.`), 404), []);
      }
      [workspaceId, channelId] = [ws.id, chat.id];
    }
    return withDemoHeaders(c, () => c.html(demoPage({ workspaceId: workspaceId!, channelId: channelId! }, null)), await framers(workspaceId, channelId));
  });
  /**
   * The demo page's own headers: its one inline <style> by hash, and `frame-ancestors` that let the
   * sites the channel allows (its allowedOrigins) frame it; nothing else may.
   */
  const demoHeaders = (ancestors: string[]) => securityHeaders({ https: !!opts.https }, { styleSrc: ["'self'", DEMO_STYLE_HASH], frameAncestors: ["'self'", ...ancestors] });
  const withDemoHeaders = async (c: Context<Env>, page: () => Response | Promise<Response>, ancestors: string[]) => {
    await demoHeaders(ancestors)(c, async () => { c.res = await page(); });
    return c.res;
  };
  async function framers(workspaceId: string, channelId: string): Promise<string[]> {
    try {
      const cfg = chatConfigOf(await loadChannel(systemCtx(app, workspaceId), channelId));
      return (cfg.allowedOrigins ?? []).map((o) => new URL(o).origin);
    } catch {
      return [];
    }
  }
  return r;
}

const DEMO_STYLE = 'body{font:16px/1.5 Georgia,serif;margin:0;background:#f4f1ea;color:#222}header{background:#1d3557;color:#fff;padding:1rem 2rem}main{max-width:40rem;margin:2rem auto;padding:0 1rem}\nbutton{font:inherit}p{margin:0 0 1rem}code{background:#e8e2d4;padding:.1em .3em}';
const DEMO_STYLE_HASH = `'sha256-${createHash('sha256').update(DEMO_STYLE).digest('base64')}'`;

function demoPage(ids: { workspaceId: string; channelId: string } | null, notice: string | null): string {
  const tag = ids ? `<script src="/widget.js" data-workspace="${escapeHtml(ids.workspaceId)}" data-channel="${escapeHtml(ids.channelId)}" async></script>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fibrelink — web chat demo</title>
<style>${DEMO_STYLE}</style></head>
<body><header><h1>Fibrelink</h1></header><main>
<h2>Your fibre connection</h2>
<p>This page stands in for a business's own site. The chat launcher at the bottom right is Candor's web chat widget, added with one script tag:</p>
<p><code>${escapeHtml(tag || '<script src="/widget.js" data-workspace="…" data-channel="…" async></script>')}</code></p>
${notice ? `<p role="alert"><strong>${notice}</strong></p>` : '<p>Write a message; answer it from the agent inbox and the reply appears here.</p>'}
</main>${tag}</body></html>`;
}

/**
 * Gives the demo workspace a web chat channel if it has none (idempotent; nothing without the demo
 * workspace). Anonymous visitors may chat: there is no identitySecret.
 */
export async function ensureDemoChatChannel(app: Platform, slug = DEMO_SLUG): Promise<{ created: boolean; channelId: string } | null> {
  const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug });
  if (!ws) return null;
  const ctx = systemCtx(app, ws.id, 'demo');
  const existing = (await listChannels({ ctx, kind: 'chat' }))[0];
  if (existing) return { created: false, channelId: existing.id };
  const ch = await createChannel({ ctx, input: { kind: 'chat', name: 'Website chat', config: { title: 'Fibrelink support', greeting: 'Hi! Ask us anything about your connection.', color: '#1d3557' } } });
  return { created: true, channelId: ch.id };
}
