import { Hono } from 'hono';
import { systemCtx } from '../../platform/ctx.ts';
import { isUuid } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { loadChannel } from '../../domains/channels/index.ts';
import { adapterFor } from '../../channels/registry.ts';
import type { Env } from '../context.ts';

/**
 * Provider webhooks: `/hooks/{workspaceId}/{channelId}/…`. No session or API key here: each adapter
 * verifies its provider's signature before anything is stored.
 */
export function hookRoutes(app: Platform, publicUrl?: string) {
  const r = new Hono<Env>();
  r.all('/:workspaceId/:channelId/*', handle);
  r.all('/:workspaceId/:channelId', handle);
  async function handle(c: any) {
    const { workspaceId, channelId } = c.req.param();
    // Not ids at all: no such workspace or channel (never a database error).
    if (!isUuid(workspaceId) || !isUuid(channelId)) return c.json({ code: 'not_found', message: 'No such channel', requestId: c.get('requestId') }, 404);
    const ctx = { ...systemCtx(app, workspaceId, `channel:${channelId}`), requestId: c.get('requestId') };
    const channel = await loadChannel(ctx, channelId);
    const adapter = adapterFor(channel.kind);
    if (!channel.active || !adapter?.webhook) return c.json({ code: 'not_found', message: 'No active channel here', requestId: c.get('requestId') }, 404);
    const url = new URL(c.req.url);
    const base = publicUrl ?? `${url.protocol}//${url.host}`;
    const prefix = `/hooks/${workspaceId}/${channelId}`;
    return adapter.webhook({
      ctx, channel, request: c.req.raw, rawBody: Buffer.from(await c.req.raw.arrayBuffer()),
      publicUrl: `${base}${url.pathname}${url.search}`, subpath: url.pathname.slice(prefix.length) || '/',
    });
  }
  return r;
}
