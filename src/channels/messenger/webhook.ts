import type { WebhookCall } from '../adapter.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { findIdentity } from '../../domains/customers/index.ts';
import { openMetaWebhook } from '../meta/webhook.ts';
import { inboundMessages } from '../meta/inbound-messages.ts';
import { listOutboundBefore, recordEchoedMessage } from '../../domains/conversations/index.ts';
import { ingestAndAnswer, type Receipt } from '../meta/acknowledge.ts';
import { readMessengerPayload, type MsReceipt } from './inbound.ts';

/** Per-message receipts as they come; a watermark receipt becomes one receipt per message sent to that person up to it. */
async function expand(ctx: Ctx, r: MsReceipt): Promise<Receipt[]> {
  if (r.mids.length) return r.mids.map((externalId) => ({ externalId, status: r.status, at: r.watermark }));
  const who = await findIdentity(ctx, 'messenger', r.psid);
  if (!who) return [];
  const before = await listOutboundBefore({ ctx, input: { customerId: who.customerId, channel: 'messenger', before: r.watermark, statuses: r.status === 'read' ? ['sent', 'delivered'] : ['sent'] } });
  // Already-recorded messages: never a reason to ask for redelivery, so dated as old news.
  return before.map((m) => ({ externalId: m.externalId!, status: r.status, at: new Date(0) }));
}

/**
 * Messenger Platform webhook (`object: 'page'`). GET: subscription handshake. POST (signed with the
 * App Secret): each message or postback becomes an inbound message from `{kind: 'messenger', value: PSID}`
 * on the channel whose `config.pageId` it was sent to; delivery and read receipts (by `mids` or by
 * watermark) move delivery states forward.
 */
export async function messengerWebhook(call: WebhookCall): Promise<Response> {
  const gate = await openMetaWebhook(call, 'page');
  if (gate.response) return gate.response;
  const payload = readMessengerPayload(gate.body.entry);
  const { messages, unreadable } = await inboundMessages(call, { kind: 'messenger', label: 'Messenger', senderId: 'PSID', routeKey: 'pageId' }, payload.messages);
  const receipts: Receipt[] = [];
  for (const r of payload.receipts) receipts.push(...await expand(call.ctx, r));
  // Echoes: the page's messages sent outside Candor become its outgoing messages; Candor's own
  // sends (same mid, or Candor's app id in config.appId) are already stored.
  const ignored = [...payload.skipped];
  for (const e of payload.echoes) {
    if (call.channel.config.appId != null && e.appId === String(call.channel.config.appId)) { ignored.push({ reason: 'echo of a message Candor sent', item: { mid: e.externalId } }); continue; }
    const r = await recordEchoedMessage({ ctx: call.ctx, input: { channel: 'messenger', channelId: call.channel.id, externalId: e.externalId, to: { kind: 'messenger', value: e.to }, bodyText: e.bodyText, at: e.at } });
    if (r.status !== 'stored') ignored.push({ reason: r.status === 'ours' ? 'echo of a message Candor sent' : 'echo to someone who never wrote', item: { mid: e.externalId } });
  }
  return ingestAndAnswer(call, { messages, receipts, unreadable, ignored });
}
