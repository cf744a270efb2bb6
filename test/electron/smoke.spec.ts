/**
 * Desktop smoke test: launches the built app in real Electron the way `npm start` does
 * (`electron .`: package.json's main, the app root as app path, so the Electron build of
 * better-sqlite3 in .native/ is found), checks the window opens on a workspace, the title
 * shows its path, sections navigate, the renderer is sandboxed and served from app://, and a
 * .leadbench file named on the command line is opened.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openWorkspaceDb } from '../../electron/backend/db/open';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const p = require('electron') as unknown as string;
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function electronNativeBuilt(): boolean {
  const version = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
  ).version;
  return existsSync(join(ROOT, '.native', `electron-${version}`, 'better_sqlite3.node'));
}

const binary = electronBinary();
const skipReason = !binary
  ? 'no Electron binary on this machine (its download needs network); the e2e tier covers the renderer in Chromium'
  : !electronNativeBuilt()
    ? 'better-sqlite3 is not built for Electron yet: run `npm start` once (scripts/ensure-electron-native.mjs)'
    : null;

test('the desktop app opens a workspace and shows its sections', async () => {
  if (skipReason) console.log(`electron smoke test skipped: ${skipReason}`);
  test.skip(skipReason !== null, skipReason ?? '');
  const userData = mkdtempSync(join(tmpdir(), 'leadbench-electron-'));
  // A workspace made by the backend under Node, opened as a double-clicked file would be.
  const workspace = join(userData, 'Smoke test.leadbench');
  openWorkspaceDb(workspace, { create: true }).close();
  const app = await electron.launch({
    executablePath: binary!,
    args: [ROOT, `--user-data-dir=${userData}`, workspace],
    cwd: ROOT,
    env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('statusbar')).toBeVisible();
    await expect.poll(() => window.title()).toContain('Smoke test.leadbench');
    await window.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(window.getByRole('main', { name: 'Import' })).toBeVisible();
    const sandboxed = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require === 'undefined');
    expect(sandboxed).toBe(true);
    // Served from the app's own protocol, never file:// (issue 18).
    expect(window.url()).toMatch(/^app:\/\/leadbench\//);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
