import { desc, eq } from 'drizzle-orm';
import { reasonModels } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { toIso } from '../../platform/pagination.ts';

type Row = typeof reasonModels.$inferSelect;
export const reasonModelView = (r: Row) => ({
  id: r.id, version: r.version, status: r.status, labels: r.labels,
  accuracy: r.metrics.accuracy, macroF1: r.metrics.macroF1, heldBack: r.metrics.n,
  liveAccuracy: r.metrics.liveAccuracy, liveMacroF1: r.metrics.liveMacroF1, liveVersion: r.metrics.liveVersion, perClass: r.metrics.perClass,
  trainExamples: r.trainExamples, seedExamples: r.seedExamples, agentExamples: r.agentExamples, trainMs: r.trainMs,
  decision: r.decision, createdAt: toIso(r.createdAt), promotedAt: r.promotedAt ? toIso(r.promotedAt) : null,
});
export type ReasonModelView = ReturnType<typeof reasonModelView>;

/** Every version of the workspace's reason model, newest first, with the figures it was judged on (admins). */
export async function listReasonModels({ ctx }: { ctx: Ctx }): Promise<ReasonModelView[]> {
  authorize(ctx, 'workspace:admin');
  const rows = await ctx.db.select().from(reasonModels).where(eq(reasonModels.workspaceId, ctx.workspaceId)).orderBy(desc(reasonModels.version)).limit(100);
  return rows.map(reasonModelView);
}
