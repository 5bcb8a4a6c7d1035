import { eq, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { sessions, apiKeys, idempotencyKeys, workspaces } from '../../db/schema/index.ts';

const secretTables = new Set<unknown>([sessions, apiKeys, idempotencyKeys]);

/**
 * Every row the workspace owns, table by table, as JSON lines ({ table, row }). Secrets
 * (sessions, API key hashes) stay behind. Rows are read in pages so memory stays flat.
 */
export async function* exportWorkspace({ ctx, pageSize = 5000 }: { ctx: Ctx; pageSize?: number }): AsyncGenerator<string> {
  authorize(ctx, 'workspace:admin');
  const [ws] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  yield JSON.stringify({ table: 'workspaces', row: ws });
  for (const value of Object.values(schema)) {
    if (!isTable(value) || value === workspaces || secretTables.has(value)) continue;
    const table = value as PgTable & { workspaceId: any };
    if (!table.workspaceId) continue;
    for (let offset = 0; ; offset += pageSize) {
      const rows = await ctx.db.select().from(table).where(eq(table.workspaceId, ctx.workspaceId)).limit(pageSize).offset(offset);
      for (const row of rows) yield JSON.stringify({ table: getTableName(table), row });
      if (rows.length < pageSize) break;
    }
  }
}

const isTable = (v: unknown): v is PgTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in (v as object);
