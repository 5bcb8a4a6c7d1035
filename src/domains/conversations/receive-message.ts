import { parseInput } from '../../platform/errors.ts';
import { and, eq, inArray, desc } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { resolveIdentity } from '../customers/identities.ts';
import { appendMessage, openConversation } from './append-message.ts';
import { prefetchConversationNumbers } from './conversation-numbers.ts';
import { InboundMessageInput } from './conversations.schemas.ts';
import { messageView, conversationView, type ConversationRow } from './views.ts';
import type { z } from '@hono/zod-openapi';

/** How long after resolution a reply on the same thread reopens it instead of starting anew. */
const REOPEN_WINDOW_MS = 7 * 86400_000;

/**
 * The one way an inbound message enters Candor, whatever the channel: resolve the sender to a
 * customer, find the conversation it belongs to (or open one), append the message, and commit
 * before anyone is told. A redelivery of the same (channel, externalId) changes nothing.
 */
export async function receiveMessage({ ctx, input }: { ctx: Ctx; input: z.input<typeof InboundMessageInput> }) {
  authorize(ctx, 'messages:ingest');
  const data = parseInput(InboundMessageInput, input);
  if (data.externalId) {
    const [dup] = await ctx.db.select().from(messages)
      .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.channel, data.channel), eq(messages.externalId, data.externalId)));
    if (dup) return { duplicate: true, message: messageView(dup), conversation: null, customerCreated: false };
  }
  await prefetchConversationNumbers(ctx);
  const at = data.receivedAt ?? new Date();
  return withTransaction(ctx, async (tx) => {
    const { customerId, created } = await resolveIdentity({ ctx: tx, input: data.from });
    const conv = await findThread(tx, customerId, data.conversationId, data.newConversation === true, at)
      ?? await openConversation(tx, { customerId, channel: data.channel, subject: data.subject ?? null, at });
    const result = await appendMessage(tx, conv, {
      direction: 'in', authorType: 'customer', authorId: customerId, channel: data.channel, bodyText: data.bodyText,
      bodyHtml: data.bodyHtml, attachments: data.attachments, externalId: data.externalId, createdAt: at,
    });
    if (!result.duplicate) {
      await audit(tx, { action: 'message.received', entityType: 'message', entityId: result.message.id, after: { conversationId: conv.id, channel: data.channel, externalId: data.externalId ?? null } });
    }
    return { duplicate: result.duplicate, message: messageView(result.message), conversation: conversationView(result.conversation), customerCreated: created };
  });
}

/**
 * The conversation a customer's new message joins: the thread the channel named (reopened if it
 * was resolved recently), else their latest unresolved conversation, else none (a new matter).
 */
async function findThread(ctx: Ctx, customerId: string, hint: string | undefined, forceNew: boolean, at: Date): Promise<ConversationRow | null> {
  if (hint) {
    const [c] = await ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, hint), eq(conversations.customerId, customerId)));
    if (c && c.status !== 'closed' && (c.status !== 'resolved' || at.getTime() - (c.resolvedAt?.getTime() ?? 0) < REOPEN_WINDOW_MS)) return c;
  }
  if (forceNew) return null;
  const [c] = await ctx.db.select().from(conversations)
    .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.customerId, customerId), inArray(conversations.status, ['open', 'pending', 'snoozed'])))
    .orderBy(desc(conversations.lastMessageAt)).limit(1);
  return c ?? null;
}
