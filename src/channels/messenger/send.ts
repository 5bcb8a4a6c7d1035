import type { Ctx } from '../../platform/ctx.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';
import { PermanentDeliveryError, type MessageRow } from '../../domains/conversations/index.ts';
import { graphRoot, postGraph, requireSecret } from '../meta/graph.ts';
import { lastInboundMessage } from '../../domains/conversations/index.ts';
import { outboundText } from '../shared/plain-text.ts';
import { recipientOf } from '../shared/recipient.ts';

/** Messenger's standard messaging window: a page may answer freely this long after the person last wrote. */
export const STANDARD_WINDOW_MS = 24 * 3600_000;
const MAX_TEXT = 2000;

/**
 * The Send API body for a reply: `messaging_type: RESPONSE` inside the 24-hour window; outside it
 * `MESSAGE_TAG` with the channel's `config.messageTag` (e.g. HUMAN_AGENT, which Meta allows for 7
 * days), or a permanent failure saying why when none is configured.
 */
export function messengerBody(channel: ChannelRow, psid: string, text: string, windowOpen: boolean): Record<string, unknown> {
  if (text.length > MAX_TEXT) throw new PermanentDeliveryError(`Messenger text messages are limited to ${MAX_TEXT} characters; this reply has ${text.length}`);
  const base = { recipient: { id: psid }, message: { text } };
  if (windowOpen) return { ...base, messaging_type: 'RESPONSE' };
  const tag = channel.config.messageTag;
  if (typeof tag !== 'string' || !tag) {
    throw new PermanentDeliveryError('The customer last wrote on Messenger more than 24 hours ago, so a message tag is required, and this channel has no messageTag configured');
  }
  return { ...base, messaging_type: 'MESSAGE_TAG', tag };
}

/** Sends an agent's reply through the Send API: POST {graph}/{version}/me/messages with the page access token. */
export async function sendMessenger(ctx: Ctx, channel: ChannelRow, message: MessageRow): Promise<{ externalId?: string }> {
  const token = requireSecret(channel, 'accessToken', 'Messenger');
  const psid = await recipientOf(ctx, message.customerId, ['messenger']);
  if (!psid) throw new PermanentDeliveryError('The customer has no Messenger id (PSID)');
  const text = outboundText(message);
  if (!text) throw new PermanentDeliveryError('Nothing to send: the reply has no text');
  const last = (await lastInboundMessage({ ctx, input: { conversationId: message.conversationId, channel: 'messenger' } }))?.createdAt ?? null;
  const body = messengerBody(channel, psid, text, !!last && Date.now() - last.getTime() < STANDARD_WINDOW_MS);
  const res = await postGraph<{ recipient_id?: string; message_id?: string }>(`${graphRoot(channel)}/me/messages`, token, body, 'Messenger');
  if (!res.message_id) throw new Error('Messenger accepted the message but returned no message_id');
  return { externalId: res.message_id };
}
