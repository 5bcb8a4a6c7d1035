import { describe, it, expect, inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPlatform } from '../src/platform/platform.ts';
import { createLogger } from '../src/platform/logger.ts';
import { systemCtx } from '../src/platform/ctx.ts';
import { openDatabase } from '../src/platform/db.ts';
import { buildPgliteTemplate, pgliteTemplate } from '../src/platform/pglite-template.ts';
import { createWorkspace, findWorkspaceBySlug } from '../src/domains/workspaces/index.ts';
import { receiveMessage, listConversations, resetConversationNumbers } from '../src/domains/conversations/index.ts';

const log = createLogger('silent');

/** Where this run's database lives: a PGlite data dir, or an empty PostgreSQL database. */
async function emptyDatabase(): Promise<{ open: { url?: string; dataDir?: string }; cleanup(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${inject('pgPrefix')}empty_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const u = new URL(url); u.pathname = `/${name}`;
    return { open: { url: u.toString() }, cleanup: async () => { await admin.query(`drop database if exists ${name} with (force)`); await admin.end(); } };
  }
  const dir = mkdtempSync(join(tmpdir(), 'candor-persist-'));
  return { open: { dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

describe('migrations and restart', () => {
  it('migrates an empty database, reports ready, and is a no-op the second time', async () => {
    const { open, cleanup } = await emptyDatabase();
    try {
      const db = await openDatabase(open);
      expect(await db.migrationsApplied()).toBe(false);
      await db.migrate();
      expect(await db.migrationsApplied()).toBe(true);
      const tables = await db.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      expect(tables[0].n).toBeGreaterThanOrEqual(15);
      await db.migrate();
      // every table is keyed by tenant first, so it can be distributed by workspace
      const pks = await db.query<{ table_name: string; column_name: string }>(`
        select tc.table_name, kcu.column_name from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.ordinal_position = 1
        where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = 'public'`);
      for (const pk of pks) if (pk.table_name !== 'workspaces') expect(pk.column_name, pk.table_name).toBe('workspace_id');
      await db.close();
    } finally {
      await cleanup();
    }
  });

  it('keeps data across a restart', async () => {
    const { open, cleanup } = await emptyDatabase();
    try {
      resetConversationNumbers();
      let app = await createPlatform({ open, log });
      const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug: 'restart-test', name: 'Restart' } });
      const r = await receiveMessage({ ctx: systemCtx(app, ws.id), input: { channel: 'email', from: { kind: 'email', value: 'keep@example.com' }, bodyText: 'remember me' } });
      await app.close();
      resetConversationNumbers();
      app = await createPlatform({ open, log });
      expect((await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug: 'restart-test' }))?.id).toBe(ws.id);
      const list = await listConversations({ ctx: systemCtx(app, ws.id), input: {} });
      expect(list.data.map((c) => c.id)).toEqual([r.conversation!.id]);
      // numbering continues after the restart instead of repeating
      const next = await receiveMessage({ ctx: systemCtx(app, ws.id), input: { channel: 'email', from: { kind: 'email', value: 'other@example.com' }, bodyText: 'new' } });
      expect(next.conversation!.number).toBeGreaterThan(r.conversation!.number);
      await app.close();
    } finally {
      await cleanup();
    }
  });

  it('creates a first PGlite data dir from the migrated template, with exactly the schema the migrations make', async () => {
    if (!pgliteTemplate()) await buildPgliteTemplate(); // npm install builds it; --ignore-scripts does not
    const schemaOf = (db: Awaited<ReturnType<typeof openDatabase>>) => db.query<Record<string, string>>(`
      select table_name, column_name, data_type, is_nullable, coalesce(column_default, '') as d from information_schema.columns
      where table_schema in ('public', 'drizzle') order by table_name, column_name`);
    const indexesOf = (db: Awaited<ReturnType<typeof openDatabase>>) => db.query<Record<string, string>>(`select indexdef from pg_indexes where schemaname = 'public' order by indexdef`);
    const dir = mkdtempSync(join(tmpdir(), 'candor-template-'));
    try {
      const fromTemplate = await openDatabase({ dataDir: join(dir, 'a'), fromTemplate: true });
      expect(await fromTemplate.migrationsApplied()).toBe(true); // no initdb, no migration ran
      const migrated = await openDatabase({ dataDir: join(dir, 'b') });
      await migrated.migrate();
      expect(await schemaOf(fromTemplate)).toEqual(await schemaOf(migrated));
      expect(await indexesOf(fromTemplate)).toEqual(await indexesOf(migrated));
      await fromTemplate.close();
      await migrated.close();
      // and it is a real data dir: it reopens with its data
      const again = await openDatabase({ dataDir: join(dir, 'a'), fromTemplate: true });
      expect(await again.migrationsApplied()).toBe(true);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
