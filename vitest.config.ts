import { defineConfig } from 'vitest/config';

// Budgets for a slow machine: the suite must pass on a busy 2-core machine, where a
// build test that takes 20 s idle can take several times that. Timeouts here are hang
// guards, not measurements (speed is measured by `npm run bench`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
