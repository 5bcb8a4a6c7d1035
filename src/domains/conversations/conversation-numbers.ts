import { and, eq, sql } from 'drizzle-orm';
import { counters } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';

/**
 * Conversation numbers (#1042) come from one counter row per workspace. Taking them inside the
 * transaction that opens the conversation would hold that row's lock until commit and serialise
 * every concurrent ingest behind it, so each node reserves numbers ahead, in blocks, with one
 * short statement outside any transaction, and hands them out from memory. Numbers are unique
 * and, per node, increasing; they are not gapless (a restart forgets the rest of a block).
 */
const BLOCK = 200;
const pools = new Map<string, number[]>();
const inFlight = new Map<string, Promise<void>>();

const poolOf = (workspaceId: string) => {
  let p = pools.get(workspaceId);
  if (!p) pools.set(workspaceId, (p = []));
  return p;
};

async function bump(ctx: Ctx, by: number): Promise<number> {
  const [row] = await ctx.db.update(counters).set({ value: sql`${counters.value} + ${by}` })
    .where(and(eq(counters.workspaceId, ctx.workspaceId), eq(counters.name, 'conversation'))).returning({ value: counters.value });
  return row.value;
}
const range = (end: number, n: number) => Array.from({ length: n }, (_, i) => end - n + 1 + i);

/** Makes sure this node holds at least `atLeast` numbers for the workspace. Outside a transaction only. */
export async function prefetchConversationNumbers(ctx: Ctx, atLeast = 1): Promise<void> {
  if (ctx.tx) return;
  const ws = ctx.workspaceId;
  while (poolOf(ws).length < atLeast) {
    // One reservation in flight per workspace, however many callers found the pool short.
    let p = inFlight.get(ws);
    if (!p) {
      const size = Math.max(BLOCK, atLeast - poolOf(ws).length);
      p = bump({ ...ctx, db: ctx.app.db }, size).then((end) => { poolOf(ws).push(...range(end, size)); })
        .finally(() => inFlight.delete(ws));
      inFlight.set(ws, p);
    }
    await p;
  }
}

/** Numbers set aside for one batch, before its transaction; what it does not use goes back. */
export type NumberReservation = { take(tx: Ctx, n: number): Promise<number[]>; release(): void };

export async function reserveConversationNumbers(ctx: Ctx, n: number): Promise<NumberReservation> {
  await prefetchConversationNumbers(ctx, n);
  const mine = poolOf(ctx.workspaceId).splice(0, n);
  return {
    take: async (tx, k) => {
      const out = mine.splice(0, k);
      if (out.length < k) out.push(...range(await bump(tx, k - out.length), k - out.length));
      return out;
    },
    release: () => {
      if (!mine.length) return;
      const pool = poolOf(ctx.workspaceId);
      pool.push(...mine.splice(0));
      pool.sort((a, b) => a - b);
    },
  };
}

/** The next conversation number: from this node's pool, else from the counter in the caller's transaction. */
export async function takeConversationNumber(ctx: Ctx): Promise<number> {
  const pool = poolOf(ctx.workspaceId);
  return pool.length ? pool.shift()! : bump(ctx, 1);
}

/** Forget reserved numbers (tests that reopen a database). */
export const resetConversationNumbers = () => pools.clear();
