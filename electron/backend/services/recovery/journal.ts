/**
 * The file side of a job, journaled (job_journal, migration 0200): the targets it is about
 * to write (their temporary copies sit beside them until renamed into place) and the
 * finished files it would take back on failure. The row goes in the transaction that
 * records the job's outcome; a row left behind names what a dead job left on disk.
 */
import type Database from 'better-sqlite3';

export type JournalKind = 'export' | 'backup';

export type JournalRow = Readonly<{ id: number; kind: JournalKind; targets: string[]; outputs: string[] }>;

/** Starts a journal row (committed at once unless the caller is inside a transaction). */
export function openJournal(db: Database.Database, kind: JournalKind, now: number): number {
  return Number(db.prepare('INSERT INTO job_journal (kind, started_at) VALUES (?, ?)').run(kind, now).lastInsertRowid);
}

/** Records a file the job is about to write; call before its temporary copy is created. */
export function journalTarget(db: Database.Database, id: number, path: string): void {
  db.prepare("UPDATE job_journal SET targets = json_insert(targets, '$[#]', ?) WHERE id = ?").run(path, id);
}

/** Records a finished file that belongs to the job only if the job completes. */
export function journalOutput(db: Database.Database, id: number, path: string): void {
  db.prepare("UPDATE job_journal SET outputs = json_insert(outputs, '$[#]', ?) WHERE id = ?").run(path, id);
}

/** Ends the journal row: call in the transaction recording the job's outcome. */
export function closeJournal(db: Database.Database, id: number): void {
  db.prepare('DELETE FROM job_journal WHERE id = ?').run(id);
}

export function openJournals(db: Database.Database): JournalRow[] {
  return (
    db.prepare('SELECT id, kind, targets, outputs FROM job_journal ORDER BY id').all() as {
      id: number;
      kind: JournalKind;
      targets: string;
      outputs: string;
    }[]
  ).map((r) => ({
    id: r.id,
    kind: r.kind,
    targets: JSON.parse(r.targets) as string[],
    outputs: JSON.parse(r.outputs) as string[],
  }));
}
