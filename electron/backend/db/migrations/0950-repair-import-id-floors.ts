/**
 * Migration 0700's columns for the workspaces that skipped it. Before the migration ledger,
 * migrate() ran the migrations numbered above the file's `user_version`, and 0700 (import id
 * floors) landed after 0740 (custom field slots): a workspace created or upgraded by a build in between is at 740
 * without `imports.lead_ids_from` / `activity_ids_from`, so 0700 never runs there, and an
 * import's first write of its floor fails. This adds each column only when it is missing
 * (a no-op where 0700 ran); imports made before keep NULL, as 0700 leaves them.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

const FLOORS = ['lead_ids_from', 'activity_ids_from'] as const;

/** Adds the import id floors of migration 0700 that `imports` lacks. */
export function addMissingImportIdFloors(db: Database.Database): void {
  const have = new Set(db.prepare("SELECT name FROM pragma_table_info('imports')").pluck().all() as string[]);
  for (const column of FLOORS) if (!have.has(column)) db.exec(`ALTER TABLE imports ADD COLUMN ${column} INTEGER`);
}

export const migration0950RepairImportIdFloors: Migration = {
  version: 950,
  name: 'repair-import-id-floors',
  up: addMissingImportIdFloors,
};
