import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Platform } from '../src/platform/platform.ts';
import { fig, progress, type Figure } from './report.ts';

/**
 * The ceiling: how many single-row, 200-byte INSERTs (autocommit, one round trip and one commit
 * each) this database takes into a plain table (id bigserial, payload text), from 1 and from 8
 * connections. On PostgreSQL pgbench measures it when it is on the PATH (node-postgres otherwise,
 * and always as a second row: what a Node client reaches); PGlite has one connection.
 */
export type Ceiling = { one: number; eight: number; figures: Figure[] };

const PAYLOAD = 'x'.repeat(200);
const TABLE = 'bench_ceiling';

function hasPgbench(): boolean {
  return spawnSync('pgbench', ['--version'], { encoding: 'utf8' }).status === 0;
}

function pgbench(url: string, clients: number, seconds: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'candor-pgbench-'));
  try {
    const script = join(dir, 'insert.sql');
    writeFileSync(script, `insert into ${TABLE} (payload) values ('${PAYLOAD}');\n`);
    const r = spawnSync('pgbench', ['-n', '-f', script, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), url], { encoding: 'utf8' });
    const m = /tps = ([\d.]+) \((without initial connection time|excluding connections establishing)\)/.exec(r.stdout);
    if (r.status !== 0 || !m) throw new Error(`pgbench failed: ${r.stderr || r.stdout}`);
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function nodePg(url: string, clients: number, seconds: number): Promise<number> {
  const conns = await Promise.all(Array.from({ length: clients }, async () => { const c = new pg.Client({ connectionString: url }); await c.connect(); return c; }));
  let n = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) { await c.query(`insert into ${TABLE} (payload) values ($1)`, [PAYLOAD]); n++; }
  }));
  const rate = n / ((performance.now() - t0) / 1000);
  await Promise.all(conns.map((c) => c.end()));
  return rate;
}

async function pglite(app: Platform, seconds: number): Promise<number> {
  const db = app.database.pglite!;
  let n = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) { await db.query(`insert into ${TABLE} (payload) values ($1)`, [PAYLOAD]); n++; }
  return n / ((performance.now() - t0) / 1000);
}

export async function measureCeiling(app: Platform, url: string | undefined, seconds: number): Promise<Ceiling> {
  await app.database.query(`create table if not exists ${TABLE} (id bigserial primary key, payload text)`);
  const what = `single-row ${PAYLOAD.length}-byte INSERT, autocommit, into (id bigserial, payload text), ${seconds} s`;
  if (!url) {
    progress(`ceiling: PGlite, 1 connection, ${seconds} s`);
    const one = await pglite(app, seconds);
    await app.database.query(`drop table ${TABLE}`);
    return {
      one, eight: one, figures: [
        fig('ceiling.insert.1conn', one, 'rows/s', `${what}, PGlite in-process query()`),
        fig('ceiling.insert.8conn', one, 'rows/s', 'PGlite has one connection: the 1-connection figure is the ceiling for both'),
      ],
    };
  }
  const tool = hasPgbench() ? 'pgbench' : 'node-pg';
  const run = (c: number) => (tool === 'pgbench' ? Promise.resolve(pgbench(url, c, seconds)) : nodePg(url, c, seconds));
  progress(`ceiling: ${tool}, 1 connection, ${seconds} s`);
  const one = await run(1);
  progress(`ceiling: ${tool}, 8 connections, ${seconds} s`);
  const eight = await run(8);
  const figures = [
    fig('ceiling.insert.1conn', one, 'rows/s', `${what}, ${tool} -c 1`),
    fig('ceiling.insert.8conn', eight, 'rows/s', `${what}, ${tool} -c 8 -j 2`),
  ];
  if (tool === 'pgbench') {
    progress(`ceiling: node-pg, 8 connections, ${seconds} s (client overhead, for reference)`);
    const node8 = await nodePg(url, 8, seconds);
    figures.push(fig('ceiling.insert.8conn.node-pg', node8, 'rows/s', 'the same from Node (pg, 8 clients, parameterised): what a Node process can push', node8 / eight));
  }
  await app.database.query(`drop table ${TABLE}`);
  return { one, eight, figures };
}
