import { attachmentsView } from './attachment-links.ts';
import { and, eq } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
const iso = (d: Date | string | null) => (d ? toIso(d) : null);

/** What src/domains/understanding knows of a conversation that was just opened: nothing yet. */
export const notYetLabelled = {
  reason: null, reasonConfidence: null, reasonEvidence: null, reasonSource: null, reasonSetBy: null, language: null, sentiment: null, sentimentTrend: null,
  customerMessages: 0, channelSwitches: 0, reopenCount: 0, transferCount: 0, repeatOf: null, labelledAt: null,
} satisfies Partial<ConversationRow>;

/** The understanding columns of a conversations row read with plain SQL, in the shape Drizzle gives. */
export const labelsFromSql = (r: Record<string, any>): typeof notYetLabelled | Pick<ConversationRow, keyof typeof notYetLabelled> => ({
  reason: r.reason ?? null, reasonConfidence: r.reason_confidence ?? null, reasonEvidence: r.reason_evidence ?? null, reasonSource: r.reason_source ?? null,
  reasonSetBy: r.reason_set_by ?? null, language: r.language ?? null, sentiment: r.sentiment ?? null, sentimentTrend: r.sentiment_trend ?? null,
  customerMessages: Number(r.customer_messages ?? 0), channelSwitches: Number(r.channel_switches ?? 0), reopenCount: Number(r.reopen_count ?? 0),
  transferCount: Number(r.transfer_count ?? 0), repeatOf: r.repeat_of ?? null, labelledAt: r.labelled_at ? new Date(r.labelled_at) : null,
});

export const conversationView = (c: ConversationRow) => ({
  id: c.id, number: c.number, customerId: c.customerId, subject: c.subject, status: c.status, priority: c.priority,
  channel: c.channel, channelId: c.channelId, assigneeId: c.assigneeId, teamId: c.teamId, serviceAreaId: c.serviceAreaId, tags: c.tags,
  snoozedUntil: iso(c.snoozedUntil), messageCount: c.messageCount, createdAt: toIso(c.createdAt), lastMessageAt: toIso(c.lastMessageAt),
  lastInboundAt: iso(c.lastInboundAt), firstResponseAt: iso(c.firstResponseAt), resolvedAt: iso(c.resolvedAt), closedAt: iso(c.closedAt),
  reason: c.reason, reasonConfidence: c.reasonConfidence, reasonEvidence: c.reasonEvidence ?? [], reasonSource: c.reasonSource,
  language: c.language, sentiment: c.sentiment, sentimentTrend: c.sentimentTrend,
  effort: { customerMessages: c.customerMessages, channelSwitches: c.channelSwitches, reopens: c.reopenCount, transfers: c.transferCount, repeatOf: c.repeatOf },
});
export type ConversationView = ReturnType<typeof conversationView>;

export const messageView = (m: MessageRow) => ({
  id: m.id, conversationId: m.conversationId, customerId: m.customerId, direction: m.direction, authorType: m.authorType,
  authorId: m.authorId, channel: m.channel, channelId: m.channelId, bodyText: m.bodyText, bodyHtml: m.bodyHtml, attachments: attachmentsView(m.attachments),
  externalId: m.externalId, deliveryStatus: m.deliveryStatus, deliveryError: m.deliveryError, meta: m.meta ?? null, createdAt: toIso(m.createdAt),
  ...messageLabels(m.labels),
});

type Labels = { reason?: string | null; reasonConfidence?: number | null; evidence?: string[]; sentiment?: string; sentimentScore?: number; language?: string | null };
/** A customer message's labels (src/domains/understanding), null until the labeller has read it and on agents' messages. */
const messageLabels = (raw: Record<string, unknown> | null) => {
  const l = (raw ?? {}) as Labels;
  return { reason: l.reason ?? null, reasonConfidence: l.reasonConfidence ?? null, reasonEvidence: l.evidence ?? [], sentiment: l.sentiment ?? null,
    sentimentScore: l.sentimentScore ?? null, language: l.language ?? null };
};
export type MessageView = ReturnType<typeof messageView>;

/** A conversation row in the caller's workspace, or not_found (also for another workspace's id). */
export async function loadConversation(ctx: Ctx, id: string, lock = false): Promise<ConversationRow> {
  if (!isUuid(id)) throw notFound('Conversation');
  const q = ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('Conversation');
  return row;
}
