import { and, eq } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
const iso = (d: Date | string | null) => (d ? toIso(d) : null);

export const conversationView = (c: ConversationRow) => ({
  id: c.id, number: c.number, customerId: c.customerId, subject: c.subject, status: c.status, priority: c.priority,
  channel: c.channel, channelId: c.channelId, assigneeId: c.assigneeId, teamId: c.teamId, serviceAreaId: c.serviceAreaId, tags: c.tags,
  snoozedUntil: iso(c.snoozedUntil), messageCount: c.messageCount, createdAt: toIso(c.createdAt), lastMessageAt: toIso(c.lastMessageAt),
  lastInboundAt: iso(c.lastInboundAt), firstResponseAt: iso(c.firstResponseAt), resolvedAt: iso(c.resolvedAt), closedAt: iso(c.closedAt),
});
export type ConversationView = ReturnType<typeof conversationView>;

export const messageView = (m: MessageRow) => ({
  id: m.id, conversationId: m.conversationId, customerId: m.customerId, direction: m.direction, authorType: m.authorType,
  authorId: m.authorId, channel: m.channel, channelId: m.channelId, bodyText: m.bodyText, bodyHtml: m.bodyHtml, attachments: m.attachments,
  externalId: m.externalId, deliveryStatus: m.deliveryStatus, deliveryError: m.deliveryError, createdAt: toIso(m.createdAt),
});
export type MessageView = ReturnType<typeof messageView>;

/** A conversation row in the caller's workspace, or not_found (also for another workspace's id). */
export async function loadConversation(ctx: Ctx, id: string, lock = false): Promise<ConversationRow> {
  if (!isUuid(id)) throw notFound('Conversation');
  const q = ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('Conversation');
  return row;
}
