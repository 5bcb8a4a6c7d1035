import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { loadModel, type ReasonModel } from './classifier/index.ts';

export type LiveModel = { version: number; model: ReasonModel };
type Entry = { live: LiveModel | null; at: number };

/** A promoted model is announced with this event; every node drops its copy and loads the new one. */
export const MODEL_PROMOTED = 'reasons.model_promoted';
const TTL_MS = 60_000;
const caches = new WeakMap<Platform, Map<string, Entry>>();

function cacheOf(app: Platform): Map<string, Entry> {
  let cache = caches.get(app);
  if (!cache) {
    const c = (cache = new Map());
    caches.set(app, c);
    app.bus.subscribe((e) => { if (e.type === MODEL_PROMOTED || e.type === 'bus.reconnected') e.workspaceId ? c.delete(e.workspaceId) : c.clear(); });
  }
  return cache;
}

/**
 * The workspace's live reason model, loaded once per node and kept until a promotion is announced
 * (or a minute passes, in case an announcement was missed). Null when none was promoted yet.
 */
export async function liveReasonModel(ctx: Ctx): Promise<LiveModel | null> {
  const cache = cacheOf(ctx.app);
  const hit = cache.get(ctx.workspaceId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.live;
  const res = await ctx.db.execute(sql`select version, model from reason_models where workspace_id = ${ctx.workspaceId} and status = 'live'`);
  const [row] = ((res as { rows?: unknown[] }).rows ?? res) as { version: number; model: Uint8Array }[];
  const live = row ? { version: Number(row.version), model: loadModel(Buffer.from(row.model)) } : null;
  cache.set(ctx.workspaceId, { live, at: Date.now() });
  return live;
}
