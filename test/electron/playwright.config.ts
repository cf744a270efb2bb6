// Electron tier: a smoke test of the real desktop shell. It runs wherever an Electron binary
// is installed and skips, with one line saying why, where none is (offline machines, CI).
import { defineConfig } from '@playwright/test';
import { resolve } from 'node:path';

export default defineConfig({
  testDir: resolve(import.meta.dirname),
  testMatch: '**/*.spec.ts',
  outputDir: resolve(import.meta.dirname, '../../test-results/electron'),
  timeout: 120_000,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: resolve(import.meta.dirname, '../../test-results/electron-report.json') }],
  ],
});
