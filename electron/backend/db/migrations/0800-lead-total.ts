/**
 * The number of leads, kept in a one-row table (`lead_total`) by an insert and a delete
 * trigger on leads, so the grid's whole-workspace total is one row read instead of a count.
 *
 * `SELECT count(*) FROM leads` walks every page of the index SQLite estimates narrowest. Since
 * migration 0710 that is the UNIQUE uid index (`uid ANY` estimates one unit wide, where the
 * TEXT it replaced estimated five and lost to suppressed_reason's index): 5,600 pages at 1M
 * leads against 2,300, read into a cold page cache on the grid's first page (27.9 ms on the
 * quiet bench machine, 13 ms before 0710; services/leads/lead-total.ts). INDEXED BY does not
 * move a bare count to another index, and a count over a chosen index is a row-by-row scan.
 *
 * A bulk load drops the insert trigger and counts again at its end (bulk-load.ts), as it
 * replays its other insert triggers. REPLACE conflict handling on leads (which deletes without
 * firing delete triggers) is used nowhere; an upsert updates, and fires no count trigger.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const LEAD_TOTAL_INSERT_TRIGGER = `CREATE TRIGGER leads_total_insert AFTER INSERT ON leads BEGIN
        UPDATE lead_total SET n = n + 1;
      END`;

export function addLeadTotal(db: Database.Database): void {
  db.exec(`
    CREATE TABLE lead_total (only_row INTEGER PRIMARY KEY CHECK (only_row = 0), n INTEGER NOT NULL);
    INSERT INTO lead_total (only_row, n) SELECT 0, count(*) FROM leads;
    ${LEAD_TOTAL_INSERT_TRIGGER};
    CREATE TRIGGER leads_total_delete AFTER DELETE ON leads BEGIN
      UPDATE lead_total SET n = n - 1;
    END;
  `);
}

export const migration0800LeadTotal: Migration = {
  version: 800,
  name: 'lead-total',
  up: addLeadTotal,
};
