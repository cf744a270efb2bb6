import { defineConfig } from 'vitest/config';

// Projects so `npm test` reports the unit (pure code), backend (real SQLite files) and
// packaging (electron-builder on the build) tiers separately.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'backend',
          include: ['test/backend/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        // electron-builder --dir on the build in out/ (see test/packaging/package.test.ts).
        test: {
          name: 'packaging',
          include: ['test/packaging/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 600_000,
          pool: 'forks',
        },
      },
    ],
  },
});
