/**
 * The lead's key (leads.lead_key, migration 0110): which key or column it comes from
 * (workspace_meta `lead_key_name`), its value for a lead being imported, changing the
 * source later ("show leads by: ..."), and finding a lead by any reference a user types.
 */
import type Database from 'better-sqlite3';
import { normalizeEmail } from '../../../../shared/domain';
import type { LeadDraft } from '../../../../shared/mapping';
import { AppError } from '../../errors';
import { keyValueSql, leadIdByAnyKey } from './lead-keys';
import { customFieldSql, customSlots } from './custom-store';
import { uidMatchSql } from './lead-uid-sql';

const META_KEY = 'lead_key_name';

/** The name of the key (or column) lead_key holds, e.g. "Prospect ID"; null before any key. */
export function leadKeyName(db: Database.Database): string | null {
  return (
    (db.prepare('SELECT value FROM workspace_meta WHERE key = ?').pluck().get(META_KEY) as string | undefined) ?? null
  );
}

/**
 * The key name imports fill lead_key from: the workspace's, or the first of this import's
 * key columns when the workspace has none yet (it becomes the workspace's).
 */
export function adoptLeadKeyName(db: Database.Database, candidates: readonly string[]): string | null {
  const current = leadKeyName(db);
  if (current !== null || candidates.length === 0) return current;
  db.prepare('INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (?, ?)').run(META_KEY, candidates[0]);
  return candidates[0]!;
}

/** Leaves the workspace without a key name again (a failed import that had adopted one). */
export function forgetLeadKeyName(db: Database.Database): void {
  db.prepare('DELETE FROM workspace_meta WHERE key = ?').run(META_KEY);
}

/** The lead_key of an imported lead: its key named `keyName`, else its first key, else that custom column. */
export function draftLeadKey(keyName: string | null, lead: LeadDraft): string | null {
  const named = keyName === null ? undefined : lead.keys.find(([n]) => n === keyName);
  const value = named?.[1] ?? lead.keys[0]?.[1] ?? (keyName === null ? undefined : lead.custom[keyName]);
  return value === undefined || value.trim() === '' ? null : value;
}

/**
 * Shows leads by another key or custom column from now on: every lead's lead_key is taken
 * again from its key of that name, else its custom field of that name (kept when it has
 * neither). Returns the number of leads whose key changed.
 */
export function setLeadKeyName(db: Database.Database, name: string): number {
  const trimmed = name.trim();
  if (trimmed === '') throw new AppError('BAD_ARGUMENT', 'Name the key or column to show leads by.');
  return db.transaction(() => {
    db.prepare('INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (?, ?)').run(META_KEY, trimmed);
    const value = `coalesce(
        ${keyValueSql('leads.id')},
        CAST(${customFieldSql(customSlots(db).slotOf, trimmed)} AS TEXT))`;
    return db
      .prepare(`UPDATE leads SET lead_key = ${value} WHERE ${value} IS NOT NULL AND lead_key IS NOT ${value}`)
      .run(trimmed, trimmed, trimmed).changes;
  })();
}

/**
 * The lead a user or a script means by `ref`: its key first (lead_key, e.g. a Prospect ID,
 * then any of its import keys: a numeric key is not read as a lead number), then its id,
 * uid or email; null when none matches. Used by every command that takes a lead.
 */
export function findLeadId(db: Database.Database, ref: string): number | null {
  const trimmed = ref.trim();
  if (trimmed === '') return null;
  const byLabel = db
    .prepare('SELECT id FROM leads WHERE lead_key = ? COLLATE NOCASE ORDER BY id LIMIT 1')
    .pluck()
    .get(trimmed) as number | undefined;
  const byKey = byLabel ?? leadIdByAnyKey(db, trimmed);
  if (byKey !== undefined) return byKey;
  const lookups = [
    ...(/^\d+$/.test(trimmed) ? ['SELECT id FROM leads WHERE id = CAST(? AS INTEGER)'] : []),
    `SELECT id FROM leads WHERE ${uidMatchSql('?')}`,
    'SELECT id FROM leads WHERE email_norm = ?',
  ];
  for (const sql of lookups) {
    const arg = sql.includes('email_norm') ? (normalizeEmail(trimmed) ?? trimmed) : trimmed;
    const id = db.prepare(sql).pluck().get(arg) as number | undefined;
    if (id !== undefined) return id;
  }
  return null;
}
