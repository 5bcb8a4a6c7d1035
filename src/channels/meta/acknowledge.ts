import { jsonResponse } from '../adapter.ts';
import type { Ctx } from '../../platform/ctx.ts';
import type { ChannelKind } from '../../db/schema/index.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';
import { quarantineInbound } from '../../domains/channels/index.ts';
import { receiveMessages, type DeliveryStatus, type InboundMessageInput } from '../../domains/conversations/index.ts';
import type { z } from '@hono/zod-openapi';
import { AppError } from '../../platform/errors.ts';
import { applyReceipt } from './statuses.ts';

export type Receipt = { externalId: string; status: DeliveryStatus; error?: string; at: Date };

/**
 * The end of every Meta webhook: commit the inbound messages (one transaction; a redelivered id
 * is a no-op), then apply the receipts, then answer. Items that could not be read are kept in
 * quarantine; items deliberately not handled are logged. 200 only once everything is durable;
 * 503 when a fresh receipt names a message not recorded yet, so Meta delivers it again.
 */
export async function ingestAndAnswer(ctx: Ctx, channel: ChannelRow, input: {
  messages: z.input<typeof InboundMessageInput>[]; receipts: Receipt[];
  unreadable: { reason: string; item: unknown }[]; ignored: { reason: string; item: unknown }[];
}): Promise<Response> {
  const kind: ChannelKind = channel.kind;
  for (const u of input.unreadable) {
    await quarantineInbound(ctx, { channelId: channel.id, kind, reason: u.reason, contentType: 'application/json', payload: JSON.stringify(u.item) });
  }
  for (const i of input.ignored) ctx.app.log.info({ channelId: channel.id, kind, reason: i.reason }, `${kind} webhook item not handled`);
  let outcomes: Awaited<ReturnType<typeof receiveMessages>> = [];
  try {
    if (input.messages.length) outcomes = await receiveMessages({ ctx, input: input.messages });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
    // A message Candor cannot take as it is: keep it for an admin rather than have Meta retry it for days.
    await quarantineInbound(ctx, { channelId: channel.id, kind, reason: err.message, contentType: 'application/json', payload: JSON.stringify(input.messages) });
    return jsonResponse(400, { code: 'validation_failed', message: `${err.message}; kept in quarantine`, requestId: ctx.requestId });
  }
  let applied = 0; let retry = 0;
  for (const r of input.receipts) {
    const result = await applyReceipt(ctx, { channel: kind, ...r });
    if (result === 'applied') applied++;
    if (result === 'retry') retry++;
  }
  const body = {
    received: outcomes.filter((o) => !o.duplicate).length, duplicates: outcomes.filter((o) => o.duplicate).length,
    receipts: applied, quarantined: input.unreadable.length, ignored: input.ignored.length,
  };
  if (retry) return jsonResponse(503, { code: 'unavailable', message: `${retry} receipt(s) name a message not recorded yet; deliver again`, requestId: ctx.requestId, details: body });
  return jsonResponse(200, body);
}
