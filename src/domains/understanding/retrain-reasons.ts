import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { jobs, reasonModels, type ReasonModelMetrics } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { invalid } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { evaluateModel, loadModel, type LabelledExample } from './classifier/index.ts';
import { MODEL_PROMOTED } from './live-model.ts';
import { reasonModelView, type ReasonModelView } from './reason-models.ts';
import { understandingSettings } from './settings.ts';
import { trainInWorker } from './train-in-worker.ts';
import { rowsOf } from '../../platform/bulk.ts';

export const RETRAIN_QUEUE = 'reasons.retrain';

/**
 * Whether an example is held back: one in five, chosen by a hash of its text, so the held-back
 * split never changes between versions, no version is judged on rows it (or the live model)
 * learned from, and a text given twice never sits on both sides.
 */
export const isHeldBack = (text: string) => createHash('sha1').update(text.trim().toLowerCase()).digest()[0] % 5 === 0;

/** Puts a retrain on the queue unless one is already waiting (admins; the job runs it). */
export async function requestRetrain({ ctx }: { ctx: Ctx }): Promise<{ jobId: string; queued: boolean }> {
  authorize(ctx, 'workspace:admin');
  return withTransaction(ctx, async (tx) => {
    const [waiting] = await tx.db.select({ id: jobs.id }).from(jobs)
      .where(and(eq(jobs.workspaceId, ctx.workspaceId), eq(jobs.queue, RETRAIN_QUEUE), sql`${jobs.status} in ('queued', 'running')`));
    if (waiting) return { jobId: waiting.id, queued: false };
    const jobId = await enqueueJob(tx, { queue: RETRAIN_QUEUE, payload: {}, maxAttempts: 3 });
    await audit(tx, { action: 'reasons.retrain_requested', entityType: 'reason_model', entityId: jobId });
    return { jobId, queued: true };
  });
}

/** After an agent's label: a retrain once `retrainAfter` agent examples arrived since the live model. */
export async function maybeRetrain(ctx: Ctx): Promise<void> {
  const { retrainAfter } = await understandingSettings(ctx);
  const [row] = rowsOf<{ n: number }>(await ctx.db.execute(sql`
    select count(*)::int as n from reason_examples e where e.workspace_id = ${ctx.workspaceId} and e.source = 'agent'
      and e.created_at > coalesce((select created_at from reason_models m where m.workspace_id = ${ctx.workspaceId} and m.status = 'live'), '-infinity')`));
  if (Number(row.n) >= retrainAfter) await requestRetrain({ ctx: { ...ctx, actor: { type: 'system', id: 'reasons' } } });
}

/**
 * Trains a new version of the workspace's reason model from its examples (seed and agent, of
 * reasons not archived), judges it and the live model on the same held-back examples, and
 * promotes it only if it is at least as accurate. Every version is kept with its figures.
 */
export async function retrainReasonModel({ ctx }: { ctx: Ctx }): Promise<ReasonModelView> {
  authorize(ctx, 'workspace:admin');
  const examples = rowsOf<{ id: string; reason: string; text: string; source: 'seed' | 'agent' }>(await ctx.db.execute(sql`
    select e.id, e.reason, e.text, e.source from reason_examples e
    join contact_reasons r on r.workspace_id = e.workspace_id and r.key = e.reason and not r.archived
    where e.workspace_id = ${ctx.workspaceId} order by e.id`));
  const labels = new Set(examples.map((e) => e.reason));
  if (labels.size < 2) throw invalid('examples', 'a model needs examples of at least two contact reasons');
  const train: LabelledExample[] = [], heldBack: LabelledExample[] = [];
  const trained = new Set<string>();
  for (const e of examples) if (!isHeldBack(e.text)) { train.push({ text: e.text, label: e.reason }); trained.add(e.reason); }
  // A reason whose every example fell in the held-back fifth is learned from them instead of judged on them.
  for (const e of examples) if (isHeldBack(e.text)) (trained.has(e.reason) ? heldBack : train).push({ text: e.text, label: e.reason });

  const [last] = await ctx.db.select({ version: reasonModels.version }).from(reasonModels)
    .where(eq(reasonModels.workspaceId, ctx.workspaceId)).orderBy(desc(reasonModels.version)).limit(1);
  const version = (last?.version ?? 0) + 1;
  const { bytes, ms } = await trainInWorker(train, version);
  const candidate = evaluateModel(loadModel(bytes), heldBack);

  return withTransaction(ctx, async (tx) => {
    const [live] = await tx.db.select().from(reasonModels).where(and(eq(reasonModels.workspaceId, ctx.workspaceId), eq(reasonModels.status, 'live'))).for('update');
    const liveFigures = live && heldBack.length ? evaluateModel(loadModel(live.model), heldBack) : null;
    const promote = !live || !liveFigures || candidate.accuracy >= liveFigures.accuracy;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const decision = !live ? 'promoted: the first model of this workspace'
      : !liveFigures ? 'promoted: no held-back examples to judge on'
        : promote ? `promoted: ${pct(candidate.accuracy)} on ${heldBack.length} held-back examples, live v${live.version} had ${pct(liveFigures.accuracy)}`
          : `kept v${live.version}: this version had ${pct(candidate.accuracy)} on ${heldBack.length} held-back examples, the live one ${pct(liveFigures.accuracy)}`;
    const metrics: ReasonModelMetrics = {
      accuracy: candidate.accuracy, macroF1: candidate.macroF1, n: candidate.n, perClass: candidate.perClass,
      liveAccuracy: liveFigures?.accuracy ?? null, liveMacroF1: liveFigures?.macroF1 ?? null, liveVersion: live?.version ?? null,
    };
    const now = new Date();
    if (promote && live) await tx.db.update(reasonModels).set({ status: 'retired' }).where(and(eq(reasonModels.workspaceId, ctx.workspaceId), eq(reasonModels.id, live.id)));
    const [row] = await tx.db.insert(reasonModels).values({
      workspaceId: ctx.workspaceId, id: newId(), version, status: promote ? 'live' : 'rejected', model: bytes, labels: [...labels].sort(), metrics,
      trainExamples: train.length, seedExamples: examples.filter((e) => e.source === 'seed').length, agentExamples: examples.filter((e) => e.source === 'agent').length,
      trainMs: ms, decision, createdAt: now, promotedAt: promote ? now : null,
    }).returning();
    await audit(tx, { action: promote ? 'reasons.model_promoted' : 'reasons.model_rejected', entityType: 'reason_model', entityId: row.id, after: { version, decision, accuracy: candidate.accuracy } });
    if (promote) emit(tx, MODEL_PROMOTED, { data: { version, accuracy: candidate.accuracy } });
    else emit(tx, 'reasons.model_rejected', { data: { version, accuracy: candidate.accuracy } });
    return reasonModelView(row);
  });
}
