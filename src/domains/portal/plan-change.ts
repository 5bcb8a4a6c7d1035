import { and, asc, eq, isNull } from 'drizzle-orm';
import { planChangePreviews, plans, subscriptions, type PlanQuote } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, notFound, parseInput } from '../../platform/errors.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import { hashSecret, newSecret, secretMatches } from '../../platform/secrets.ts';
import { formatMoney } from '../billing/index.ts';
import { CancelApplyInput, PlanChangeApplyInput, PlanChangePreviewInput } from './portal.schemas.ts';
import { provisioningFor } from './provisioning.ts';
import { confirmToCustomer } from './notify-customer.ts';
import { asSystem, daysInMonthOf, isoDay, mySubscription, planOut, recordSelf, selfOf, subscriptionOut, type MySubscription } from './self.ts';

const PREVIEW_TTL_MS = 30 * 60_000;
type PlanRow = typeof plans.$inferSelect;

/** The workspace's plans a customer can choose now (cheapest first), with theirs marked. */
export async function listMyPlans({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx);
  const sys = asSystem(ctx);
  const sub = await mySubscription(sys, customerId);
  const rows = await sys.db.select().from(plans).where(and(eq(plans.workspaceId, ctx.workspaceId), eq(plans.active, true))).orderBy(asc(plans.priceCents));
  return { currentPlanId: sub?.plan.id ?? null, data: rows.map((p) => ({ ...planOut(p), current: p.id === sub?.plan.id })) };
}

async function activeSubscription(ctx: Ctx, customerId: string, lock = false): Promise<MySubscription> {
  const sub = await mySubscription(ctx, customerId, { lock });
  if (!sub || sub.row.status !== 'active') throw new AppError('conflict', sub ? `Your subscription is ${sub.row.status}: a plan change needs an active one` : 'You have no subscription with us');
  return sub;
}

async function targetPlan(ctx: Ctx, ref: { planId?: string; planCode?: string }): Promise<PlanRow> {
  if (ref.planId && !isUuid(ref.planId)) throw notFound('Plan');
  const [p] = await ctx.db.select().from(plans).where(and(eq(plans.workspaceId, ctx.workspaceId), ref.planId ? eq(plans.id, ref.planId) : eq(plans.code, ref.planCode ?? '')));
  if (!p) throw notFound('Plan');
  if (!p.active) throw new AppError('conflict', `${p.name} is no longer sold`);
  return p;
}

function quoteOf(kind: 'change' | 'cancel', sub: MySubscription, to: PlanRow | null, now: Date): PlanQuote {
  const dim = daysInMonthOf(now);
  const today = now.getUTCDate();
  const daysLeft = dim - today + 1;
  if (kind === 'cancel') {
    const last = isoDay(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), dim));
    return { kind, subscriptionId: sub.row.id, fromPlanId: sub.plan.id, toPlanId: null, effectiveDate: last, daysLeft, daysInMonth: dim, prorationCents: 0, newMonthlyCents: 0, currency: sub.plan.currency };
  }
  const proration = Math.round(((to!.priceCents - sub.plan.priceCents) * daysLeft) / dim);
  return { kind, subscriptionId: sub.row.id, fromPlanId: sub.plan.id, toPlanId: to!.id, effectiveDate: isoDay(now), daysLeft, daysInMonth: dim, prorationCents: proration, newMonthlyCents: to!.priceCents, currency: to!.currency };
}

async function storePreview(tx: Ctx, customerId: string, q: PlanQuote) {
  const id = newId();
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + PREVIEW_TTL_MS);
  await tx.db.insert(planChangePreviews).values({ workspaceId: tx.workspaceId, id, customerId, subscriptionId: q.subscriptionId, kind: q.kind, toPlanId: q.toPlanId, quote: q, tokenHash: hashSecret(secret), expiresAt });
  return { token: `pcp_${id}.${secret}`, expiresAt, id };
}

/**
 * The price of a plan change before anything changes: effective today, the rest of this month
 * charged (or credited) to the day on the next bill, and the new monthly price. Returns a
 * single-use previewToken (30 minutes) bound to this subscription and this plan: applying needs it.
 */
export async function previewPlanChange({ ctx, input, now = new Date() }: { ctx: Ctx; input: unknown; now?: Date }) {
  const customerId = selfOf(ctx, 'plan:change');
  const data = parseInput(PlanChangePreviewInput, input);
  return withTransaction(ctx, async (tx) => {
    const sys = asSystem(tx);
    const sub = await activeSubscription(sys, customerId);
    const to = await targetPlan(sys, data);
    if (to.id === sub.plan.id) throw new AppError('conflict', `You are already on ${to.name}`);
    const q = quoteOf('change', sub, to, now);
    const p = await storePreview(tx, customerId, q);
    const m = (c: number) => formatMoney(c, q.currency);
    const way = to.priceCents > sub.plan.priceCents ? 'upgrade' : to.priceCents < sub.plan.priceCents ? 'downgrade' : 'switch';
    const summary = `${way[0].toUpperCase()}${way.slice(1)} from ${sub.plan.name} (${m(sub.plan.priceCents)}/month) to ${to.name} (${m(to.priceCents)}/month), effective today (${q.effectiveDate}). `
      + `For the remaining ${q.daysLeft} of ${q.daysInMonth} days this month your next bill ${q.prorationCents >= 0 ? `adds ${m(q.prorationCents)}` : `credits ${m(-q.prorationCents)}`}; from next month you pay ${m(to.priceCents)} a month.`;
    await recordSelf(tx, { customerId, kind: 'plan.change_previewed', refId: p.id, summary: `looked at changing to ${to.name} (${m(to.priceCents)}/month)`, data: { previewId: p.id, toPlan: to.code, prorationCents: q.prorationCents } });
    return { previewToken: p.token, kind: 'change' as const, fromPlan: planOut(sub.plan), toPlan: planOut(to), effectiveDate: q.effectiveDate, daysLeft: q.daysLeft, daysInMonth: q.daysInMonth,
      prorationCents: q.prorationCents, newMonthlyCents: q.newMonthlyCents, currency: q.currency, expiresAt: p.expiresAt.toISOString(), retentionOffer: null, summary };
  });
}

/**
 * Cancellation, as easy as signing up: one screen, the date it ends (the end of this month, no
 * further charges), and at most one honest offer — a cheaper plan we really sell, if there is
 * one — never a maze. Returns the previewToken that confirms it.
 */
export async function previewCancellation({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  const customerId = selfOf(ctx, 'plan:change');
  return withTransaction(ctx, async (tx) => {
    const sys = asSystem(tx);
    const sub = await activeSubscription(sys, customerId);
    const q = quoteOf('cancel', sub, null, now);
    const p = await storePreview(tx, customerId, q);
    const [cheaper] = await sys.db.select().from(plans).where(and(eq(plans.workspaceId, ctx.workspaceId), eq(plans.active, true))).orderBy(asc(plans.priceCents)).limit(1);
    const m = (c: number) => formatMoney(c, q.currency);
    const offer = cheaper && cheaper.priceCents < sub.plan.priceCents
      ? { planId: cheaper.id, planCode: cheaper.code, text: `If it is the price: ${cheaper.name} is ${m(cheaper.priceCents)} a month (${cheaper.downloadMbps} Mbit/s${cheaper.dataCapGb ? `, ${cheaper.dataCapGb} GB a month` : ''}). No pressure: cancelling is one click below.` }
      : null;
    await recordSelf(tx, { customerId, kind: 'subscription.cancel_previewed', refId: p.id, summary: 'looked at cancelling', data: { previewId: p.id } });
    return { previewToken: p.token, kind: 'cancel' as const, fromPlan: planOut(sub.plan), toPlan: null, effectiveDate: q.effectiveDate, daysLeft: q.daysLeft, daysInMonth: q.daysInMonth,
      prorationCents: 0, newMonthlyCents: 0, currency: q.currency, expiresAt: p.expiresAt.toISOString(), retentionOffer: offer,
      summary: `Your ${sub.plan.name} subscription at ${sub.row.address} ends on ${q.effectiveDate}. You pay for this month as usual and nothing after it.` };
  });
}

/** The preview a token names, spent now: single use, unexpired, mine, for this kind (and this plan). */
async function spendPreview(tx: Ctx, customerId: string, token: string, kind: 'change' | 'cancel', plan?: { planId?: string; planCode?: string }) {
  const m = /^pcp_([0-9a-f-]{36})\.(.+)$/.exec(token);
  const bad = (msg: string) => new AppError('conflict', msg, { previewToken: 'invalid' });
  if (!m) throw bad('This previewToken is not valid: ask for a new preview');
  const [row] = await tx.db.select().from(planChangePreviews).where(and(eq(planChangePreviews.workspaceId, tx.workspaceId), eq(planChangePreviews.id, m[1]))).for('update');
  if (!row || row.customerId !== customerId || !secretMatches(m[2], row.tokenHash)) throw bad('This previewToken is not valid: ask for a new preview');
  if (row.usedAt) throw bad('This previewToken has been used already: ask for a new preview');
  if (row.expiresAt <= new Date()) throw bad('This previewToken has expired: ask for a new preview');
  if (row.kind !== kind) throw bad(`This previewToken is for a ${row.kind === 'cancel' ? 'cancellation' : 'plan change'}`);
  if (plan && (plan.planId || plan.planCode)) {
    const [p] = await tx.db.select({ id: plans.id, code: plans.code }).from(plans).where(and(eq(plans.workspaceId, tx.workspaceId), eq(plans.id, row.toPlanId!)));
    if ((plan.planId && plan.planId !== p?.id) || (plan.planCode && plan.planCode !== p?.code)) throw bad('This previewToken was for another plan: preview this plan first');
  }
  await tx.db.update(planChangePreviews).set({ usedAt: new Date() }).where(and(eq(planChangePreviews.workspaceId, tx.workspaceId), eq(planChangePreviews.id, row.id), isNull(planChangePreviews.usedAt)));
  return row;
}

/**
 * Applies a previewed plan change: only with its previewToken (so nothing changes at a price the
 * customer or their assistant has not seen), through the workspace's provisioning adapter, on
 * the timeline, and confirmed on the customer's channel.
 */
export async function applyPlanChange({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const customerId = selfOf(ctx, 'plan:change');
  const data = parseInput(PlanChangeApplyInput, input);
  return withTransaction(ctx, async (tx) => {
    const sys = asSystem(tx);
    const preview = await spendPreview(tx, customerId, data.previewToken, 'change', data);
    const sub = await activeSubscription(sys, customerId, true);
    const q = preview.quote;
    if (sub.row.id !== q.subscriptionId || sub.plan.id !== q.fromPlanId) throw new AppError('conflict', 'Your subscription changed since this preview: ask for a new one');
    const to = await targetPlan(sys, { planId: q.toPlanId! });
    const { reference } = await provisioningFor(ctx.workspaceId).changePlan({ ctx: sys, subscriptionId: sub.row.id, fromPlanCode: sub.plan.code, toPlanCode: to.code, effectiveDate: q.effectiveDate });
    const [row] = await tx.db.update(subscriptions).set({ planId: to.id }).where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.id, sub.row.id))).returning();
    await tx.db.update(planChangePreviews).set({ provisioningRef: reference }).where(and(eq(planChangePreviews.workspaceId, ctx.workspaceId), eq(planChangePreviews.id, preview.id)));
    const after = { ...sub, row, plan: to };
    await audit(tx, { action: 'subscription.plan_changed', entityType: 'subscription', entityId: sub.row.id, before: subscriptionOut(sub), after: subscriptionOut(after) });
    const m = (c: number) => formatMoney(c, q.currency);
    await recordSelf(tx, { customerId, kind: 'plan.changed', refId: sub.row.id, summary: `changed plan from ${sub.plan.name} to ${to.name} (${m(to.priceCents)}/month, ${q.prorationCents >= 0 ? '+' : '−'}${m(Math.abs(q.prorationCents))} this month)`,
      data: { subscriptionId: sub.row.id, fromPlanId: sub.plan.id, toPlanId: to.id, fromPlan: sub.plan.code, toPlan: to.code, fromPriceCents: sub.plan.priceCents, toPriceCents: to.priceCents, prorationCents: q.prorationCents, effectiveDate: q.effectiveDate, previewId: preview.id, provisioningRef: reference } });
    emit(tx, 'subscription.changed', { customerId, data: { subscriptionId: sub.row.id, fromPlanId: sub.plan.id, toPlanId: to.id, serviceAreaId: sub.area.id } });
    const text = `Your plan is now ${to.name} (${m(to.priceCents)} a month), from today, ${q.effectiveDate}. Your next bill ${q.prorationCents >= 0 ? `adds ${m(q.prorationCents)}` : `credits ${m(-q.prorationCents)}`} for the rest of this month. Reference ${reference}.`;
    await confirmToCustomer(tx, customerId, `Plan changed to ${to.name}`, text);
    return { kind: 'change' as const, subscription: subscriptionOut(after), effectiveDate: q.effectiveDate, prorationCents: q.prorationCents, provisioningRef: reference, text };
  });
}

/** Confirms a previewed cancellation with its token: the subscription ends on the quoted date; a confirmation goes on the customer's channel. */
export async function applyCancellation({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const customerId = selfOf(ctx, 'plan:change');
  const data = parseInput(CancelApplyInput, input);
  return withTransaction(ctx, async (tx) => {
    const sys = asSystem(tx);
    const preview = await spendPreview(tx, customerId, data.previewToken, 'cancel');
    const sub = await activeSubscription(sys, customerId, true);
    const q = preview.quote;
    if (sub.row.id !== q.subscriptionId) throw new AppError('conflict', 'Your subscription changed since this preview: ask for a new one');
    const { reference } = await provisioningFor(ctx.workspaceId).cancel({ ctx: sys, subscriptionId: sub.row.id, planCode: sub.plan.code, effectiveDate: q.effectiveDate });
    const endedAt = new Date(`${q.effectiveDate}T23:59:59.000Z`);
    const [row] = await tx.db.update(subscriptions).set({ status: 'cancelled', endedAt }).where(and(eq(subscriptions.workspaceId, ctx.workspaceId), eq(subscriptions.id, sub.row.id))).returning();
    await tx.db.update(planChangePreviews).set({ provisioningRef: reference }).where(and(eq(planChangePreviews.workspaceId, ctx.workspaceId), eq(planChangePreviews.id, preview.id)));
    const after = { ...sub, row };
    await audit(tx, { action: 'subscription.cancelled', entityType: 'subscription', entityId: sub.row.id, before: subscriptionOut(sub), after: subscriptionOut(after) });
    await recordSelf(tx, { customerId, kind: 'subscription.cancelled', refId: sub.row.id, summary: `cancelled ${sub.plan.name} at ${sub.row.address}, ending ${q.effectiveDate}${data.reason ? ` (reason: ${data.reason})` : ''}`,
      data: { subscriptionId: sub.row.id, from: 'active', to: 'cancelled', effectiveDate: q.effectiveDate, reason: data.reason ?? null, previewId: preview.id, provisioningRef: reference } });
    emit(tx, 'subscription.status_changed', { customerId, data: { subscriptionId: sub.row.id, from: 'active', to: 'cancelled', serviceAreaId: sub.area.id } });
    const text = `Your ${sub.plan.name} subscription at ${sub.row.address} is cancelled and ends on ${q.effectiveDate}. You pay for this month as usual and nothing after it. Changed your mind? Reply to this message. Reference ${reference}.`;
    await confirmToCustomer(tx, customerId, 'Your cancellation is confirmed', text);
    return { kind: 'cancel' as const, subscription: subscriptionOut(after), effectiveDate: q.effectiveDate, prorationCents: 0, provisioningRef: reference, text };
  });
}
