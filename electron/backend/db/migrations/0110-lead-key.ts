/**
 * The lead's key on the lead row: the value that tells apart leads without a name or an
 * email (X Education's "Prospect ID"), shown as the lead's label, as a grid column, found by
 * quick search and by every command that takes a lead.
 *
 * lead_keys can hold several keys per lead (one per key column of each import); lead_key
 * holds the value of the workspace's label key (workspace_meta `lead_key_name`, the most
 * common key name), else the lead's first key. It is a column, not a join, so the grid sorts
 * and searches it through an index like any other text column (COLLATE NOCASE, as
 * services/leads/lead-query-sql.ts spells it).
 */
import type { Migration } from '../migrate';

export const migration0110LeadKey: Migration = {
  version: 110,
  name: 'lead-key',
  up: (db) => {
    db.exec('ALTER TABLE leads ADD COLUMN lead_key TEXT');
    const name = db
      .prepare('SELECT key_name FROM lead_keys GROUP BY key_name ORDER BY count(*) DESC, key_name LIMIT 1')
      .pluck()
      .get() as string | undefined;
    if (name !== undefined) {
      db.prepare("INSERT OR REPLACE INTO workspace_meta (key, value) VALUES ('lead_key_name', ?)").run(name);
      db.prepare(
        `UPDATE leads SET lead_key = coalesce(
           (SELECT key_value FROM lead_keys k WHERE k.lead_id = leads.id AND k.key_name = ?),
           (SELECT key_value FROM lead_keys k WHERE k.lead_id = leads.id ORDER BY k.rowid LIMIT 1))
         WHERE id IN (SELECT lead_id FROM lead_keys)`,
      ).run(name);
    }
    db.exec('CREATE INDEX leads_g_lead_key ON leads(lead_key COLLATE NOCASE)');
  },
};
