import { defineConfig } from 'vitest/config';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (cmd: string) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/multi-node starts several Candor processes on one PostgreSQL server, and test/server
    // races concurrent transactions on one: collected only when DATABASE_URL names one (PGlite has
    // one owner per data dir and one connection, so there is nothing to share or race).
    // test/tools drives Debian's swaks against the SMTP listener: collected when swaks is installed
    // (.ci/run installs it; `apt-get install swaks` does it on a Debian machine).
    exclude: ['test/browser/**', ...(process.env.DATABASE_URL ? [] : ['test/multi-node/**', 'test/server/**']), ...(onPath('swaks') ? [] : ['test/tools/**'])],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
  },
});
