import { and, eq } from 'drizzle-orm';
import { conversations, customerIdentities, customers } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { appendMessage, openConversation } from '../conversations/append-message.ts';
import { noticeChannel } from '../status/notify-customers.ts';

/**
 * A confirmation on the customer's own channel (their preferred one if they can be reached there,
 * else email, else SMS): a resolved conversation holding one system message, delivered by the
 * outbound queue (in the demo, into the outbox). Their reply reopens it and reaches a person.
 * Inside the caller's transaction.
 */
export async function confirmToCustomer(tx: Ctx, customerId: string, subject: string, bodyText: string): Promise<{ channel: string | null; conversationId: string | null }> {
  const [c] = await tx.db.select().from(customers).where(and(eq(customers.workspaceId, tx.workspaceId), eq(customers.id, customerId)));
  const kinds = (await tx.db.select({ kind: customerIdentities.kind }).from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, tx.workspaceId), eq(customerIdentities.customerId, customerId)))).map((k) => k.kind);
  // A confirmation of the customer's own action is not a marketing or service notice: it goes whatever those settings say.
  const { channel } = noticeChannel({ consent: { ...c.consent, serviceNotices: true }, prefs: c.channelPrefs, kinds, email: c.email, phone: c.phone });
  if (!channel) return { channel: null, conversationId: null };
  const now = new Date();
  let conv = await openConversation(tx, { customerId, channel, subject, at: now, tags: ['portal', 'confirmation'] });
  [conv] = await tx.db.update(conversations).set({ status: 'resolved', resolvedAt: now })
    .where(and(eq(conversations.workspaceId, tx.workspaceId), eq(conversations.id, conv.id))).returning();
  const { message } = await appendMessage(tx, conv, { direction: 'out', authorType: 'system', authorId: 'portal', channel, bodyText, createdAt: now });
  await enqueueJob(tx, { queue: 'outbound.deliver', payload: { messageId: message.id, conversationId: conv.id, channel } });
  return { channel, conversationId: conv.id };
}
