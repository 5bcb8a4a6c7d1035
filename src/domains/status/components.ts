import { and, asc, eq } from 'drizzle-orm';
import { serviceAreas, statusComponents, NO_AREA } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { newId } from '../../platform/ids.ts';
import { AppError } from '../../platform/errors.ts';
import { authorize } from '../../platform/authz.ts';
import { toIso } from '../../platform/pagination.ts';
import { componentStates, worse } from './component-states.ts';
import type { ComponentStatus } from '../../db/schema/index.ts';
import { statusSettings } from './settings.ts';

export type ComponentRow = typeof statusComponents.$inferSelect;

/**
 * Makes sure every service × service area has its component, and every service its group
 * (idempotent: a component that exists is left alone, so its `created_at` — where its uptime
 * record begins — never moves). Returns every component, groups first within each service.
 */
export async function syncComponents(ctx: Ctx, at = new Date()): Promise<ComponentRow[]> {
  const [settings, areas, existing] = await Promise.all([
    statusSettings(ctx),
    ctx.db.select().from(serviceAreas).where(eq(serviceAreas.workspaceId, ctx.workspaceId)).orderBy(asc(serviceAreas.name)),
    ctx.db.select().from(statusComponents).where(eq(statusComponents.workspaceId, ctx.workspaceId)),
  ]);
  const have = new Map(existing.map((c) => [`${c.service}|${c.serviceAreaId}`, c]));
  const add: ComponentRow[] = [];
  settings.services.forEach((service, s) => {
    let group = have.get(`${service}|${NO_AREA}`);
    if (!group) {
      group = { workspaceId: ctx.workspaceId, id: newId(at.getTime()), service, serviceAreaId: NO_AREA, groupId: null, name: service, description: null, position: s * 1000, createdAt: at, updatedAt: at };
      add.push(group);
    }
    areas.forEach((a, i) => {
      if (have.has(`${service}|${a.id}`)) return;
      add.push({ workspaceId: ctx.workspaceId, id: newId(at.getTime()), service, serviceAreaId: a.id, groupId: group!.id, name: a.name,
        description: a.region ? `${service} in ${a.name} (${a.region})` : `${service} in ${a.name}`, position: s * 1000 + i + 1, createdAt: at, updatedAt: at });
    });
  });
  if (add.length) await ctx.db.insert(statusComponents).values(add).onConflictDoNothing();
  const all = add.length ? await ctx.db.select().from(statusComponents).where(eq(statusComponents.workspaceId, ctx.workspaceId)) : existing;
  const live = new Set(settings.services);
  return all.filter((c) => live.has(c.service)).sort((a, b) => a.position - b.position);
}

/** The components of these areas (every service, or only the named ones). */
export async function componentsOfAreas(ctx: Ctx, areaIds: string[], services?: string[]): Promise<ComponentRow[]> {
  const all = await syncComponents(ctx);
  const areas = new Set(areaIds);
  return all.filter((c) => c.serviceAreaId !== NO_AREA && areas.has(c.serviceAreaId) && (!services || services.includes(c.service)));
}

export const isGroup = (c: ComponentRow) => c.serviceAreaId === NO_AREA;

/** Checks that every area id names an area of this workspace; the error names the field. */
export async function assertAreas(ctx: Ctx, areaIds: string[], field = 'areaIds'): Promise<void> {
  if (!areaIds.length) return;
  const rows = await ctx.db.select({ id: serviceAreas.id }).from(serviceAreas).where(eq(serviceAreas.workspaceId, ctx.workspaceId));
  const known = new Set(rows.map((r) => r.id));
  const bad = areaIds.findIndex((id) => !known.has(id));
  if (bad >= 0) {
    throw new AppError('validation_failed', `${field}.${bad}: no such service area in this workspace`, { fields: [{ path: `${field}.${bad}`, message: 'no such service area in this workspace' }] });
  }
}

export async function loadComponent(ctx: Ctx, id: string) {
  const [c] = await ctx.db.select().from(statusComponents).where(and(eq(statusComponents.workspaceId, ctx.workspaceId), eq(statusComponents.id, id)));
  return c ?? null;
}

/** Every component with its state now (groups take their worst child's), for the agent app. */
export async function listStatusComponents({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'status:read');
  const [all, states] = [await syncComponents(ctx), await componentStates(ctx)];
  const groupState = new Map<string, ComponentStatus>();
  for (const c of all) if (c.groupId) groupState.set(c.groupId, worse(groupState.get(c.groupId) ?? 'operational', states.get(c.id) ?? 'operational'));
  return all.map((c) => ({
    id: c.id, name: c.name, service: c.service, serviceAreaId: isGroup(c) ? null : c.serviceAreaId, groupId: c.groupId,
    status: (isGroup(c) ? groupState.get(c.id) : states.get(c.id)) ?? 'operational', createdAt: toIso(c.createdAt),
  }));
}
