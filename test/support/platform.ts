import { inject, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPlatform, type Platform } from '../../src/platform/platform.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { resetConversationNumbers } from '../../src/domains/conversations/index.ts';

declare module 'vitest' {
  export interface ProvidedContext { pgliteDump: string; pgTemplate: string; pgPrefix: string }
}

let shared: Promise<Platform> | undefined;

/** One migrated database per test file (PGlite clone, or a PostgreSQL database from the template). */
export function testPlatform(): Promise<Platform> {
  shared ??= openTestPlatform();
  return shared;
}

// Registered when a test file imports this module (hooks added inside beforeAll never run).
afterAll(async () => {
  if (!shared) return;
  const p = await shared;
  shared = undefined;
  await p.close();
});

/** A fresh database for tests that must own theirs (restart, migrations). Returns its URL on PostgreSQL. */
export async function freshPostgresDatabase(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const name = `${inject('pgPrefix')}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const u = new URL(url); u.pathname = `/${name}`;
  return u.toString();
}

async function openTestPlatform(): Promise<Platform> {
  resetConversationNumbers();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const url = await freshPostgresDatabase();
  if (url) return createPlatform({ open: { url, poolSize: 8 }, log, migrate: false });
  const dump = readFileSync(inject('pgliteDump'));
  return createPlatform({ open: { loadDataDir: new Blob([dump]) }, log, migrate: false });
}
