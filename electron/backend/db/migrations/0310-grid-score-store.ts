/**
 * The grid sorts and filters by the score columns in memory (services/leads/score-store.ts),
 * so the 18 indexes it kept on them go: one per score column (score_total, score_fit,
 * score_engagement, grade, segment, is_mql, scored_at) and the (band, score) and (score,
 * score) pairs of 0040, 0070 and 0100. Every full rescore rewrote them all, and they were a
 * third of the workspace's index bytes. One narrow covering index in id order takes their
 * place: the store reads it (about a tenth of the table's bytes), and a rescore, which writes
 * in id order, keeps it with neighbouring writes instead of 18 random B-tree inserts per
 * lead (docs/decisions/grid-score-store.md).
 */
import type { Migration } from '../migrate';

export const DROPPED_SCORE_INDEXES = [
  'leads_g_score_total',
  'leads_g_score_fit',
  'leads_g_score_engagement',
  'leads_g_grade',
  'leads_g_segment',
  'leads_g_is_mql',
  'leads_g_scored_at',
  'leads_g_segment_score',
  'leads_g_grade_score',
  'leads_g_segment_score_fit',
  'leads_g_grade_score_fit',
  'leads_g_segment_score_engagement',
  'leads_g_grade_score_engagement',
  'leads_g_grade_segment',
  'leads_g_is_mql_segment',
  'leads_g_is_mql_score',
  'leads_g_score_fit_score',
  'leads_g_score_engagement_score',
] as const;

export const migration0310GridScoreStore: Migration = {
  version: 310,
  name: 'grid-score-store',
  up: (db) => {
    for (const name of DROPPED_SCORE_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
    db.exec(
      'CREATE INDEX leads_g_scores ON leads(id, score_total, score_fit, score_engagement, grade, segment, is_mql, scored_at)',
    );
  },
};
