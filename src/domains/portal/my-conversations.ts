import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { notFound, parseInput } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { appendMessage, openConversation } from '../conversations/append-message.ts';
import { SupportRequestInput } from './portal.schemas.ts';
import { asSystem, recordSelf, selfOf } from './self.ts';

type ConvRow = typeof conversations.$inferSelect;
type MsgRow = typeof messages.$inferSelect;

/** A conversation as its customer sees it: no assignee, no internal labels, and whose turn it is. */
const myConversation = (c: ConvRow, last: MsgRow | undefined) => ({
  id: c.id, number: c.number, subject: c.subject, status: c.status, channel: c.channel, createdAt: c.createdAt.toISOString(),
  lastMessageAt: c.lastMessageAt.toISOString(), messageCount: c.messageCount,
  waitingOn: (c.status === 'resolved' || c.status === 'closed' ? 'nobody' : !last || last.direction === 'in' ? 'us' : 'you') as 'us' | 'you' | 'nobody',
});
/** Internal notes are never shown to the customer. */
const myMessage = (m: MsgRow) => ({ id: m.id, direction: m.direction as 'in' | 'out', from: (m.direction === 'in' ? 'you' : 'us') as 'you' | 'us', channel: m.channel, bodyText: m.bodyText, createdAt: m.createdAt.toISOString() });

/** My conversations on every channel, newest first, with their status. */
export async function listMyConversations({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx, 'support:write');
  const sys = asSystem(ctx);
  const rows = await sys.db.select().from(conversations).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.customerId, customerId)))
    .orderBy(desc(conversations.lastMessageAt)).limit(100);
  const lasts = rows.length ? await sys.db.selectDistinctOn([messages.conversationId]).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), inArray(messages.conversationId, rows.map((r) => r.id)), inArray(messages.direction, ['in', 'out'])))
    .orderBy(messages.conversationId, desc(messages.createdAt)) : [];
  if (ctx.actor.type === 'assistant') await recordSelf(ctx, { customerId, kind: 'assistant.read', summary: 'read the list of conversations', data: { what: 'conversations' } });
  return { data: rows.map((c) => myConversation(c, lasts.find((m) => m.conversationId === c.id))) };
}

async function loadMine(ctx: Ctx, customerId: string, id: string, lock = false) {
  if (!isUuid(id)) throw notFound('Conversation');
  const q = ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, id), eq(conversations.customerId, customerId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('Conversation');
  return row;
}

/** One of my conversations with its messages (not its internal notes). */
export async function getMyConversation({ ctx, id }: { ctx: Ctx; id: string }) {
  const customerId = selfOf(ctx, 'support:write');
  const sys = asSystem(ctx);
  const c = await loadMine(sys, customerId, id);
  const ms = await sys.db.select().from(messages).where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.conversationId, c.id), inArray(messages.direction, ['in', 'out'])))
    .orderBy(asc(messages.createdAt), asc(messages.id)).limit(500);
  if (ctx.actor.type === 'assistant') await recordSelf(ctx, { customerId, kind: 'assistant.read', conversationId: c.id, summary: `read conversation #${c.number}`, data: { what: 'conversation' } });
  return { ...myConversation(c, ms[ms.length - 1]), messages: ms.map(myMessage) };
}

/**
 * Writes to support from the portal: continues one of my conversations (the same one the agent
 * sees, reopened if it was resolved) or opens a new one. The message enters like any inbound
 * one, on the portal channel, so it is labelled, routed and on the timeline.
 */
export async function sendSupportMessage({ ctx, input, tags = [] }: { ctx: Ctx; input: unknown; tags?: string[] }) {
  const customerId = selfOf(ctx, 'support:write');
  const data = parseInput(SupportRequestInput, input);
  return withTransaction(ctx, async (tx) => {
    const sys = asSystem(tx);
    const at = new Date();
    let conv = data.conversationId ? await loadMine(sys, customerId, data.conversationId, true)
      : await openConversation(tx, { customerId, channel: 'portal', subject: data.subject ?? data.message.slice(0, 80), at, tags: [...tags, ...(ctx.actor.type === 'assistant' ? ['assistant'] : [])] });
    const { message, conversation } = await appendMessage(tx, conv, {
      direction: 'in', authorType: 'customer', authorId: customerId, channel: 'portal', bodyText: data.message, createdAt: at,
    });
    conv = conversation;
    await recordSelf(tx, { customerId, kind: data.conversationId ? 'portal.message' : 'support.requested', conversationId: conv.id, refId: message.id,
      summary: data.conversationId ? `wrote in conversation #${conv.number}` : `opened conversation #${conv.number}: ${conv.subject ?? ''}`, data: { conversationId: conv.id } });
    return { conversation: myConversation(conv, message), message: myMessage(message) };
  });
}
