import type { z } from '@hono/zod-openapi';
import type { WebhookCall } from '../adapter.ts';
import { normaliseIdentity } from '../../domains/customers/index.ts';
import { findConversationByExternalId, type InboundMessageInput } from '../../domains/conversations/index.ts';
import { channelIdFor } from './sibling-channel.ts';

/** A customer's message as a Meta adapter reads it: `from` is their id (wa_id, PSID), `to` the number or page it was sent to. */
export type MetaInbound = { externalId: string; from: string; name?: string; to?: string; bodyText: string; at: Date; replyTo?: string };

/** How one Meta product names things: its channel kind, its sender id, the channel config key that routes by `to`. */
export type MetaProduct = { kind: 'whatsapp' | 'messenger'; label: string; senderId: string; routeKey: string };

/**
 * Meta messages as Candor inbound messages: from `{kind, value: sender id}` (named by the profile
 * name when there is one), on the sibling channel whose `config[routeKey]` is `to`, threaded into the
 * conversation of the message they reply to when Candor knows it. A message from a sender id
 * Candor cannot read is set aside as unreadable.
 */
export async function inboundMessages(call: WebhookCall, product: MetaProduct, items: MetaInbound[]) {
  const { ctx, channel } = call;
  const { kind } = product;
  const unreadable: { reason: string; item: unknown }[] = [];
  const messages: z.input<typeof InboundMessageInput>[] = [];
  const channels = new Map<string, string>();
  for (const m of items) {
    try { normaliseIdentity(kind, m.from); } catch {
      unreadable.push({ reason: `${product.label} message ${m.externalId} from an unreadable ${product.senderId}`, item: m });
      continue;
    }
    const repliedTo = m.replyTo ? await findConversationByExternalId({ ctx, input: { channel: kind, externalIds: [m.replyTo] } }) : null;
    messages.push({
      channel: kind, channelId: await channelIdFor(ctx, channel, product.routeKey, m.to, channels),
      from: { kind, value: m.from, name: m.name?.slice(0, 200) }, externalId: m.externalId,
      bodyText: m.bodyText.slice(0, 100_000), receivedAt: m.at, conversationId: repliedTo?.conversationId,
    });
  }
  return { messages, unreadable };
}
