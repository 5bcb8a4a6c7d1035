import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import { conversationParticipants, conversations, messages } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { isUuid } from '../../platform/ids.ts';

/**
 * The conversation of the newest of these messages of the workspace, by Candor's own message id
 * (the `<message-id@domain>` Candor gives every mail it sends, before or whatever its stored
 * external id); null when none is ours.
 */
export async function findConversationByMessageIds({ ctx, input }: { ctx: Ctx; input: { messageIds: string[] } }): Promise<{ conversationId: string; messageId: string } | null> {
  authorize(ctx, 'conversations:read');
  const ids = [...new Set(input.messageIds.filter(isUuid))].slice(0, 100);
  if (!ids.length) return null;
  const [row] = await ctx.db.select({ conversationId: messages.conversationId, messageId: messages.id }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), inArray(messages.id, ids))).orderBy(desc(messages.createdAt)).limit(1);
  return row ?? null;
}

/** Whether a customer may write to a conversation: it is theirs, or they took part in it (a colleague who replied to all). */
export async function isConversationParticipant({ ctx, input }: { ctx: Ctx; input: { conversationId: string; customerId: string } }): Promise<boolean> {
  authorize(ctx, 'conversations:read');
  if (!isUuid(input.conversationId) || !isUuid(input.customerId)) return false;
  const [conv] = await ctx.db.select({ customerId: conversations.customerId }).from(conversations)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, input.conversationId)));
  if (!conv) return false;
  if (conv.customerId === input.customerId) return true;
  const [p] = await ctx.db.select({ c: conversationParticipants.customerId }).from(conversationParticipants).where(and(
    eq(conversationParticipants.workspaceId, ctx.workspaceId), eq(conversationParticipants.conversationId, input.conversationId),
    eq(conversationParticipants.customerId, input.customerId)));
  return !!p;
}

/** A customer's conversations on a channel kind with activity since `since`, newest first (at most 50): candidates a follow-up with the same subject joins. */
export async function listRecentConversations({ ctx, input }: { ctx: Ctx; input: { customerId: string; since: Date } }) {
  authorize(ctx, 'conversations:read');
  return ctx.db.select({ id: conversations.id, subject: conversations.subject, status: conversations.status, lastMessageAt: conversations.lastMessageAt })
    .from(conversations).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.customerId, input.customerId),
      gte(conversations.lastMessageAt, input.since), inArray(conversations.status, ['open', 'pending', 'snoozed', 'resolved'])))
    .orderBy(desc(conversations.lastMessageAt)).limit(50);
}
