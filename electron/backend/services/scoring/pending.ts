/**
 * "Scores are stale": a mark written in the same transaction as a change that needs a
 * rescore the change does not do itself (an import's commit, a published model), and
 * cleared in the transaction that writes the rescored scores. A process killed in between
 * leaves the mark, and opening the workspace rescores (services/recovery/heal.ts).
 *
 * Each mark is a new random value: a rescore clears it only when it is still the value seen
 * when the rescore started, so a change made meanwhile (its scores not in this rescore)
 * keeps it.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';

const KEY = 'rescore_pending';

/** Marks the scores stale; call inside the transaction of the change. */
export function markRescorePending(db: Database.Database): void {
  db.prepare(
    'INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(KEY, randomBytes(8).toString('hex'));
}

/** The mark now (null: scores are current). Read it before the rescore reads any data. */
export function rescorePendingMark(db: Database.Database): string | null {
  return (db.prepare('SELECT value FROM workspace_meta WHERE key = ?').pluck().get(KEY) as string | undefined) ?? null;
}

/** Clears the mark if nothing marked it since `mark` was read; call inside the transaction writing the scores. */
export function clearRescorePending(db: Database.Database, mark: string | null): void {
  if (mark === null) return;
  db.prepare('DELETE FROM workspace_meta WHERE key = ? AND value = ?').run(KEY, mark);
}
