import { and, eq, sql } from 'drizzle-orm';
import { incidents, incidentComponents, type ComponentStatus } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import type { IncidentRow } from './views.ts';

/** Worse states rank higher; maintenance ranks below any outage. */
export const statusRank: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };
export const worse = (a: ComponentStatus, b: ComponentStatus) => (statusRank[b] > statusRank[a] ? b : a);

/** The component state an incident's impact puts its components in, unless they were named. */
export const statusForImpact = (impact: string): ComponentStatus =>
  impact === 'critical' ? 'major_outage' : impact === 'major' ? 'partial_outage' : impact === 'minor' ? 'degraded_performance' : 'operational';

/**
 * A maintenance's status as of `now`: a scheduled window that has begun is in progress, and one
 * whose end has passed without being completed by hand is completed (Statuspage's auto-transitions).
 */
export function effectiveStatus(i: Pick<IncidentRow, 'kind' | 'status' | 'scheduledFor' | 'scheduledUntil'>, now: Date): IncidentRow['status'] {
  if (i.kind !== 'maintenance' || i.status === 'completed') return i.status;
  if (i.scheduledUntil && now >= i.scheduledUntil) return 'completed';
  if (i.status === 'scheduled' && i.scheduledFor && now >= i.scheduledFor) return 'in_progress';
  return i.status;
}

/** Every component's state now: the worst of the open published incidents and the maintenances in progress. */
export async function componentStates(ctx: Ctx, now = new Date()): Promise<Map<string, ComponentStatus>> {
  const rows = await ctx.db.select({ componentId: incidentComponents.componentId, status: incidentComponents.status, kind: incidents.kind,
    iStatus: incidents.status, scheduledFor: incidents.scheduledFor, scheduledUntil: incidents.scheduledUntil })
    .from(incidentComponents)
    .innerJoin(incidents, and(eq(incidents.workspaceId, incidentComponents.workspaceId), eq(incidents.id, incidentComponents.incidentId)))
    .where(and(eq(incidentComponents.workspaceId, ctx.workspaceId), eq(incidents.published, true), sql`${incidents.resolvedAt} is null`));
  const out = new Map<string, ComponentStatus>();
  for (const r of rows) {
    let s: ComponentStatus;
    if (r.kind === 'maintenance') {
      const eff = effectiveStatus({ kind: 'maintenance', status: r.iStatus, scheduledFor: r.scheduledFor, scheduledUntil: r.scheduledUntil }, now);
      if (eff !== 'in_progress' && eff !== 'verifying') continue;
      s = 'under_maintenance';
    } else s = r.status;
    out.set(r.componentId, worse(out.get(r.componentId) ?? 'operational', s));
  }
  return out;
}
