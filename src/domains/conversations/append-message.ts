import { and, eq, sql } from 'drizzle-orm';
import { conversations, messages, subscriptions, type ChannelKind, type Attachment } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { emit } from '../../platform/events.ts';
import { recordTimeline } from '../customers/record-timeline.ts';
import { recordMessageEntries } from './message-timeline.ts';
import { linkAttachments } from './attachment-links.ts';
import { takeConversationNumber } from './conversation-numbers.ts';
import type { ConversationRow, MessageRow } from './views.ts';

export type NewMessage = {
  direction: 'in' | 'out' | 'note';
  authorType: 'customer' | 'agent' | 'bot' | 'system';
  authorId: string | null;
  channel: ChannelKind;
  channelId?: string | null;
  bodyText: string;
  bodyHtml?: string | null;
  attachments?: Attachment[];
  externalId?: string | null;
  createdAt?: Date;
};

/** Opens a conversation for a customer (inside the caller's transaction). */
export async function openConversation(ctx: Ctx, input: {
  customerId: string; channel: ChannelKind; subject?: string | null; at: Date;
  priority?: ConversationRow['priority']; teamId?: string | null; tags?: string[];
}): Promise<ConversationRow> {
  const [area] = await ctx.db.select({ id: subscriptions.serviceAreaId }).from(subscriptions)
    .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.customerId, input.customerId), eq(subscriptions.status, 'active'))).limit(1);
  const [row] = await ctx.db.insert(conversations).values({
    workspaceId: ctx.workspaceId, id: newId(input.at.getTime()), number: await takeConversationNumber(ctx), customerId: input.customerId,
    subject: input.subject ?? null, status: 'open', priority: input.priority ?? 'normal', channel: input.channel,
    teamId: input.teamId ?? null, serviceAreaId: area?.id ?? null, tags: input.tags ?? [],
    createdAt: input.at, lastMessageAt: input.at, updatedAt: input.at,
  }).returning();
  await recordTimeline(ctx, [{ customerId: input.customerId, kind: 'conversation.opened', conversationId: row.id, occurredAt: input.at,
    summary: `Conversation #${row.number} opened on ${input.channel}${input.subject ? `: ${input.subject}` : ''}` }]);
  emit(ctx, 'conversation.created', { customerId: input.customerId, conversationId: row.id, data: { channel: input.channel, serviceAreaId: row.serviceAreaId } });
  return row;
}

/**
 * Appends a message to a conversation and keeps the conversation's facts in step: counts,
 * last activity, first response, reopen on a customer's reply. A repeated (channel, externalId)
 * is a no-op that returns the stored message with duplicate: true.
 */
export async function appendMessage(ctx: Ctx, conv: ConversationRow, m: NewMessage): Promise<{ message: MessageRow; conversation: ConversationRow; duplicate: boolean }> {
  const at = m.createdAt ?? new Date();
  const [message] = await ctx.db.insert(messages).values({
    workspaceId: ctx.workspaceId, id: newId(at.getTime()), conversationId: conv.id, customerId: conv.customerId,
    direction: m.direction, authorType: m.authorType, authorId: m.authorId, channel: m.channel, channelId: m.channelId ?? null, bodyText: m.bodyText,
    bodyHtml: m.bodyHtml ?? null, attachments: m.attachments?.length ? (await linkAttachments(ctx, [m.attachments]))[0]! : [], externalId: m.externalId ?? null,
    deliveryStatus: m.direction === 'in' ? 'received' : m.direction === 'note' ? 'sent' : 'queued', createdAt: at,
  }).onConflictDoNothing().returning();
  if (!message) {
    const [existing] = await ctx.db.select().from(messages).where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.channel, m.channel), eq(messages.externalId, m.externalId!)));
    return { message: existing, conversation: conv, duplicate: true };
  }
  const patch: Record<string, unknown> = {
    messageCount: sql`${conversations.messageCount} + 1`,
    lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at.toISOString()}::timestamptz)`,
    updatedAt: at,
  };
  let reopened = false;
  if (m.direction === 'in') {
    patch.lastInboundAt = at;
    patch.channel = m.channel;
    if (conv.status !== 'open') { patch.status = 'open'; patch.snoozedUntil = null; reopened = true; }
  }
  if (m.direction === 'out' && !conv.firstResponseAt && (m.authorType === 'agent' || m.authorType === 'bot')) patch.firstResponseAt = at;
  const [conversation] = await ctx.db.update(conversations).set(patch as any)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, conv.id))).returning();
  // An id of now, not of `at`: the thread's conversation.opened entry (same `at`) was made first and sorts first.
  await recordMessageEntries(ctx, [message.id], [newId()]);
  if (reopened) {
    await recordTimeline(ctx, [{ customerId: conv.customerId, kind: 'conversation.reopened', conversationId: conv.id, occurredAt: at, summary: `Conversation #${conv.number} reopened by the customer's reply` }]);
    emit(ctx, 'conversation.updated', { customerId: conv.customerId, conversationId: conv.id, data: { changes: { status: { from: conv.status, to: 'open' } } } });
  }
  emit(ctx, 'message.created', {
    customerId: conv.customerId, conversationId: conv.id,
    data: { messageId: message.id, direction: m.direction, channel: m.channel, serviceAreaId: conversation.serviceAreaId, preview: m.bodyText.slice(0, 140) },
  });
  return { message, conversation, duplicate: false };
}
