import { and, eq, inArray, sql } from 'drizzle-orm';
import { serviceAreas, plans, subscriptions, invoices, invoiceLines, payments } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import {
  invoiceView, subscriptionView,
  type InvoiceLineRow, type InvoiceRow, type PlanRow, type ServiceAreaRow, type SubscriptionRow,
} from './views.ts';

/** A reference by id or by the billing system's key (code, externalRef, number). */
export type Ref = { id?: string | null; key?: string | null };

/**
 * The row an upsert works on, locked: the existing one, or a new one inserted now. When a
 * concurrent upsert inserts the same key first, its row is taken (locked) instead.
 */
export async function claimRow<R>(lockExisting: () => Promise<R | undefined>, insert: () => Promise<R | undefined>): Promise<{ row: R; created: boolean }> {
  const existing = await lockExisting();
  if (existing) return { row: existing, created: false };
  const inserted = await insert();
  if (inserted) return { row: inserted, created: true };
  const raced = await lockExisting();
  if (!raced) throw new AppError('conflict', 'A concurrent change got in the way; retry');
  return { row: raced, created: false };
}

const missing = (what: string, field?: string) =>
  new AppError('not_found', `${what} not found`, field ? { fields: [{ path: field, message: 'not found in this workspace' }] } : undefined);

/** A plan in the caller's workspace by id or code, or not_found. */
export async function loadPlan(ctx: Ctx, ref: Ref, field?: string): Promise<PlanRow> {
  if (ref.id && !isUuid(ref.id)) throw missing('Plan', field);
  const [row] = await ctx.db.select().from(plans)
    .where(and(eq(plans.workspaceId, ctx.workspaceId), ref.id ? eq(plans.id, ref.id) : eq(plans.code, ref.key ?? '')));
  if (!row) throw missing('Plan', field);
  return row;
}

/** A service area in the caller's workspace by id or code, or not_found. */
export async function loadServiceArea(ctx: Ctx, ref: Ref, field?: string): Promise<ServiceAreaRow> {
  if (ref.id && !isUuid(ref.id)) throw missing('Service area', field);
  const [row] = await ctx.db.select().from(serviceAreas)
    .where(and(eq(serviceAreas.workspaceId, ctx.workspaceId), ref.id ? eq(serviceAreas.id, ref.id) : eq(serviceAreas.code, ref.key ?? '')));
  if (!row) throw missing('Service area', field);
  return row;
}

/** A subscription in the caller's workspace by id or externalRef (optionally locked), or not_found. */
export async function loadSubscription(ctx: Ctx, ref: Ref, opts: { lock?: boolean; field?: string } = {}): Promise<SubscriptionRow> {
  if (ref.id && !isUuid(ref.id)) throw missing('Subscription', opts.field);
  const q = ctx.db.select().from(subscriptions)
    .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), ref.id ? eq(subscriptions.id, ref.id) : eq(subscriptions.externalRef, ref.key ?? '')));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw missing('Subscription', opts.field);
  return row;
}

/** An invoice in the caller's workspace by id or number (optionally locked), or not_found. */
export async function loadInvoice(ctx: Ctx, ref: Ref, opts: { lock?: boolean; field?: string } = {}): Promise<InvoiceRow> {
  if (ref.id && !isUuid(ref.id)) throw missing('Invoice', opts.field);
  const q = ctx.db.select().from(invoices)
    .where(and(eq(invoices.workspaceId, ctx.workspaceId), ref.id ? eq(invoices.id, ref.id) : eq(invoices.number, ref.key ?? '')));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw missing('Invoice', opts.field);
  return row;
}

/** Subscription rows with their plan and service area, as views. */
export async function subscriptionViews(ctx: Ctx, rows: SubscriptionRow[]) {
  if (!rows.length) return [];
  const [planRows, areaRows] = await Promise.all([
    ctx.db.select().from(plans).where(and(eq(plans.workspaceId, ctx.workspaceId), inArray(plans.id, [...new Set(rows.map((r) => r.planId))]))),
    ctx.db.select().from(serviceAreas).where(and(eq(serviceAreas.workspaceId, ctx.workspaceId), inArray(serviceAreas.id, [...new Set(rows.map((r) => r.serviceAreaId))]))),
  ]);
  const planById = new Map(planRows.map((p) => [p.id, p]));
  const areaById = new Map(areaRows.map((a) => [a.id, a]));
  return rows.map((r) => subscriptionView(r, planById.get(r.planId)!, areaById.get(r.serviceAreaId)!));
}

/** Invoice rows with their lines and what has been paid on each, as views (two queries for any number). */
export async function invoiceViews(ctx: Ctx, rows: InvoiceRow[]) {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const lineRows = await ctx.db.select().from(invoiceLines)
    .where(and(eq(invoiceLines.workspaceId, ctx.workspaceId), inArray(invoiceLines.invoiceId, ids)));
  const paid = await paidCents(ctx, ids);
  const linesBy = new Map<string, InvoiceLineRow[]>();
  for (const l of lineRows) linesBy.set(l.invoiceId, [...(linesBy.get(l.invoiceId) ?? []), l]);
  return rows.map((r) => invoiceView(r, linesBy.get(r.id) ?? [], paid.get(r.id) ?? 0));
}

/** The sum of payments received against each invoice. */
export async function paidCents(ctx: Ctx, invoiceIds: string[]): Promise<Map<string, number>> {
  if (!invoiceIds.length) return new Map();
  const rows = await ctx.db.select({ invoiceId: payments.invoiceId, cents: sql<number>`coalesce(sum(${payments.amountCents}), 0)::int8` })
    .from(payments)
    .where(and(eq(payments.workspaceId, ctx.workspaceId), inArray(payments.invoiceId, invoiceIds)))
    .groupBy(payments.invoiceId);
  return new Map(rows.map((r) => [r.invoiceId!, Number(r.cents)]));
}
