/**
 * Indexes on the lead columns a fresh grid hides (first name, phone, industry, country, city,
 * website, source, campaign) are built on first use, as custom fields' already are
 * (ensureGridIndexes in services/leads/grid.ts): the first sort, filter or value list on such
 * a column builds its index once (about a second per million leads), and from then on every
 * import keeps it. Until then a lead import writes none of them: on the bench's lead file
 * that was 9 of the 23 indexes it built (with the (company, website) pair, built with
 * website's) and about 120 bytes a lead
 * (docs/decisions/lean-workspace.md, "Indexes on first use").
 *
 * A workspace whose leads fill such a column keeps its index (it may be in use); one that
 * fills it nowhere (every new workspace) gives it up.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

/** Text columns (NOCASE, as 0040 indexed them) whose grid index is built on first use. */
export const FIRST_USE_INDEXED_COLUMNS: ReadonlySet<string> = new Set([
  'first_name',
  'phone',
  'industry',
  'country',
  'city',
  'website',
  'source',
  'campaign',
]);

/**
 * The indexes migrations 0040 and 0080 declared for such a column, by the same names and SQL:
 * its own, and for website the (company, website) pair that sorts a company's matches by it.
 */
export function firstUseIndexes(column: string): { name: string; sql: string }[] {
  const own = {
    name: `leads_g_${column}`,
    sql: `CREATE INDEX IF NOT EXISTS leads_g_${column} ON leads(${column} COLLATE NOCASE)`,
  };
  if (column !== 'website') return [own];
  return [
    own,
    {
      name: 'leads_g_company_website',
      sql: 'CREATE INDEX IF NOT EXISTS leads_g_company_website ON leads(company COLLATE NOCASE, website COLLATE NOCASE)',
    },
  ];
}

/** Whether any lead has a value in `column` (0610 asks the same of its indexes' columns). */
export function filled(db: Database.Database, column: string): boolean {
  return db.prepare(`SELECT 1 FROM leads WHERE ${column} IS NOT NULL LIMIT 1`).get() !== undefined;
}

export const migration0550FirstUseIndexes: Migration = {
  version: 550,
  name: 'first-use-indexes',
  up: (db) => {
    for (const column of FIRST_USE_INDEXED_COLUMNS) {
      if (filled(db, column)) continue;
      for (const index of firstUseIndexes(column)) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    }
  },
};
