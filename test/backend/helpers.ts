/** Test helpers: real temporary workspace files, cleaned up after each test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { createBackend, type Backend, type BackendOptions } from '../../electron/backend/backend';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const REAL_DATA = resolve(REPO_ROOT, '../shared/data/real');
export const FIXTURES = resolve(REPO_ROOT, 'test/fixtures');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder that is removed after the test file. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'leadbench-test-'));
  dirs.push(d);
  return d;
}

/** A backend on a brand-new workspace file. */
export function tempBackend(options: BackendOptions = {}): Backend & { path: string } {
  const path = join(tempDir(), 'test.leadbench');
  const backend = createBackend({
    workspacePath: path,
    sampleDirs: [join(REPO_ROOT, 'resources/samples'), REAL_DATA],
    ...options,
  });
  afterAll(() => backend.close());
  return Object.assign(backend, { path });
}
