import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appFilePath,
  isTrustedFrameUrl,
  permissionAllowed,
  SaveDialogPaths,
  writePathRefusal,
} from '../../../electron/main/security';

describe('app:// protocol paths', () => {
  const root = resolve('/opt/Leadbench/resources/app.asar/out/renderer');

  it('serves files under the renderer folder, "/" as index.html', () => {
    expect(appFilePath('app://leadbench/', root)).toBe(join(root, 'index.html'));
    expect(appFilePath('app://leadbench/index.html', root)).toBe(join(root, 'index.html'));
    expect(appFilePath('app://leadbench/assets/index-abc.js?v=1#x', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(appFilePath('app://leadbench/assets/My%20Font.woff2', root)).toBe(join(root, 'assets', 'My Font.woff2'));
  });

  it('refuses traversal, encoded or not, backslashes, NUL bytes and other hosts or schemes', () => {
    // The URL parser resolves literal dot segments first: they stay inside the root.
    expect(appFilePath('app://leadbench/../../etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
    expect(appFilePath('app://leadbench/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', root)).toBe(
      join(root, 'etc', 'passwd'),
    );
    for (const url of [
      'app://leadbench/%2E%2E%2Fsecret',
      'app://leadbench/assets/..%5c..%5csecret',
      'app://leadbench/a%00.js',
      'app://leadbench/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'https://leadbench/index.html',
      'not a url',
    ]) {
      expect(appFilePath(url, root), url).toBeNull();
    }
  });
});

describe('IPC sender frame and permissions', () => {
  it('trusts only our origin (and the dev server in development)', () => {
    expect(isTrustedFrameUrl('app://leadbench/index.html')).toBe(true);
    expect(isTrustedFrameUrl('app://leadbench/index.html#/leads')).toBe(true);
    expect(isTrustedFrameUrl('file:///opt/Leadbench/out/renderer/index.html')).toBe(false);
    expect(isTrustedFrameUrl('https://evil.example/')).toBe(false);
    expect(isTrustedFrameUrl('app://leadbench.evil.example/')).toBe(false);
    expect(isTrustedFrameUrl('about:blank')).toBe(false);
    expect(isTrustedFrameUrl(undefined)).toBe(false);
    expect(isTrustedFrameUrl('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true);
    expect(isTrustedFrameUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedFrameUrl('http://localhost:5173/')).toBe(false);
  });

  it('allows notifications for our page only, and nothing else', () => {
    expect(permissionAllowed('notifications', 'app://leadbench')).toBe(true);
    expect(permissionAllowed('notifications', 'https://evil.example')).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(permissionAllowed(p, 'app://leadbench/index.html'), p).toBe(false);
    }
  });
});

describe('write paths from the renderer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadbench-security-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const workspaceDir = join(dir, 'workspaces');
  const chosen = join(dir, 'Desktop', 'hot leads.xlsx');

  it('accepts a path a save dialog returned, once', () => {
    const dialogs = new SaveDialogPaths();
    dialogs.issue(chosen);
    expect(writePathRefusal('export-leads', { out: chosen, format: 'xlsx' }, dialogs, workspaceDir)).toBeNull();
    expect(writePathRefusal('export-leads', { out: chosen, format: 'xlsx' }, dialogs, workspaceDir)).toBe(
      `Leadbench writes only where you chose in a save dialog or inside the workspace's folder, not to ${chosen}.`,
    );
  });

  it('accepts paths inside the workspace folder, refuses the rest and relative paths', () => {
    const dialogs = new SaveDialogPaths();
    expect(
      writePathRefusal('workspace-backup', { out: join(workspaceDir, 'b.leadbench') }, dialogs, workspaceDir),
    ).toBeNull();
    expect(writePathRefusal('workspace-backup', {}, dialogs, workspaceDir)).toBeNull();
    expect(
      writePathRefusal('workspace-backup', { out: join(workspaceDir, '..', 'x.leadbench') }, dialogs, workspaceDir),
    ).toMatch(/^Leadbench writes only where/);
    expect(writePathRefusal('report-export', { path: join(dir, '.bashrc') }, dialogs, workspaceDir)).toMatch(
      /^Leadbench writes only where/,
    );
    expect(writePathRefusal('export-report', { out: 'report.csv' }, dialogs, workspaceDir)).toBe(
      '"report.csv" is not a full path.',
    );
  });

  it('leaves read paths alone (imports read any file the user picked)', () => {
    const dialogs = new SaveDialogPaths();
    expect(writePathRefusal('import-run', { path: '/etc/hosts', options: {} }, dialogs, workspaceDir)).toBeNull();
  });

  it('a dialog path expires', () => {
    let now = 0;
    const dialogs = new SaveDialogPaths(1000, () => now);
    dialogs.issue(chosen);
    now = 2000;
    expect(dialogs.consume(chosen)).toBe(false);
  });
});
