import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { isUuid } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';
import { findIdentity } from '../customers/index.ts';
import { updateDeliveryStatus } from './delivery.ts';
import type { MessageRow } from './views.ts';

/**
 * What the visitor's side of the chat reads and writes: workspace-scoped lookups over the
 * visitor's own customer record only. A visitor sees the messages exchanged with them (in and
 * out) and never an internal note.
 */

/** A message as the widget shows it. `clientId` is the widget's own id of a message the visitor sent. */
export type VisitorMessage = {
  id: string; conversationId: string; direction: 'in' | 'out'; author: 'visitor' | 'agent' | 'bot' | 'system';
  text: string; attachments: { filename: string; contentType: string; size: number }[]; createdAt: string; clientId?: string;
};

export const HISTORY_LIMIT = 100;

/** The external id a visitor's message is stored under: unique per visitor, so one cannot collide with (or read) another's. */
export const visitorExternalId = (identityValue: string, clientId: string) => `${identityValue}/${clientId}`;

type Shown = Pick<MessageRow, 'id' | 'conversationId' | 'direction' | 'authorType' | 'channel' | 'externalId' | 'bodyText' | 'attachments'> & { createdAt: Date | string };

export function visitorMessage(m: Shown): VisitorMessage {
  const slash = m.externalId?.lastIndexOf('/') ?? -1;
  return {
    id: m.id, conversationId: m.conversationId, direction: m.direction as 'in' | 'out',
    author: m.direction === 'in' ? 'visitor' : (m.authorType === 'customer' ? 'system' : m.authorType),
    text: m.bodyText, attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
    createdAt: toIso(m.createdAt),
    ...(m.direction === 'in' && m.channel === 'chat' && slash >= 0 ? { clientId: m.externalId!.slice(slash + 1) } : {}),
  };
}

const visible = inArray(messages.direction, ['in', 'out']);

/** The customer holding this portal identity, or null before the visitor's first message. */
export async function visitorCustomerId(ctx: Ctx, identityValue: string): Promise<string | null> {
  return (await findIdentity(ctx, 'portal', identityValue))?.customerId ?? null;
}

/** The conversation the widget shows: the customer's most recently active one that has a chat message. */
export async function visitorConversationId(ctx: Ctx, customerId: string): Promise<string | null> {
  const [row] = await ctx.db.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.customerId, customerId),
      sql`exists (select 1 from ${messages} m where m.workspace_id = ${conversations.workspaceId} and m.conversation_id = ${conversations.id} and m.channel = 'chat')`))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id)).limit(1);
  return row?.id ?? null;
}

/** The latest visible messages of the customer's conversation, oldest first. */
export async function visitorHistory(ctx: Ctx, customerId: string, conversationId: string, limit = HISTORY_LIMIT): Promise<MessageRow[]> {
  const rows = await ctx.db.select().from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.conversationId, conversationId), eq(messages.customerId, customerId), visible))
    .orderBy(desc(messages.createdAt), desc(messages.id)).limit(limit);
  return rows.reverse();
}

/** One message, if it is the customer's and the visitor may see it. */
export async function visibleMessage(ctx: Ctx, customerId: string, messageId: string): Promise<MessageRow | null> {
  if (!isUuid(messageId)) return null;
  const [row] = await ctx.db.select().from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.id, messageId), eq(messages.customerId, customerId), visible));
  return row ?? null;
}

/** Replies on chat now in front of the visitor: queued or sent ones become delivered (read, with `read`). */
export async function markChatReplies(ctx: Ctx, rows: Pick<MessageRow, 'id' | 'direction' | 'channel' | 'deliveryStatus'>[], status: 'delivered' | 'read'): Promise<void> {
  const before = status === 'read' ? ['queued', 'sent', 'delivered'] : ['queued', 'sent'];
  for (const m of rows) {
    if (m.direction !== 'out' || m.channel !== 'chat' || !before.includes(m.deliveryStatus)) continue;
    await updateDeliveryStatus({ ctx, messageId: m.id, input: { status } });
  }
}

/** The customer's chat replies among these ids (for a read receipt). */
export async function repliesAmong(ctx: Ctx, customerId: string, ids: string[]) {
  const wanted = ids.filter(isUuid).slice(0, 50);
  if (!wanted.length) return [];
  return ctx.db.select({ id: messages.id, direction: messages.direction, channel: messages.channel, deliveryStatus: messages.deliveryStatus }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.customerId, customerId), inArray(messages.id, wanted)));
}
