/** Test helpers: real temporary workspace files, cleaned up after each test file. */
import { spawnSync } from 'node:child_process';
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

/**
 * The command line as it ships: bin/leadbench.mjs running the bundle in out/cli/ (built, or
 * rebuilt when a source changed, by its first call here). Returns the bin and the bundle folder.
 */
export function builtCli(): { bin: string; dir: string } {
  const bin = join(REPO_ROOT, 'bin', 'leadbench.mjs');
  const r = spawnSync(process.execPath, [bin, 'help'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`leadbench help failed (${r.status}): ${r.stderr}`);
  return { bin, dir: join(REPO_ROOT, 'out', 'cli') };
}
