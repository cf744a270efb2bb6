/**
 * The quick search's trigram table (leads_search), built on first use (migration 0610): the
 * first view that searches, or filters name, email or company by a substring, creates it,
 * fills it from every lead and adds the triggers that keep it current from then on. A
 * workspace that never searches never pays for it (about 200 bytes a lead on the bench file).
 *
 * Built in one transaction: a crash or failure leaves no half-filled table behind. On the
 * read connection the CREATE is refused before anything changes and the request runs again
 * as a write (backend.ts), as the grid's first-use indexes do.
 */
import type Database from 'better-sqlite3';
import type { LeadQuery } from '../../../../shared/contract/leads';
import { LEAD_SEARCH_FILL, LEAD_SEARCH_TABLE, LEAD_SEARCH_TRIGGERS } from '../../db/migrations/0610-first-use-grid';
import { buildAnnounced } from '../../db/first-use-notice';
import { tableExists } from './grid-cache';
import { usesSearchTable } from './lead-query-sql';

/** Whether this workspace has the search table (built by a first search, or kept by 0610). */
export function hasLeadSearch(db: Database.Database): boolean {
  return tableExists(db, 'leads_search');
}

/** Builds the search table with its triggers unless it exists; true when it was built now. */
export function ensureLeadSearch(db: Database.Database): boolean {
  if (hasLeadSearch(db)) return false;
  buildAnnounced(db, 'Preparing quick search (once for this workspace)', () =>
    db
      .transaction(() => {
        db.exec(LEAD_SEARCH_TABLE);
        db.exec(LEAD_SEARCH_FILL);
        for (const sql of Object.values(LEAD_SEARCH_TRIGGERS)) db.exec(sql);
      })
      .immediate(),
  );
  return true;
}

/** Builds the search table when this view's SQL reads it (buildLeadQuerySql). */
export function ensureSearchFor(db: Database.Database, query: Pick<LeadQuery, 'filters' | 'search'>): void {
  if (usesSearchTable(query)) ensureLeadSearch(db);
}
