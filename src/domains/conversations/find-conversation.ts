import { and, desc, eq, inArray } from 'drizzle-orm';
import { conversations, messages, type ChannelKind } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { isUuid } from '../../platform/ids.ts';

/**
 * The conversation holding a message with one of these provider ids on a channel (an email's
 * In-Reply-To / References): the most recent match, with the id that matched; null when none is
 * stored. With one id, it also tells a channel whether an item is a redelivery before it does work.
 */
export async function findConversationByExternalId({ ctx, input }: { ctx: Ctx; input: { channel: ChannelKind; externalIds: string[] } }): Promise<{ conversationId: string; messageId: string; externalId: string } | null> {
  authorize(ctx, 'conversations:read');
  const ids = [...new Set(input.externalIds.filter((x) => x && x.length <= 500))].slice(0, 100);
  if (!ids.length) return null;
  const rows = await ctx.db.select({ conversationId: messages.conversationId, messageId: messages.id, externalId: messages.externalId }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.channel, input.channel), inArray(messages.externalId, ids)))
    .orderBy(desc(messages.createdAt)).limit(1);
  return rows[0] ? { ...rows[0], externalId: rows[0].externalId! } : null;
}

/** A conversation of this workspace by its number or id (a reply token in an address); null when there is none. */
export async function findConversationByNumber({ ctx, input }: { ctx: Ctx; input: { number?: number; id?: string } }): Promise<{ id: string; number: number; customerId: string } | null> {
  authorize(ctx, 'conversations:read');
  const cond = input.id !== undefined
    ? (isUuid(input.id) ? eq(conversations.id, input.id) : null)
    : (Number.isSafeInteger(input.number) && input.number! > 0 && input.number! < 2 ** 31 ? eq(conversations.number, input.number!) : null);
  if (!cond) return null;
  const [row] = await ctx.db.select({ id: conversations.id, number: conversations.number, customerId: conversations.customerId }).from(conversations)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), cond));
  return row ?? null;
}
