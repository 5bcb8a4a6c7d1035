import { and, asc, eq, sql } from 'drizzle-orm';
import { incidents, incidentComponents, incidentUpdates, statusComponents } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { notFound } from '../../platform/errors.ts';
import { toIso } from '../../platform/pagination.ts';
import { isUuid } from '../../platform/ids.ts';
import type { z } from '@hono/zod-openapi';
import type { IncidentSchema } from './status.schemas.ts';
import { rowsOf } from '../../platform/bulk.ts';

export type IncidentRow = typeof incidents.$inferSelect;
export type UpdateRow = typeof incidentUpdates.$inferSelect;
export type IncidentView = z.infer<typeof IncidentSchema>;
const iso = (d: Date | null) => (d ? toIso(d) : null);

export const isOpen = (i: Pick<IncidentRow, 'kind' | 'status'>) =>
  i.kind === 'incident' ? i.status !== 'resolved' && i.status !== 'postmortem' : i.status !== 'completed';

/** An incident (or maintenance) of this workspace, optionally locked; not found across tenants. */
export async function loadIncident(ctx: Ctx, id: string, lock = false): Promise<IncidentRow> {
  if (!isUuid(id)) throw notFound('Incident');
  const q = ctx.db.select().from(incidents).where(and(eq(incidents.workspaceId, ctx.workspaceId), eq(incidents.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('Incident');
  return row;
}

/** Notices sent for an incident: queued, sent (or further), failed — from the messages that carry them — and skipped. */
export async function noticeCounts(ctx: Ctx, incidentId: string) {
  const [r] = rowsOf<Record<string, number>>(await ctx.db.execute(sql`
    select count(*) filter (where n.state = 'skipped')::int as skipped,
      count(*) filter (where n.state = 'queued' and (m.delivery_status is null or m.delivery_status = 'queued'))::int as queued,
      count(*) filter (where m.delivery_status in ('sent', 'delivered', 'read'))::int as sent,
      count(*) filter (where m.delivery_status = 'failed')::int as failed
    from incident_notices n left join messages m on m.workspace_id = n.workspace_id and m.id = n.message_id
    where n.workspace_id = ${ctx.workspaceId} and n.incident_id = ${incidentId}`));
  return { queued: Number(r.queued), sent: Number(r.sent), failed: Number(r.failed), skipped: Number(r.skipped) };
}

/** The whole incident as the API shows it: components, updates, notices, linked contacts, credits. */
export async function incidentView(ctx: Ctx, row: IncidentRow): Promise<IncidentView> {
  const ws = ctx.workspaceId;
  const [comps, updates, notices, extra] = await Promise.all([
    ctx.db.select({ id: statusComponents.id, name: statusComponents.name, service: statusComponents.service, serviceAreaId: statusComponents.serviceAreaId, status: incidentComponents.status })
      .from(incidentComponents).innerJoin(statusComponents, and(eq(statusComponents.workspaceId, incidentComponents.workspaceId), eq(statusComponents.id, incidentComponents.componentId)))
      .where(and(eq(incidentComponents.workspaceId, ws), eq(incidentComponents.incidentId, row.id))).orderBy(asc(statusComponents.position)),
    ctx.db.select().from(incidentUpdates).where(and(eq(incidentUpdates.workspaceId, ws), eq(incidentUpdates.incidentId, row.id))).orderBy(sql`created_at desc, id desc`),
    noticeCounts(ctx, row.id),
    ctx.db.execute(sql`select
      (select count(*)::int from incident_contacts where workspace_id = ${ws} and incident_id = ${row.id}) as contacts,
      (select coalesce(sum(amount_cents) filter (where status = 'applied'), 0)::int from incident_credits where workspace_id = ${ws} and incident_id = ${row.id}) as applied,
      (select coalesce(sum(amount_cents) filter (where status = 'proposed'), 0)::int from incident_credits where workspace_id = ${ws} and incident_id = ${row.id}) as proposed,
      (select count(distinct customer_id) filter (where status <> 'rejected')::int from incident_credits where workspace_id = ${ws} and incident_id = ${row.id}) as customers,
      (select min(currency) from incident_credits where workspace_id = ${ws} and incident_id = ${row.id}) as currency`).then((r) => rowsOf<Record<string, any>>(r)[0]),
  ]);
  const open = isOpen(row);
  return {
    id: row.id, kind: row.kind, name: row.name, status: row.status, impact: row.impact, published: row.published, source: row.source,
    startedAt: toIso(row.startedAt), acknowledgedAt: iso(row.acknowledgedAt), monitoringAt: iso(row.monitoringAt), resolvedAt: iso(row.resolvedAt),
    scheduledFor: iso(row.scheduledFor), scheduledUntil: iso(row.scheduledUntil), createdAt: toIso(row.createdAt), updatedAt: toIso(row.updatedAt),
    areaIds: [...new Set(comps.map((c) => c.serviceAreaId))],
    components: comps.map((c) => ({ ...c, status: open ? c.status : 'operational' })),
    updates: updates.map((u) => ({ id: u.id, status: u.status, body: u.body, notify: u.notify, createdAt: toIso(u.createdAt), displayAt: toIso(u.displayAt) })),
    notices,
    contacts: Number(extra.contacts),
    credits: { totalCents: Number(extra.applied) + Number(extra.proposed), appliedCents: Number(extra.applied), proposedCents: Number(extra.proposed), currency: extra.currency ?? null, customers: Number(extra.customers) },
  };
}
