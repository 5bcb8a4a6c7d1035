import { and, eq, lte, sql } from 'drizzle-orm';
import { conversations } from '../../db/schema/index.ts';
import { systemCtx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { updateConversation } from './update-conversation.ts';

/**
 * Reopens snoozed conversations whose time has come, in every workspace, through the same verb an
 * agent would use (so the timeline, audit log and events say what happened). Returns how many woke.
 */
export async function wakeSnoozedConversations({ app, now = new Date(), limit = 500 }: { app: Platform; now?: Date; limit?: number }): Promise<number> {
  const due = await app.db.select({ workspaceId: conversations.workspaceId, id: conversations.id }).from(conversations)
    .where(and(eq(conversations.status, 'snoozed'), lte(conversations.snoozedUntil, now))).orderBy(sql`snoozed_until`).limit(limit);
  let woke = 0;
  for (const c of due) {
    const ctx = systemCtx(app, c.workspaceId, 'snooze-timer');
    const current = await updateConversation({ ctx, id: c.id, input: { status: 'open' } }).catch(() => null);
    if (current?.status === 'open') woke++;
  }
  return woke;
}
