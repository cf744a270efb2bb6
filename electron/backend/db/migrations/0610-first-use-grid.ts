/**
 * The grid's remaining indexes and the quick search's trigram table are built on first use,
 * as 0550 did for the columns a fresh grid hides: a lead import builds none of them, so a
 * workspace pays only for the sorts, filters and searches it has used (issue #15: on the
 * bench's lead file they were about 400 of the 990 bytes a lead,
 * docs/decisions/lean-workspace.md, "Grid structures on first use").
 *
 * - Each index below is built the first time a grid view needs it (services/leads/grid.ts,
 *   ensureGridIndexes): a sort or filter on its column, or for a pair both of its columns in
 *   one view. From then on it exists, so every import keeps it (db/deferred-indexes.ts).
 * - The trigram search table and its three triggers are built by the first quick search or
 *   substring filter on name, email or company (services/leads/lead-search.ts); from then on
 *   the triggers keep it current and a bulk load fills it (services/leads/bulk-load.ts).
 *
 * Kept at import: the unique uid and email indexes (matching relies on them), the score
 * store's index (leads_g_scores: counts on open, score sorts), suppressed_reason's (the
 * suppressed count on open) and follow-up's (owner, stage) and sla_due_at indexes.
 *
 * An upgraded workspace keeps an index whose columns its leads fill, and the search table
 * when it has leads (either may be in use); an empty one (every new workspace) gives them up.
 */
import type { Migration } from '../migrate';
import { filled } from './0550-first-use-indexes';

/** The pseudo column of a view's quick search (a lead key prefix is part of it). */
export const QUICK_SEARCH = '(quick search)';

export type FirstUseIndex = Readonly<{
  name: string;
  /** The SQL migrations 0040, 0080, 0090 and 0110 declared it with (IF NOT EXISTS added). */
  sql: string;
  /** The views that need it: each entry is a set of columns one view uses together. */
  neededBy: readonly (readonly string[])[];
  /** The columns whose values it holds: an upgraded workspace keeps it when a lead fills one. */
  holds: readonly string[];
}>;

function index(name: string, on: string, neededBy: string[][], holds: string[]): FirstUseIndex {
  return { name, sql: `CREATE INDEX IF NOT EXISTS ${name} ON leads(${on})`, neededBy, holds };
}

const NAME_KEYS = 'last_name COLLATE NOCASE, first_name COLLATE NOCASE';

export const FIRST_USE_GRID_INDEXES: readonly FirstUseIndex[] = [
  index('leads_g_name', NAME_KEYS, [['name'], ['last_name']], ['last_name', 'first_name']),
  index('leads_g_id_name', `id, ${NAME_KEYS}`, [['name'], ['last_name']], ['last_name', 'first_name']),
  index('leads_g_email', 'email COLLATE NOCASE', [['email']], ['email']),
  index('leads_g_id_email', 'id, email COLLATE NOCASE', [['email']], ['email']),
  index('leads_g_company', 'company COLLATE NOCASE', [['company']], ['company']),
  index('leads_g_title', 'title COLLATE NOCASE', [['title']], ['title']),
  index('leads_g_owner_name', 'owner_name COLLATE NOCASE', [['owner_name']], ['owner_name']),
  index('leads_g_stage', 'stage', [['stage']], ['stage']),
  index('leads_g_stage_sla_due_at', 'stage, sla_due_at', [['stage', 'sla_due_at']], ['sla_due_at']),
  index('leads_g_lead_key', 'lead_key COLLATE NOCASE', [['lead_key'], [QUICK_SEARCH]], ['lead_key']),
];

/** The search row of a lead, as the triggers below write it (NEW. or no prefix). */
export function leadSearchRow(prefix: '' | 'NEW.'): string {
  return `trim(coalesce(${prefix}first_name, '') || ' ' || coalesce(${prefix}last_name, '')), coalesce(${prefix}email, ''), coalesce(${prefix}company, '')`;
}

/** The trigram table of migration 0040 (contentless: it holds only the trigrams). */
export const LEAD_SEARCH_TABLE = `CREATE VIRTUAL TABLE leads_search USING fts5(
  name, email, company,
  content = '', contentless_delete = 1, tokenize = 'trigram'
)`;

/** Fills the search table from every lead. */
export const LEAD_SEARCH_FILL = `INSERT INTO leads_search (rowid, name, email, company) SELECT id, ${leadSearchRow('')} FROM leads`;

/** The triggers of migration 0040 that keep the search table current, by name. */
export const LEAD_SEARCH_TRIGGERS: Readonly<Record<string, string>> = {
  leads_search_insert: `CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO leads_search (rowid, name, email, company) VALUES (NEW.id, ${leadSearchRow('NEW.')});
  END`,
  leads_search_update: `CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, email, company ON leads BEGIN
    DELETE FROM leads_search WHERE rowid = OLD.id;
    INSERT INTO leads_search (rowid, name, email, company) VALUES (NEW.id, ${leadSearchRow('NEW.')});
  END`,
  leads_search_delete: `CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    DELETE FROM leads_search WHERE rowid = OLD.id;
  END`,
};

export const migration0610FirstUseGrid: Migration = {
  version: 610,
  name: 'first-use-grid',
  up: (db) => {
    for (const i of FIRST_USE_GRID_INDEXES) {
      if (i.holds.some((c) => filled(db, c))) continue;
      db.exec(`DROP INDEX IF EXISTS ${i.name}`);
    }
    if (db.prepare('SELECT 1 FROM leads LIMIT 1').get() !== undefined) return;
    for (const name of Object.keys(LEAD_SEARCH_TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
    db.exec('DROP TABLE IF EXISTS leads_search');
  },
};
