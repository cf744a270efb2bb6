/**
 * The core tables: leads (stable uid, normalized email, custom fields as JSON), their
 * external keys, activities, imports with their errors and undo journal, saved column
 * mappings, scoring models with versions, per-model scores, owners and stage history.
 *
 * The primary model's result is also kept on the lead row itself (score_*, grade,
 * segment, is_mql): the grid sorts and filters a million leads by those columns, and a
 * join per page would cost more than the duplication.
 */
import type { Migration } from '../migrate';

export const migration0010Core: Migration = {
  version: 10,
  name: 'core',
  up: (db) => {
    db.exec(`
      CREATE TABLE workspace_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_path TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}',
        mapping TEXT NOT NULL DEFAULT '{}',
        rows_total INTEGER NOT NULL DEFAULT 0,
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        activities_inserted INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        message TEXT
      ) STRICT;

      CREATE TABLE import_errors (
        import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        row_number INTEGER NOT NULL,
        column_name TEXT,
        reason TEXT NOT NULL,
        raw TEXT
      ) STRICT;
      CREATE INDEX import_errors_by_import ON import_errors(import_id, row_number);

      CREATE TABLE leads (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        email TEXT,
        email_norm TEXT,
        first_name TEXT,
        last_name TEXT,
        company TEXT,
        title TEXT,
        phone TEXT,
        industry TEXT,
        company_size REAL,
        country TEXT,
        city TEXT,
        website TEXT,
        source TEXT,
        campaign TEXT,
        custom TEXT NOT NULL DEFAULT '{}',
        stage TEXT NOT NULL DEFAULT 'new',
        owner_id INTEGER,
        tags TEXT NOT NULL DEFAULT '[]',
        manual_suppression TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_activity_at INTEGER,
        import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
        score_total REAL,
        score_fit REAL,
        score_engagement REAL,
        grade TEXT,
        segment TEXT,
        is_mql INTEGER NOT NULL DEFAULT 0,
        suppressed_reason TEXT,
        scored_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX leads_email_norm ON leads(email_norm) WHERE email_norm IS NOT NULL;

      CREATE TABLE owners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL DEFAULT 'inside_sales',
        team TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE stage_changes (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        from_stage TEXT,
        to_stage TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT
      ) STRICT;
      CREATE INDEX stage_changes_by_lead ON stage_changes(lead_id, changed_at);

      CREATE TABLE lead_keys (
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        key_name TEXT NOT NULL,
        key_value TEXT NOT NULL,
        PRIMARY KEY (key_name, key_value)
      ) STRICT;
      CREATE INDEX lead_keys_by_lead ON lead_keys(lead_id);

      CREATE TABLE activities (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        asset TEXT NOT NULL DEFAULT '',
        occurred_at INTEGER NOT NULL,
        duration_sec REAL,
        import_id INTEGER REFERENCES imports(id) ON DELETE SET NULL,
        detail TEXT
      ) STRICT;
      CREATE UNIQUE INDEX activities_identity ON activities(lead_id, type, asset, occurred_at);

      CREATE TABLE import_journal (
        import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        action TEXT NOT NULL,
        lead_id INTEGER,
        before TEXT,
        PRIMARY KEY (import_id, seq)
      ) STRICT;

      CREATE TABLE saved_mappings (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        header_signature TEXT NOT NULL,
        kind TEXT NOT NULL,
        mapping TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX saved_mappings_by_signature ON saved_mappings(header_signature);

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        is_primary INTEGER NOT NULL DEFAULT 0,
        draft TEXT,
        published_version INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE model_versions (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        note TEXT,
        published_at INTEGER NOT NULL,
        PRIMARY KEY (model_id, version)
      ) STRICT;

      CREATE TABLE lead_scores (
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
      ) STRICT;
      CREATE INDEX lead_scores_by_model ON lead_scores(model_id);
    `);
  },
};
