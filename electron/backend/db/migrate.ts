/**
 * Schema migrations as code. Which migrations a workspace has had is recorded in its ledger,
 * the `schema_migrations` table (one row per applied migration); every migration in the code
 * the ledger lacks runs, in number order, all of them inside ONE transaction together with
 * their ledger rows, so a failure or a kill leaves the file, ledger included, exactly as it
 * was. A migration numbered below one already applied (it landed later) still runs.
 * PRAGMA user_version stays the highest version applied (the About dialog shows it; a build
 * from before the ledger reads it to refuse a newer workspace).
 *
 * The ledger is created by this code, not by a numbered migration: it decides which
 * migrations run, so it cannot be one of them. A workspace from before the ledger gets it on
 * its first open here, seeded with every migration in the code numbered up to its
 * user_version (what user_version meant until then), so nothing runs twice.
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

/** The ledger of applied migrations. */
export const MIGRATION_LEDGER = 'schema_migrations';

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function hasLedger(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(MIGRATION_LEDGER) !== undefined
  );
}

/**
 * The versions the workspace has had: its ledger, or for a workspace from before the ledger,
 * every migration in the code numbered up to its user_version. Reads only.
 */
export function appliedVersions(db: Database.Database, migrations: readonly Migration[]): Set<number> {
  if (hasLedger(db)) {
    return new Set(db.prepare(`SELECT version FROM ${MIGRATION_LEDGER}`).pluck().all() as number[]);
  }
  const from = schemaVersion(db);
  return new Set(migrations.filter((m) => m.version <= from).map((m) => m.version));
}

/**
 * Refuses a workspace a newer Leadbench wrote: its user_version is above every migration this
 * code knows, or its ledger holds a migration this code does not have. Reads only.
 */
export function refuseNewerWorkspace(db: Database.Database, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  const known = new Set(migrations.map((m) => m.version));
  const unknown = hasLedger(db) ? [...appliedVersions(db, migrations)].filter((v) => !known.has(v)) : [];
  if (from <= latest && unknown.length === 0) return;
  const which =
    from > latest
      ? `schema ${from}, this app knows up to ${latest}`
      : `it has migration ${Math.min(...unknown)}, which this app does not know`;
  throw new AppError(
    'WORKSPACE_TOO_NEW',
    `This workspace was written by a newer version of Leadbench (${which}). Update Leadbench to open it.`,
  );
}

/**
 * Applies the migrations the workspace lacks; refuses a database written by a newer Leadbench.
 * `applied` lists the versions this call ran, in order.
 *
 * Two connections may open the same workspace at once (the app and the command line, two
 * backends): the ledger is read again inside the IMMEDIATE transaction, which waits for the
 * other's to commit (busy_timeout), so the second runs only what the first did not.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
): { from: number; to: number; applied: number[] } {
  refuseNewerWorkspace(db, migrations);
  const from = schemaVersion(db);
  const pendingNow = () => {
    const done = appliedVersions(db, migrations);
    return migrations.filter((m) => !done.has(m.version));
  };
  const pending = pendingNow();
  if (pending.length === 0 && hasLedger(db)) return { from, to: from, applied: [] };
  // PRAGMA foreign_keys is a no-op inside a transaction: switched before it begins. Asked of
  // every migration pending now; inside the transaction the pending ones can only be fewer
  // (another connection may have run some meanwhile), so the choice stays on the safe side.
  const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
  const rebuilds = (m: Migration) =>
    typeof m.rebuildsReferencedTable === 'function'
      ? m.rebuildsReferencedTable(db)
      : m.rebuildsReferencedTable === true;
  const keysOff = keysWereOn && pending.some(rebuilds);
  if (keysOff) db.pragma('foreign_keys = OFF');
  let result = { from, to: from, applied: [] as number[] };
  try {
    db.transaction(() => {
      refuseNewerWorkspace(db, migrations);
      const start = schemaVersion(db);
      const todo = pendingNow();
      if (!hasLedger(db)) createLedger(db, migrations, start);
      const record = db.prepare(`INSERT INTO ${MIGRATION_LEDGER} (version, name, applied_at) VALUES (?, ?, ?)`);
      for (const m of todo) {
        m.up(db);
        record.run(m.version, m.name, Date.now());
      }
      if (keysOff) refuseBrokenForeignKeys(db);
      const to = Math.max(start, ...todo.map((m) => m.version));
      if (to !== start) db.pragma(`user_version = ${to}`);
      result = { from: start, to, applied: todo.map((m) => m.version) };
    }).immediate();
  } finally {
    if (keysOff) db.pragma('foreign_keys = ON');
  }
  return result;
}

/**
 * Creates the ledger on a workspace from before it: every migration in the code numbered up to
 * the workspace's user_version counts as applied (`applied_at` NULL: not known).
 */
function createLedger(db: Database.Database, migrations: readonly Migration[], userVersion: number): void {
  db.exec(`CREATE TABLE ${MIGRATION_LEDGER} (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER
  )`);
  const seed = db.prepare(`INSERT INTO ${MIGRATION_LEDGER} (version, name, applied_at) VALUES (?, ?, NULL)`);
  for (const m of migrations) if (m.version <= userVersion) seed.run(m.version, m.name);
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
