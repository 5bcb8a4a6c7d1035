import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { conversations, messages, type ChannelKind } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';

/**
 * The customer's latest message on a channel kind in a conversation: when they last wrote (a
 * provider's reply window) and its provider id (what a reply answers). Null when there is none.
 */
export async function lastInboundMessage({ ctx, input }: { ctx: Ctx; input: { conversationId: string; channel: ChannelKind } }): Promise<{ externalId: string | null; createdAt: Date } | null> {
  authorize(ctx, 'conversations:read');
  const [m] = await ctx.db.select({ externalId: messages.externalId, createdAt: messages.createdAt }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.conversationId, input.conversationId), eq(messages.channel, input.channel), eq(messages.direction, 'in')))
    .orderBy(desc(messages.createdAt), desc(messages.id)).limit(1);
  return m ?? null;
}

/** A customer's outbound messages on a channel kind, sent at or before `before` and still in one of `statuses` (watermark receipts). */
export async function listOutboundBefore({ ctx, input }: { ctx: Ctx; input: { customerId: string; channel: ChannelKind; before: Date; statuses: string[] } }) {
  authorize(ctx, 'conversations:read');
  const convs = ctx.db.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.customerId, input.customerId)));
  return ctx.db.select({ id: messages.id, externalId: messages.externalId }).from(messages).where(and(
    eq(messages.workspaceId, ctx.workspaceId), inArray(messages.conversationId, convs), eq(messages.channel, input.channel),
    eq(messages.direction, 'out'), inArray(messages.deliveryStatus, input.statuses as any), lte(messages.createdAt, input.before),
    sql`${messages.externalId} is not null`,
  )).limit(500);
}

/** A message's delivery status, or null when there is no such message in the workspace. */
export async function messageDeliveryStatus({ ctx, id }: { ctx: Ctx; id: string }): Promise<string | null> {
  authorize(ctx, 'conversations:read');
  const [m] = await ctx.db.select({ s: messages.deliveryStatus }).from(messages).where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.id, id)));
  return m?.s ?? null;
}
