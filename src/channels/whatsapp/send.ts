import type { Ctx } from '../../platform/ctx.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';
import { PermanentDeliveryError, type MessageRow } from '../../domains/conversations/index.ts';
import { graphRoot, postGraph, requireSecret } from '../meta/graph.ts';
import { lastInboundMessage } from '../../domains/conversations/index.ts';
import { outboundText } from '../shared/plain-text.ts';
import { recipientOf } from '../shared/recipient.ts';

/** WhatsApp's customer service window: free-form messages only this long after the customer last wrote. */
export const SERVICE_WINDOW_MS = 24 * 3600_000;
const MAX_TEXT = 4096;

/** A template body parameter may not hold line breaks, tabs or more than four spaces in a row. */
const asTemplateParameter = (s: string) => s.replace(/[\t\r\n]+/g, ' ').replace(/ {4,}/g, '   ').trim();

/**
 * Builds the Cloud API message body for a reply: plain text inside the 24-hour window; outside it
 * the channel's approved template (`config.templateName`, `config.templateLanguage`, the reply
 * text as its one body parameter unless `config.templateBodyParameter` is false), or a permanent
 * failure saying why when no template is configured.
 */
export function whatsappBody(channel: ChannelRow, to: string, text: string, windowOpen: boolean): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (windowOpen) {
    if (text.length > MAX_TEXT) throw new PermanentDeliveryError(`WhatsApp text messages are limited to ${MAX_TEXT} characters; this reply has ${text.length}`);
    return { ...base, type: 'text', text: { preview_url: false, body: text } };
  }
  const name = channel.config.templateName;
  if (typeof name !== 'string' || !name) {
    throw new PermanentDeliveryError('The customer last wrote on WhatsApp more than 24 hours ago, so only an approved template may be sent, and this channel has no templateName configured');
  }
  const template: Record<string, unknown> = { name, language: { code: String(channel.config.templateLanguage ?? 'en') } };
  if (channel.config.templateBodyParameter !== false) template.components = [{ type: 'body', parameters: [{ type: 'text', text: asTemplateParameter(text) }] }];
  return { ...base, type: 'template', template };
}

/** Sends an agent's reply through the Cloud API: POST {graph}/{version}/{phone-number-id}/messages. */
export async function sendWhatsApp(ctx: Ctx, channel: ChannelRow, message: MessageRow): Promise<{ externalId?: string }> {
  const phoneNumberId = channel.config.phoneNumberId;
  if (typeof phoneNumberId !== 'string' && typeof phoneNumberId !== 'number') throw new PermanentDeliveryError(`WhatsApp channel "${channel.name}" has no phoneNumberId configured`);
  const token = requireSecret(channel, 'accessToken', 'WhatsApp');
  const to = await recipientOf(ctx, message.customerId, ['whatsapp', 'phone']);
  if (!to) throw new PermanentDeliveryError('The customer has no WhatsApp number');
  const text = outboundText(message);
  if (!text) throw new PermanentDeliveryError('Nothing to send: the reply has no text');
  const last = (await lastInboundMessage({ ctx, input: { conversationId: message.conversationId, channel: 'whatsapp' } }))?.createdAt ?? null;
  const windowOpen = !!last && Date.now() - last.getTime() < SERVICE_WINDOW_MS;
  const body = whatsappBody(channel, to.replace(/^\+/, ''), text, windowOpen);
  const res = await postGraph<{ messages?: { id?: string }[] }>(`${graphRoot(channel)}/${encodeURIComponent(String(phoneNumberId))}/messages`, token, body, 'WhatsApp');
  const id = res.messages?.[0]?.id;
  if (!id) throw new Error('WhatsApp accepted the message but returned no message id');
  return { externalId: id };
}
