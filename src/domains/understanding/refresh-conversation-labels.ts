import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/ctx.ts';
import { emit } from '../../platform/events.ts';
import { textArray, rowsOf } from '../../platform/bulk.ts';
import { labelText, type TextLabels } from './analyse-text.ts';
import type { LiveModel } from './live-model.ts';
import { countReasonMoves, type ReasonMove } from './reason-counts.ts';
import { sentimentTrend } from './sentiment-trend.ts';
import { UNKNOWN_REASON } from './understanding.schemas.ts';

/** The customer messages that state the matter: the subject and the first few of them. */
const OPENING_MESSAGES = 3;
const MAX_CHARS = 3000;
const REPEAT_WINDOW = '7 days';

type Conv = { id: string; customer_id: string; subject: string | null; service_area_id: string | null; created_at: Date | string;
  reason: string | null; reason_source: string | null; repeat_of: string | null };
type Inbound = { conversation_id: string; channel: string; body_text: string; labels: (Partial<TextLabels> & { sentimentScore?: number }) | null };

/**
 * Recomputes what the conversations' customer messages say so far: the reason (from the subject
 * and the opening messages, unless an agent set it), the language most of them are in, the latest
 * sentiment and its trend, and the effort facts (customer messages, channel switches, a repeat of
 * an earlier contact for the same reason within 7 days). Callers hold the conversations' rows
 * locked. Emits `conversation.labelled`, and `conversation.reason_changed` when the reason moved.
 */
export async function refreshConversationLabels(ctx: Ctx, live: LiveModel | null, unknownBelow: number, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const ws = ctx.workspaceId;
  const idArray = textArray(ids);
  const convs = rowsOf<Conv>(await ctx.db.execute(sql`
    select id, customer_id, subject, service_area_id, created_at, reason, reason_source, repeat_of from conversations
    where workspace_id = ${ws} and id = any(${idArray}::uuid[])`));
  const inbound = rowsOf<Inbound>(await ctx.db.execute(sql`
    select conversation_id, channel, left(body_text, ${MAX_CHARS}) as body_text, labels from messages
    where workspace_id = ${ws} and conversation_id = any(${idArray}::uuid[]) and direction = 'in' order by conversation_id, created_at, id`));
  const byConv = new Map<string, Inbound[]>();
  for (const m of inbound) (byConv.get(m.conversation_id) ?? byConv.set(m.conversation_id, []).get(m.conversation_id)!).push(m);

  const moves: (ReasonMove & { conv: Conv; confidence: number | null })[] = [];
  const rows = convs.map((c) => {
    const msgs = byConv.get(c.id) ?? [];
    let reason = c.reason, confidence: number | null = null, evidence: string[] | null = null;
    const byAgent = c.reason_source === 'agent';
    if (!byAgent && live && msgs.length) {
      const l = labelText(live, openingOf(c.subject, msgs.map((m) => m.body_text)), unknownBelow);
      reason = l.reason; confidence = l.reasonConfidence; evidence = l.evidence;
    }
    if (reason !== c.reason) moves.push({ startedAt: new Date(c.created_at), serviceAreaId: c.service_area_id, from: c.reason, to: reason, conv: c, confidence });
    const scores = msgs.map((m) => m.labels?.sentimentScore).filter((s): s is number => typeof s === 'number');
    let switches = 0;
    for (let i = 1; i < msgs.length; i++) if (msgs[i].channel !== msgs[i - 1].channel) switches++;
    return {
      id: c.id, reason, confidence, evidence, byAgent, language: mostCommon(msgs.map((m) => m.labels?.language ?? null)),
      sentiment: scores.length ? scores[scores.length - 1] : null, trend: scores.length ? sentimentTrend(scores).label : null,
      customerMessages: msgs.length, switches,
    };
  });

  const col = <T>(f: (r: (typeof rows)[number]) => T) => textArray(rows.map((r) => { const v = f(r); return v === null || v === undefined ? null : String(v); }));
  await ctx.db.execute(sql`
    update conversations c set
      reason = case when v.by_agent then c.reason else v.reason end,
      reason_confidence = case when v.by_agent then c.reason_confidence else v.confidence end,
      reason_evidence = case when v.by_agent then c.reason_evidence else v.evidence end,
      reason_source = case when v.by_agent then c.reason_source when v.reason is null then null else 'model' end,
      language = v.language, sentiment = v.sentiment, sentiment_trend = v.trend,
      customer_messages = v.customer_messages, channel_switches = v.switches, labelled_at = now()
    from (select * from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.reason)}::text[], ${col((r) => r.confidence)}::real[],
      ${col((r) => (r.evidence ? JSON.stringify(r.evidence) : null))}::text[], ${col((r) => r.byAgent)}::bool[], ${col((r) => r.language)}::text[],
      ${col((r) => r.sentiment)}::real[], ${col((r) => r.trend)}::text[], ${col((r) => r.customerMessages)}::int[], ${col((r) => r.switches)}::int[])
      as t(id, reason, confidence, evidence_json, by_agent, language, sentiment, trend, customer_messages, switches)
      cross join lateral (select array(select json_array_elements_text(t.evidence_json::json)) as evidence) e) v
    where c.workspace_id = ${ws} and c.id = v.id`);

  const repeats = await markRepeats(ctx, moves.map((m) => m.conv.id));
  await countReasonMoves(ctx, moves);
  for (const m of moves) {
    emit(ctx, 'conversation.reason_changed', { customerId: m.conv.customer_id, conversationId: m.conv.id,
      data: { from: m.from, to: m.to, confidence: m.confidence, source: 'model', serviceAreaId: m.serviceAreaId, repeatOf: repeats.get(m.conv.id) ?? null } });
  }
  for (const r of rows) {
    const c = convs.find((x) => x.id === r.id)!;
    emit(ctx, 'conversation.labelled', { customerId: c.customer_id, conversationId: r.id,
      data: { reason: r.reason, reasonConfidence: r.confidence, language: r.language, sentiment: r.sentiment, sentimentTrend: r.trend } });
  }
}

/** What a conversation is about, as the model reads it: its subject and opening customer messages. */
export const openingOf = (subject: string | null, bodies: string[]) =>
  [subject ?? '', ...bodies.slice(0, OPENING_MESSAGES)].join('\n').slice(0, MAX_CHARS).trim();

export async function openingText(ctx: Ctx, conversationId: string, subject: string | null): Promise<string> {
  const rows = rowsOf<{ body_text: string }>(await ctx.db.execute(sql`
    select left(body_text, ${MAX_CHARS}) as body_text from messages where workspace_id = ${ctx.workspaceId} and conversation_id = ${conversationId} and direction = 'in'
    order by created_at, id limit ${OPENING_MESSAGES}`));
  return openingOf(subject, rows.map((r) => r.body_text));
}

/**
 * Sets `repeat_of` of conversations whose reason just changed (their rows are the caller's, locked):
 * the same customer's latest other conversation with the same known reason, started in the 7 days
 * before, or null. Returns the repeats found.
 */
export async function markRepeats(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const res = await ctx.db.execute(sql`
    update conversations c set repeat_of = (
      select p.id from conversations p
      where p.workspace_id = c.workspace_id and p.customer_id = c.customer_id and p.id <> c.id and p.reason = c.reason and c.reason <> ${UNKNOWN_REASON}
        and p.created_at <= c.created_at and p.created_at > c.created_at - ${REPEAT_WINDOW}::interval
      order by p.created_at desc limit 1)
    where c.workspace_id = ${ctx.workspaceId} and c.id = any(${textArray(ids)}::uuid[])
    returning c.id, c.repeat_of`);
  return new Map(rowsOf<{ id: string; repeat_of: string | null }>(res).filter((r) => r.repeat_of).map((r) => [r.id, r.repeat_of!]));
}

function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const v of values) {
    if (!v) continue;
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (!best || n >= counts.get(best)!) best = v;
  }
  return best;
}
