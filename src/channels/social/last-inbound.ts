import { and, desc, eq } from 'drizzle-orm';
import { messages } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';

/**
 * The external id of the customer's latest message on a channel kind in a conversation: what a reply
 * answers. A read-only, workspace-scoped lookup; it belongs in the conversations domain as a verb
 * once a second adapter needs it.
 */
export async function lastInboundExternalId(ctx: Ctx, conversationId: string, channel: 'social'): Promise<string | null> {
  const [row] = await ctx.db.select({ externalId: messages.externalId }).from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.conversationId, conversationId), eq(messages.channel, channel), eq(messages.direction, 'in')))
    .orderBy(desc(messages.createdAt), desc(messages.id)).limit(1);
  return row?.externalId ?? null;
}
