import type { WebhookCall } from '../adapter.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { findIdentity, normaliseIdentity } from '../../domains/customers/index.ts';
import { openMetaWebhook } from '../meta/webhook.ts';
import { channelIdFor } from '../meta/sibling-channel.ts';
import { findConversationByExternalId, listOutboundBefore } from '../../domains/conversations/index.ts';
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
  const { ctx, channel } = call;
  const payload = readMessengerPayload(gate.body.entry);
  const unreadable: { reason: string; item: unknown }[] = [];
  const channels = new Map<string, string>();
  const messages = [];
  for (const m of payload.messages) {
    try { normaliseIdentity('messenger', m.psid); } catch {
      unreadable.push({ reason: `Messenger message ${m.externalId} from an unreadable PSID`, item: m });
      continue;
    }
    const repliedTo = m.replyTo ? await findConversationByExternalId({ ctx, input: { channel: 'messenger', externalIds: [m.replyTo] } }) : null;
    messages.push({
      channel: 'messenger' as const, channelId: await channelIdFor(ctx, channel, 'pageId', m.pageId, channels),
      from: { kind: 'messenger' as const, value: m.psid }, externalId: m.externalId,
      bodyText: m.bodyText.slice(0, 100_000), receivedAt: m.at, conversationId: repliedTo?.conversationId,
    });
  }
  const receipts: Receipt[] = [];
  for (const r of payload.receipts) receipts.push(...await expand(ctx, r));
  return ingestAndAnswer(ctx, channel, { messages, receipts, unreadable, ignored: payload.skipped });
}
