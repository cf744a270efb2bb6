/**
 * Lead import benchmark: the bench's lead file (import-bench.ts) imported into an empty
 * workspace through the real handler table (import-run: stream, map, match, write, rescore),
 * against the bare limit of papaparse parsing the same file and better-sqlite3 inserting its
 * rows into a plain table of the same columns, no indexes, in one transaction.
 *
 * - leadImportRatio = import time (incl. the rescore it triggers) / bare time;
 * - workspaceBytesPerCsvByte = workspace file size after the import / CSV size (the WAL
 *   checkpointed first, so the file holds everything);
 * - workspaceBytesPerCsvByteAllIndexed = the same after every grid structure a workspace builds
 *   on first use (migrations 0550, 0610: sort indexes, the search table) has been built by using
 *   it, on a copy of the workspace; firstSortIndexMs / firstSearchBuildMs = the first sort by
 *   company and the first quick search there (each builds its structure), through the backend;
 * - undoBytesRatio = file size after undoing that import / size before it (1 = all reclaimed);
 * - leadImport1MSec: the same import with ten times the leads (1,000,000 at scale 1).
 */
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { createReadStream } from 'node:fs';
import { createBackend } from '../../electron/backend/backend';
import { openWorkspaceDb } from '../../electron/backend/db/open';
import { prepareAllGridStructures } from '../../electron/backend/services/leads/grid';
import { LEADS_CSV_HEADER, writeLeadsCsv } from './import-bench';

/** Workspace size on disk with its WAL folded in. */
function workspaceBytes(path: string): number {
  const db = openWorkspaceDb(path);
  try {
    // A scoring helper of the backend just closed may still be copying the log into the file
    // (db/checkpoint.ts): a checkpoint meanwhile is busy and copies nothing, so wait for it.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; tries < 600; tries++) {
      const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (r?.busy === 0) break;
      Atomics.wait(pause, 0, 0, 50);
    }
  } finally {
    db.close();
  }
  return statSync(path).size;
}

function removeWorkspace(path: string): void {
  for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
}

/**
 * A copy of the imported workspace after using every structure built on first use: the first
 * sort by company and the first quick search timed (as the app asks for them), then the rest.
 */
async function allIndexed(workspacePath: string) {
  const copy = `${workspacePath}.all-indexed`;
  removeWorkspace(copy);
  copyFileSync(workspacePath, copy);
  const backend = createBackend({ workspacePath: copy });
  let firstSortIndexMs: number;
  let firstSearchBuildMs: number;
  try {
    let t = performance.now();
    await backend.invoke('leads-query', { sort: { column: 'company', dir: 'asc' }, limit: 100 });
    firstSortIndexMs = performance.now() - t;
    t = performance.now();
    await backend.invoke('leads-query', { search: 'lead123', limit: 100 });
    firstSearchBuildMs = performance.now() - t;
    await backend.context.writes.run(async () => prepareAllGridStructures(backend.context.db()));
  } finally {
    backend.close();
  }
  const bytes = workspaceBytes(copy);
  removeWorkspace(copy);
  return { bytes, firstSortIndexMs, firstSearchBuildMs };
}

/** Imports `csv` into a new workspace; returns seconds, the summary and the sizes around it. */
async function importLeads(workspacePath: string, csv: string, undo: boolean) {
  removeWorkspace(workspacePath);
  openWorkspaceDb(workspacePath, { create: true }).close();
  const bytesBefore = workspaceBytes(workspacePath);
  const backend = createBackend({ workspacePath });
  let seconds: number;
  let importId: number;
  let inserted: number;
  try {
    const t = performance.now();
    const summary = await backend.invoke('import-run', { path: csv, options: { kind: 'leads' } });
    seconds = (performance.now() - t) / 1000;
    importId = summary.importId;
    inserted = summary.inserted;
  } finally {
    backend.close();
  }
  const bytesAfter = workspaceBytes(workspacePath);
  const indexed = undo ? await allIndexed(workspacePath) : null;
  let bytesAfterUndo: number | null = null;
  let undoSec: number | null = null;
  if (undo) {
    const again = createBackend({ workspacePath });
    try {
      const t = performance.now();
      await again.invoke('import-undo', { importId });
      undoSec = (performance.now() - t) / 1000;
    } finally {
      again.close();
    }
    bytesAfterUndo = workspaceBytes(workspacePath);
  }
  return { seconds, inserted, bytesBefore, bytesAfter, bytesAfterUndo, undoSec, indexed };
}

/** papaparse streaming the file, every row inserted into a plain table, one transaction. */
async function bareLeadImport(dbPath: string, csv: string): Promise<number> {
  removeWorkspace(dbPath);
  const db = new Database(dbPath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const cols = LEADS_CSV_HEADER.map((_, i) => `c${i}`);
    db.exec(`CREATE TABLE plain (id INTEGER PRIMARY KEY, ${cols.map((c) => `${c} TEXT`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO plain (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    const t = performance.now();
    db.exec('BEGIN');
    let header = true;
    await new Promise<void>((resolve, reject) => {
      Papa.parse(createReadStream(csv, { encoding: 'utf8' }) as unknown as File, {
        chunk: (r: Papa.ParseResult<string[]>) => {
          for (const row of r.data) {
            if (header) {
              header = false;
              continue;
            }
            if (row.length === cols.length) insert.run(row);
          }
        },
        complete: () => resolve(),
        error: (e: Error) => reject(e),
      });
    });
    db.exec('COMMIT');
    return (performance.now() - t) / 1000;
  } finally {
    db.close();
    removeWorkspace(dbPath);
  }
}

export async function benchLeadImport(opts: { dir: string; leads: number; bigLeads: number | null }) {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(opts.dir, { recursive: true });
  const csv = join(opts.dir, 'bench-leads.csv');
  await writeLeadsCsv(csv, opts.leads);
  const csvBytes = statSync(csv).size;
  const workspace = join(opts.dir, 'lead-import.leadbench');

  const bareSec = await bareLeadImport(join(opts.dir, 'bare-leads.db'), csv);
  const run = await importLeads(workspace, csv, true);
  const result: Record<string, number> = {
    leadImportLeads: run.inserted,
    leadImportSec: run.seconds,
    leadImportBareSec: bareSec,
    leadImportRatio: run.seconds / bareSec,
    leadImportCsvMB: csvBytes / 2 ** 20,
    workspaceMBBefore: run.bytesBefore / 2 ** 20,
    workspaceMBAfterImport: run.bytesAfter / 2 ** 20,
    workspaceBytesPerCsvByte: run.bytesAfter / csvBytes,
    workspaceBytesPerCsvByteAllIndexed: (run.indexed?.bytes ?? 0) / csvBytes,
    firstSortIndexMs: run.indexed?.firstSortIndexMs ?? 0,
    firstSearchBuildMs: run.indexed?.firstSearchBuildMs ?? 0,
    workspaceMBAfterUndo: (run.bytesAfterUndo ?? 0) / 2 ** 20,
    undoBytesRatio: (run.bytesAfterUndo ?? 0) / run.bytesBefore,
    leadUndoSec: run.undoSec ?? 0,
  };
  removeWorkspace(workspace);
  rmSync(csv, { force: true });

  if (opts.bigLeads !== null) {
    const bigCsv = join(opts.dir, 'bench-leads-big.csv');
    await writeLeadsCsv(bigCsv, opts.bigLeads);
    const big = await importLeads(workspace, bigCsv, false);
    result.leadImport1MLeads = big.inserted;
    result.leadImport1MSec = big.seconds;
    result.leadImport1MWorkspaceBytesPerCsvByte = big.bytesAfter / statSync(bigCsv).size;
    removeWorkspace(workspace);
    rmSync(bigCsv, { force: true });
  }
  return result;
}
