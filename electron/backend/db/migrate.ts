/**
 * Schema migrations as code. The applied version lives in PRAGMA user_version; all pending
 * migrations run inside ONE transaction so a failure leaves the file exactly as it was.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../errors';

export type Migration = Readonly<{
  version: number;
  name: string;
  up: (db: Database.Database) => void;
  /**
   * The migration rebuilds a table other tables reference (a new table, its rows copied, the old
   * one dropped, the new one renamed: SQLite's way to change a column's type). With foreign keys
   * on, dropping the old table would run its ON DELETE actions on every child row, so foreign
   * keys are off while the migrations run and checked before they commit. A function says
   * whether it will, asked of the file before any pending migration runs (a repair that
   * rebuilds only where a skipped migration left the old table: checking every foreign key
   * of a large workspace costs seconds).
   */
  rebuildsReferencedTable?: boolean | ((db: Database.Database) => boolean);
}>;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the pending migrations; refuses a database written by a newer Leadbench. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new AppError(
      'WORKSPACE_TOO_NEW',
      `This workspace was written by a newer version of Leadbench (schema ${from}, this app knows up to ${latest}). Update Leadbench to open it.`,
    );
  }
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  // PRAGMA foreign_keys is a no-op inside a transaction: switched before it begins.
  const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
  const rebuilds = (m: Migration) =>
    typeof m.rebuildsReferencedTable === 'function'
      ? m.rebuildsReferencedTable(db)
      : m.rebuildsReferencedTable === true;
  const keysOff = keysWereOn && pending.some(rebuilds);
  if (keysOff) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) m.up(db);
      if (keysOff) refuseBrokenForeignKeys(db);
      db.pragma(`user_version = ${latest}`);
    }).immediate();
  } finally {
    if (keysOff) db.pragma('foreign_keys = ON');
  }
  return { from, to: latest };
}

/** Fails the migrations (they roll back) when a rebuild left a row pointing at nothing. */
function refuseBrokenForeignKeys(db: Database.Database): void {
  const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (broken.length === 0) return;
  const first = broken[0]!;
  throw new AppError(
    'WORKSPACE_INVALID',
    `Upgrading this workspace would leave ${broken.length} row(s) pointing at nothing (first: ${first.table} row ${first.rowid} -> ${first.parent}). Nothing was changed.`,
  );
}
