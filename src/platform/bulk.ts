import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from './ctx.ts';

/** The rows of `db.execute` (node-postgres answers `{ rows }`, PGlite's driver the array itself). */
export const rowsOf = <T>(res: unknown): T[] => ((res as { rows?: T[] }).rows ?? (res as T[]));

export type ColumnType = 'uuid' | 'text' | 'int' | 'bigint' | 'timestamptz' | 'jsonb' | 'bool' | 'date';

/** `onConflict`: what follows ON CONFLICT (an upsert); `table` may then carry an alias ("conversations as c"). */
type BulkOptions = { onConflictDoNothing?: boolean; onConflict?: SQL; returning?: string };

/**
 * Inserts many rows with one statement and one parameter per column (unnest of typed arrays),
 * so the statement text and its planning cost stay the same whatever the row count. The hot
 * ingest path uses it; everywhere else the Drizzle builder is the way to write.
 */
export async function bulkInsert<R = Record<string, unknown>>(
  ctx: Ctx, table: string, columns: readonly (readonly [string, ColumnType])[], rows: readonly unknown[][],
  opts: BulkOptions = {},
): Promise<R[]> {
  if (!rows.length) return [];
  const res = await ctx.db.execute(bulkInsertSql(table, columns, rows, opts));
  return rowsOf<R>(res);
}

/** The statement bulkInsert runs, for a caller that sends it later (deferWrite). */
export function bulkInsertSql(
  table: string, columns: readonly (readonly [string, ColumnType])[], rows: readonly unknown[][],
  opts: BulkOptions = {},
): SQL {
  const arrays = columns.map(([, type], c) => arrayLiteral(rows.map((r) => encode(r[c], type)), bare.has(type)));
  const names = columns.map(([n]) => `"${n}"`).join(', ');
  const params = sql.join(columns.map(([, type], c) => sql`${arrays[c]}::${sql.raw(type === 'jsonb' ? 'text' : type)}[]`), sql`, `);
  const select = sql.join(columns.map(([n, type]) => sql.raw(type === 'jsonb' ? `"${n}"::jsonb` : `"${n}"`)), sql`, `);
  const q: SQL = sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${select} from unnest(${params}) as t(${sql.raw(names)})`;
  if (opts.onConflictDoNothing) q.append(sql` on conflict do nothing`);
  else if (opts.onConflict) q.append(sql` on conflict `).append(opts.onConflict);
  if (opts.returning) q.append(sql.raw(` returning ${opts.returning}`));
  return q;
}

function encode(v: unknown, type: ColumnType): string | null {
  if (v === null || v === undefined) return null;
  if (type === 'timestamptz' && v instanceof Date) return v.toISOString();
  if (type === 'jsonb') return JSON.stringify(v);
  return String(v);
}

/** A PostgreSQL array literal, sent as one text parameter: the same bytes on both drivers. */
export const textArray = (values: (string | null)[]) => arrayLiteral(values, false);

/** Types whose text never holds a quote, backslash, brace, comma or space: written unquoted. */
const bare = new Set<ColumnType>(['uuid', 'int', 'bigint', 'timestamptz', 'bool', 'date']);
const special = /["\\]/;

function arrayLiteral(values: (string | null)[], unquoted: boolean): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (v === null) out += 'NULL';
    else if (unquoted && v !== '') out += v;
    else out += '"' + (special.test(v) ? v.replace(/["\\]/g, '\\$&') : v) + '"';
  }
  return out + '}';
}
