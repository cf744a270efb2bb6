/**
 * The leads' identity keys (an import's key columns, e.g. X Education's "Prospect ID", or
 * `--row-key`'s "Row of FILE"): the only module that reads or writes lead_keys.
 *
 * Stored compactly (migration 0640): each key name once in lead_key_names, and lead_keys
 * holds (key_id, key_value) -> lead_id WITHOUT ROWID, so the table is its own lookup index.
 * A name was repeated in every row and again in its primary-key index before: about 90 bytes
 * a lead for a row key like "Row of hillstrom_email_campaign.csv".
 */
import type Database from 'better-sqlite3';

export type LeadKeyStore = Readonly<{
  /** The lead holding the key `name` = `value`, if any. */
  find: (name: string, value: string) => number | undefined;
  /** Gives lead `leadId` the key; false when that key already belongs to a lead. */
  add: (leadId: number, name: string, value: string) => boolean;
  /** Removes the key from lead `leadId` (an import being reverted). */
  drop: (leadId: number, name: string, value: string) => void;
}>;

/** Prepared statements for many lookups and writes (an import); key ids are remembered. */
export function leadKeyStore(db: Database.Database): LeadKeyStore {
  const idOf = db.prepare('SELECT id FROM lead_key_names WHERE name = ?').pluck();
  const addName = db.prepare('INSERT INTO lead_key_names (name) VALUES (?)');
  const byKey = db.prepare('SELECT lead_id FROM lead_keys WHERE key_id = ? AND key_value = ?').pluck();
  const insert = db.prepare('INSERT OR IGNORE INTO lead_keys (key_id, key_value, lead_id) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM lead_keys WHERE key_id = ? AND key_value = ? AND lead_id = ?');
  // Only ids read or written in this store's transaction(s) are cached; names are never deleted.
  const ids = new Map<string, number>();
  const existingId = (name: string): number | undefined => {
    let id = ids.get(name);
    if (id === undefined) {
      id = idOf.get(name) as number | undefined;
      if (id !== undefined) ids.set(name, id);
    }
    return id;
  };
  return {
    find(name, value) {
      const id = existingId(name);
      return id === undefined ? undefined : (byKey.get(id, value) as number | undefined);
    },
    add(leadId, name, value) {
      let id = existingId(name);
      if (id === undefined) {
        id = Number(addName.run(name).lastInsertRowid);
        ids.set(name, id);
      }
      return insert.run(id, value, leadId).changes > 0;
    },
    drop(leadId, name, value) {
      const id = existingId(name);
      if (id !== undefined) remove.run(id, value, leadId);
    },
  };
}

/**
 * Removes the key names no lead holds any more (after an import is reverted), so a reverted
 * import leaves the workspace as it found it. A LeadKeyStore made before must not add keys after.
 */
export function forgetUnusedKeyNames(db: Database.Database): void {
  db.prepare(
    'DELETE FROM lead_key_names WHERE NOT EXISTS (SELECT 1 FROM lead_keys WHERE key_id = lead_key_names.id)',
  ).run();
}

/** The lead holding `value` under any key name (the lowest id when several do). */
export function leadIdByAnyKey(db: Database.Database, value: string): number | undefined {
  // One seek per key name (the primary key starts with key_id), not a scan of every key.
  return (
    (db
      .prepare('SELECT min(lead_id) FROM lead_keys WHERE key_id IN (SELECT id FROM lead_key_names) AND key_value = ?')
      .pluck()
      .get(value) as number | null) ?? undefined
  );
}

/** The key names some lead holds (a column that is a key says nothing about fit). */
export function keyNamesInUse(db: Database.Database): string[] {
  return db
    .prepare('SELECT name FROM lead_key_names n WHERE EXISTS (SELECT 1 FROM lead_keys WHERE key_id = n.id)')
    .pluck()
    .all() as string[];
}

/** Each lead's smallest key value, by lead id (leads without a key are absent). */
export function smallestKeyByLead(db: Database.Database): Map<number, string> {
  return new Map(
    db.prepare('SELECT lead_id, min(key_value) FROM lead_keys GROUP BY lead_id').raw(true).all() as [number, string][],
  );
}

/**
 * SQL for the value of the key named by the next `?` parameter of the lead whose id is the
 * SQL expression `leadId` (NULL when it has none).
 */
export function keyValueSql(leadId: string): string {
  return `(SELECT k.key_value FROM lead_keys k WHERE k.key_id = (SELECT id FROM lead_key_names WHERE name = ?) AND k.lead_id = ${leadId})`;
}
