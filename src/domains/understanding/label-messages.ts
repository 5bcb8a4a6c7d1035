import { sql } from 'drizzle-orm';
import { systemCtx, withTransaction, type Ctx } from '../../platform/ctx.ts';
import { textArray, rowsOf } from '../../platform/bulk.ts';
import type { Platform } from '../../platform/platform.ts';
import { labelText, readyToLabel } from './analyse-text.ts';
import { liveReasonModel } from './live-model.ts';
import { refreshConversationLabels } from './refresh-conversation-labels.ts';
import { understandingSettings } from './settings.ts';

/** Longer texts are labelled from their beginning: the matter is stated there, and the cost stays flat. */
const MAX_CHARS = 2000;

/**
 * One pass of the labeller over every workspace: customer messages without labels get their
 * reason, sentiment and language, and their conversations are brought up to date. Returns how
 * many messages it labelled. Runs off the ingest path; any number of nodes may run it at once.
 */
export async function labelPendingMessages(app: Platform, batch = 400): Promise<number> {
  const res = await app.database.query<{ workspace_id: string }>(
    `select distinct workspace_id from messages where labels is null and direction = 'in'`);
  let total = 0;
  for (const { workspace_id } of res) total += await labelWorkspaceMessages(systemCtx(app, workspace_id, 'labeller'), batch);
  return total;
}

/**
 * Labels up to `batch` of one workspace's waiting customer messages, oldest first, in one
 * transaction. Messages and conversations are claimed with SKIP LOCKED: a message whose
 * conversation is being written by ingest (or another labeller) waits for the next pass, so the
 * labeller never waits on a lock and never deadlocks with ingest. A workspace with a taxonomy but
 * no model yet waits for its first model.
 */
export async function labelWorkspaceMessages(ctx: Ctx, batch = 400): Promise<number> {
  const ws = ctx.workspaceId;
  const [live, settings] = await Promise.all([liveReasonModel(ctx), understandingSettings(ctx), readyToLabel()]);
  if (!live) {
    const taxonomy = rowsOf(await ctx.db.execute(sql`select 1 from contact_reasons where workspace_id = ${ws} and not archived limit 1`));
    if (taxonomy.length) return 0;
  }
  return withTransaction(ctx, async (tx) => {
    const pending = rowsOf<{ id: string; conversation_id: string; body_text: string }>(await tx.db.execute(sql`
      select id, conversation_id, left(body_text, ${MAX_CHARS}) as body_text from messages
      where workspace_id = ${ws} and labels is null and direction = 'in'
      order by created_at limit ${batch} for update skip locked`));
    if (!pending.length) return 0;
    const convIds = [...new Set(pending.map((m) => m.conversation_id))];
    const locked = new Set(rowsOf<{ id: string }>(await tx.db.execute(sql`
      select id from conversations where workspace_id = ${ws} and id = any(${textArray(convIds)}::uuid[]) order by id for update skip locked`)).map((r) => r.id));
    const mine = pending.filter((m) => locked.has(m.conversation_id));
    if (!mine.length) return 0;
    const labels = mine.map((m) => JSON.stringify(labelText(live, m.body_text, settings.unknownBelow)));
    await tx.db.execute(sql`
      update messages m set labels = v.labels::jsonb
      from unnest(${textArray(mine.map((m) => m.id))}::uuid[], ${textArray(labels)}::text[]) as v(id, labels)
      where m.workspace_id = ${ws} and m.id = v.id`);
    await refreshConversationLabels(tx, live, settings.unknownBelow, [...locked]);
    return mine.length;
  });
}
