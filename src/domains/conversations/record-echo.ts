import { and, desc, eq, inArray } from 'drizzle-orm';
import { conversations, customerIdentities, messages, type ChannelKind, type IdentityKind } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { appendMessage, openConversation } from './append-message.ts';

/**
 * A message the business sent to a customer outside Candor (the page inbox, the phone's app),
 * reported back by the provider as an echo: stored as an outgoing message of the customer's
 * latest unresolved conversation on that channel (or a new one), already sent. An echo of what
 * Candor itself sent (same provider id) changes nothing; so does one to someone who never wrote.
 */
export async function recordEchoedMessage({ ctx, input }: { ctx: Ctx; input: {
  channel: ChannelKind; channelId?: string | null; externalId: string; to: { kind: IdentityKind; value: string }; bodyText: string; at: Date;
} }): Promise<{ status: 'stored' | 'ours' | 'unknown-recipient'; messageId?: string }> {
  authorize(ctx, 'messages:ingest');
  return withTransaction(ctx, async (tx) => {
    const ws = ctx.workspaceId;
    const [known] = await tx.db.select({ id: messages.id }).from(messages).where(and(eq(messages.workspaceId, ws), eq(messages.channel, input.channel), eq(messages.externalId, input.externalId)));
    if (known) return { status: 'ours' as const, messageId: known.id };
    const [who] = await tx.db.select({ customerId: customerIdentities.customerId }).from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, ws), eq(customerIdentities.kind, input.to.kind), eq(customerIdentities.value, input.to.value)));
    if (!who) return { status: 'unknown-recipient' as const };
    let [conv] = await tx.db.select().from(conversations).where(and(eq(conversations.workspaceId, ws), eq(conversations.customerId, who.customerId),
      eq(conversations.channel, input.channel), inArray(conversations.status, ['open', 'pending', 'snoozed']))).orderBy(desc(conversations.lastMessageAt)).limit(1);
    conv ??= await openConversation(tx, { customerId: who.customerId, channel: input.channel, at: input.at });
    const r = await appendMessage(tx, conv, { direction: 'out', authorType: 'agent', authorId: null, channel: input.channel, channelId: input.channelId ?? null,
      bodyText: input.bodyText.slice(0, 100_000), externalId: input.externalId, createdAt: input.at });
    if (r.duplicate) return { status: 'ours' as const, messageId: r.message.id };
    await tx.db.update(messages).set({ deliveryStatus: 'sent', meta: { sentOutside: true } }).where(and(eq(messages.workspaceId, ws), eq(messages.id, r.message.id)));
    return { status: 'stored' as const, messageId: r.message.id };
  });
}
