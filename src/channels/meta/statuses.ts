import type { Ctx } from '../../platform/ctx.ts';
import type { ChannelKind } from '../../db/schema/index.ts';
import { updateDeliveryStatusByExternalId, type DeliveryStatus } from '../../domains/conversations/index.ts';

/** How long a receipt for an id Candor has not recorded yet is answered "retry later" rather than dropped. */
export const UNKNOWN_RECEIPT_RETRY_MS = 2 * 60_000;

/**
 * Applies one provider receipt. States only move forward (the verb sees to it), so receipts may
 * arrive in any order. A receipt can outrun the delivery job recording the provider's id for the
 * message it just sent: a fresh delivered/read/failed receipt for an unknown id asks the provider
 * to redeliver (`retry`) instead of losing it; an old one, or `sent` (the job records that
 * itself), is dropped as someone else's message.
 */
export async function applyReceipt(ctx: Ctx, input: { channel: ChannelKind; externalId: string; status: DeliveryStatus; error?: string; at: Date }) {
  const r = await updateDeliveryStatusByExternalId({ ctx, input: { channel: input.channel, externalId: input.externalId, status: input.status, error: input.error } });
  if (r.message) return r.changed ? 'applied' : 'unchanged';
  if (input.status !== 'sent' && Date.now() - input.at.getTime() < UNKNOWN_RECEIPT_RETRY_MS) return 'retry';
  ctx.app.log.info({ channel: input.channel, externalId: input.externalId, status: input.status }, 'receipt for a message Candor did not send; ignored');
  return 'unknown';
}
