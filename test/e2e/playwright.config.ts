// End-to-end tier: Debian's Chromium driving `leadbench serve` (see fixtures.ts): the built
// renderer and the real backend worker on a temporary workspace, over HTTP with the token.
import { defineConfig } from '@playwright/test';
import { resolve } from 'node:path';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: resolve(import.meta.dirname),
  testMatch: '**/*.spec.ts',
  outputDir: resolve(import.meta.dirname, '../../test-results/e2e'),
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: process.env.CI ? 2 : 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: resolve(import.meta.dirname, '../../test-results/e2e-report.json') }]],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1360, height: 860 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    // No traces in CI: a trace file vanishing under load failed three passing tests at teardown
    // (browserContext.close: ENOENT on .playwright-artifacts-N/traces); screenshots stay.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
