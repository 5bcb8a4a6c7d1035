import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { conversations, messages, type ChannelKind } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { listChannels, type ChannelRow } from '../../domains/channels/index.ts';

/*
 * Small reads the Meta adapters need and no domain verb offers yet. Each is tenant-scoped and
 * rides an existing index; they are candidates to move into the conversations domain as verbs.
 */

/** The message a provider id names (a reply's `context.id` / `reply_to.mid`): unique index (workspace, channel, external_id). */
export async function messageByExternalId(ctx: Ctx, channel: ChannelKind, externalId: string) {
  const [m] = await ctx.db.select({ id: messages.id, conversationId: messages.conversationId }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.channel, channel), eq(messages.externalId, externalId)));
  return m ?? null;
}

/** When the customer last wrote on this channel kind in this conversation (index on conversation, created_at). */
export async function lastInboundOn(ctx: Ctx, conversationId: string, channel: ChannelKind): Promise<Date | null> {
  const [m] = await ctx.db.select({ at: messages.createdAt }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.conversationId, conversationId), eq(messages.channel, channel), eq(messages.direction, 'in')))
    .orderBy(desc(messages.createdAt)).limit(1);
  return m?.at ?? null;
}

/** A customer's outbound messages on a channel kind, created at or before `before`, still in one of `statuses` (watermark receipts). */
export async function outboundBefore(ctx: Ctx, input: { customerId: string; channel: ChannelKind; before: Date; statuses: string[] }) {
  const convs = ctx.db.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.customerId, input.customerId)));
  return ctx.db.select({ id: messages.id, externalId: messages.externalId }).from(messages).where(and(
    eq(messages.workspaceId, ctx.workspaceId), inArray(messages.conversationId, convs), eq(messages.channel, input.channel),
    eq(messages.direction, 'out'), inArray(messages.deliveryStatus, input.statuses as any), lte(messages.createdAt, input.before),
    sql`${messages.externalId} is not null`,
  )).limit(500);
}

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
