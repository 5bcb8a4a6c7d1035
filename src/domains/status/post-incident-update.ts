import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { incidents, incidentComponents, incidentUpdates, maintenanceStatuses, incidentStatuses, type AffectedComponent, type ComponentStatus } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, invalid, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { componentStates, statusForImpact } from './component-states.ts';
import { syncComponents } from './components.ts';
import { computeIncidentCredits } from './compute-credits.ts';
import { enqueueNotices } from './notice-jobs.ts';
import { PostUpdateInput } from './status.schemas.ts';
import { incidentView, isOpen, loadIncident, type IncidentView } from './views.ts';

const done = new Set(['resolved', 'postmortem', 'completed']);

/**
 * Posts an update on an incident or maintenance: a new status (investigating → identified →
 * monitoring → resolved → postmortem; scheduled → in progress → verifying → completed), a new
 * impact or component state, and the words customers read. Resolving puts its components back in
 * operation and computes the credits the workspace's SLA policy owes (before the closing notice is
 * queued, so the notice can say what each customer gets).
 */
export async function postIncidentUpdate({ ctx, id, input }: { ctx: Ctx; id: string; input: z.input<typeof PostUpdateInput> }): Promise<IncidentView> {
  authorize(ctx, 'status:write');
  const data = parseInput(PostUpdateInput, input);
  return withTransaction(ctx, async (tx) => {
    const inc = await loadIncident(tx, id, true);
    const status = data.status ?? inc.status;
    const allowed: readonly string[] = inc.kind === 'incident' ? incidentStatuses : maintenanceStatuses;
    if (!allowed.includes(status)) throw invalid('status', `an ${inc.kind} status is one of ${allowed.join(', ')}`);
    if (!isOpen(inc) && status !== 'postmortem' && !done.has(status)) throw new AppError('conflict', `The ${inc.kind} is ${inc.status}; open a new one`);
    const now = data.at ? new Date(data.at) : new Date();
    const resolving = done.has(status) && !inc.resolvedAt;
    const before = await componentStates(tx, now);
    const comps = await tx.db.select().from(incidentComponents).where(and(eq(incidentComponents.workspaceId, ctx.workspaceId), eq(incidentComponents.incidentId, id)));
    const next: ComponentStatus | undefined = data.componentStatus ?? (data.impact && data.impact !== inc.impact ? statusForImpact(data.impact) : undefined);
    if (next && !resolving) await tx.db.update(incidentComponents).set({ status: next }).where(and(eq(incidentComponents.workspaceId, ctx.workspaceId), eq(incidentComponents.incidentId, id)));
    const patch = {
      status, impact: data.impact ?? inc.impact, updatedAt: now,
      acknowledgedAt: inc.acknowledgedAt ?? (status !== 'investigating' && status !== 'scheduled' ? now : null),
      monitoringAt: inc.monitoringAt ?? (status === 'monitoring' || status === 'verifying' ? now : null),
      resolvedAt: inc.resolvedAt ?? (resolving ? now : null),
    };
    const [row] = await tx.db.update(incidents).set(patch).where(and(eq(incidents.workspaceId, ctx.workspaceId), eq(incidents.id, id))).returning();
    const names = new Map((await syncComponents(tx)).map((c) => [c.id, c.name]));
    const affected: AffectedComponent[] | null = next || resolving ? comps.map((c) => ({
      code: c.componentId, name: names.get(c.componentId) ?? c.componentId, old_status: before.get(c.componentId) ?? 'operational',
      new_status: resolving ? 'operational' : next!,
    })) : null;
    const [update] = await tx.db.insert(incidentUpdates).values({
      workspaceId: ctx.workspaceId, id: newId(now.getTime()), incidentId: id, status, body: data.body, affectedComponents: affected,
      notify: data.notify, authorId: ctx.actor.id, createdAt: now, displayAt: now,
    }).returning();
    if (resolving && row.kind === 'incident') await computeIncidentCredits(tx, row);
    await enqueueNotices(tx, row, update);
    await audit(tx, { action: `${inc.kind}.updated`, entityType: 'incident', entityId: id, before: { status: inc.status, impact: inc.impact }, after: { status, impact: row.impact, componentStatus: next ?? null } });
    emit(tx, 'incident.updated', { data: { incidentId: id, status, resolved: !!row.resolvedAt } });
    return incidentView(tx, row);
  });
}

/** Publishes a draft incident: from now it shows on the page and its first update goes to affected customers. */
export async function publishIncident({ ctx, id }: { ctx: Ctx; id: string }): Promise<IncidentView> {
  authorize(ctx, 'status:write');
  return withTransaction(ctx, async (tx) => {
    const inc = await loadIncident(tx, id, true);
    if (inc.published) return incidentView(tx, inc);
    const [row] = await tx.db.update(incidents).set({ published: true, updatedAt: new Date() }).where(and(eq(incidents.workspaceId, ctx.workspaceId), eq(incidents.id, id))).returning();
    const [first] = await tx.db.select().from(incidentUpdates).where(and(eq(incidentUpdates.workspaceId, ctx.workspaceId), eq(incidentUpdates.incidentId, id))).orderBy(incidentUpdates.createdAt).limit(1);
    if (first) await enqueueNotices(tx, row, first);
    await audit(tx, { action: 'incident.published', entityType: 'incident', entityId: id });
    emit(tx, 'incident.updated', { data: { incidentId: id, status: row.status, published: true } });
    return incidentView(tx, row);
  });
}
