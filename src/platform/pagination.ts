import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from './errors.ts';
import { isUuid } from './ids.ts';
import { instantInRange } from './instant.ts';

/** Opaque keyset cursors: the sort key and the id of the last row of the page. */
export type Cursor = { k: string | number; id: string };

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(s: string | undefined): Cursor | undefined {
  if (!s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    // Only what this API could have returned: a uuid, and a time in range or a finite number (a client can forge the rest).
    const key = typeof c?.k === 'string' ? instantInRange(Date.parse(c.k)) : typeof c?.k === 'number' && Number.isFinite(c.k);
    if (typeof c?.id === 'string' && isUuid(c.id) && key) return c;
  } catch { /* fall through */ }
  throw new AppError('validation_failed', 'cursor: not a cursor this API returned', { fields: [{ path: 'cursor', message: 'invalid cursor' }] });
}

export type Page<T> = { data: T[]; nextCursor: string | null };

/** Given limit+1 rows, the page and the cursor of its last row. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => Cursor): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, nextCursor: more ? encodeCursor(key(data[data.length - 1])) : null };
}

export const toIso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/**
 * Newest-first keyset paging on (time, id), written so that one index range scan serves it: the
 * ORDER BY says NULLS LAST like the `… DESC NULLS LAST` indexes (a bare DESC means NULLS FIRST,
 * which such an index cannot deliver, and PostgreSQL sorts every matching row instead), and the
 * cursor is a row comparison the index can seek to (an OR of two predicates cannot).
 */
export const newestFirst = (time: AnyColumn, id: AnyColumn): SQL[] => [sql`${time} desc nulls last`, sql`${id} desc nulls last`];
export const olderThan = (time: AnyColumn, id: AnyColumn, cursor: Cursor): SQL => sql`(${time}, ${id}) < (${String(cursor.k)}::timestamptz, ${cursor.id}::uuid)`;
