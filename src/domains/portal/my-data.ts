import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import {
  assistantGrants, conversations, customerIdentities, customers, diagnoses, invoiceLines, invoices, messages, payments, portalRequests,
  subscriptions, timelineEntries, usageDaily,
} from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import { asSystem, recordSelf, selfOf } from './self.ts';

/**
 * Everything held about me, as JSON: profile and identities, subscriptions, usage, invoices with
 * lines and payments, conversations with their messages (not staff's internal notes), my
 * timeline, diagnoses, assistant grants (never their tokens).
 */
export async function exportMyData({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx, 'customer');
  const s = asSystem(ctx);
  const ws = ctx.workspaceId;
  const mine = <T extends { workspaceId: any; customerId: any }>(t: T) => and(eq(t.workspaceId, ws), eq(t.customerId, customerId));
  const [profile] = await s.db.select().from(customers).where(and(eq(customers.workspaceId, ws), eq(customers.id, customerId)));
  const subs = await s.db.select().from(subscriptions).where(mine(subscriptions));
  const invs = await s.db.select().from(invoices).where(mine(invoices)).orderBy(asc(invoices.issuedAt));
  const convs = await s.db.select().from(conversations).where(mine(conversations)).orderBy(asc(conversations.createdAt));
  const [identities, usage, lines, pays, msgs, timeline, diags, grants, requests] = await Promise.all([
    s.db.select().from(customerIdentities).where(mine(customerIdentities)),
    subs.length ? s.db.select().from(usageDaily).where(and(eq(usageDaily.workspaceId, ws), inArray(usageDaily.subscriptionId, subs.map((x) => x.id)))).orderBy(asc(usageDaily.day)) : [],
    invs.length ? s.db.select().from(invoiceLines).where(and(eq(invoiceLines.workspaceId, ws), inArray(invoiceLines.invoiceId, invs.map((i) => i.id)))) : [],
    s.db.select().from(payments).where(mine(payments)),
    convs.length ? s.db.select().from(messages).where(and(eq(messages.workspaceId, ws), inArray(messages.conversationId, convs.map((c) => c.id)), inArray(messages.direction, ['in', 'out']))).orderBy(asc(messages.createdAt)) : [],
    s.db.select().from(timelineEntries).where(mine(timelineEntries)).orderBy(desc(timelineEntries.occurredAt)).limit(5000),
    s.db.select().from(diagnoses).where(mine(diagnoses)),
    s.db.select().from(assistantGrants).where(mine(assistantGrants)),
    s.db.select().from(portalRequests).where(mine(portalRequests)),
  ]);
  const strip = <T extends Record<string, unknown>>(r: T, ...keys: string[]) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'workspaceId' && !keys.includes(k)));
  await withTransaction(ctx, (tx) => recordSelf(tx, { customerId, kind: 'data.exported', summary: 'exported everything held about them as JSON' }));
  return {
    exportedAt: new Date().toISOString(),
    customer: strip(profile), identities: identities.map((r) => strip(r)), subscriptions: subs.map((r) => strip(r)), usage: usage.map((r) => strip(r)),
    invoices: invs.map((i) => ({ ...strip(i), lines: lines.filter((l) => l.invoiceId === i.id).map((l) => strip(l, 'invoiceId')) })),
    payments: pays.map((r) => strip(r)),
    conversations: convs.map((c) => ({ ...strip(c, 'assigneeId', 'teamId', 'reasonEvidence'), messages: msgs.filter((m) => m.conversationId === c.id).map((m) => strip(m, 'labels', 'authorId')) })),
    timeline: timeline.map((r) => strip(r)), diagnoses: diags.map((r) => strip(r)), assistantGrants: grants.map((g) => strip(g, 'secretHash')), requests: requests.map((r) => strip(r)),
  };
}

const requestOut = (r: typeof portalRequests.$inferSelect) => ({
  id: r.id, status: r.status, createdAt: r.createdAt.toISOString(), completedAt: r.completedAt?.toISOString() ?? null,
  text: r.status === 'open' ? 'Your deletion request is with us: an administrator completes it, usually within 30 days (the law allows up to a month). We keep what the law obliges us to (invoices).' : 'Your data has been deleted.',
});

/** Asks for everything about me to be deleted; an admin completes it. Asking twice keeps one open request. */
export async function requestDeletion({ ctx, note }: { ctx: Ctx; note?: string }) {
  const customerId = selfOf(ctx, 'customer');
  return withTransaction(ctx, async (tx) => {
    const [existing] = await tx.db.select().from(portalRequests).where(and(eq(portalRequests.workspaceId, ctx.workspaceId), eq(portalRequests.customerId, customerId), eq(portalRequests.kind, 'deletion'), eq(portalRequests.status, 'open')));
    if (existing) return requestOut(existing);
    const [row] = await tx.db.insert(portalRequests).values({ workspaceId: ctx.workspaceId, id: newId(), customerId, kind: 'deletion', status: 'open', note: note?.slice(0, 1000) ?? null }).returning();
    await audit(tx, { action: 'customer.deletion_requested', entityType: 'customer', entityId: customerId, after: requestOut(row) });
    await recordSelf(tx, { customerId, kind: 'data.deletion_requested', refId: row.id, summary: 'asked for their data to be deleted', data: { requestId: row.id } });
    return requestOut(row);
  });
}

/** My open or completed deletion request, or null. */
export async function getMyDeletionRequest({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx, 'customer');
  const [row] = await asSystem(ctx).db.select().from(portalRequests).where(and(eq(portalRequests.workspaceId, ctx.workspaceId), eq(portalRequests.customerId, customerId), eq(portalRequests.kind, 'deletion')))
    .orderBy(desc(portalRequests.createdAt)).limit(1);
  return row ? requestOut(row) : null;
}

/** Admins: the customers' deletion requests, open first. */
export async function listDeletionRequests({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'workspace:admin');
  const rows = await ctx.db.select().from(portalRequests).where(eq(portalRequests.workspaceId, ctx.workspaceId)).orderBy(desc(portalRequests.status), desc(portalRequests.createdAt)).limit(200);
  return { data: rows.map((r) => ({ ...requestOut(r), customerId: r.customerId, note: r.note })) };
}

/**
 * Admins complete a deletion request: the customer's profile is erased (name, contact details,
 * identities), their messages' text blanked, their portal sessions and grants removed. Invoices
 * and payments stay (the law keeps them), tied to an anonymous record.
 */
export async function completeDeletionRequest({ ctx, id }: { ctx: Ctx; id: string }) {
  authorize(ctx, 'workspace:admin');
  if (!isUuid(id)) throw notFound('Request');
  return withTransaction(ctx, async (tx) => {
    const ws = ctx.workspaceId;
    const [r] = await tx.db.select().from(portalRequests).where(and(eq(portalRequests.workspaceId, ws), eq(portalRequests.id, id))).for('update');
    if (!r) throw notFound('Request');
    if (r.status !== 'open') throw new AppError('conflict', 'This request is already completed');
    const c = r.customerId;
    await tx.db.update(customers).set({ name: null, email: null, phone: null, externalRef: null, channelPrefs: {}, consent: { marketing: false, surveys: false, serviceNotices: false }, updatedAt: new Date() })
      .where(and(eq(customers.workspaceId, ws), eq(customers.id, c)));
    await tx.db.delete(customerIdentities).where(and(eq(customerIdentities.workspaceId, ws), eq(customerIdentities.customerId, c)));
    await tx.db.update(messages).set({ bodyText: '[deleted at the customer\'s request]', bodyHtml: null, attachments: [] }).where(and(eq(messages.workspaceId, ws), eq(messages.customerId, c)));
    await tx.db.update(assistantGrants).set({ revokedAt: new Date() }).where(and(eq(assistantGrants.workspaceId, ws), eq(assistantGrants.customerId, c)));
    const [done] = await tx.db.update(portalRequests).set({ status: 'completed', completedAt: new Date(), completedBy: `${ctx.actor.type}:${ctx.actor.id}` }).where(and(eq(portalRequests.workspaceId, ws), eq(portalRequests.id, id))).returning();
    await audit(tx, { action: 'customer.deleted', entityType: 'customer', entityId: c, after: { requestId: id } });
    return { ...requestOut(done), customerId: c };
  });
}
