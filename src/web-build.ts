import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import type { Logger } from './platform/logger.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the web app when it was never built (npm install normally builds it in postinstall). */
export async function ensureWebBuilt(log: Logger): Promise<void> {
  if (existsSync(`${root}/dist/web/index.html`) || process.env.CANDOR_SKIP_WEB_BUILD === '1') return;
  log.info('building the web app (first start)');
  await new Promise<void>((resolve) => {
    const child = spawn(process.execPath, [`${root}/scripts/build-web.mjs`], { stdio: 'inherit', cwd: root });
    child.on('exit', (code) => { if (code) log.error({ code }, 'web build failed; the API still runs'); resolve(); });
  });
}
