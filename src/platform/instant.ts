import { z } from '@hono/zod-openapi';

/** The instants Candor accepts: ids carry their time (UUIDv7, 48-bit milliseconds since 1970) and PostgreSQL has its own range. */
export const MIN_INSTANT = Date.UTC(1970, 0, 1);
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const instantInRange = (ms: number) => Number.isFinite(ms) && ms >= MIN_INSTANT && ms <= MAX_INSTANT;

/** A date-time input (ISO text or epoch milliseconds): out of 1970-01-01 … 9999-12-31 is a 400 naming the field, never a 500. */
export const instant = () => z.coerce.date().refine((d) => instantInRange(d.getTime()), { message: 'a date-time between 1970-01-01 and 9999-12-31' });
