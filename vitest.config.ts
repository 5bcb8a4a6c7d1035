import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/multi-node starts several Candor processes on one PostgreSQL server: collected only when
    // DATABASE_URL names one (PGlite has one owner per data dir, so there is nothing to share).
    exclude: ['test/browser/**', ...(process.env.DATABASE_URL ? [] : ['test/multi-node/**'])],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
  },
});
