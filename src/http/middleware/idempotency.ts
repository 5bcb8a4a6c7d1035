import type { MiddlewareHandler } from 'hono';
import { claimIdempotencyKey, requestHash, settleIdempotencyKey } from '../../platform/idempotency.ts';
import { invalid } from '../../platform/errors.ts';
import type { Env } from '../context.ts';

/**
 * Honours `Idempotency-Key` on POST: the first request runs and its response is stored;
 * a repeat with the same key and body gets the stored response and creates nothing.
 */
export function idempotency(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();
    if (key.length > 255) throw invalid('Idempotency-Key', 'at most 255 characters');
    const ctx = c.get('ctx');
    const principal = c.get('principal');
    const raw = await c.req.text(); // Hono's body cache: the route reads the same text again
    const { replay } = await claimIdempotencyKey(ctx, principal, key, requestHash(c.req.method, c.req.path, raw));
    if (replay) {
      c.header('Idempotent-Replayed', 'true');
      return c.json(replay.body as any, replay.status as any);
    }
    let settled = false;
    try {
      await next();
      if (c.res.status < 500 && c.res.status !== 429) {
        const stored = await c.res.clone().json().catch(() => null);
        await settleIdempotencyKey(ctx, principal, key, { status: c.res.status, body: stored });
        settled = true;
      }
    } finally {
      if (!settled) await settleIdempotencyKey(ctx, principal, key, null);
    }
  };
}
