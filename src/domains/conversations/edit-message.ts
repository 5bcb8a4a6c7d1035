import { and, eq, sql } from 'drizzle-orm';
import { messages, type ChannelKind, type MessageMeta } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { emit } from '../../platform/events.ts';
import { messageView } from './views.ts';

/** A message keeps at most this many earlier texts. */
const HISTORY = 20;

/**
 * A customer edited a message on their side (Telegram `edited_message`, …): the stored message
 * (by its provider id) takes the new text and keeps the earlier one in `meta.history`; nothing new
 * is added. The same edit delivered again (same text) changes nothing. Null when no such message is stored.
 */
export async function editInboundMessage({ ctx, input }: { ctx: Ctx; input: { channel: ChannelKind; externalId: string; bodyText: string; editedAt: Date } }) {
  authorize(ctx, 'messages:ingest');
  return withTransaction(ctx, async (tx) => {
    const where = and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.channel, input.channel), eq(messages.externalId, input.externalId));
    const [m] = await tx.db.select().from(messages).where(where).for('update');
    if (!m) return null;
    if (m.direction !== 'in' || m.bodyText === input.bodyText) return { changed: false, message: messageView(m) };
    const meta: MessageMeta = { ...(m.meta ?? {}) };
    meta.history = [...(meta.history ?? []), { text: m.bodyText, until: input.editedAt.toISOString() }].slice(-HISTORY);
    meta.editedAt = input.editedAt.toISOString();
    // The labeller reads the new wording (labels null puts it back in its queue).
    const [after] = await tx.db.update(messages).set({ bodyText: input.bodyText.slice(0, 100_000), meta, labels: sql`null` }).where(where).returning();
    emit(tx, 'message.updated', { customerId: m.customerId, conversationId: m.conversationId, data: { messageId: m.id, edited: true } });
    return { changed: true, message: messageView(after) };
  });
}
