import type { WebhookCall } from '../adapter.ts';
import { normaliseIdentity } from '../../domains/customers/index.ts';
import { openMetaWebhook } from '../meta/webhook.ts';
import { channelIdFor } from '../meta/sibling-channel.ts';
import { findConversationByExternalId } from '../../domains/conversations/index.ts';
import { ingestAndAnswer } from '../meta/acknowledge.ts';
import { readWhatsAppPayload } from './inbound.ts';

/**
 * WhatsApp Cloud API webhook. GET: subscription handshake. POST (signed with the App Secret):
 * each message becomes an inbound message from `{kind: 'whatsapp', value: wa_id}` named by the
 * contact's profile name, on the channel whose `config.phoneNumberId` it was sent to, threaded
 * into the conversation of the message it replies to (`context.id`) when Candor knows it; each
 * status moves the delivery state of the message with that wamid forward.
 */
export async function whatsappWebhook(call: WebhookCall): Promise<Response> {
  const gate = await openMetaWebhook(call, 'whatsapp_business_account');
  if (gate.response) return gate.response;
  const { ctx, channel } = call;
  const payload = readWhatsAppPayload(gate.body.entry);
  const unreadable: { reason: string; item: unknown }[] = [];
  const channels = new Map<string, string>();
  const messages = [];
  for (const m of payload.messages) {
    try { normaliseIdentity('whatsapp', m.waId); } catch {
      unreadable.push({ reason: `WhatsApp message ${m.externalId} from an unreadable wa_id`, item: m });
      continue;
    }
    const repliedTo = m.replyTo ? await findConversationByExternalId({ ctx, input: { channel: 'whatsapp', externalIds: [m.replyTo] } }) : null;
    messages.push({
      channel: 'whatsapp' as const, channelId: await channelIdFor(ctx, channel, 'phoneNumberId', m.phoneNumberId, channels),
      from: { kind: 'whatsapp' as const, value: m.waId, name: m.name?.slice(0, 200) }, externalId: m.externalId,
      bodyText: m.bodyText.slice(0, 100_000), receivedAt: m.at, conversationId: repliedTo?.conversationId,
    });
  }
  return ingestAndAnswer(ctx, channel, { messages, receipts: payload.receipts, unreadable, ignored: payload.skipped });
}
