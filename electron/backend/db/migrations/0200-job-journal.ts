/**
 * Crash recovery bookkeeping.
 *
 * job_journal: a job that writes files (an export, a backup) records each target here,
 * committed before the file's temporary copy is created, and each finished file it will
 * take back if the job fails (owner packs), and deletes the row in the transaction that
 * records its outcome. Opening the workspace after a crash removes the temporary copies and
 * finished files of every row left (services/recovery/heal.ts).
 *
 * writer_lock: the one process allowed to write the workspace now (db/writer-lock.ts).
 * A second process that wants to write waits until the row is gone or its process is dead.
 */
import type { Migration } from '../migrate';

export const migration0200JobJournal: Migration = {
  version: 200,
  name: 'job-journal',
  up: (db) => {
    db.exec(`
      CREATE TABLE job_journal (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('export', 'backup')),
        targets TEXT NOT NULL DEFAULT '[]',
        outputs TEXT NOT NULL DEFAULT '[]',
        started_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE writer_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        command TEXT NOT NULL,
        since INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
