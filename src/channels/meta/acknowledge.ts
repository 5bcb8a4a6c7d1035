import { jsonResponse, type WebhookCall } from '../adapter.ts';
import type { ChannelKind } from '../../db/schema/index.ts';
import { quarantineInbound } from '../../domains/channels/index.ts';
import type { DeliveryStatus, InboundMessageInput } from '../../domains/conversations/index.ts';
import type { z } from '@hono/zod-openapi';
import { ingest } from '../shared/webhook-kit.ts';
import { applyReceipt } from './statuses.ts';

export type Receipt = { externalId: string; status: DeliveryStatus; error?: string; at: Date };

/**
 * The end of every Meta webhook: commit the inbound messages (one transaction; a redelivered id
 * is a no-op; a message Candor cannot take keeps the body in quarantine and answers 400, rather
 * than have Meta retry it for days), then apply the receipts, then answer. Items that could not be
 * read are kept in quarantine one by one; items deliberately not handled are logged. 200 only once
 * everything is durable; 503 when a fresh receipt names a message not recorded yet, so Meta
 * delivers it again.
 */
export async function ingestAndAnswer(call: WebhookCall, input: {
  messages: z.input<typeof InboundMessageInput>[]; receipts: Receipt[];
  unreadable: { reason: string; item: unknown }[]; ignored: { reason: string; item: unknown }[];
}): Promise<Response> {
  const { ctx, channel } = call;
  const kind: ChannelKind = channel.kind;
  // One Meta payload carries many items: an unreadable one is kept on its own, the rest go on.
  for (const u of input.unreadable) {
    await quarantineInbound(ctx, { channelId: channel.id, kind, reason: u.reason, contentType: 'application/json', payload: JSON.stringify(u.item) });
  }
  for (const i of input.ignored) ctx.app.log.info({ channelId: channel.id, kind, reason: i.reason }, `${kind} webhook item not handled`);
  let received = 0; let duplicates = 0;
  if (input.messages.length) {
    const r = await ingest(call, input.messages);
    if (!r.ok) return r.response;
    received = r.accepted; duplicates = r.duplicates;
  }
  let applied = 0; let retry = 0;
  for (const r of input.receipts) {
    const result = await applyReceipt(ctx, { channel: kind, ...r });
    if (result === 'applied') applied++;
    if (result === 'retry') retry++;
  }
  const body = { received, duplicates, receipts: applied, quarantined: input.unreadable.length, ignored: input.ignored.length };
  if (retry) return jsonResponse(503, { code: 'unavailable', message: `${retry} receipt(s) name a message not recorded yet; deliver again`, requestId: ctx.requestId, details: body });
  return jsonResponse(200, body);
}
