#!/usr/bin/env node
// Builds the web app (src/web) into dist/web with Vite's JS API.
//   node scripts/build-web.mjs             build now (the server runs this on first start)
//   node scripts/build-web.mjs --if-stale  build only when a file under src/web is newer than
//                                          dist/web/index.html (npm postinstall); never fails the install
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const webSrc = join(root, 'src', 'web');
const outIndex = join(root, 'dist', 'web', 'index.html');
const ifStale = process.argv.includes('--if-stale');

/** The newest modification time of any file under dir. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function fail(message, err) {
  console.error(`candor: ${message}${err ? `\n  ${err.message ?? err}` : ''}`);
  if (ifStale) {
    console.error('candor: skipping the web build for now; `npm run build:web` (or the first `candor start`) builds it.');
    process.exit(0);
  }
  process.exit(1);
}

if (!existsSync(join(webSrc, 'index.html'))) fail(`no web app source at ${webSrc}`);

if (ifStale && existsSync(outIndex) && statSync(outIndex).mtimeMs >= newestMtime(webSrc)) {
  console.log('candor: web app is up to date (dist/web)');
  process.exit(0);
}

let vite;
try {
  vite = await import('vite');
} catch (err) {
  fail('cannot load vite, so the web app was not built', err);
}

const started = performance.now();
try {
  await vite.build({ configFile: join(webSrc, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
} catch (err) {
  fail('the web build failed', err);
}
console.log(`candor: built the web app into dist/web in ${Math.round(performance.now() - started)} ms`);
