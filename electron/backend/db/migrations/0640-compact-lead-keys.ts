/**
 * Leads' identity keys stored compactly (services/leads/lead-keys.ts reads and writes them):
 * each key name once in lead_key_names, and lead_keys keyed by (key_id, key_value) WITHOUT
 * ROWID, so the table is its own lookup index. Before, every row and its primary-key index
 * repeated the name ("Row of hillstrom_email_campaign.csv" 128,000 times for 64,000 leads:
 * 7.6 MB of that 50 MB workspace, 2.4 MB after).
 */
import type { Migration } from '../migrate';

export const migration0640CompactLeadKeys: Migration = {
  version: 640,
  name: 'compact-lead-keys',
  up: (db) => {
    db.exec(`
      CREATE TABLE lead_key_names (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      ) STRICT;
      INSERT INTO lead_key_names (name) SELECT DISTINCT key_name FROM lead_keys ORDER BY key_name;
      CREATE TABLE lead_keys_compact (
        key_id INTEGER NOT NULL REFERENCES lead_key_names(id),
        key_value TEXT NOT NULL,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        PRIMARY KEY (key_id, key_value)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO lead_keys_compact (key_id, key_value, lead_id)
        SELECT n.id, k.key_value, k.lead_id FROM lead_keys k JOIN lead_key_names n ON n.name = k.key_name
        ORDER BY n.id, k.key_value;
      DROP TABLE lead_keys;
      ALTER TABLE lead_keys_compact RENAME TO lead_keys;
      CREATE INDEX lead_keys_by_lead ON lead_keys(lead_id);
    `);
  },
};
