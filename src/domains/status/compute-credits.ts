import { and, eq, sql } from 'drizzle-orm';
import { incidents, incidentCredits } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';
import { formatMoney } from '../billing/index.ts';
import { recordTimeline } from '../customers/record-timeline.ts';
import { statusSettings } from './settings.ts';
import { loadIncident, type IncidentRow } from './views.ts';
import { rowsOf } from '../../platform/bulk.ts';

const impactRank: Record<string, number> = { none: 0, minor: 1, major: 2, critical: 3, maintenance: 0 };

/** A credit as the SLA policy computes it: one day's fee (monthly price ÷ days in that month) per started `perStartedHours` down. */
export function creditFor(input: { hoursDown: number; perStartedHours: number; monthlyCents: number; daysInMonth: number }): number {
  if (input.hoursDown <= 0) return 0;
  const units = Math.ceil(input.hoursDown / input.perStartedHours - 1e-9);
  return Math.round((units * input.monthlyCents) / input.daysInMonth);
}

/**
 * After an incident is resolved: the credit each affected subscription is owed under the
 * workspace's policy (subscriptions in an affected area when it began, neither ended nor
 * suspected of non-payment), applied at once or proposed for a supervisor's approval. Idempotent:
 * a subscription is credited once per incident. Returns the total.
 */
export async function computeIncidentCredits(ctx: Ctx, inc: IncidentRow): Promise<number> {
  const policy = (await statusSettings(ctx)).credits;
  if (!policy.enabled || !inc.resolvedAt || impactRank[inc.impact] < impactRank[policy.minImpact]) return 0;
  const hours = (inc.resolvedAt.getTime() - inc.startedAt.getTime()) / 3_600_000;
  const start = new Date(inc.startedAt);
  const days = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
  const units = Math.ceil(hours / policy.perStartedHours - 1e-9);
  if (units <= 0) return 0;
  const status = policy.mode === 'apply' ? 'applied' : 'proposed';
  const rows = rowsOf<{ customer_id: string; amount_cents: number; currency: string }>(await ctx.db.execute(sql`
    insert into incident_credits (workspace_id, incident_id, subscription_id, customer_id, amount_cents, currency, hours_down, status, created_at, decided_at, decided_by)
    select distinct on (s.id) s.workspace_id, ${inc.id}::uuid, s.id, s.customer_id, round(${units}::numeric * p.price_cents / ${days})::int, p.currency, ${hours}, ${status},
      now(), ${status === 'applied' ? sql`now()` : sql`null`}, ${status === 'applied' ? 'policy' : null}
    from incident_components ic
    join status_components c on c.workspace_id = ic.workspace_id and c.id = ic.component_id
    join subscriptions s on s.workspace_id = c.workspace_id and s.service_area_id = c.service_area_id
    join plans p on p.workspace_id = s.workspace_id and p.id = s.plan_id
    where ic.workspace_id = ${ctx.workspaceId} and ic.incident_id = ${inc.id} and ic.status in ('partial_outage', 'major_outage')
      and s.started_at <= ${toIso(inc.startedAt)}::timestamptz and (s.ended_at is null or s.ended_at > ${toIso(inc.startedAt)}::timestamptz) and s.status <> 'suspended'
    on conflict do nothing
    returning customer_id, amount_cents, currency`));
  const total = rows.reduce((n, r) => n + Number(r.amount_cents), 0);
  await ctx.db.update(incidents).set({ creditedCents: sql`${incidents.creditedCents} + ${status === 'applied' ? total : 0}` })
    .where(and(eq(incidents.workspaceId, ctx.workspaceId), eq(incidents.id, inc.id)));
  await recordTimeline(ctx, rows.map((r) => ({
    customerId: r.customer_id, kind: status === 'applied' ? 'credit.applied' : 'credit.proposed', refId: inc.id,
    summary: `${status === 'applied' ? 'Credit' : 'Proposed credit'} of ${formatMoney(Number(r.amount_cents), r.currency)} for "${inc.name}" (${hours.toFixed(1)} h down); on the next bill`,
    data: { incidentId: inc.id, amountCents: Number(r.amount_cents), currency: r.currency, hoursDown: hours },
  })));
  if (rows.length) emit(ctx, 'incident.credited', { data: { incidentId: inc.id, total, status, subscriptions: rows.length } });
  return total;
}

/** Applies (or rejects) the credits an incident proposed; applied ones go on each customer's next bill. */
export async function decideIncidentCredits({ ctx, id, decision }: { ctx: Ctx; id: string; decision: 'apply' | 'reject' }) {
  authorize(ctx, 'billing:write');
  authorize(ctx, 'status:write');
  return withTransaction(ctx, async (tx) => {
    const inc = await loadIncident(tx, id, true);
    if (!inc.resolvedAt) throw new AppError('conflict', 'Credits are decided after the incident is resolved');
    const rows = await tx.db.update(incidentCredits).set({ status: decision === 'apply' ? 'applied' : 'rejected', decidedAt: new Date(), decidedBy: tx.actor.id })
      .where(and(eq(incidentCredits.workspaceId, ctx.workspaceId), eq(incidentCredits.incidentId, id), eq(incidentCredits.status, 'proposed'))).returning();
    const total = rows.reduce((n, r) => n + r.amountCents, 0);
    if (decision === 'apply') await tx.db.update(incidents).set({ creditedCents: sql`${incidents.creditedCents} + ${total}` }).where(and(eq(incidents.workspaceId, ctx.workspaceId), eq(incidents.id, id)));
    await audit(tx, { action: `incident.credits_${decision === 'apply' ? 'applied' : 'rejected'}`, entityType: 'incident', entityId: id, after: { count: rows.length, totalCents: total } });
    emit(tx, 'incident.credited', { data: { incidentId: id, total, status: decision } });
    return { decided: rows.length, totalCents: total };
  });
}

/** A customer's outage credits, newest first: what the next bill will carry (applied) and what waits for approval. */
export async function listCustomerCredits({ ctx, customerId }: { ctx: Ctx; customerId: string }) {
  authorize(ctx, 'billing:read');
  if (!isUuid(customerId)) throw notFound('Customer');
  const rows = rowsOf<Record<string, any>>(await ctx.db.execute(sql`
    select c.incident_id, i.name, c.subscription_id, c.amount_cents, c.currency, c.hours_down, c.status, c.created_at
    from incident_credits c join incidents i on i.workspace_id = c.workspace_id and i.id = c.incident_id
    where c.workspace_id = ${ctx.workspaceId} and c.customer_id = ${customerId} order by c.created_at desc limit 200`));
  return { customerId, data: rows.map((r) => ({
    incidentId: r.incident_id, incidentName: r.name, subscriptionId: r.subscription_id, amountCents: Number(r.amount_cents), currency: r.currency,
    hoursDown: Math.round(Number(r.hours_down) * 10) / 10, status: r.status, createdAt: toIso(r.created_at),
  })) };
}
