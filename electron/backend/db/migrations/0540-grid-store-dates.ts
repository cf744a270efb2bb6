/**
 * The grid's number and date columns that are not scores (created_at, updated_at,
 * last_activity_at, company_size) join the score columns in the score store
 * (services/leads/score-store.ts): sorted and filtered in memory like them, so their four
 * indexes go. Each cost every imported lead an index entry (about 49 bytes a lead on the
 * bench's file), every activity written a random update of last_activity_at's, and every
 * edit or stage change one of updated_at's. The store's covering index in id order takes
 * their columns instead (docs/decisions/grid-score-store.md, "Dates and sizes").
 */
import type { Migration } from '../migrate';

export const DROPPED_STORE_COLUMN_INDEXES = [
  'leads_g_created_at',
  'leads_g_updated_at',
  'leads_g_last_activity_at',
  'leads_g_company_size',
] as const;

/** The store's covering index: id first (its arrays' order), then every column it holds. */
export const STORE_INDEX_SQL =
  'CREATE INDEX leads_g_scores ON leads(id, score_total, score_fit, score_engagement, is_mql, scored_at, created_at, updated_at, last_activity_at, company_size, grade, segment)';

export const migration0540GridStoreDates: Migration = {
  version: 540,
  name: 'grid-store-dates',
  up: (db) => {
    for (const name of DROPPED_STORE_COLUMN_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
    db.exec('DROP INDEX IF EXISTS leads_g_scores');
    db.exec(STORE_INDEX_SQL);
  },
};
