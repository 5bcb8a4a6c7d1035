import { and, desc, eq, sql } from 'drizzle-orm';
import { outageSuspicions, serviceAreas, NO_AREA, type SuspicionEvidence } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';
import { textArray, rowsOf } from '../../platform/bulk.ts';
import { statusSettings } from './settings.ts';
import { createIncident } from './create-incident.ts';
import type { StatusSettingsView } from './status.schemas.ts';

const BUCKET = 5 * 60_000;
const WEEK = 7 * 86_400_000;

export const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The alarm threshold for one area now, from its baseline samples (contacts in the same window
 * at the same hour of the week, and the windows either side, in each of the last `weeks` weeks):
 * at least `minCount` contacts, at least `minIncrease` above the median, at least `madK` robust
 * deviations (1.4826 × MAD) above it, and at least `factor` × the median. A robust baseline: a past
 * outage in one sample moves neither the median nor the MAD much (and samples inside a published
 * incident are left out altogether).
 */
export function threshold(samples: number[], d: StatusSettingsView['detection']) {
  const med = median(samples);
  const mad = median(samples.map((x) => Math.abs(x - med)));
  return { median: med, mad, threshold: Math.max(d.minCount, med + d.minIncrease, med + d.madK * 1.4826 * mad, d.factor * med) };
}

/**
 * Looks at the last `windowMinutes` of contacts whose reason is a connectivity reason
 * (`detection.reasons`, from src/domains/understanding's reason_counts), per service area, and
 * raises a suspected incident for each area far above its baseline — unless the area already has
 * an open suspicion, an open published incident, or a suspicion decided within `cooldownMinutes`
 * (a dismissal is remembered that long). Returns the suspicions raised.
 */
export async function detectOutages({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }): Promise<string[]> {
  const settings = await statusSettings(ctx);
  const d = settings.detection;
  if (!d.enabled) return [];
  const ws = ctx.workspaceId;
  const win = d.windowMinutes * 60_000;
  const end = Math.floor(now.getTime() / BUCKET) * BUCKET + BUCKET; // exclusive: the current bucket counts
  const start = end - win;
  const current = rowsOf<{ area: string; n: number }>(await ctx.db.execute(sql`
    select service_area_id as area, sum(count)::int as n from reason_counts
    where workspace_id = ${ws} and reason = any(${textArray(d.reasons)}::text[]) and service_area_id <> ${NO_AREA}
      and bucket >= ${new Date(start).toISOString()}::timestamptz and bucket < ${new Date(end).toISOString()}::timestamptz
    group by service_area_id having sum(count) >= ${d.minCount}`));
  const raised: string[] = [];
  for (const { area, n } of current) {
    const quiet = rowsOf(await ctx.db.execute(sql`
      select 1 from outage_suspicions where workspace_id = ${ws} and service_area_id = ${area}
        and (status = 'open' or decided_at > ${new Date(now.getTime() - d.cooldownMinutes * 60_000).toISOString()}::timestamptz)
      union all
      select 1 from incidents i join incident_components ic on ic.workspace_id = i.workspace_id and ic.incident_id = i.id
        join status_components c on c.workspace_id = ic.workspace_id and c.id = ic.component_id
      where i.workspace_id = ${ws} and i.kind = 'incident' and i.published and i.resolved_at is null and c.service_area_id = ${area}
      limit 1`));
    if (quiet.length) continue;
    const samples = await baselineSamples(ctx, area, start, win, d);
    const t = threshold(samples, d);
    if (Number(n) < t.threshold) continue;
    const messages = rowsOf<{ id: string; text: string; at: string }>(await ctx.db.execute(sql`
      select c.id, left(m.body_text, 280) as text, c.created_at as at from conversations c
      cross join lateral (select body_text from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id and m.direction = 'in' order by created_at limit 1) m
      where c.workspace_id = ${ws} and c.service_area_id = ${area} and c.reason = any(${textArray(d.reasons)}::text[])
        and c.created_at >= ${new Date(start).toISOString()}::timestamptz and c.created_at < ${new Date(end).toISOString()}::timestamptz
      order by c.created_at desc limit 5`));
    const evidence: SuspicionEvidence = {
      windowStart: new Date(start).toISOString(), windowEnd: new Date(end).toISOString(), observed: Number(n), baselineMedian: t.median, baselineMad: t.mad,
      threshold: Math.round(t.threshold * 10) / 10, samples, reasons: d.reasons,
      messages: messages.map((m) => ({ conversationId: m.id, text: m.text, at: toIso(m.at) })),
    };
    const id = await withTransaction(ctx, async (tx) => {
      const [row] = await tx.db.insert(outageSuspicions).values({ workspaceId: ws, id: newId(now.getTime()), serviceAreaId: area, status: 'open', evidence, detectedAt: now })
        .onConflictDoNothing().returning({ id: outageSuspicions.id });
      if (row) emit(tx, 'incident.suspected', { data: { suspicionId: row.id, serviceAreaId: area, observed: Number(n), threshold: evidence.threshold } });
      return row?.id;
    });
    if (id) raised.push(id);
  }
  return raised;
}

/** Connectivity contacts in the windows at the same hour of the week (and either side) of the last weeks, outside published incidents. */
async function baselineSamples(ctx: Ctx, area: string, start: number, win: number, d: StatusSettingsView['detection']): Promise<number[]> {
  const windows: [number, number][] = [];
  for (let k = 1; k <= d.weeks; k++) for (const o of [-1, 0, 1]) { const s = start - k * WEEK + o * win; windows.push([s, s + win]); }
  const rows = rowsOf<{ s: string; n: number; busy: boolean }>(await ctx.db.execute(sql`
    select w.s::text as s, coalesce((select sum(count) from reason_counts r where r.workspace_id = ${ctx.workspaceId} and r.service_area_id = ${area}
        and r.reason = any(${textArray(d.reasons)}::text[]) and r.bucket >= w.s and r.bucket < w.e), 0)::int as n,
      exists (select 1 from incidents i join incident_components ic on ic.workspace_id = i.workspace_id and ic.incident_id = i.id
        join status_components c on c.workspace_id = ic.workspace_id and c.id = ic.component_id
        where i.workspace_id = ${ctx.workspaceId} and i.kind = 'incident' and i.published and c.service_area_id = ${area}
          and i.started_at < w.e and coalesce(i.resolved_at, now()) > w.s) as busy
    from unnest(${textArray(windows.map((w) => new Date(w[0]).toISOString()))}::timestamptz[], ${textArray(windows.map((w) => new Date(w[1]).toISOString()))}::timestamptz[]) as w(s, e)`));
  return rows.filter((r) => !r.busy).map((r) => Number(r.n));
}

const suspicionView = (r: typeof outageSuspicions.$inferSelect, areaName: string) => ({
  id: r.id, serviceAreaId: r.serviceAreaId, areaName, status: r.status, evidence: r.evidence, incidentId: r.incidentId,
  detectedAt: toIso(r.detectedAt), decidedAt: r.decidedAt ? toIso(r.decidedAt) : null, note: r.note,
});

/** Suspected incidents, newest first (open ones, or all). */
export async function listSuspicions({ ctx, status }: { ctx: Ctx; status?: 'open' | 'published' | 'dismissed' }) {
  authorize(ctx, 'status:read');
  const rows = await ctx.db.select({ s: outageSuspicions, area: serviceAreas.name }).from(outageSuspicions)
    .innerJoin(serviceAreas, and(eq(serviceAreas.workspaceId, outageSuspicions.workspaceId), eq(serviceAreas.id, outageSuspicions.serviceAreaId)))
    .where(and(eq(outageSuspicions.workspaceId, ctx.workspaceId), status ? eq(outageSuspicions.status, status) : undefined))
    .orderBy(desc(outageSuspicions.detectedAt)).limit(100);
  return rows.map((r) => suspicionView(r.s, r.area));
}

async function loadOpen(tx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound('Suspected incident');
  const [row] = await tx.db.select({ s: outageSuspicions, area: serviceAreas.name }).from(outageSuspicions)
    .innerJoin(serviceAreas, and(eq(serviceAreas.workspaceId, outageSuspicions.workspaceId), eq(serviceAreas.id, outageSuspicions.serviceAreaId)))
    .where(and(eq(outageSuspicions.workspaceId, tx.workspaceId), eq(outageSuspicions.id, id))).for('update', { of: outageSuspicions });
  if (!row) throw notFound('Suspected incident');
  if (row.s.status !== 'open') throw new AppError('conflict', `Already ${row.s.status}`);
  return row;
}

/** One click: the suspicion becomes a published incident on its area (and its customers are told). */
export async function publishSuspicion({ ctx, id, input = {} }: { ctx: Ctx; id: string; input?: { name?: string; impact?: 'minor' | 'major' | 'critical'; body?: string } }) {
  authorize(ctx, 'status:write');
  return withTransaction(ctx, async (tx) => {
    const { s, area } = await loadOpen(tx, id);
    const incident = await createIncident({ ctx: tx, source: 'detected', input: {
      name: input.name ?? `Connection problems in ${area}`, impact: input.impact ?? 'major', status: 'investigating', areaIds: [s.serviceAreaId],
      body: input.body ?? `Many customers in ${area} are reporting connection problems. We are investigating and will update here.`,
      startedAt: s.evidence.windowStart,
    } });
    await tx.db.update(outageSuspicions).set({ status: 'published', incidentId: incident.id, decidedAt: new Date(), decidedBy: tx.actor.id })
      .where(and(eq(outageSuspicions.workspaceId, ctx.workspaceId), eq(outageSuspicions.id, id)));
    await audit(tx, { action: 'suspicion.published', entityType: 'outage_suspicion', entityId: id, after: { incidentId: incident.id } });
    return incident;
  });
}

/** Dismisses a suspicion; the area raises no new one for the cool-down, so the same burst does not come back. */
export async function dismissSuspicion({ ctx, id, note }: { ctx: Ctx; id: string; note?: string }) {
  authorize(ctx, 'status:write');
  return withTransaction(ctx, async (tx) => {
    const { area } = await loadOpen(tx, id);
    const [row] = await tx.db.update(outageSuspicions).set({ status: 'dismissed', decidedAt: new Date(), decidedBy: tx.actor.id, note: note ?? null })
      .where(and(eq(outageSuspicions.workspaceId, ctx.workspaceId), eq(outageSuspicions.id, id))).returning();
    await audit(tx, { action: 'suspicion.dismissed', entityType: 'outage_suspicion', entityId: id, after: { note: note ?? null } });
    emit(tx, 'incident.suspicion_dismissed', { data: { suspicionId: id } });
    return suspicionView(row, area);
  });
}
