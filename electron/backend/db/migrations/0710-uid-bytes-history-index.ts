/**
 * Two cuts in the bytes of a lead (docs/decisions/lean-workspace.md, tenth step).
 *
 * 1. Lead uids stored as their 16 bytes (services/leads/lead-uid-sql.ts) instead of 36-character
 * text: about 40 bytes a lead between the row and the UNIQUE uid index (bench, 10,000 leads:
 * 559 -> 511 bytes a lead; docs/decisions/lean-workspace.md, tenth step).
 *
 * `leads` is a STRICT table, so the column's type changes only by rebuilding it (SQLite's
 * twelve-step procedure): a new table with `uid ANY`, every row copied in id order with a
 * canonical UUID turned into its bytes (any other uid, never written by Leadbench, stays text),
 * the old table dropped and the new one renamed, then the indexes and triggers of the old table
 * created again from their own SQL. Foreign keys are off meanwhile (`rebuildsReferencedTable`):
 * the children of `leads` keep their lead ids, which the copy keeps.
 *
 * 2. score_history's by-lead index keyed by the lead alone instead of (lead, model, time). Every
 * reader of the history asks for one lead's few rows (the lead page, explain) and orders them
 * itself; the cascade of a deleted lead and an import's unscoring delete by lead. The model and
 * time in each entry cost about 9 of its 21 bytes (bench, 10,000 leads, one model), and nothing
 * seeks by them: deleting a model's history (models.ts) never could use this index.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';
import { uidValueSql } from '../../services/leads/lead-uid-sql';

const OLD_UID_COLUMN = 'uid TEXT NOT NULL UNIQUE';
const NEW_UID_COLUMN = 'uid ANY NOT NULL UNIQUE';

function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether leads still stores uids as TEXT (the table as 0010 made it, before this migration). */
export function leadsUidIsText(db: Database.Database): boolean {
  const tableSql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'leads'").pluck().get() as
    string | undefined;
  return tableSql?.includes(OLD_UID_COLUMN) === true;
}

/** Whether score_history's by-lead index is keyed by the lead alone (as this migration makes it). */
export function historyIndexByLeadAlone(db: Database.Database): boolean {
  const columns = db.prepare("SELECT name FROM pragma_index_info('score_history_by_lead')").pluck().all() as string[];
  return columns.length === 1 && columns[0] === 'lead_id';
}

/** The history index keyed by lead alone (replacing the one of 0030, when there). */
export function historyIndexByLead(db: Database.Database): void {
  db.exec(`
    DROP INDEX IF EXISTS score_history_by_lead;
    CREATE INDEX score_history_by_lead ON score_history(lead_id);
  `);
}

export function rebuildLeads(db: Database.Database): void {
  const tableSql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'leads'").pluck().get() as
    string | undefined;
  if (tableSql === undefined || !tableSql.includes(OLD_UID_COLUMN)) {
    throw new Error(`migration 0710: leads is not as migration 0010 made it (${OLD_UID_COLUMN} not found)`);
  }
  // The indexes (not the UNIQUE constraint's own) and triggers of leads, recreated after the swap.
  const dependents = db
    .prepare(
      "SELECT sql FROM sqlite_schema WHERE tbl_name = 'leads' AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  const columns = (db.prepare("SELECT name FROM pragma_table_info('leads')").pluck().all() as string[]).map(quoteId);
  const copied = columns.map((c) => (c === '"uid"' ? `${uidValueSql('uid')}` : c));
  db.exec(
    tableSql.replace(/^CREATE TABLE leads\b/, 'CREATE TABLE leads_uid_bytes').replace(OLD_UID_COLUMN, NEW_UID_COLUMN),
  );
  db.exec(`INSERT INTO leads_uid_bytes (${columns.join(', ')}) SELECT ${copied.join(', ')} FROM leads ORDER BY id`);
  db.exec('DROP TABLE leads');
  // Legacy renaming: the triggers of other tables that write leads (owners' name triggers) name
  // it and are kept as they are; the modern rename would re-check them while leads is missing.
  const legacy = db.pragma('legacy_alter_table', { simple: true }) as number;
  db.pragma('legacy_alter_table = ON');
  try {
    db.exec('ALTER TABLE leads_uid_bytes RENAME TO leads');
  } finally {
    db.pragma(`legacy_alter_table = ${legacy}`);
  }
  for (const sql of dependents) db.exec(sql);
}

export const migration0710UidBytesHistoryIndex: Migration = {
  version: 710,
  name: 'uid-bytes-history-index',
  rebuildsReferencedTable: true,
  up: (db) => {
    rebuildLeads(db);
    historyIndexByLead(db);
  },
};
