import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A new PGlite data directory normally starts with initdb, run in WebAssembly: ~6 s on a 2-core
 * machine, most of a first start. Instead, `npm install` (postinstall) builds once an empty
 * database with every migration applied and keeps its dump here; a new data dir is created from
 * that dump in ~1 s. The file name carries a hash of the migrations and of PGlite's version, so a
 * new migration or a PGlite upgrade never loads a stale template: it is simply not found, the data
 * dir is made the slow way, and the next `npm install` builds the new one.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const migrationsFolder = join(root, 'src', 'db', 'migrations');
const cacheDir = join(root, 'node_modules', '.cache', 'candor');

function fingerprint(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsFolder).filter((n) => n.endsWith('.sql')).sort()) h.update(f).update(readFileSync(join(migrationsFolder, f)));
  h.update(readFileSync(join(migrationsFolder, 'meta', '_journal.json')));
  h.update(JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version);
  return h.digest('hex').slice(0, 16);
}

export const templatePath = () => join(cacheDir, `pglite-migrated-${fingerprint()}.tar`);

/** The template for the current migrations, or null when it has not been built. */
export function pgliteTemplate(): Blob | null {
  try {
    const p = templatePath();
    return existsSync(p) ? new Blob([readFileSync(p)]) : null;
  } catch {
    return null;
  }
}

/** True when dir holds no PostgreSQL cluster yet (what a first start sees). */
export const isFreshDataDir = (dir: string) => !existsSync(join(dir, 'PG_VERSION'));

/** Builds the template (in memory, then one atomic write). Returns its path. */
export async function buildPgliteTemplate(): Promise<string> {
  const target = templatePath();
  const db = await PGlite.create();
  try {
    await migrate(drizzle(db), { migrationsFolder });
    const dump = await db.dumpDataDir('none');
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, target);
    return target;
  } finally {
    await db.close();
  }
}
