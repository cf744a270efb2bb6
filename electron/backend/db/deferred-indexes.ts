/**
 * Index upkeep deferred for a bulk write: inside one transaction, the chosen indexes of a
 * table are dropped, the rows written, and the indexes created again from their own SQL.
 * Creating an index sorts its keys once; keeping it up to date row by row costs a random
 * B-tree insert per row and index (the leads table has dozens of indexes: 100,000 new leads
 * took about a minute row by row, a few seconds dropped and rebuilt).
 *
 * DDL is transactional in SQLite: a crash or a rollback before the commit brings the indexes
 * back with the old rows, so nothing outside the transaction ever sees them missing. UNIQUE
 * indexes are never deferred: they are constraints the writes rely on (matching by email).
 */
import type Database from 'better-sqlite3';

export type DeferredIndexes = Readonly<{
  /** Names of the indexes dropped. */
  names: readonly string[];
  /** Creates the dropped indexes again, one per step (the caller may yield between steps). */
  restoreSteps: () => Generator<string, void, void>;
  /** Creates them all now. */
  restore: () => void;
}>;

type IndexRow = { name: string; sql: string };

/** `CREATE INDEX x ...` as `CREATE INDEX IF NOT EXISTS x ...`: a reader may have made it meanwhile. */
function createIfMissing(sql: string): string {
  return sql.replace(/^CREATE\s+INDEX\s+(?!IF\s+NOT\s+EXISTS)/i, 'CREATE INDEX IF NOT EXISTS ');
}

/**
 * Drops the non-unique indexes of `table` whose definition `pick` accepts. Call inside the
 * transaction that writes the rows, and restore before it commits.
 */
export function deferIndexes(
  db: Database.Database,
  table: string,
  pick: (sql: string) => boolean = () => true,
): DeferredIndexes {
  if (!db.inTransaction) throw new Error('Indexes are deferred only inside the transaction that restores them.');
  const rows = db
    .prepare(
      `SELECT name, sql FROM sqlite_schema
        WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
        ORDER BY name`,
    )
    .all(table) as IndexRow[];
  const dropped = rows.filter((r) => pick(r.sql));
  for (const r of dropped) db.exec(`DROP INDEX "${r.name.replaceAll('"', '""')}"`);
  let restored = false;
  function* restoreSteps(): Generator<string, void, void> {
    if (restored) return;
    restored = true;
    for (const r of dropped) {
      db.exec(createIfMissing(r.sql));
      yield r.name;
    }
  }
  return {
    names: dropped.map((r) => r.name),
    restoreSteps,
    restore: () => {
      for (const _ of restoreSteps()) {
        // each step creates one index
      }
    },
  };
}
