/**
 * A bulk load of leads: while one transaction writes many lead rows, the leads table's grid
 * indexes and its search table are not kept up row by row; they are built once at the end,
 * in the same transaction (see db/deferred-indexes.ts for why that is safe and why faster).
 *
 * The search table (leads_search, trigram FTS5) is filled by a trigger on insert; deferred,
 * the trigger is dropped and the rows inserted meanwhile (ids above the highest id before)
 * are added to the search table in one statement. Updates and deletes keep their triggers:
 * a row changed or deleted meanwhile is kept right as before (deleting a search row that was
 * never added is a no-op). A workspace that has never searched has no search table yet
 * (migration 0610: it is built on first use, from every lead): nothing to fill then.
 */
import type Database from 'better-sqlite3';
import { deferIndexes } from '../../db/deferred-indexes';
import { leadSearchRow } from '../../db/migrations/0610-first-use-grid';

export type LeadBulkLoad = Readonly<{
  /** Builds the deferred indexes and search rows, one step each (yield between steps). */
  finishSteps: () => Generator<string, void, void>;
  /** Builds them all now. */
  finish: () => void;
}>;

/**
 * Stops per-row upkeep of the leads table's non-unique indexes and its search table for the
 * rest of the current transaction. Call `finish` (or run `finishSteps`) before it commits.
 */
export function startLeadBulkLoad(db: Database.Database): LeadBulkLoad {
  const maxIdBefore = (db.prepare('SELECT coalesce(max(id), 0) FROM leads').pluck().get() as number) ?? 0;
  const trigger = db
    .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'leads_search_insert'")
    .pluck()
    .get() as string | undefined;
  const indexes = deferIndexes(db, 'leads');
  if (trigger !== undefined) db.exec('DROP TRIGGER leads_search_insert');
  let finished = false;
  function* finishSteps(): Generator<string, void, void> {
    if (finished) return;
    finished = true;
    yield* indexes.restoreSteps();
    if (trigger === undefined) return;
    db.prepare(
      `INSERT INTO leads_search (rowid, name, email, company) SELECT id, ${leadSearchRow('')} FROM leads WHERE id > ?`,
    ).run(maxIdBefore);
    // A failure that rolled the whole transaction back brought the trigger back already.
    const present = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = 'leads_search_insert'");
    if (present.get() === undefined) db.exec(trigger);
    yield 'leads_search';
  }
  return {
    finishSteps,
    finish: () => {
      for (const _ of finishSteps()) {
        // each step builds one index or the search rows
      }
    },
  };
}
