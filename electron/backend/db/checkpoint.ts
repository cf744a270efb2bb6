/**
 * Commits that leave the copy of the write-ahead log into the workspace file to another
 * thread. A big write (an import, a full rescore's save) leaves tens of MB in the log; the
 * COMMIT that crosses the auto-checkpoint mark would copy them into the file on the backend
 * thread, about as long again as the COMMIT itself, with nothing served meanwhile. With a
 * scoring helper to checkpoint on its own connection (score-helpers.ts), the COMMIT only
 * appends to the log; without one, the next write's COMMIT checkpoints, as before.
 */
import type Database from 'better-sqlite3';

const pausedCheckpoints = new WeakMap<Database.Database, { autoCheckpoint: number; pauses: number }>();

/**
 * Turns the connection's auto-checkpoint off until every pause taken is resumed (a save
 * may start while the previous one's checkpoint still runs); returns the resume.
 */
export function pauseAutoCheckpoint(db: Database.Database): () => void {
  let paused = pausedCheckpoints.get(db);
  if (!paused) {
    paused = { autoCheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number, pauses: 0 };
    pausedCheckpoints.set(db, paused);
    db.pragma('wal_autocheckpoint = 0');
  }
  paused.pauses++;
  const p = paused;
  let resumed = false;
  return () => {
    if (resumed) return;
    resumed = true;
    if (--p.pauses > 0) return;
    pausedCheckpoints.delete(db);
    if (db.open) db.pragma(`wal_autocheckpoint = ${p.autoCheckpoint}`);
  };
}

/**
 * COMMITs the open transaction without checkpointing on this thread: `checkpoint` copies the
 * log elsewhere, and the auto-checkpoint comes back when it settles (done or not).
 */
export function commitCheckpointingElsewhere(db: Database.Database, checkpoint: () => Promise<boolean>): void {
  const resume = pauseAutoCheckpoint(db);
  try {
    db.exec('COMMIT');
  } catch (err) {
    resume();
    throw err;
  }
  void checkpoint().then(resume, resume);
}
