/**
 * What the benchmarks share to seed a workspace with bulk SQL: a seeded picker
 * (test/support/seeded-random.ts underneath) and a bulk load of the leads table that drops
 * its secondary indexes and triggers first and rebuilds them after, exactly as the schema
 * declares them, with what the triggers would have kept (the owner-name mirror, the tag
 * table, the search index) filled in one pass. Each bench keeps its own word lists: they
 * shape the data it measures.
 */
import type Database from 'better-sqlite3';
import { mulberry32 } from '../support/seeded-random';

export type SeededPicker = Readonly<{
  /** The next number in [0, 1). */
  rnd: () => number;
  /** One element of `xs`, uniformly. */
  pick: <T>(xs: readonly T[]) => T;
}>;

/** A deterministic random source and a picker over it: the same seed gives the same data. */
export function seededPicker(seed: number): SeededPicker {
  const rnd = mulberry32(seed);
  return { rnd, pick: <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]! };
}

type SchemaObject = Readonly<{ type: string; name: string; sql: string }>;

/** Whether the workspace has this table (a bench may run against an older schema). */
function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(name) !== undefined;
}

/**
 * Drops the secondary indexes and triggers of `tables` (the leads table, and others whose
 * triggers write to it) for a bulk load; the returned function rebuilds them in one
 * transaction, after filling what the triggers keep from the loaded leads.
 */
export function dropLeadExtras(db: Database.Database, tables: readonly string[] = ['leads']): () => void {
  const objects = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_schema
       WHERE tbl_name IN (${tables.map(() => '?').join(', ')}) AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
    )
    .all(...tables) as SchemaObject[];
  for (const o of objects) db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name}"`);
  return () =>
    db.transaction(() => {
      for (const o of objects.filter((x) => x.type === 'index')) db.exec(o.sql);
      fillFromLeads(db);
      for (const o of objects.filter((x) => x.type === 'trigger')) db.exec(o.sql);
    })();
}

/** What the leads' triggers keep elsewhere, filled from the loaded rows at once. */
function fillFromLeads(db: Database.Database): void {
  if (hasTable(db, 'lead_total')) db.exec('UPDATE lead_total SET n = (SELECT count(*) FROM leads)');
  const columns = new Set((db.prepare('PRAGMA table_info(leads)').all() as { name: string }[]).map((c) => c.name));
  if (columns.has('owner_name')) {
    db.exec(
      `UPDATE leads SET owner_name = (SELECT name FROM owners WHERE owners.id = leads.owner_id)
       WHERE owner_id IS NOT NULL AND owner_name IS NULL`,
    );
  }
  if (hasTable(db, 'lead_tags')) {
    db.exec(
      `INSERT INTO lead_tags (lead_id, tag) SELECT leads.id, j.value FROM leads, json_each(leads.tags) j WHERE leads.tags <> '[]'`,
    );
  }
  if (hasTable(db, 'leads_search')) {
    db.exec(
      `INSERT INTO leads_search (rowid, name, email, company)
       SELECT id, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), coalesce(email, ''), coalesce(company, '') FROM leads`,
    );
  }
}
