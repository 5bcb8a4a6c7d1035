// npm postinstall: builds the migrated empty PGlite database that first starts copy instead of
// running initdb (src/platform/pglite-template.ts). Never fails the install: without the template
// a first start is only slower.
import { existsSync } from 'node:fs';
import { buildPgliteTemplate, templatePath } from '../src/platform/pglite-template.ts';

try {
  if (process.argv.includes('--if-missing') && existsSync(templatePath())) {
    console.log('candor: PGlite template is up to date');
  } else {
    const t0 = performance.now();
    const path = await buildPgliteTemplate();
    console.log(`candor: PGlite template built in ${Math.round(performance.now() - t0)} ms (${path})`);
  }
} catch (err) {
  console.error(`candor: could not build the PGlite template (first starts will run initdb instead): ${(err as Error).message}`);
}
