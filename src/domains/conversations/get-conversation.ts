import { and, eq, gt, or, asc } from 'drizzle-orm';
import { messages } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { decodeCursor, toPage, toIso } from '../../platform/pagination.ts';
import { conversationView, loadConversation, messageView } from './views.ts';

/** One conversation (404 for another workspace's id). */
export async function getConversation({ ctx, id }: { ctx: Ctx; id: string }) {
  authorize(ctx, 'conversations:read');
  return conversationView(await loadConversation(ctx, id));
}

/** A conversation's messages oldest first, keyset-paginated on (createdAt, id). */
export async function listMessages({ ctx, conversationId, input }: { ctx: Ctx; conversationId: string; input: { limit?: number; cursor?: string } }) {
  authorize(ctx, 'conversations:read');
  const conv = await loadConversation(ctx, conversationId);
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const cursor = decodeCursor(input.cursor);
  const m = messages;
  const conds = [eq(m.workspaceId, ctx.workspaceId), eq(m.conversationId, conv.id)];
  if (cursor) {
    const at = new Date(cursor.k);
    conds.push(or(gt(m.createdAt, at), and(eq(m.createdAt, at), gt(m.id, cursor.id)))!);
  }
  const rows = await ctx.db.select().from(m).where(and(...conds)).orderBy(asc(m.createdAt), asc(m.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: toIso(r.createdAt), id: r.id }));
  return { conversation: conversationView(conv), data: page.data.map(messageView), nextCursor: page.nextCursor };
}
