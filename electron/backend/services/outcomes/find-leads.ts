/**
 * Finding a lead by what a script or a spreadsheet knows about it: an identity key's value
 * (the import's key column, e.g. X Education's Prospect ID) first, then what `explain`
 * accepts (lead number, uid, email).
 */
import type Database from 'better-sqlite3';
import { findLeadId } from '../scoring/explain';

/** The lead a reference names, or null (a key value shared by two key columns: the oldest lead). */
export function findLead(db: Database.Database, ref: string): number | null {
  const v = ref.trim();
  if (v === '') return null;
  const byKey = db.prepare('SELECT lead_id FROM lead_keys WHERE key_value = ? ORDER BY lead_id LIMIT 1').pluck().get(v);
  if (typeof byKey === 'number') return byKey;
  return findLeadId(db, v);
}
