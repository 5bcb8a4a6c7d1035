import type { MiddlewareHandler } from 'hono';
import { RateLimiter } from '../../platform/rate-limit.ts';
import { AppError } from '../../platform/errors.ts';
import type { Env } from '../context.ts';

/** Per API key / session limits; over them, 429 with Retry-After. */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<Env> {
  return async (c, next) => {
    const wait = limiter.take(c.get('principal'));
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw new AppError('rate_limited', `Too many requests; retry in ${wait}s`, { retryAfterSeconds: wait });
    }
    await next();
  };
}
