import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { textArray, rowsOf } from '../../platform/bulk.ts';
import { toIso } from '../../platform/pagination.ts';
import { NO_AREA } from '../../db/schema/index.ts';
import { ReasonCountsQuery } from './understanding.schemas.ts';

export const BUCKET_MS = 5 * 60_000;
/** The five-minute bucket a conversation started in: its contacts are counted there. */
export const bucketOf = (at: Date) => new Date(Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS);

export type ReasonMove = { startedAt: Date; serviceAreaId: string | null; from: string | null; to: string | null };
type Count = { bucket: string; serviceAreaId: string | null; reason: string; count: number };

/**
 * Moves conversations between reasons in the per-area counts (one −1 for the reason left, one +1
 * for the reason taken) and announces the new totals as `reasons.counted`, the series an outage
 * detector watches. Keys are written in sorted order, so two writers never deadlock.
 */
export async function countReasonMoves(ctx: Ctx, moves: ReasonMove[]): Promise<void> {
  const deltas = new Map<string, number>();
  for (const m of moves) {
    if (m.from === m.to) continue;
    const key = (reason: string) => `${bucketOf(m.startedAt).toISOString()}|${m.serviceAreaId ?? NO_AREA}|${reason}`;
    if (m.from) deltas.set(key(m.from), (deltas.get(key(m.from)) ?? 0) - 1);
    if (m.to) deltas.set(key(m.to), (deltas.get(key(m.to)) ?? 0) + 1);
  }
  const keys = [...deltas.keys()].filter((k) => deltas.get(k)).sort();
  if (!keys.length) return;
  const parts = keys.map((k) => k.split('|'));
  const res = await ctx.db.execute(sql`
    insert into reason_counts as r (workspace_id, bucket, service_area_id, reason, count)
    select ${ctx.workspaceId}, t.b, t.a, t.reason, t.d
    from unnest(${textArray(parts.map((p) => p[0]))}::timestamptz[], ${textArray(parts.map((p) => p[1]))}::uuid[], ${textArray(parts.map((p) => p[2]))}::text[],
      ${textArray(keys.map((k) => String(deltas.get(k))))}::int[]) as t(b, a, reason, d)
    on conflict (workspace_id, bucket, service_area_id, reason) do update set count = greatest(0, r.count + excluded.count)
    returning bucket, service_area_id, reason, count`);
  const counts = rowsOf<Record<string, any>>(res).map(countView)
    .sort((a, b) => b.bucket.localeCompare(a.bucket)).slice(0, 40);
  emit(ctx, 'reasons.counted', { data: { counts } });
}

const countView = (r: Record<string, any>): Count => ({
  bucket: toIso(r.bucket), serviceAreaId: r.service_area_id === NO_AREA ? null : r.service_area_id, reason: r.reason, count: Number(r.count),
});

/**
 * Conversations per contact reason, service area and five-minute bucket of their start, oldest
 * first (default: the last 24 hours). Buckets with no conversations are left out.
 */
export async function listReasonCounts({ ctx, input }: { ctx: Ctx; input: Record<string, unknown> }): Promise<Count[]> {
  authorize(ctx, 'conversations:read');
  const q = parseInput(ReasonCountsQuery, input);
  const since = q.since ? new Date(q.since) : new Date(Date.now() - 86_400_000);
  const until = q.until ? new Date(q.until) : new Date(Date.now() + BUCKET_MS);
  const res = await ctx.db.execute(sql`
    select bucket, service_area_id, reason, count from reason_counts
    where workspace_id = ${ctx.workspaceId} and bucket >= ${since.toISOString()}::timestamptz and bucket < ${until.toISOString()}::timestamptz and count > 0
      ${q.serviceAreaId ? sql`and service_area_id = ${q.serviceAreaId}` : sql``} ${q.reason ? sql`and reason = ${q.reason}` : sql``}
    order by bucket, service_area_id, reason limit 20000`);
  return rowsOf<Record<string, any>>(res).map(countView);
}
