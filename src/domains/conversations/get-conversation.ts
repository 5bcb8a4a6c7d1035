import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { messagePageCache, type Page } from './message-page-cache.ts';
import { conversationView, loadConversation, type ConversationView, type MessageView } from './views.ts';

/** One conversation (404 for another workspace's id). */
export async function getConversation({ ctx, id }: { ctx: Ctx; id: string }) {
  authorize(ctx, 'conversations:read');
  return conversationView(await loadConversation(ctx, id));
}

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const conversationJson = `json_build_object('id', c.id, 'number', c.number, 'customerId', c.customer_id, 'subject', c.subject, 'status', c.status,
  'priority', c.priority, 'channel', c.channel, 'channelId', c.channel_id, 'assigneeId', c.assignee_id, 'teamId', c.team_id, 'serviceAreaId', c.service_area_id,
  'tags', c.tags, 'snoozedUntil', ${iso('c.snoozed_until')}, 'messageCount', c.message_count, 'createdAt', ${iso('c.created_at')},
  'lastMessageAt', ${iso('c.last_message_at')}, 'lastInboundAt', ${iso('c.last_inbound_at')}, 'firstResponseAt', ${iso('c.first_response_at')},
  'resolvedAt', ${iso('c.resolved_at')}, 'closedAt', ${iso('c.closed_at')}, 'reason', c.reason, 'reasonConfidence', c.reason_confidence,
  'reasonEvidence', coalesce(c.reason_evidence, '{}'), 'reasonSource', c.reason_source, 'language', c.language, 'sentiment', c.sentiment, 'sentimentTrend', c.sentiment_trend,
  'effort', json_build_object('customerMessages', c.customer_messages, 'channelSwitches', c.channel_switches, 'reopens', c.reopen_count,
    'transfers', c.transfer_count, 'repeatOf', c.repeat_of))`;
const messageJson = `json_build_object('id', m.id, 'conversationId', m.conversation_id, 'customerId', m.customer_id, 'direction', m.direction,
  'authorType', m.author_type, 'authorId', m.author_id, 'channel', m.channel, 'channelId', m.channel_id, 'bodyText', m.body_text, 'bodyHtml', m.body_html,
  'attachments', m.attachments, 'externalId', m.external_id, 'deliveryStatus', m.delivery_status, 'deliveryError', m.delivery_error, 'meta', m.meta, 'createdAt', ${iso('m.created_at')},
  'reason', m.labels->'reason', 'reasonConfidence', m.labels->'reasonConfidence', 'reasonEvidence', coalesce(m.labels->'evidence', '[]'),
  'sentiment', m.labels->'sentiment', 'sentimentScore', m.labels->'sentimentScore', 'language', m.labels->'language')`;

/**
 * A conversation's messages oldest first, keyset-paginated on (createdAt, id), with the
 * conversation: `{conversation, data, nextCursor}` as UTF-8 JSON bytes, built by PostgreSQL in one
 * statement. This is the agent's hottest read: Node neither parses the rows nor serialises them,
 * the HTTP route sends the text as it is, and each node keeps recent pages until an event says
 * their conversation changed (message-page-cache.ts, docs/PERFORMANCE.md).
 */
export async function listMessagesJson({ ctx, conversationId, input }: { ctx: Ctx; conversationId: string; input: { limit?: number; cursor?: string } }): Promise<Page> {
  authorize(ctx, 'conversations:read');
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const cursor = decodeCursor(input.cursor);
  if (ctx.tx) return queryMessagePage(ctx, conversationId, limit, cursor); // it may see its own uncommitted rows: never cached
  return messagePageCache(ctx.app).get(ctx.workspaceId, conversationId, `${limit}:${input.cursor ?? ''}`, queryMessagePage, ctx, conversationId, limit, cursor);
}

async function queryMessagePage(ctx: Ctx, conversationId: string, limit: number, cursor: ReturnType<typeof decodeCursor>): Promise<Page> {
  const after = cursor ? sql`and (m.created_at, m.id) > (${String(cursor.k)}::timestamptz, ${cursor.id}::uuid)` : sql``;
  const res = await ctx.db.execute(sql`
    with page as (
      select m.* from messages m where m.workspace_id = ${ctx.workspaceId} and m.conversation_id = ${conversationId} ${after}
      order by m.created_at, m.id limit ${limit + 1}
    ), shown as (select * from page order by created_at, id limit ${limit})
    select ${sql.raw(conversationJson)}::text as conversation,
      (select coalesce(json_agg(${sql.raw(messageJson)} order by m.created_at, m.id), '[]')::text from shown m) as data,
      (select count(*) from page) > ${limit} as more,
      (select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || id from shown order by created_at desc, id desc limit 1) as last
    from conversations c where c.workspace_id = ${ctx.workspaceId} and c.id = ${conversationId}`);
  const [row] = ((res as { rows?: unknown[] }).rows ?? res) as { conversation: string; data: string; more: boolean; last: string | null }[];
  if (!row) throw notFound('Conversation');
  let next: string | null = null;
  if (row.more && row.last) { const [k, id] = row.last.split('|'); next = encodeCursor({ k, id }); }
  return Buffer.from(`{"conversation":${row.conversation},"data":${row.data},"nextCursor":${JSON.stringify(next)}}`);
}

export type MessagePage = { conversation: ConversationView; data: MessageView[]; nextCursor: string | null };

/** listMessagesJson as objects, for callers inside Candor. */
export async function listMessages(args: Parameters<typeof listMessagesJson>[0]): Promise<MessagePage> {
  return JSON.parse((await listMessagesJson(args)).toString());
}
