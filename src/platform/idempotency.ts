import { and, eq, lt } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { idempotencyKeys } from '../db/schema/index.ts';
import type { Ctx } from './ctx.ts';
import { AppError } from './errors.ts';

const TTL_MS = 24 * 3600_000;
export const requestHash = (method: string, path: string, body: string) => createHash('sha256').update(`${method} ${path}\n${body}`).digest('base64url');

/**
 * Claims an Idempotency-Key for a principal. Returns the stored response when the same request
 * already completed; throws when the key is in flight or was used for a different request.
 */
export async function claimIdempotencyKey(ctx: Ctx, principal: string, key: string, hash: string): Promise<{ replay?: { status: number; body: unknown } }> {
  const where = and(eq(idempotencyKeys.workspaceId, ctx.workspaceId), eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key));
  const [inserted] = await ctx.db.insert(idempotencyKeys).values({ workspaceId: ctx.workspaceId, principal, key, requestHash: hash })
    .onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted) return {};
  const [row] = await ctx.db.select().from(idempotencyKeys).where(where);
  if (row.createdAt.getTime() < Date.now() - TTL_MS) {
    await ctx.db.update(idempotencyKeys).set({ requestHash: hash, status: null, body: null, createdAt: new Date() }).where(where);
    return {};
  }
  if (row.requestHash !== hash) throw new AppError('idempotency_mismatch', 'Idempotency-Key was already used with a different request');
  if (row.status == null) throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress');
  return { replay: { status: row.status, body: row.body } };
}

/** Stores the response of a claimed key; a failed request releases the key so it can be retried. */
export async function settleIdempotencyKey(ctx: Ctx, principal: string, key: string, result: { status: number; body: unknown } | null): Promise<void> {
  const where = and(eq(idempotencyKeys.workspaceId, ctx.workspaceId), eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key));
  if (result) await ctx.db.update(idempotencyKeys).set({ status: result.status, body: result.body }).where(where);
  else await ctx.db.delete(idempotencyKeys).where(where);
}

export async function pruneIdempotencyKeys(ctx: Ctx): Promise<void> {
  await ctx.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(Date.now() - TTL_MS)));
}
