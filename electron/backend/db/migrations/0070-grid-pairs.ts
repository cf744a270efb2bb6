/**
 * Pairs of score columns for the leads grid, where a page can only be found fast when one
 * index holds both columns (see pagePlan in services/leads/grid.ts). Segments, grades and
 * the MQL flag are bands of the same scores, so a filter on one and a sort by another put
 * the matches at one end of the sort order, and neither "walk the sort index" nor "sort the
 * matches" is cheap without the pair. One index serves both directions:
 * - (grade, segment), (is_mql, segment): a grade cell or the MQL flag sorted by segment walks
 *   the pair; a segment chip sorted by grade or MQL reads the sort column's values one at a
 *   time, each value's matches straight from the pair in id order ("buckets" in grid.ts);
 * - (is_mql, score_total), (score_fit, score_total): a score range sorted by MQL or by fit
 *   counts each value's matches in the pair and reads only the values that hold the page.
 * The (segment|grade, score_total|score_fit|score_engagement) pairs of 0040 serve the same way.
 * Each costs a full rescore some index upkeep; the grid needs no other pairs.
 * Dropped again by migration 0310: the score store (services/leads/score-store.ts) serves
 * these views without indexes.
 */
import type { Migration } from '../migrate';

export const migration0070GridPairs: Migration = {
  version: 70,
  name: 'grid-pairs',
  up: (db) => {
    db.exec(`
      CREATE INDEX leads_g_grade_segment ON leads(grade, segment);
      CREATE INDEX leads_g_is_mql_segment ON leads(is_mql, segment);
      CREATE INDEX leads_g_is_mql_score ON leads(is_mql, score_total);
      CREATE INDEX leads_g_score_fit_score ON leads(score_fit, score_total);
    `);
  },
};
