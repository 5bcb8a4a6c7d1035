import { parseInput } from '../../platform/errors.ts';
import { and, eq, isNull, arrayContains, type SQL } from 'drizzle-orm';
import { conversations } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { decodeCursor, newestFirst, olderThan, toPage, toIso } from '../../platform/pagination.ts';
import { ListConversationsInput } from './conversations.schemas.ts';
import { conversationView } from './views.ts';
import type { z } from '@hono/zod-openapi';

/** The inbox: conversations by latest activity, filtered, keyset-paginated on (lastMessageAt, id). */
export async function listConversations({ ctx, input }: { ctx: Ctx; input: z.input<typeof ListConversationsInput> }) {
  authorize(ctx, 'conversations:read');
  const f = parseInput(ListConversationsInput, input);
  const limit = f.limit ?? 25;
  const c = conversations;
  const conds: SQL[] = [eq(c.workspaceId, ctx.workspaceId)];
  if (f.status) conds.push(eq(c.status, f.status));
  if (f.assigneeId) conds.push(eq(c.assigneeId, f.assigneeId));
  if (f.unassigned) conds.push(isNull(c.assigneeId));
  if (f.teamId) conds.push(eq(c.teamId, f.teamId));
  if (f.channel) conds.push(eq(c.channel, f.channel));
  if (f.priority) conds.push(eq(c.priority, f.priority));
  if (f.tag) conds.push(arrayContains(c.tags, [f.tag]));
  if (f.serviceAreaId) conds.push(eq(c.serviceAreaId, f.serviceAreaId));
  if (f.customerId) conds.push(eq(c.customerId, f.customerId));
  const cursor = decodeCursor(f.cursor);
  if (cursor) conds.push(olderThan(c.lastMessageAt, c.id, cursor));
  const rows = await ctx.db.select().from(c).where(and(...conds)).orderBy(...newestFirst(c.lastMessageAt, c.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: toIso(r.lastMessageAt), id: r.id }));
  return { data: page.data.map(conversationView), nextCursor: page.nextCursor };
}
