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
 *
 * The other AFTER INSERT triggers of leads (migration 0040: a new lead's owner_name from
 * its owner, its tags into lead_tags) fire on no imported lead (an import sets neither
 * owner_id nor tags), but each INSERT still runs their WHEN clauses: about a seventh of the
 * lead INSERT's CPU (100,000 bench leads: 0.72 against 0.61 s). They are dropped for the load
 * too and their work done once at the end for the rows it inserted (`INSERT_TRIGGERS`), so a
 * lead some other statement inserts meanwhile still ends up as the triggers would leave it.
 * Only a trigger whose stored SQL is the one replayed here is dropped; one a later migration
 * redefined is kept as it is.
 */
import type Database from 'better-sqlite3';
import { deferIndexes } from '../../db/deferred-indexes';
import { leadSearchRow } from '../../db/migrations/0610-first-use-grid';
import { LEAD_TOTAL_INSERT_TRIGGER } from '../../db/migrations/0800-lead-total';
import { suspendLeadWriteJournal } from './lead-write-journal';

/**
 * AFTER INSERT triggers of leads a bulk load drops: their definition (as sqlite_schema stores
 * it, whitespace aside) and the statement doing their work for the rows inserted with id > ?.
 * Both statements only change what differs, so a row whose later UPDATE already fired the
 * update trigger is left as it is.
 */
const INSERT_TRIGGERS: readonly Readonly<{ name: string; sql: string; replay: string }>[] = [
  {
    name: 'leads_owner_name_insert',
    sql: `CREATE TRIGGER leads_owner_name_insert AFTER INSERT ON leads WHEN NEW.owner_id IS NOT NULL BEGIN
        UPDATE leads SET owner_name = (SELECT name FROM owners WHERE id = NEW.owner_id) WHERE id = NEW.id;
      END`,
    replay: `UPDATE leads SET owner_name = (SELECT name FROM owners WHERE id = leads.owner_id)
              WHERE id > ? AND owner_id IS NOT NULL
                AND owner_name IS NOT (SELECT name FROM owners WHERE id = leads.owner_id)`,
  },
  {
    name: 'leads_tags_insert',
    sql: `CREATE TRIGGER leads_tags_insert AFTER INSERT ON leads WHEN NEW.tags <> '[]' AND json_valid(NEW.tags) BEGIN
        INSERT OR IGNORE INTO lead_tags (lead_id, tag) SELECT NEW.id, value FROM json_each(NEW.tags) WHERE type = 'text';
      END`,
    replay: `INSERT OR IGNORE INTO lead_tags (lead_id, tag)
              SELECT leads.id, j.value FROM leads, json_each(leads.tags) j
               WHERE leads.id > ? AND leads.tags <> '[]' AND json_valid(leads.tags) AND j.type = 'text'`,
  },
  {
    // Migration 0800's count: counted again whole at the end (a lead the load inserted and
    // then deleted was never added, but its delete trigger, kept, took it off). The count is
    // of every lead, whatever the load's first id (the parameter is not used).
    name: 'leads_total_insert',
    sql: LEAD_TOTAL_INSERT_TRIGGER,
    replay: 'UPDATE lead_total SET n = (SELECT count(*) FROM leads) WHERE ? IS NOT NULL',
  },
];

const sameSql = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

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
  const triggerSql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?").pluck();
  // Each with its stored SQL, created again from it (the schema ends byte for byte the same).
  const insertTriggers = INSERT_TRIGGERS.flatMap((t) => {
    const stored = triggerSql.get(t.name) as string | undefined;
    return stored !== undefined && sameSql(stored, t.sql) ? [{ ...t, stored }] : [];
  });
  for (const t of insertTriggers) db.exec(`DROP TRIGGER ${t.name}`);
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
    for (const t of insertTriggers) {
      // A failure that rolled the whole transaction back brought the trigger back already.
      if (triggerSql.get(t.name) !== undefined) continue;
      db.prepare(t.replay).run(maxIdBefore);
      db.exec(t.stored);
    }
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
