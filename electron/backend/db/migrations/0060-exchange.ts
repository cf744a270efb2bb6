/**
 * Export and exchange: every export (what, how, where), and for exports meant to come
 * back (round trip) one row per exported lead with the values as written and the lead's
 * updated_at then, so a returned sheet's edits can be told apart from changes made in
 * Leadbench since (conflicts). Applied round-trip items are recorded by a fingerprint so
 * the same sheet applied twice changes nothing the second time. Workspace backups are
 * listed here too (the files live beside the workspace).
 *
 * export_rows has no foreign key to leads: a lead deleted after the export must not take
 * the record of what was exported with it (its row then reads "lead no longer exists").
 */
import type { Migration } from '../migrate';

export const migration0060Exchange: Migration = {
  version: 60,
  name: 'exchange',
  up: (db) => {
    db.exec(`
      CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        export_uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('leads', 'owner-packs', 'report')),
        format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
        source TEXT NOT NULL,
        columns TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}',
        round_trip INTEGER NOT NULL DEFAULT 0,
        files TEXT NOT NULL DEFAULT '[]',
        row_count INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
        message TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;

      CREATE TABLE export_rows (
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        lead_uid TEXT NOT NULL,
        lead_id INTEGER NOT NULL,
        owner_id INTEGER,
        lead_updated_at INTEGER NOT NULL,
        exported_values TEXT NOT NULL,
        PRIMARY KEY (export_id, lead_uid)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE roundtrip_applies (
        id INTEGER PRIMARY KEY,
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        summary TEXT NOT NULL,
        backup_path TEXT,
        applied_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE roundtrip_applied (
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        lead_uid TEXT NOT NULL,
        item TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        apply_id INTEGER NOT NULL REFERENCES roundtrip_applies(id) ON DELETE CASCADE,
        outcome TEXT NOT NULL,
        PRIMARY KEY (export_id, lead_uid, item, fingerprint)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE backups (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto')),
        reason TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX backups_by_kind ON backups(kind, created_at);
    `);
  },
};
