/**
 * Custom field indexes named by slot (services/leads/lead-query-sql.ts customFieldIndexName).
 * They were named `leads_cf_` + the hex of the field's name cut at 120 digits (60 bytes): a
 * longer name read back from its index as another, cut name (a phantom column in the grid),
 * and two long names sharing their first 60 bytes shared one index name, so the second field
 * never got an index and its sort or filter was pointed at the first field's index.
 *
 * Each such index is on one slot's value (`json_extract(custom, '$[i]')`, migration 0740 and
 * ensureGridIndexes), read from its own SQL, not its name: it is dropped and built again as
 * `leads_cfs_<i>` on the same expression (SQLite renames no index). One whose SQL names no
 * slot (none is known) or whose slot has an index already is only dropped; the grid builds
 * what a view needs on first use.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

/** The name a custom field's index had before this migration (test fixtures build them). */
export function legacyCustomFieldIndexName(field: string): string {
  const hex = [...new TextEncoder().encode(field)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `leads_cf_${hex.slice(0, 120)}`;
}

/** The slot in an index's SQL: `json_extract(custom, '$[3]')`. */
const SLOT_PATH = /json_extract\(\s*custom\s*,\s*'\$\[(\d+)\]'\s*\)/;

export function renameCustomFieldIndexes(db: Database.Database): void {
  const old = db
    .prepare(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'leads' AND name LIKE 'leads\\_cf\\_%' ESCAPE '\\'",
    )
    .all() as { name: string; sql: string | null }[];
  const slots = new Set(db.prepare('SELECT slot FROM custom_field_slots').pluck().all() as number[]);
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck();
  for (const { name, sql } of old) {
    db.exec(`DROP INDEX "${name}"`);
    const slot = Number(SLOT_PATH.exec(sql ?? '')?.[1] ?? NaN);
    if (!Number.isInteger(slot) || !slots.has(slot)) continue;
    const renamed = `leads_cfs_${slot}`;
    if (exists.get(renamed) === undefined)
      db.exec(`CREATE INDEX "${renamed}" ON leads(json_extract(custom, '$[${slot}]') COLLATE NOCASE)`);
  }
}

export const migration0960CustomIndexSlotNames: Migration = {
  version: 960,
  name: 'custom-index-slot-names',
  up: renameCustomFieldIndexes,
};
