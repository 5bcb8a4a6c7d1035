import type { Ctx } from '../../platform/ctx.ts';
import { listChannels, type ChannelRow } from '../../domains/channels/index.ts';

/**
 * Meta sends one app's events to one URL, so a workspace with several numbers (or pages) in one
 * app receives them all on one channel's URL: the item belongs to the sibling channel whose
 * `config[key]` names it. Falls back to the receiving channel.
 */
export async function channelIdFor(ctx: Ctx, receiving: ChannelRow, key: string, value: string | undefined, cache: Map<string, string>): Promise<string> {
  if (!value || receiving.config[key] === undefined || String(receiving.config[key]) === value) return receiving.id;
  const hit = cache.get(value);
  if (hit) return hit;
  const sibling = (await listChannels({ ctx, kind: receiving.kind })).find((c) => c.active && String(c.config[key] ?? '') === value);
  if (!sibling) ctx.app.log.warn({ channelId: receiving.id, [key]: value }, `${receiving.kind} event for an unconfigured ${key}; kept on the receiving channel`);
  const id = sibling?.id ?? receiving.id;
  cache.set(value, id);
  return id;
}
