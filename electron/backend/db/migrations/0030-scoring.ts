/**
 * Scoring: manual score adjustments (signed points with a reason, shown in the ledger),
 * score history (one row whenever a lead's score, grade or segment under a model changes;
 * the lead page charts it), an index that streams activities in lead and time order for
 * rescoring, and the default model seeded as the primary, version 1 published, so a new
 * workspace scores leads from its first import. lead_scores is rebuilt clustered by lead.
 */
import { DEFAULT_MODEL } from '../../../../shared/scoring';
import type { Migration } from '../migrate';

export const migration0030Scoring: Migration = {
  version: 30,
  name: 'scoring',
  up: (db) => {
    db.exec(`
      CREATE TABLE score_adjustments (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        points INTEGER NOT NULL,
        reason TEXT NOT NULL,
        actor TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX score_adjustments_by_lead ON score_adjustments(lead_id, created_at);

      CREATE TABLE score_history (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        model_version INTEGER NOT NULL,
        total REAL NOT NULL,
        fit REAL NOT NULL,
        engagement REAL NOT NULL,
        grade TEXT NOT NULL,
        segment TEXT NOT NULL,
        is_mql INTEGER NOT NULL,
        scored_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX score_history_by_lead ON score_history(lead_id, model_id, scored_at);

      CREATE INDEX IF NOT EXISTS activities_by_lead_time ON activities(lead_id, occurred_at);

      -- lead_scores clustered by (lead_id, model_id): rescoring reads and writes it in lead
      -- order, a batch at a time; a rowid table would add a second B-tree and a random
      -- lookup per row. Same columns, so every reader is unaffected.
      CREATE TABLE lead_scores_new (
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        model_version INTEGER NOT NULL,
        fit REAL NOT NULL,
        engagement REAL NOT NULL,
        total REAL NOT NULL,
        grade TEXT NOT NULL,
        segment TEXT NOT NULL,
        is_mql INTEGER NOT NULL,
        suppressed_reason TEXT,
        ledger TEXT NOT NULL,
        scored_at INTEGER NOT NULL,
        PRIMARY KEY (lead_id, model_id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO lead_scores_new SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql,
        suppressed_reason, ledger, scored_at FROM lead_scores;
      DROP TABLE lead_scores;
      ALTER TABLE lead_scores_new RENAME TO lead_scores;
      CREATE INDEX lead_scores_by_model ON lead_scores(model_id);
    `);
    const now = Date.now();
    const hasModels = (db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n > 0;
    if (!hasModels) {
      const id = db
        .prepare(
          'INSERT INTO models (name, is_primary, draft, published_version, created_at, updated_at) VALUES (?, 1, NULL, 1, ?, ?)',
        )
        .run(DEFAULT_MODEL.name, now, now).lastInsertRowid;
      db.prepare(
        'INSERT INTO model_versions (model_id, version, definition, note, published_at) VALUES (?, 1, ?, ?, ?)',
      ).run(id, JSON.stringify(DEFAULT_MODEL), 'Default model', now);
    }
  },
};
