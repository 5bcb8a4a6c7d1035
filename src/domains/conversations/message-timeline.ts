import { sql } from 'drizzle-orm';
import { textArray } from '../../platform/bulk.ts';
import { deferWrite, type Ctx } from '../../platform/ctx.ts';

/** How many characters of a message's text its timeline entry shows. */
const SUMMARY_CHARS = 160;

/**
 * A message's timeline summary, as `recordMessageEntries` derives it in the database: the channel,
 * then the first 160 characters (code points) of the text, each run of ASCII whitespace made one
 * space. For rows written without the database's help (the demo's bulk load).
 */
export function messageSummary(channel: string, bodyText: string): string {
  const flat = bodyText.replace(/[ \t\n\v\f\r]+/g, ' ');
  let end = 0;
  for (let n = 0; n < SUMMARY_CHARS && end < flat.length; n++) end += flat.codePointAt(end)! > 0xffff ? 2 : 1;
  return `${channel}: ${flat.slice(0, end)}`;
}

/**
 * The timeline entries of messages written earlier in this transaction (message.received, .sent
 * or .noted by direction), derived in the database from the message rows: the text crosses the
 * wire once, with the message. One primary-key probe per message (see ingest-batch.ts on why
 * lateral). Written with the transaction's last statement (deferWrite).
 * `timelineIds[i]` is the id of `messageIds[i]`'s entry (made by the caller: ids order entries).
 */
export async function recordMessageEntries(ctx: Ctx, messageIds: string[], timelineIds: string[]): Promise<void> {
  if (!messageIds.length) return;
  await deferWrite(ctx, sql`
    insert into timeline_entries (workspace_id, id, customer_id, occurred_at, kind, actor_type, actor_id, conversation_id, ref_id, summary, data)
    select m.workspace_id, v.tid, m.customer_id, m.created_at,
      case m.direction when 'in' then 'message.received' when 'note' then 'message.noted' else 'message.sent' end,
      ${ctx.actor.type}, ${ctx.actor.id}, m.conversation_id, m.id,
      m.channel || ': ' || left(regexp_replace(m.body_text, '[ \\t\\n\\v\\f\\r]+', ' ', 'g'), ${sql.raw(String(SUMMARY_CHARS))}),
      jsonb_build_object('channel', m.channel, 'direction', m.direction)
    from unnest(${textArray(messageIds)}::uuid[], ${textArray(timelineIds)}::uuid[]) as v(mid, tid)
    cross join lateral (select * from messages m where m.workspace_id = ${ctx.workspaceId} and m.id = v.mid limit 1) m`);
}
