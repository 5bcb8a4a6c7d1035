import { and, eq, sql } from 'drizzle-orm';
import { counters } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';

const BLOCK = 200;
const blocks = new Map<string, { next: number; end: number }>();
const inFlight = new Map<string, Promise<void>>();

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
  // One reservation in flight per workspace, however many callers found the block empty.
  let p = inFlight.get(ctx.workspaceId);
  if (!p) {
    p = bump({ ...ctx, db: ctx.app.db }, BLOCK).then((end) => { blocks.set(ctx.workspaceId, { next: end - BLOCK + 1, end }); })
      .finally(() => inFlight.delete(ctx.workspaceId));
    inFlight.set(ctx.workspaceId, p);
  }
  await p;
}

/** The next n conversation numbers: from the reserved block, the rest from the counter in this transaction. */
export async function takeConversationNumbers(ctx: Ctx, n: number): Promise<number[]> {
  const out: number[] = [];
  const b = blocks.get(ctx.workspaceId);
  while (b && b.next <= b.end && out.length < n) out.push(b.next++);
  if (out.length < n) {
    const end = await bump(ctx, n - out.length);
    for (let v = end - (n - out.length) + 1; v <= end; v++) out.push(v);
  }
  return out;
}

export const takeConversationNumber = async (ctx: Ctx) => (await takeConversationNumbers(ctx, 1))[0];

/** Forget reserved blocks (tests that reopen a database). */
export const resetConversationNumbers = () => blocks.clear();
