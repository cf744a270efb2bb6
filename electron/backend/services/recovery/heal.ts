/**
 * Healing a workspace after a crash: every job a dead process left half-done is finished or
 * rolled back before anything reads the workspace. Runs when the workspace is opened (app,
 * web host, every CLI command: context.openWorkspace) and whenever a process takes the
 * writer lock with none of its own jobs running (a job of a process that died meanwhile).
 * Only with the writer lock held: then no other live process is writing, so every job
 * still marked running is dead.
 *
 * - imports 'running' (killed mid-write) or 'staged' (a round-trip apply that never made
 *   its final transaction): rolled back, their changed leads rescored;
 * - exports 'running': closed as failed, their export_rows deleted; export_rows of any
 *   export that is not done (orphans) deleted;
 * - journaled files (job_journal): temporary copies and finished files of dead jobs removed;
 * - scores marked stale (a publish or an import whose rescore never committed): rescored; on a
 *   full disk they stay stale (still marked) and the workspace opens all the same: its data is
 *   whole, only its scores lag (workspace-info's scoresStale says so).
 */
import type Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { tryAcquireWriter } from '../../db/writer-lock';
import { isReadOnlyRefusal } from '../../db/open';
import { isDiskFull } from '../../errors';
import { backupTempOf, withCompanions } from '../exchange/backup';
import { partialsOf } from '../exchange/file-sink';
import { recoverInterruptedImports } from '../import/run';
import { fullRescoreNow } from '../scoring/full-rescore';
import { rescorePendingMark } from '../scoring/pending';
import { closeJournal, openJournals } from './journal';

export type HealReport = Readonly<{
  imports: number;
  exports: number;
  exportRows: number;
  files: number;
  rescored: boolean;
}>;

const NOTHING: HealReport = { imports: 0, exports: 0, exportRows: 0, files: 0, rescored: false };

/** Whether a dead job may have left something to heal (reads only). */
export function needsHealing(db: Database.Database): boolean {
  return (
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM imports WHERE status IN ('running', 'staged'))
             OR EXISTS (SELECT 1 FROM exports WHERE status = 'running')
             OR EXISTS (SELECT 1 FROM job_journal)
             OR EXISTS (SELECT 1 FROM export_rows r JOIN exports e ON e.id = r.export_id WHERE e.status <> 'done')`,
      )
      .pluck()
      .get() === 1 || rescorePendingMark(db) !== null
  );
}

function removeFiles(paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) {
    try {
      rmSync(p, { force: true });
      n++;
    } catch {
      // A file that cannot be removed (read-only folder) stays; the row still closes.
    }
  }
  return n;
}

/** The journaled files of dead jobs, removed; their rows closed. */
function healJournals(db: Database.Database): number {
  let files = 0;
  for (const j of openJournals(db)) {
    const leftovers =
      j.kind === 'backup'
        ? j.targets.flatMap((t) => withCompanions(backupTempOf(t)))
        : [...j.targets.flatMap((t) => partialsOf(t)), ...j.outputs];
    files += removeFiles(leftovers);
    closeJournal(db, j.id);
  }
  return files;
}

/** Exports of dead jobs closed as failed; export_rows of every export that is not done deleted. */
function healExports(db: Database.Database, now: number): { exports: number; rows: number } {
  return db.transaction(() => {
    const exports = db
      .prepare(
        `UPDATE exports SET status = 'failed', finished_at = ?,
                message = 'Interrupted: Leadbench stopped before the export finished. Nothing of it was kept.'
          WHERE status = 'running'`,
      )
      .run(now).changes;
    const rows = db
      .prepare("DELETE FROM export_rows WHERE export_id IN (SELECT id FROM exports WHERE status <> 'done')")
      .run().changes;
    return { exports, rows };
  })();
}

/** Heals what dead jobs left; the caller holds the writer lock and runs no job of its own. */
export function healLocked(db: Database.Database, now: number): HealReport {
  if (!needsHealing(db)) return NOTHING;
  const imports = recoverInterruptedImports(db, now);
  const { exports, rows } = healExports(db, now);
  const files = healJournals(db);
  const rescored = rescorePendingMark(db) !== null && rescoreUnlessDiskFull(db, now);
  return { imports, exports, exportRows: rows, files, rescored };
}

/**
 * The pending rescore; false when the disk is too full to write it (the rescore's own
 * transaction rolled back, the mark kept). Reading a workspace must not need free space.
 */
function rescoreUnlessDiskFull(db: Database.Database, now: number): boolean {
  try {
    fullRescoreNow(db, now);
    return true;
  } catch (err) {
    if (isDiskFull(err)) return false;
    throw err;
  }
}

/**
 * Heals on open: when something needs it and no other live process holds the writer lock
 * (one that does is still running its jobs: nothing of theirs is dead). A workspace that
 * cannot be written (read-only file) is left as it is.
 */
export function healOnOpen(db: Database.Database, now: number): HealReport {
  if (db.readonly || !needsHealing(db)) return NOTHING;
  try {
    const hold = tryAcquireWriter(db, 'open');
    if (!hold) return NOTHING;
    try {
      return hold.first ? healLocked(db, now) : NOTHING;
    } finally {
      hold.release();
    }
  } catch (err) {
    if (isReadOnlyRefusal(err)) return NOTHING;
    throw err;
  }
}
