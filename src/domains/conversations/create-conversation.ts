import { parseInput } from '../../platform/errors.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { appendMessage, openConversation } from './append-message.ts';
import { prefetchConversationNumbers } from './conversation-numbers.ts';
import { CreateConversationInput } from './conversations.schemas.ts';
import { conversationView, messageView } from './views.ts';
import { authorOf, enqueueDelivery } from './post-message.ts';
import type { z } from '@hono/zod-openapi';

/** Starts a conversation with a first message: an agent reaching out, or an integration recording one. */
export async function createConversation({ ctx, input }: { ctx: Ctx; input: z.input<typeof CreateConversationInput> }) {
  authorize(ctx, 'conversations:write');
  const data = parseInput(CreateConversationInput, input);
  if (data.message.direction === 'in') authorize(ctx, 'messages:ingest');
  await prefetchConversationNumbers(ctx);
  return withTransaction(ctx, async (tx) => {
    const customer = await loadCustomer(tx, data.customerId);
    const at = new Date();
    const conv = await openConversation(tx, { customerId: customer.id, channel: data.channel, subject: data.subject, at, priority: data.priority, teamId: data.teamId, tags: data.tags });
    const { message, conversation } = await appendMessage(tx, conv, {
      ...authorOf(tx, data.message.direction, customer.id), channel: data.channel, bodyText: data.message.bodyText,
      bodyHtml: data.message.bodyHtml, attachments: data.message.attachments, externalId: data.message.externalId, createdAt: at,
    });
    if (message.direction === 'out') await enqueueDelivery(tx, message);
    await audit(tx, { action: 'conversation.created', entityType: 'conversation', entityId: conv.id, after: conversationView(conversation) });
    return { ...conversationView(conversation), messages: [messageView(message)] };
  });
}
