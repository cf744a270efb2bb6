/** Read-only commands refuse a file that is not a workspace instead of turning it into one. */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers';

const CLI = join(REPO_ROOT, 'bin/leadbench.mjs');

describe('a file that is not a workspace', () => {
  it('info refuses a 0-byte file with a clear message and leaves it empty', () => {
    const path = join(tempDir(), 'empty.leadbench');
    writeFileSync(path, '');
    const r = spawnSync(process.execPath, [CLI, 'info', '--db', path], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `leadbench info: ${path} is an empty file, not a Leadbench workspace. Nothing was changed.`,
    );
    expect(statSync(path).size).toBe(0);
  });

  it('info refuses a text file and leaves it as it was', () => {
    const path = join(tempDir(), 'notes.leadbench');
    writeFileSync(path, 'just some notes\n');
    const r = spawnSync(process.execPath, [CLI, 'info', '--db', path], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`leadbench info: ${path} is not a Leadbench workspace (it is not a SQLite database).`);
    expect(readFileSync(path, 'utf8')).toBe('just some notes\n');
  });
});
