import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { incidentComponents, incidentFollowers, incidentUpdates, incidents, statusComponents, type ComponentStatus } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { effectiveStatus, isOpen, statusRank } from '../status/index.ts';
import { noticeChannel } from '../status/notify-customers.ts';
import { customers, customerIdentities } from '../../db/schema/index.ts';
import { asSystem, mySubscription, recordSelf, selfOf } from './self.ts';

export type IncidentBrief = {
  id: string; kind: 'incident' | 'maintenance'; name: string; status: string; impact: string; startedAt: string;
  latestUpdate: string | null; latestUpdateAt: string | null; expectedFixAt: string | null; scheduledFor: string | null; scheduledUntil: string | null; following: boolean;
  componentStatus: ComponentStatus;
};

/** Open published incidents and current or coming maintenance on the components of one service area. */
export async function incidentsInArea(ctx: Ctx, areaId: string, customerId: string | null, now = new Date()): Promise<IncidentBrief[]> {
  const rows = await ctx.db.select({ i: incidents, status: incidentComponents.status }).from(incidentComponents)
    .innerJoin(statusComponents, and(eq(statusComponents.workspaceId, incidentComponents.workspaceId), eq(statusComponents.id, incidentComponents.componentId)))
    .innerJoin(incidents, and(eq(incidents.workspaceId, incidentComponents.workspaceId), eq(incidents.id, incidentComponents.incidentId)))
    .where(and(eq(incidentComponents.workspaceId, ctx.workspaceId), eq(statusComponents.serviceAreaId, areaId), eq(incidents.published, true), isNull(incidents.resolvedAt)));
  const byId = new Map<string, { i: typeof incidents.$inferSelect; status: ComponentStatus }>();
  for (const r of rows) {
    const eff = effectiveStatus(r.i, now);
    if (!isOpen({ kind: r.i.kind, status: eff })) continue;
    const prev = byId.get(r.i.id);
    if (!prev || statusRank[r.status] > statusRank[prev.status]) byId.set(r.i.id, { i: { ...r.i, status: eff }, status: r.i.kind === 'maintenance' ? 'under_maintenance' : r.status });
  }
  const ids = [...byId.keys()];
  if (!ids.length) return [];
  const [updates, follows] = await Promise.all([
    ctx.db.select().from(incidentUpdates).where(and(eq(incidentUpdates.workspaceId, ctx.workspaceId), inArray(incidentUpdates.incidentId, ids))).orderBy(desc(incidentUpdates.createdAt)),
    customerId ? ctx.db.select().from(incidentFollowers).where(and(eq(incidentFollowers.workspaceId, ctx.workspaceId), eq(incidentFollowers.customerId, customerId), inArray(incidentFollowers.incidentId, ids))) : [],
  ]);
  return [...byId.values()].sort((a, b) => statusRank[b.status] - statusRank[a.status]).map(({ i, status }) => {
    const u = updates.find((x) => x.incidentId === i.id);
    return {
      id: i.id, kind: i.kind, name: i.name, status: i.status, impact: i.impact, startedAt: i.startedAt.toISOString(),
      latestUpdate: u?.body ?? null, latestUpdateAt: u?.createdAt.toISOString() ?? null,
      expectedFixAt: i.kind === 'maintenance' ? i.scheduledUntil?.toISOString() ?? null : null,
      scheduledFor: i.scheduledFor?.toISOString() ?? null, scheduledUntil: i.scheduledUntil?.toISOString() ?? null,
      following: follows.some((f) => f.incidentId === i.id), componentStatus: status,
    };
  });
}

const stateOf = (list: IncidentBrief[]) => {
  const worst = list.reduce<ComponentStatus>((w, x) => (statusRank[x.componentStatus] > statusRank[w] ? x.componentStatus : w), 'operational');
  return worst === 'major_outage' || worst === 'partial_outage' ? 'outage' as const : worst === 'degraded_performance' ? 'degraded' as const : worst === 'under_maintenance' ? 'maintenance' as const : 'operational' as const;
};

/** Service health at my address: the state of my area and the incidents and maintenance affecting it. */
export async function checkServiceStatus({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx, 'service:diagnose');
  const sys = asSystem(ctx);
  const sub = await mySubscription(sys, customerId);
  if (!sub) return { area: null, state: 'no_service' as const, summary: 'You have no subscription with us.', incidents: [] };
  const list = await incidentsInArea(sys, sub.area.id, customerId);
  const state = stateOf(list);
  const summary = state === 'operational' ? `No known problems in ${sub.area.name}.`
    : `${list.length === 1 ? 'One known problem' : `${list.length} known problems`} in ${sub.area.name}: ${list.map((i) => i.name).join('; ')}.`;
  if (ctx.actor.type === 'assistant') await recordSelf(ctx, { customerId, kind: 'assistant.read', summary: 'checked the service status at the address', data: { what: 'service_status' } });
  return { area: { id: sub.area.id, code: sub.area.code, name: sub.area.name }, state, summary, incidents: list.map(({ componentStatus: _c, ...rest }) => rest) };
}

/**
 * Follows an incident affecting my area: updates come on my preferred channel (service notices
 * are switched on for it). Idempotent. Not found for an incident outside my area.
 */
export async function followIncident({ ctx, incidentId }: { ctx: Ctx; incidentId: string }) {
  const customerId = selfOf(ctx, 'service:diagnose');
  return withTransaction(ctx, async (tx) => {
    const sys = asSystem(tx);
    const sub = await mySubscription(sys, customerId);
    if (!sub) throw new AppError('conflict', 'You have no subscription to follow incidents for');
    const inc = (await incidentsInArea(sys, sub.area.id, customerId)).find((i) => i.id === incidentId);
    if (!inc) throw notFound('Incident');
    const [c] = await sys.db.select().from(customers).where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, customerId)));
    const kinds = (await sys.db.select({ kind: customerIdentities.kind }).from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), eq(customerIdentities.customerId, customerId)))).map((k) => k.kind);
    if (c.consent.serviceNotices === false) {
      await sys.db.update(customers).set({ consent: { ...c.consent, serviceNotices: true, updatedAt: new Date().toISOString() }, updatedAt: new Date() })
        .where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, customerId)));
    }
    const { channel } = noticeChannel({ consent: { ...c.consent, serviceNotices: true }, prefs: c.channelPrefs, kinds, email: c.email, phone: c.phone });
    const [row] = await tx.db.insert(incidentFollowers).values({ workspaceId: ctx.workspaceId, incidentId, customerId, channel }).onConflictDoNothing().returning();
    if (row) {
      await audit(tx, { action: 'incident.followed', entityType: 'incident', entityId: incidentId, after: { customerId, channel } });
      await recordSelf(tx, { customerId, kind: 'incident.followed', refId: incidentId, summary: `follows "${inc.name}"; updates by ${channel ?? 'no channel'}`, data: { incidentId, channel } });
    }
    return { incidentId, channel, following: true, text: `You will hear about "${inc.name}" by ${channel ?? 'the portal'} as it changes, and when it is fixed.` };
  });
}
