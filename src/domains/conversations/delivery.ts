import { and, eq, sql } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.ts';
import { captureInOutbox, customerAddress, outboxFallback } from '../outbox/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { emit } from '../../platform/events.ts';
import { notFound } from '../../platform/errors.ts';
import type { Job } from '../../platform/jobs.ts';
import { messageView, type MessageRow } from './views.ts';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
const rank: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4, received: 0 };

/**
 * Whether a report moves a message on: forward along queued → sent → delivered → read; to failed
 * only while it is queued or sent (a failure reported after delivered or read is stale); never out of failed.
 */
const movesOn = (from: string, to: DeliveryStatus) =>
  from === 'received' ? false // an inbound message has no delivery to report on
    : to === 'failed' ? from === 'queued' || from === 'sent' : rank[to] > rank[from];

/** Sends one outbound message on its channel and returns the provider's id for it. */
export type ChannelSender = (ctx: Ctx, message: MessageRow) => Promise<{ externalId?: string }>;

/** A failure that retrying will not fix: the message is marked failed at once. */
export class PermanentDeliveryError extends Error {}

/**
 * Nothing is configured to send this (no channel, no relay, no provider): permanent, unless the
 * workspace keeps such messages in its outbox (the demo does), where it then lands as sent.
 */
export class NotConfiguredError extends PermanentDeliveryError {}

/**
 * Records a delivery state reported by a provider. States only move forward (queued → sent →
 * delivered → read, or failed before delivery), so callbacks may arrive in any order; a report that
 * does not move the message on changes nothing (`changed: false`).
 */
export async function updateDeliveryStatus({ ctx, messageId, input }: { ctx: Ctx; messageId: string; input: { status: DeliveryStatus; error?: string; externalId?: string } }) {
  return withTransaction(ctx, async (tx) => {
    const where = and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.id, messageId));
    const [m] = await tx.db.select().from(messages).where(where).for('update');
    if (!m) throw notFound('Message');
    if (!movesOn(m.deliveryStatus, input.status)) return { changed: false, message: messageView(m) };
    const [after] = await tx.db.update(messages).set({
      deliveryStatus: input.status, deliveryError: input.status === 'failed' ? (input.error ?? 'failed') : null,
      externalId: input.externalId ?? m.externalId ?? sql`null`,
    }).where(where).returning();
    emit(tx, 'message.delivery_updated', { customerId: m.customerId, conversationId: m.conversationId, data: { messageId, status: input.status, error: input.error ?? null } });
    return { changed: true, message: messageView(after) };
  });
}

/** The job behind every outbound message: find the channel's sender, send, record the state. */
export function deliveryJob(senders: Map<string, ChannelSender>) {
  return async (job: Job, ctx: Ctx) => {
    const { messageId } = job.payload as { messageId: string };
    const [m] = await ctx.db.select().from(messages).where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.id, messageId)));
    if (!m || m.deliveryStatus !== 'queued') return;
    const send = senders.get(m.channel);
    try {
      if (!send) throw new NotConfiguredError(`No outbound connector is configured for channel ${m.channel}`);
      const { externalId } = await send(ctx, m);
      await updateDeliveryStatus({ ctx, messageId, input: { status: 'sent', externalId } });
    } catch (err) {
      if (err instanceof NotConfiguredError && await outboxFallback(ctx)) {
        const [conv] = await ctx.db.select({ subject: conversations.subject, number: conversations.number }).from(conversations)
          .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, m.conversationId)));
        const id = await captureInOutbox(ctx, {
          channel: m.channel, to: await customerAddress(ctx, m.customerId, m.channel), subject: conv ? `${conv.subject ?? 'Your conversation'} [#${conv.number}]` : null,
          bodyText: m.bodyText, headers: { 'X-Candor-Not-Sent': err.message }, source: m.authorType === 'system' ? 'notice' : 'reply', refId: m.id,
        });
        await updateDeliveryStatus({ ctx, messageId, input: { status: 'sent', externalId: `outbox:${id}` } });
        return;
      }
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentDeliveryError || job.attempts >= job.maxAttempts) {
        await updateDeliveryStatus({ ctx, messageId, input: { status: 'failed', error: reason } });
        if (err instanceof PermanentDeliveryError) return;
      }
      throw err;
    }
  };
}

/** A provider's status callback names its own message id: find ours by (channel, externalId) and move it forward. */
export async function updateDeliveryStatusByExternalId({ ctx, input }: { ctx: Ctx; input: { channel: MessageRow['channel']; externalId: string; status: DeliveryStatus; error?: string } }) {
  const [m] = await ctx.db.select({ id: messages.id }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.channel, input.channel), eq(messages.externalId, input.externalId)));
  if (!m) return { changed: false, message: null };
  return updateDeliveryStatus({ ctx, messageId: m.id, input: { status: input.status, error: input.error } });
}
