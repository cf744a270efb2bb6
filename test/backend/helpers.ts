/** Test helpers: real temporary workspace files, cleaned up after each test file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { createBackend, type Backend, type BackendOptions } from '../../electron/backend/backend';
import { runCli } from '../../electron/backend/cli';
import { MIGRATION_LEDGER, migrate, type Migration } from '../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../electron/backend/db/migrations';
import { LEADBENCH_APPLICATION_ID } from '../../electron/backend/db/open';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const REAL_DATA = resolve(REPO_ROOT, '../shared/data/real');
export const FIXTURES = resolve(REPO_ROOT, 'test/fixtures');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A workspace file at the schema an older build left: only the migrations `keep` lets through
 * have run (opened as the app creates a workspace, but not migrated to the end). Open; close it.
 * `ledger: false` (the default) leaves it as a build from before the migration ledger did:
 * user_version only, so a migration `keep` skipped below that version counts as applied.
 */
export function workspaceAtSchema(
  path: string,
  keep: (m: Migration) => boolean,
  { ledger = false }: { ledger?: boolean } = {},
): Database.Database {
  const db = new Database(path);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${LEADBENCH_APPLICATION_ID}`);
  migrate(db, MIGRATIONS.filter(keep));
  if (!ledger) db.exec(`DROP TABLE ${MIGRATION_LEDGER}`);
  return db;
}

/** "MQL now" in plain SQL (services/leads/mql-now.ts): open leads MQL by score. */
export const MQL_NOW_SQL =
  'SELECT count(*) FROM leads WHERE is_mql = 1 AND stage NOT IN (SELECT key FROM stage_config WHERE closed = 1)';

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
 * Cancels job `jobId` from its progress stream once it has done more than `rows` rows, as the
 * UI would: pass `emit` to the backend, then `attach` that backend.
 */
export function cancelPastRows(jobId: string, rows: number) {
  let backend: Backend | null = null;
  let cancelled = false;
  const emit = (name: string, payload: unknown): void => {
    const p = payload as { jobId?: string; done?: number };
    if (name === 'job-progress' && p.jobId === jobId && (p.done ?? 0) > rows && !cancelled) {
      cancelled = true;
      void backend?.handle('job-cancel', { jobId });
    }
  };
  return {
    emit,
    attach: (b: Backend) => {
      backend = b;
    },
    cancelled: () => cancelled,
  };
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

/** The command line run in this process: its exit code and its stdout and stderr lines, joined. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The real X Education leads file (9,240 leads keyed by Prospect ID). */
export const XEDUCATION = join(REAL_DATA, 'xeducation_leads.csv');

/** The X Education rows as papaparse reads them, by header. */
export function xeducationRows(): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(XEDUCATION, 'utf8'), { header: true, skipEmptyLines: true })
    .data;
}

/** A new workspace file with the X Education file imported by `leadbench import`. */
export async function xeducationWorkspace(): Promise<string> {
  const ws = join(tempDir(), 'xe.leadbench');
  const r = await cli('import', XEDUCATION, '--db', ws);
  if (r.code !== 0) throw new Error(`leadbench import ${XEDUCATION} failed (${r.code}): ${r.err}`);
  return ws;
}
