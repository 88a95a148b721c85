import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '~': new URL('./app', import.meta.url).pathname } },
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    environment: 'node',
    // on PostgreSQL (JOIN_IN_TEST_POSTGRES_URL): the migrated template every test database copies
    globalSetup: ['tests/support/global-setup.ts'],
    // integration and browser tests start real servers and scrypt hashes: give them room on 2 noisy cores
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
})
