/**
 * (score_engagement, score_total) for the leads grid: a score range sorted by engagement.
 * Engagement is part of the total, so a range of totals gathers at one end of the engagement
 * order (low totals under the lowest engagement, high ones under the highest): walking the
 * engagement index passed most of the workspace first (90-575 ms on 1M leads), and sorting
 * the matches read 100,000+ rows. With the pair the sort reads engagement bucket by bucket,
 * each bucket's matches counted in this index (bucketPlan in services/leads/grid.ts): 2-7 ms.
 * The same as (score_fit, score_total) of 0070. A score column: a full rescore maintains it
 * for every lead whose engagement or total changes.
 * Dropped again by migration 0310: the score store (services/leads/score-store.ts) serves
 * these views without indexes.
 */
import type { Migration } from '../migrate';

export const migration0100GridEngagementPair: Migration = {
  version: 100,
  name: 'grid-engagement-pair',
  up: (db) => {
    db.exec('CREATE INDEX leads_g_score_engagement_score ON leads(score_engagement, score_total)');
  },
};
