/**
 * An export killed in the instant after its file took the chosen name and before the export
 * was recorded (the window crash.test.ts's seeded kills hit about once in 200 runs). The
 * file is journaled as the export's output before the rename, so opening the workspace
 * takes it back: all or nothing, as for a kill at any other moment.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../electron/backend/backend';
import { REPO_ROOT, tempBackend, tempDir } from '../helpers';

const CHILD = join(import.meta.dirname, 'job-child.ts');

function runChild(args: readonly string[]): Promise<{ signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (_code, signal) => resolve({ signal, stderr }));
  });
}

describe('an export killed right after its file is renamed into place', () => {
  it.each(['xlsx', 'csv'] as const)(
    '%s: opening the workspace removes the file; no export, rows or journal remain',
    async (format) => {
      const seeded = tempBackend({ scoringHelperEntry: null });
      const rows = ['Email,First Name,Company'];
      for (let i = 0; i < 300; i++) rows.push(`k${i}@acme${i % 7}.example,K${i},Acme ${i % 7}`);
      const file = join(tempDir(), 'leads.csv');
      writeFileSync(file, `${rows.join('\n')}\n`);
      await seeded.invoke('import-run', { path: file, options: { kind: 'leads' } });
      seeded.close();

      const folder = tempDir();
      const out = join(folder, `leads.${format}`);
      const child = await runChild(['export-killed-at-rename', seeded.path, out]);
      expect(child, child.stderr).toMatchObject({ signal: 'SIGKILL' });
      expect(existsSync(out), 'the kill came after the rename').toBe(true);

      const reopened = createBackend({ workspacePath: seeded.path, scoringHelperEntry: null });
      try {
        const db = reopened.context.db();
        const count = (sql: string) => db.prepare(sql).pluck().get() as number;
        expect(readdirSync(folder)).toEqual([]);
        expect(count("SELECT count(*) FROM exports WHERE status IN ('done', 'running')")).toBe(0);
        expect(count('SELECT count(*) FROM export_rows')).toBe(0);
        expect(count('SELECT count(*) FROM job_journal')).toBe(0);
      } finally {
        reopened.close();
      }
    },
    60_000,
  );
});
