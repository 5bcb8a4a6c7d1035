import { and, desc, eq, isNull, isNotNull, type SQL } from 'drizzle-orm';
import { incidents } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { parseInput } from '../../platform/errors.ts';
import { IncidentListQuery } from './status.schemas.ts';
import { incidentView, loadIncident, type IncidentView } from './views.ts';

/** One incident or maintenance with its components, updates, notices (queued, sent, failed, skipped), linked contacts and credits. */
export async function getIncident({ ctx, id }: { ctx: Ctx; id: string }): Promise<IncidentView> {
  authorize(ctx, 'status:read');
  return incidentView(ctx, await loadIncident(ctx, id));
}

/** Incidents and maintenances, newest first: open ones, resolved ones, drafts (`suspected`) or all. */
export async function listIncidents({ ctx, input }: { ctx: Ctx; input: Record<string, unknown> }): Promise<{ data: IncidentView[] }> {
  authorize(ctx, 'status:read');
  const q = parseInput(IncidentListQuery, input);
  const where: SQL[] = [eq(incidents.workspaceId, ctx.workspaceId)];
  if (q.kind) where.push(eq(incidents.kind, q.kind));
  if (q.state === 'open') where.push(isNull(incidents.resolvedAt), eq(incidents.published, true));
  if (q.state === 'resolved') where.push(isNotNull(incidents.resolvedAt));
  if (q.state === 'suspected') where.push(eq(incidents.published, false));
  const rows = await ctx.db.select().from(incidents).where(and(...where)).orderBy(desc(incidents.startedAt), desc(incidents.id)).limit(q.limit ?? 50);
  return { data: await Promise.all(rows.map((r) => incidentView(ctx, r))) };
}
