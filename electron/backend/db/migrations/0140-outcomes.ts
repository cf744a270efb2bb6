/**
 * Outcomes recorded from an import's outcome column: won or lost, when it was decided and
 * the deal value, per lead. The stage (Won / Lost) is what learning and model health read;
 * this table keeps what the stage cannot hold (the deal value) and which columns carried
 * the outcome, so learning never uses the outcome's own column as a predictor.
 */
import type { Migration } from '../migrate';

export const migration0140Outcomes: Migration = {
  version: 140,
  name: 'outcomes',
  up: (db) => {
    db.exec(`
      CREATE TABLE lead_outcomes (
        lead_id INTEGER PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
        outcome TEXT NOT NULL CHECK (outcome IN ('won', 'lost')),
        decided_at INTEGER,
        deal_value REAL,
        import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
        recorded_at INTEGER NOT NULL
      ) STRICT;

      -- The columns an import mapped as outcome, outcome date or deal value (never predictors).
      CREATE TABLE outcome_columns (
        column_name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('outcome', 'date', 'value')),
        import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL
      ) STRICT;
    `);
  },
};
