import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPlatform, type Platform } from '../src/platform/platform.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { DbKind } from './report.ts';

/** A database that exists only for this run: a PostgreSQL database on DATABASE_URL's server, or a PGlite temp dir. */
export type Scratch = { kind: DbKind; url?: string; dataDir?: string; label: string; drop(): Promise<void> };

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/** CREATE DATABASE candor_bench_<rand> on the server of DATABASE_URL (or a temp dir for PGlite); drop() removes it. */
export async function scratchDatabase(serverUrl: string | undefined, suffix = ''): Promise<Scratch> {
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), `candor-bench${suffix ? '-' + suffix : ''}-`));
    return { kind: 'pglite', dataDir, label: dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `candor_bench_${randomBytes(5).toString('hex')}${suffix ? '_' + suffix : ''}`;
  await admin(serverUrl, (c) => c.query(`create database ${name}`));
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    kind: 'postgres', url, label: `${u.host}/${name}`,
    drop: async () => { await admin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)); },
  };
}

/** The platform the in-process figures run on: pool of 10 on PostgreSQL, PGlite in <dir>/pgdata. Migrated. */
export async function openBenchPlatform(s: Scratch): Promise<Platform> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  return createPlatform({ open: s.url ? { url: s.url, poolSize: 10 } : { dataDir: join(s.dataDir!, 'pgdata') }, log });
}

/** PostgreSQL server version, or PGlite's, for the table header. */
export async function serverVersion(app: Platform): Promise<string> {
  const [r] = await app.database.query<{ v: string }>("select current_setting('server_version') as v");
  return `${app.database.kind === 'pglite' ? 'PGlite / PostgreSQL' : 'PostgreSQL'} ${r.v.split(' ')[0]}`;
}
