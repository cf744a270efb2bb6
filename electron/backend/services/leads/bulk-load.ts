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
 *
 * The UNIQUE email index (leads_email_norm) is a constraint imports rely on to find a lead by
 * its email, so it is kept, except in a load into an EMPTY leads table: there every email to
 * look up is one the load itself wrote, which the caller then keeps in memory (lead-identity.ts)
 * and matches on instead. Kept row by row, that index costs a random B-tree insert per lead
 * (100,000 bench leads: about 1.8 s of a 2.2 s insert); created at the end it is one sort
 * (40 ms), and creating it checks uniqueness once over all the rows: a duplicate there would
 * fail the load, which rolls back whole.
 */
import type Database from 'better-sqlite3';
import { deferIndexes } from '../../db/deferred-indexes';
import { leadSearchRow } from '../../db/migrations/0610-first-use-grid';
import { suspendLeadWriteJournal } from './lead-write-journal';

export type LeadBulkLoad = Readonly<{
  /**
   * True when the UNIQUE email index is dropped until `finish`: the caller finds leads by
   * email among the rows it wrote since the start (the table was empty), not in the table.
   */
  emailIndexDeferred: boolean;
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
  // The score store's journal triggers would hand every new id to JS; its followers read the
  // whole store after a load this big anyway.
  suspendLeadWriteJournal(db);
  if (trigger !== undefined) db.exec('DROP TRIGGER leads_search_insert');
  const emailIndex =
    maxIdBefore === 0
      ? (db
          .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'leads_email_norm'")
          .pluck()
          .get() as string | undefined)
      : undefined;
  if (emailIndex !== undefined) db.exec('DROP INDEX leads_email_norm');
  let finished = false;
  function* finishSteps(): Generator<string, void, void> {
    if (finished) return;
    finished = true;
    // A failure that rolled the whole transaction back brought the index back already.
    if (emailIndex !== undefined) {
      db.exec(emailIndex.replace(/^CREATE UNIQUE INDEX (?!IF NOT EXISTS)/i, 'CREATE UNIQUE INDEX IF NOT EXISTS '));
      yield 'leads_email_norm';
    }
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
    emailIndexDeferred: emailIndex !== undefined,
    finishSteps,
    finish: () => {
      for (const _ of finishSteps()) {
        // each step builds one index or the search rows
      }
    },
  };
}
