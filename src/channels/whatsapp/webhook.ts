import type { WebhookCall } from '../adapter.ts';
import { openMetaWebhook } from '../meta/webhook.ts';
import { inboundMessages } from '../meta/inbound-messages.ts';
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
  const payload = readWhatsAppPayload(gate.body.entry);
  const { messages, unreadable } = await inboundMessages(call, { kind: 'whatsapp', label: 'WhatsApp', senderId: 'wa_id', routeKey: 'phoneNumberId' }, payload.messages);
  return ingestAndAnswer(call, { messages, receipts: payload.receipts, unreadable, ignored: payload.skipped });
}
