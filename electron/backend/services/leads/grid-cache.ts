/**
 * What the grid knows of a workspace between two changes: its lead columns, which indexes
 * exist, and reads memoized until the data changes (a count over a million rows costs tens
 * of milliseconds; the score store, score-store.ts, a scan).
 */
import type Database from 'better-sqlite3';
import type { CustomFieldType } from '../../../../shared/custom-fields';
import { customFieldTypes } from './custom-fields';
import { customSlots } from './custom-store';

/** Physical columns of the leads table (follow-up adds sla_due_at in its own migration). */
export function leadTableColumns(db: Database.Database): ReadonlySet<string> {
  const rows = db.prepare("SELECT name FROM pragma_table_info('leads')").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** What lead-query-sql needs to know of this workspace: its lead columns, custom field types and slots. */
export function querySqlOptions(db: Database.Database): {
  leadColumns: ReadonlySet<string>;
  customTypes: ReadonlyMap<string, CustomFieldType>;
  customSlots: ReadonlyMap<string, number>;
} {
  return { leadColumns: leadTableColumns(db), customTypes: customFieldTypes(db), customSlots: customSlots(db).slotOf };
}

export function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Moves whenever the data may have changed: total_changes() counts this connection's own
 * writes, data_version moves when another connection commits (the workspace connection,
 * seen from the read connection of backend.ts).
 */
export function changeStamp(db: Database.Database): string {
  const own = (db.prepare('SELECT total_changes() AS n').pluck().get() as number) ?? 0;
  return `${own}:${db.pragma('data_version', { simple: true }) as number}`;
}

type CountCache = { stamp: string; entries: Map<string, unknown> };
const countCaches = new WeakMap<Database.Database, CountCache>();

/** Memoizes an expensive read until the database changes. */
export function cachedUntilChange<T>(db: Database.Database, key: string, compute: () => T): T {
  const stamp = changeStamp(db);
  let cache = countCaches.get(db);
  if (!cache || cache.stamp !== stamp) {
    cache = { stamp, entries: new Map() };
    countCaches.set(db, cache);
  }
  if (cache.entries.has(key)) return cache.entries.get(key) as T;
  const value = compute();
  cache.entries.set(key, value);
  return value;
}

export function indexExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) !== undefined;
}
