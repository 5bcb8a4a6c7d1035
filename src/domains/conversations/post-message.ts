import { parseInput } from '../../platform/errors.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { AppError } from '../../platform/errors.ts';
import { appendMessage } from './append-message.ts';
import { replyChannel } from './reply-channel.ts';
import { PostMessageInput } from './conversations.schemas.ts';
import { loadConversation, messageView, type MessageRow } from './views.ts';
import type { z } from '@hono/zod-openapi';

/** Who authored a message posted by this actor in this direction. */
export function authorOf(ctx: Ctx, direction: 'in' | 'out' | 'note', customerId: string) {
  if (direction === 'in') return { direction, authorType: 'customer' as const, authorId: customerId };
  const a = ctx.actor;
  if (a.type === 'agent') return { direction, authorType: 'agent' as const, authorId: a.id };
  return { direction, authorType: 'system' as const, authorId: `${a.type}:${a.id}` };
}

/** Outbound messages leave through the durable queue, enqueued in the same transaction. */
export async function enqueueDelivery(ctx: Ctx, message: MessageRow) {
  await enqueueJob(ctx, { queue: 'outbound.deliver', payload: { messageId: message.id, conversationId: message.conversationId, channel: message.channel } });
}

/**
 * Adds a message to a conversation: an agent's reply (queued for delivery where the customer last
 * wrote, or on the channel they prefer, unless the agent names one), an internal note, or, for integrations with messages:ingest,
 * a customer message recorded elsewhere.
 */
export async function postMessage({ ctx, conversationId, input }: { ctx: Ctx; conversationId: string; input: z.input<typeof PostMessageInput> }) {
  authorize(ctx, 'conversations:write');
  const data = parseInput(PostMessageInput, input);
  if (data.direction === 'in') authorize(ctx, 'messages:ingest');
  return withTransaction(ctx, async (tx) => {
    const conv = await loadConversation(tx, conversationId, true);
    if (conv.status === 'closed' && data.direction !== 'note') throw new AppError('conflict', 'Conversation is closed; open a new one');
    const route = data.channel ? { channel: data.channel, channelId: data.channel === conv.channel ? conv.channelId : null }
      : data.direction === 'out' ? await replyChannel(tx, conv) : { channel: conv.channel, channelId: conv.channelId };
    const { message, duplicate } = await appendMessage(tx, conv, {
      ...authorOf(tx, data.direction, conv.customerId), ...route,
      bodyText: data.bodyText, bodyHtml: data.bodyHtml, attachments: data.attachments, externalId: data.externalId,
    });
    if (!duplicate) {
      if (message.direction === 'out') await enqueueDelivery(tx, message);
      await audit(tx, { action: `message.${data.direction === 'note' ? 'noted' : data.direction === 'in' ? 'recorded' : 'replied'}`, entityType: 'message', entityId: message.id, after: { conversationId: conv.id, channel: message.channel } });
    }
    return messageView(message);
  });
}
