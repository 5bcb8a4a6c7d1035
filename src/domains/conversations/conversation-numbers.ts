import { and, eq, sql } from 'drizzle-orm';
import { counters } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';

const BLOCK = 50;
const blocks = new Map<string, { next: number; end: number }>();

async function bump(ctx: Ctx, by: number): Promise<number> {
  const [row] = await ctx.db.update(counters).set({ value: sql`${counters.value} + ${by}` })
    .where(and(eq(counters.workspaceId, ctx.workspaceId), eq(counters.name, 'conversation'))).returning({ value: counters.value });
  return row.value;
}

/**
 * Reserves a block of conversation numbers in its own short statement, outside any transaction,
 * so that concurrent ingests do not queue on the counter row. Numbers are unique, not gapless.
 */
export async function prefetchConversationNumbers(ctx: Ctx): Promise<void> {
  const b = blocks.get(ctx.workspaceId);
  if (ctx.tx || (b && b.next <= b.end)) return;
  const end = await bump({ ...ctx, db: ctx.app.db }, BLOCK);
  blocks.set(ctx.workspaceId, { next: end - BLOCK + 1, end });
}

/** The next conversation number: from the reserved block, or from the counter in this transaction. */
export async function takeConversationNumber(ctx: Ctx): Promise<number> {
  const b = blocks.get(ctx.workspaceId);
  if (b && b.next <= b.end) return b.next++;
  return bump(ctx, 1);
}

/** Forget reserved blocks (tests that reopen a database). */
export const resetConversationNumbers = () => blocks.clear();
