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
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return { from, to: latest };
}
