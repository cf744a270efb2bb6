/**
 * The number of leads in the workspace: the row migration 0800 keeps (an insert and a delete
 * trigger on leads), or a count where that table is missing (a development workspace that was
 * past version 800 before 0800 existed skipped it: migrate() ran only higher versions before
 * the migration ledger, which counts every migration up to user_version as applied).
 *
 * The count it spares is the grid's whole-workspace total on opening: `count(*)` reads every
 * page of the uid index (about 5,600 at 1M leads) into a page cache that is still cold then,
 * each page also a first touch of the cache's memory: about 25 ms of the first page's CPU.
 */
import type Database from 'better-sqlite3';

export function leadTotal(db: Database.Database): number {
  const kept = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'lead_total'").get();
  if (kept === undefined) return db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
  return db.prepare('SELECT n FROM lead_total').pluck().get() as number;
}
