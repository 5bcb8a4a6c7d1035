import { existsSync } from 'node:fs';
import pg from 'pg';
import { openDatabase } from '../../src/platform/db.ts';
import { buildPgliteTemplate, templatePath } from '../../src/platform/pglite-template.ts';

/**
 * Migrates one database once per run; every test file then starts from a copy of it:
 * on PGlite the migrated data dir's dump (the same template a first start copies), on PostgreSQL
 * a template database.
 */
export default async function setup({ provide }: { provide: (k: string, v: string) => void }) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `candor_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const u = new URL(url); u.pathname = `/${template}`;
    const db = await openDatabase({ url: u.toString(), poolSize: 2 });
    await db.migrate();
    await db.close();
    provide('pgTemplate', template);
    // Databases of this run are named after it, so concurrent runs on one server leave each other alone.
    const prefix = `candor_t_${process.pid}_`;
    provide('pgPrefix', prefix);
    return async () => {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname like $1 and pid <> pg_backend_pid()`, [`${prefix}%`]).catch(() => {});
      const rows = await admin.query(`select datname from pg_database where datname like $1 or datname = $2`, [`${prefix}%`, template]);
      for (const r of rows.rows) await admin.query(`drop database if exists "${r.datname}"`).catch(() => {});
      await admin.end();
    };
  }
  // PGlite: the migrated template npm install built (src/platform/pglite-template.ts), or build it now.
  const template = templatePath();
  provide('pgliteDump', existsSync(template) ? template : await buildPgliteTemplate());
}
