import { randomBytes } from 'node:crypto';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { incidentUpdates, statusSubscribers, workspaces } from '../../db/schema/index.ts';
import { systemCtx, withTransaction, type Ctx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { audit } from '../../platform/audit.ts';
import { parseInput, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueJob, type Job } from '../../platform/jobs.ts';
import { SubscribeInput } from './status.schemas.ts';
import { publicStatusUrl } from './public-url.ts';
import { loadIncident } from './views.ts';

export const CONFIRM_QUEUE = 'status.subscriber_confirm';
export const DELIVER_QUEUE = 'status.subscriber_deliver';

/** How a plain mail leaves (channels/email gives the real one: the workspace's relay, or its outbox). */
export type StatusMail = { to: string; subject: string; text: string; headers?: Record<string, string> };
export type StatusMailer = (ctx: Ctx, mail: StatusMail, ref: { source: string; refId: string }) => Promise<void>;
export type WebhookPoster = (url: string, body: unknown) => Promise<void>;

const links = (slug: string, token: string) => ({
  confirm: `${publicStatusUrl(slug)}/subscriptions/confirm?token=${token}`,
  unsubscribe: `${publicStatusUrl(slug)}/subscriptions/unsubscribe?token=${token}`,
});

/**
 * A member of the public subscribes to a workspace's page by email or webhook. Nothing is sent to
 * them until they confirm (double opt-in): a confirmation link goes out by a job. Subscribing
 * again re-sends the link (or says nothing new when already confirmed). Answers the same either
 * way, so the form does not reveal who is subscribed.
 */
export async function subscribeToStatus({ app, workspaceId, input }: { app: Platform; workspaceId: string; input: z.input<typeof SubscribeInput> }) {
  const data = parseInput(SubscribeInput, input);
  const kind = data.email ? 'email' as const : 'webhook' as const;
  const target = (data.email ?? data.webhook)!;
  const ctx = systemCtx(app, workspaceId, 'status-subscribe');
  return withTransaction(ctx, async (tx) => {
    const [existing] = await tx.db.select().from(statusSubscribers).where(and(eq(statusSubscribers.workspaceId, workspaceId), eq(statusSubscribers.kind, kind), eq(statusSubscribers.target, target))).for('update');
    let id = existing?.id;
    if (!existing) {
      id = newId();
      await tx.db.insert(statusSubscribers).values({ workspaceId, id, kind, target, token: randomBytes(24).toString('base64url') });
    } else if (existing.unsubscribedAt) {
      await tx.db.update(statusSubscribers).set({ unsubscribedAt: null, confirmedAt: null, token: randomBytes(24).toString('base64url') }).where(and(eq(statusSubscribers.workspaceId, workspaceId), eq(statusSubscribers.id, existing.id)));
    }
    if (!existing || !existing.confirmedAt || existing.unsubscribedAt) await enqueueJob(tx, { queue: CONFIRM_QUEUE, payload: { subscriberId: id } });
    await audit(tx, { action: 'status.subscribed', entityType: 'status_subscriber', entityId: id!, after: { kind } });
    return { pending: true };
  });
}

/** Confirms (opt-in) or ends (one click) a subscription by its token; false when the token is unknown. */
export async function setSubscription({ app, workspaceId, token, action }: { app: Platform; workspaceId: string; token: string; action: 'confirm' | 'unsubscribe' }): Promise<boolean> {
  const ctx = systemCtx(app, workspaceId, 'status-subscribe');
  const set = action === 'confirm' ? { confirmedAt: new Date() } : { unsubscribedAt: new Date() };
  const rows = await ctx.db.update(statusSubscribers).set(set).where(and(eq(statusSubscribers.workspaceId, workspaceId), eq(statusSubscribers.token, token))).returning({ id: statusSubscribers.id });
  return rows.length > 0;
}

/** The job that asks a new subscriber to confirm: a mail with the link, or a POST to the webhook carrying it. */
export function confirmSubscriberJob(deps: { mail: StatusMailer; post: WebhookPoster }) {
  return async (job: Job, ctx: Ctx) => {
    const [s] = await ctx.db.select().from(statusSubscribers).where(and(eq(statusSubscribers.workspaceId, ctx.workspaceId), eq(statusSubscribers.id, String(job.payload.subscriberId))));
    if (!s || s.confirmedAt || s.unsubscribedAt) return;
    const [w] = await ctx.db.select({ slug: workspaces.slug, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
    const l = links(w.slug, s.token);
    if (s.kind === 'webhook') return deps.post(s.target, { type: 'subscription.confirm', page: w.name, confirm_url: l.confirm, unsubscribe_url: l.unsubscribe });
    await deps.mail(ctx, {
      to: s.target, subject: `Confirm your ${w.name} status updates`,
      text: `Someone (we hope you) asked for ${w.name} service status updates at this address.\n\nConfirm: ${l.confirm}\n\nIf it was not you, ignore this mail; nothing more will be sent.`,
    }, { source: 'subscription', refId: s.id });
  };
}

/** Fans a published update out to every confirmed subscriber, one job each (a failing webhook delays no one else). */
export async function fanOutToSubscribers(job: Job, ctx: Ctx): Promise<number> {
  const subs = await ctx.db.select({ id: statusSubscribers.id }).from(statusSubscribers)
    .where(and(eq(statusSubscribers.workspaceId, ctx.workspaceId), isNotNull(statusSubscribers.confirmedAt), isNull(statusSubscribers.unsubscribedAt)));
  for (const s of subs) await enqueueJob(ctx, { queue: DELIVER_QUEUE, payload: { ...job.payload, subscriberId: s.id } });
  return subs.length;
}

/** Sends one update to one subscriber: a mail with a one-click unsubscribe (List-Unsubscribe), or the update as JSON to the webhook. */
export function deliverToSubscriberJob(deps: { mail: StatusMailer; post: WebhookPoster }) {
  return async (job: Job, ctx: Ctx) => {
    const { incidentId, updateId, subscriberId } = job.payload as Record<string, string>;
    const [s] = await ctx.db.select().from(statusSubscribers).where(and(eq(statusSubscribers.workspaceId, ctx.workspaceId), eq(statusSubscribers.id, subscriberId)));
    if (!s?.confirmedAt || s.unsubscribedAt) return;
    const inc = await loadIncident(ctx, incidentId);
    const [u] = await ctx.db.select().from(incidentUpdates).where(and(eq(incidentUpdates.workspaceId, ctx.workspaceId), eq(incidentUpdates.id, updateId)));
    if (!u) throw notFound('Incident update');
    const [w] = await ctx.db.select({ slug: workspaces.slug, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
    const l = links(w.slug, s.token);
    if (s.kind === 'webhook') {
      return deps.post(s.target, { type: 'incident.update', page: w.name, incident: { id: inc.id, name: inc.name, status: inc.status, impact: inc.impact, shortlink: `${publicStatusUrl(w.slug)}#incident-${inc.id}` },
        update: { id: u.id, status: u.status, body: u.body, created_at: u.createdAt.toISOString() }, unsubscribe_url: l.unsubscribe });
    }
    await deps.mail(ctx, {
      to: s.target, subject: `[${w.name}] ${inc.name}: ${u.status}`,
      text: `${u.body}\n\nFollow it: ${publicStatusUrl(w.slug)}#incident-${inc.id}\n\nUnsubscribe (one click): ${l.unsubscribe}`,
      headers: { 'List-Unsubscribe': `<${l.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    }, { source: 'subscription', refId: u.id });
  };
}
