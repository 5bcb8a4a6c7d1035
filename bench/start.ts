import { existsSync } from 'node:fs';
import { fig, na, progress, type Figure } from './report.ts';
import { scratchDatabase, type Scratch } from './database.ts';
import { freePort, root, rssMB, spawnCandor, waitReady } from './proc.ts';

export const demoSeederPresent = () => existsSync(`${root}/src/demo/seed-demo.ts`);

/** What a spawned server needs to find its database: a data dir (PGlite) or DATABASE_URL. */
export const serverEnv = (s: Scratch): Record<string, string> => (s.url ? { DATABASE_URL: s.url } : { CANDOR_DATA_DIR: s.dataDir! });

/** Spawn `node bin/candor.mjs start` on an empty database and time spawn → GET /readyz 200. */
async function firstStart(s: Scratch, demo: boolean): Promise<{ ms: number; rss: number }> {
  const t0 = performance.now();
  const p = spawnCandor(await freePort(), { ...serverEnv(s), ...(demo ? {} : { CANDOR_NO_DEMO: '1' }) });
  try {
    await waitReady(p);
    const ms = performance.now() - t0;
    return { ms, rss: rssMB(p.child.pid!) };
  } finally {
    await p.stop();
  }
}

/**
 * First start from an empty database: `node bin/candor.mjs start` (what `npm start` runs), from
 * spawn to /readyz answering 200. `start` seeds the demo before it listens, so a 200 means the
 * demo tenant is in. The web build is skipped (CANDOR_SKIP_WEB_BUILD=1): npm install builds it.
 * Returns the database of the demo start (or the no-demo one when the seeder is missing) for the
 * memory figure, which reuses it; the caller drops it.
 */
export async function measureStart(serverUrl: string | undefined): Promise<{ figures: Figure[]; scratch: Scratch; demo: boolean }> {
  const kind = serverUrl ? 'fresh PostgreSQL database' : 'empty PGlite data dir';
  const figures: Figure[] = [];
  const bare = await scratchDatabase(serverUrl, 'start');
  progress(`start: node bin/candor.mjs start on an ${kind}, CANDOR_NO_DEMO=1`);
  const b = await firstStart(bare, false).catch(async (err) => { await bare.drop(); throw err; });
  figures.push(fig('start.empty.no-demo', b.ms, 'ms', `spawn → /readyz 200, ${kind}, CANDOR_NO_DEMO=1 (migrations, no demo); RSS then ${b.rss.toFixed(0)} MB`));
  if (!demoSeederPresent()) {
    figures.push(na('start.empty.demo', 'ms', 'src/demo/seed-demo.ts is not there yet (the demo seeder); run again once it is'));
    return { figures, scratch: bare, demo: false };
  }
  const full = await scratchDatabase(serverUrl, 'start');
  progress(`start: node bin/candor.mjs start on an ${kind}, demo seeded on first start`);
  let d: { ms: number; rss: number };
  try {
    d = await firstStart(full, true);
  } catch (err) {
    // The seeder is there but failed: keep the no-demo figures, and let memory run on the no-demo database.
    await full.drop();
    figures.push(na('start.empty.demo', 'ms', `first start with the demo failed: ${String((err as Error).message).replace(/\s+/g, ' ').slice(0, 240)}`));
    return { figures, scratch: bare, demo: false };
  }
  await bare.drop();
  figures.push(fig('start.empty.demo', d.ms, 'ms', `spawn → /readyz 200, ${kind}, migrations + demo tenant seeded (what a first \`npm start\` does)`));
  figures.push(fig('memory.rss.first-start', d.rss, 'MB', 'VmRSS of that server at /readyz 200, right after the first start'));
  return { figures, scratch: full, demo: true };
}
