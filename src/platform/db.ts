import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as schema from '../db/schema/index.ts';
import { extractPgliteTemplate, isFreshDataDir } from './pglite-template.ts';

export type Schema = typeof schema;
/** The root database or an open transaction: verbs take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Plain SQL with positional parameters, outside Drizzle: tools, bench, listen/notify. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  migrate(): Promise<void>;
  migrationsApplied(): Promise<boolean>;
  /**
   * Subscribe to a NOTIFY channel on a dedicated connection (PostgreSQL server only). The
   * connection reconnects by itself; `onReconnect` is called each time, since NOTIFYs sent while
   * it was down are lost.
   */
  listen?(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  pool?: pg.Pool;
  pglite?: PGlite;
  close(): Promise<void>;
}

// int8 → number, numeric → number: the same JS types on both drivers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

const expectedMigrations = (): number =>
  JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')).entries.length;

async function appliedCount(query: Database['query']): Promise<number> {
  try {
    const rows = await query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return Number(rows[0].n);
  } catch {
    return 0;
  }
}

export type OpenOptions = {
  url?: string; dataDir?: string; loadDataDir?: Blob | File; poolSize?: number;
  /** PGlite: create a new data dir from the migrated template when there is one (pglite-template.ts). */
  fromTemplate?: boolean;
};

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  // A new data dir starts from the migrated template when npm install built one (pglite-template.ts):
  // its files are written to disk first, then PGlite opens them as it opens any data dir.
  if (opts.fromTemplate && !opts.loadDataDir && opts.dataDir && isFreshDataDir(opts.dataDir)) extractPgliteTemplate(opts.dataDir);
  // PGlite's buffer pool lives in its WebAssembly heap, which grows and never shrinks; the data
  // files are in the OS page cache anyway. 16 MB instead of PostgreSQL's 128 MB: an idle server
  // holds ~125 MB less and grows ~40 MB less under load, at the same ingest rate (bench, memory.*).
  const sharedBuffers = process.env.CANDOR_PGLITE_SHARED_BUFFERS ?? '16MB';
  const client = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const query: Database['query'] = async (text, params) => (await client.query(text, params)).rows as any;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    query,
    migrate: async () => { await migratePglite(db as any, { migrationsFolder }); },
    migrationsApplied: async () => (await appliedCount(query)) >= expectedMigrations(),
    close: async () => { await client.close(); },
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // idle client errors surface on the next query instead
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const query: Database['query'] = async (text, params) => (await pool.query(text, params as any[])).rows;
  const listeners: { end(): Promise<void> }[] = [];
  return {
    kind: 'postgres',
    db,
    pool,
    query,
    migrate: async () => {
      // Several nodes may start at once: one migrates, the others wait for it.
      const lock = new pg.Client({ connectionString: url });
      await lock.connect();
      try {
        await lock.query("select pg_advisory_lock(hashtext('candor.migrate'))");
        await migratePg(db as any, { migrationsFolder });
      } finally {
        await lock.end();
      }
    },
    migrationsApplied: async () => (await appliedCount(query)) >= expectedMigrations(),
    listen: async (channel, onPayload, onReconnect) => {
      // A dedicated connection that comes back by itself: if the server drops it (restart,
      // failover, idle kill), it reconnects with backoff, LISTENs again and says so, because
      // whatever was NOTIFYed in between is gone and listeners must resynchronise.
      let closed = false;
      let current: pg.Client | null = null;
      let delay = 100;
      const open = async () => {
        const c = new pg.Client({ connectionString: url });
        c.on('notification', (n) => { if (n.channel === channel && n.payload) onPayload(n.payload); });
        c.on('error', () => {});
        c.on('end', () => { if (!closed && current === c) { current = null; retry(); } });
        await c.connect();
        await c.query(`listen ${pg.escapeIdentifier(channel)}`);
        if (closed) { await c.end().catch(() => {}); return; }
        current = c;
        delay = 100;
      };
      const retry = () => {
        setTimeout(() => {
          if (closed) return;
          open().then(() => { if (!closed) onReconnect?.(); }, () => { delay = Math.min(delay * 2, 5000); retry(); });
        }, delay).unref();
      };
      await open();
      const handle = { end: async () => { closed = true; await current?.end().catch(() => {}); } };
      listeners.push(handle);
      return handle.end;
    },
    close: async () => {
      await Promise.all(listeners.map((l) => l.end()));
      await pool.end();
    },
  };
}

export { sql };
