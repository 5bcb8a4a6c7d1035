import type { z } from '@hono/zod-openapi';
import { incidents, incidentComponents, incidentUpdates, type AffectedComponent, type ComponentStatus } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertAreas, componentsOfAreas, isGroup, syncComponents } from './components.ts';
import { componentStates, statusForImpact } from './component-states.ts';
import { CreateIncidentInput, CreateMaintenanceInput } from './status.schemas.ts';
import { enqueueNotices } from './notice-jobs.ts';
import { incidentView, type IncidentView } from './views.ts';

/**
 * Declares an incident on the components of the given areas (every service, or the named ones),
 * each put in the state its impact implies unless named. Published (the default), it shows at
 * once on the public page and in /api/v2, and its first update is sent to every affected
 * customer (a job, in this transaction).
 */
export async function createIncident({ ctx, input, source = 'manual' }: { ctx: Ctx; input: z.input<typeof CreateIncidentInput>; source?: 'manual' | 'detected' }): Promise<IncidentView> {
  authorize(ctx, 'status:write');
  const data = parseInput(CreateIncidentInput, input);
  return withTransaction(ctx, async (tx) => {
    await assertAreas(tx, data.areaIds);
    const chosen = new Map<string, ComponentStatus>();
    for (const c of await componentsOfAreas(tx, data.areaIds, data.services)) chosen.set(c.id, statusForImpact(data.impact));
    if (data.components?.length) {
      const all = new Map((await syncComponents(tx)).map((c) => [c.id, c]));
      data.components.forEach((c, i) => {
        const comp = all.get(c.componentId);
        if (!comp || isGroup(comp)) throw new AppError('validation_failed', `components.${i}.componentId: no such component`, { fields: [{ path: `components.${i}.componentId`, message: 'no such component' }] });
        chosen.set(c.componentId, c.status);
      });
    }
    const now = new Date();
    const startedAt = data.startedAt ? new Date(data.startedAt) : now;
    const past = data.status !== 'investigating' ? now : null;
    const [row] = await tx.db.insert(incidents).values({
      workspaceId: ctx.workspaceId, id: newId(now.getTime()), kind: 'incident', name: data.name, status: data.status, impact: data.impact,
      published: data.published, source, startedAt, acknowledgedAt: past,
      monitoringAt: data.status === 'monitoring' ? now : null, resolvedAt: data.status === 'resolved' ? now : null, createdAt: now, updatedAt: now,
    }).returning();
    return finishCreate(tx, row, chosen, data.body, data.notify, now);
  });
}

/** Schedules maintenance on the components of the given areas; its window is what the page and uptime show. */
export async function createMaintenance({ ctx, input }: { ctx: Ctx; input: z.input<typeof CreateMaintenanceInput> }): Promise<IncidentView> {
  authorize(ctx, 'status:write');
  const data = parseInput(CreateMaintenanceInput, input);
  return withTransaction(ctx, async (tx) => {
    await assertAreas(tx, data.areaIds);
    const chosen = new Map<string, ComponentStatus>();
    for (const c of await componentsOfAreas(tx, data.areaIds, data.services)) chosen.set(c.id, 'under_maintenance');
    const now = new Date();
    const [from, until] = [new Date(data.scheduledFor), new Date(data.scheduledUntil)];
    const [row] = await tx.db.insert(incidents).values({
      workspaceId: ctx.workspaceId, id: newId(now.getTime()), kind: 'maintenance', name: data.name, status: 'scheduled', impact: 'maintenance',
      published: true, source: 'manual', startedAt: from, scheduledFor: from, scheduledUntil: until, createdAt: now, updatedAt: now,
    }).returning();
    return finishCreate(tx, row, chosen, data.body, data.notify, now);
  });
}

async function finishCreate(tx: Ctx, row: typeof incidents.$inferSelect, chosen: Map<string, ComponentStatus>, body: string, notify: boolean, now: Date) {
  const before = await componentStates(tx, now);
  if (chosen.size) {
    await tx.db.insert(incidentComponents).values([...chosen].map(([componentId, status]) => ({ workspaceId: tx.workspaceId, incidentId: row.id, componentId, status })));
  }
  const names = new Map((await syncComponents(tx)).map((c) => [c.id, c.name]));
  const first = row.kind === 'incident' && row.startedAt < now ? row.startedAt : now;
  const affected: AffectedComponent[] = [...chosen].map(([id, s]) => ({ code: id, name: names.get(id) ?? id, old_status: before.get(id) ?? 'operational', new_status: s }));
  const [update] = await tx.db.insert(incidentUpdates).values({
    workspaceId: tx.workspaceId, id: newId(now.getTime()), incidentId: row.id, status: row.status, body, affectedComponents: affected,
    // A backfilled incident (started before it was declared) tells its first update from when it began.
    notify, authorId: tx.actor.id, createdAt: first, displayAt: first,
  }).returning();
  if (row.published) await enqueueNotices(tx, row, update);
  await audit(tx, { action: `${row.kind}.created`, entityType: 'incident', entityId: row.id, after: { name: row.name, status: row.status, impact: row.impact, components: [...chosen.keys()] } });
  emit(tx, 'incident.created', { data: { incidentId: row.id, kind: row.kind, published: row.published } });
  return incidentView(tx, row);
}
