/**
 * The grid's reads: a page of rows (sorted, filtered and counted in SQL), the counts behind
 * the segment chips and the grade grid, the column list (standard + custom fields) and the
 * distinct values an "in list" filter offers.
 *
 * Counts over a million rows cost tens of milliseconds, so they are cached per query and
 * invalidated by SQLite's own change counter (total_changes(): one connection owns the file).
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type {
  DistinctValue,
  LeadColumnInfo,
  LeadCounts,
  LeadGridMeta,
  LeadPage,
  LeadQuery,
  LeadRow,
  leadPageArgsSchema,
} from '../../../../shared/contract/leads';
import {
  customFieldName,
  findLeadColumn,
  isCustomColumn,
  LEAD_COLUMNS,
  UNSORTABLE_COLUMNS,
  CUSTOM_PREFIX,
} from '../../../../shared/lead-columns';
import { DEFAULT_STAGES, LEAD_FIELDS } from '../../../../shared/domain';
import { AppError } from '../../errors';
import {
  buildLeadQuerySql,
  columnSql,
  customFieldExpr,
  customFieldIndexName,
  filterUsesIndex,
  sortIndexName,
} from './lead-query-sql';

export type LeadPageArgs = z.output<typeof leadPageArgsSchema>;

/** Physical columns of the leads table (follow-up adds sla_due_at in its own migration). */
export function leadTableColumns(db: Database.Database): ReadonlySet<string> {
  const rows = db.prepare("SELECT name FROM pragma_table_info('leads')").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Change counter of this connection: any insert/update/delete moves it. */
function changeStamp(db: Database.Database): number {
  return (db.prepare('SELECT total_changes() AS n').pluck().get() as number) ?? 0;
}

type CountCache = { stamp: number; entries: Map<string, unknown> };
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

/**
 * Indexes that cannot be declared in a migration: one per custom field used for sorting or
 * filtering (fields come from spreadsheets), and a full index on follow-up's sla_due_at
 * (its own index is partial, which cannot serve a sort with blanks last). Built once, on
 * first use (about a second per million leads).
 */
export function ensureGridIndexes(db: Database.Database, columns: Iterable<string>): void {
  for (const key of columns) {
    if (isCustomColumn(key)) {
      const field = customFieldName(key);
      db.exec(
        `CREATE INDEX IF NOT EXISTS "${customFieldIndexName(field)}" ON leads(${customFieldExpr(field).replace('leads.custom', 'custom')} COLLATE NOCASE)`,
      );
    } else if (key === 'sla_due_at' && leadTableColumns(db).has('sla_due_at')) {
      db.exec('CREATE INDEX IF NOT EXISTS leads_g_sla_due_at ON leads(sla_due_at)');
    }
  }
}

function queryColumns(q: LeadQuery): string[] {
  const keys = q.filters.map((f) => f.column);
  if (q.sort) keys.push(q.sort.column);
  return keys;
}

type RawLead = Record<string, unknown> & { custom: string; tags: string; is_mql: number };

function parseObject(text: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(v)) out[k] = val == null ? '' : String(val);
      return out;
    }
  } catch {
    // A hand-edited cell that is not JSON shows as no custom fields.
  }
  return {};
}

function parseTags(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function toLeadRow(r: RawLead): LeadRow {
  const first = (r.first_name as string | null) ?? '';
  const last = (r.last_name as string | null) ?? '';
  return {
    ...(r as unknown as LeadRow),
    name: `${first} ${last}`.trim(),
    custom: parseObject(r.custom),
    tags: parseTags(r.tags),
    is_mql: r.is_mql === 1,
    sla_due_at: (r.sla_due_at as number | null | undefined) ?? null,
  };
}

/**
 * The SELECT list of a grid row: the standard fields come from LEAD_FIELDS, so a field added
 * there reaches the grid and the lead page without a second list to keep in step.
 */
export const LEAD_SELECT_LIST = [
  'id',
  'uid',
  ...LEAD_FIELDS.map((f) => f.key),
  'custom',
  'stage',
  'owner_id',
  'owner_name',
  'tags',
  'manual_suppression',
  'created_at',
  'updated_at',
  'last_activity_at',
  'score_total',
  'score_fit',
  'score_engagement',
  'grade',
  'segment',
  'is_mql',
  'suppressed_reason',
  'scored_at',
  'sla_due_at',
]
  .map((c) => `leads.${c}`)
  .join(', ');

/** Matching rows below which sorting them beats walking the sort index (see pagePlan). */
const SMALL_RESULT = 50_000;
/** Above this many matches, sorting them costs more than even a long walk. */
const LARGE_RESULT = 150_000;
/** Rows of the sort order probed for matches before walking it (see pagePlan). */
const PROBE_ROWS = 4_000;

/**
 * Matching leads, cached until the next change. A view filtered only by trigram lookups is
 * counted in the search index alone: it holds exactly one row per lead (the triggers of
 * migration 0040 keep it in step), and `leads.id IN (...)` would read every matching lead's
 * row only to find it exists (a 100,000-match substring costs ~200 ms that way, ~15 ms here).
 */
function countMatching(
  db: Database.Database,
  where: string,
  params: unknown[],
  ftsOnly: readonly string[] | null = null,
): number {
  return cachedUntilChange(db, `count:${where}:${JSON.stringify(params)}`, () => {
    if (where === 'TRUE') return db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
    if (ftsOnly) {
      const lookups = ftsOnly
        .map(() => 'SELECT rowid FROM leads_search WHERE leads_search MATCH ?')
        .join(' INTERSECT ');
      return db
        .prepare(`SELECT count(*) FROM (${lookups})`)
        .pluck()
        .get(...ftsOnly) as number;
    }
    return db
      .prepare(`SELECT count(*) FROM leads WHERE ${where}`)
      .pluck()
      .get(...params) as number;
  });
}

function indexExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) !== undefined;
}

type PagePlan = Readonly<{
  from: string;
  params: unknown[];
  /** The page's offset is already inside `from` (a sorted id subquery): page with OFFSET 0. */
  offsetApplied?: boolean;
}>;

/**
 * Picks the page's access path instead of leaving it to SQLite's planner, which misjudges
 * "filter on one column, sort by another" on skewed data (it sorts half a million rows to
 * return 100). With the match count known (it is shown anyway, and cached):
 * - filter and sort on the same column, or no filter: one index serves both, SQLite plans;
 * - a segment chip or grade cell sorted by score: the (segment|grade, score) index;
 * - few matches and an indexed filter: find them through the filter's index and sort
 *   them (the + before each ORDER BY term keeps SQLite from walking the sort index);
 * - otherwise walk the sort column's index and stop after offset+limit matches
 *   (INDEXED BY), checking substrings with LIKE rather than materializing a large
 *   trigram result; expected rows walked ~ (offset+limit) x leads / matches, unless a
 *   probe of the first rows of the sort order finds too few matches (correlated data),
 *   then sorting the matches is the bounded cost.
 */
export function pagePlan(db: Database.Database, args: LeadPageArgs): PagePlan & { matches: number } {
  const leadColumns = leadTableColumns(db);
  const sql = buildLeadQuerySql(args, { leadColumns });
  const matches = countMatching(db, sql.where, sql.params, sql.ftsOnly);
  const plain = { from: `FROM leads WHERE ${sql.where} ORDER BY ${sql.orderBy}`, params: sql.params, matches };
  const sortColumn = args.sort?.column;
  if (sql.where === 'TRUE' || (sortColumn && args.filters.some((f) => f.column === sortColumn))) return plain;
  const scoreSort = sortColumn === 'score_total' || sortColumn === 'score_fit' || sortColumn === 'score_engagement';
  if (scoreSort && !args.search.trim()) {
    const chip = args.filters.find(
      (f) => f.op === 'in' && f.values.length === 1 && (f.column === 'segment' || f.column === 'grade'),
    );
    const index = chip && `leads_g_${chip.column}_${sortColumn === 'score_total' ? 'score' : sortColumn}`;
    if (index && indexExists(db, index)) {
      return { ...plain, from: `FROM leads INDEXED BY ${index} WHERE ${sql.where} ORDER BY ${sql.orderBy}` };
    }
  }
  const all = countMatching(db, 'TRUE', []);
  const need = args.offset + args.limit;
  const walk = (need * all) / Math.max(1, matches);
  const indexedFilter = args.filters.some(filterUsesIndex) || args.search.trim().length >= 3;
  const unindexed = sql.orderBy
    .split(', ')
    .map((t) => `+${t}`)
    .join(', ');
  // Sorting only ids (not whole rows) keeps the sorter small; the page's rows are read after.
  const sortFew = {
    ...plain,
    from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads WHERE ${sql.where} ORDER BY ${unindexed} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${sql.orderBy}`,
    offsetApplied: true,
  };
  if (indexedFilter && matches <= SMALL_RESULT && walk > matches) return sortFew;
  const named = sortColumn ? sortIndexName(sortColumn) : null;
  const idx = named && indexExists(db, named) ? named : null;
  const hint = idx ? ` INDEXED BY "${idx}"` : sortColumn ? '' : ' NOT INDEXED';
  const like = buildLeadQuerySql(args, { leadColumns, substringByLike: true });
  const walkPlan = {
    from: `FROM leads${hint} WHERE ${like.where} ORDER BY ${like.orderBy}`,
    params: like.params,
    matches,
  };
  // The estimate assumes matches are spread evenly along the sort order. Correlated data
  // (sort by engagement, filter on a low grade) puts them all at the far end, so probe:
  // count the matches among the first rows of the sort order before committing to a walk.
  if (indexedFilter && matches <= LARGE_RESULT && need <= PROBE_ROWS / 2) {
    const found = db
      .prepare(
        `SELECT count(*) FROM (SELECT (${like.where}) AS hit FROM leads${hint} ORDER BY ${like.orderBy} LIMIT ${PROBE_ROWS}) WHERE hit`,
      )
      .pluck()
      .get(...like.params) as number;
    // Matches evenly spread would show up in the probe at the overall rate; far fewer means
    // they bunch up later in the sort order.
    const expected = (PROBE_ROWS * matches) / Math.max(1, all);
    if (found < Math.min(need, expected / 2)) return sortFew;
  }
  return walkPlan;
}

/** One page of the grid: rows in order, plus the number of matching leads. */
export function leadsQuery(db: Database.Database, args: LeadPageArgs): LeadPage {
  const started = performance.now();
  ensureGridIndexes(db, queryColumns(args));
  const plan = pagePlan(db, args);
  const rows = db
    .prepare(`SELECT ${LEAD_SELECT_LIST} ${plan.from} LIMIT ? OFFSET ?`)
    .all(...plan.params, args.limit, plan.offsetApplied ? 0 : args.offset) as RawLead[];
  const matches = plan.matches;
  return {
    rows: rows.map(toLeadRow),
    total: args.withTotal ? matches : null,
    offset: args.offset,
    tookMs: performance.now() - started,
  };
}

/** Counts behind the segment chips and the grade grid (whole workspace). */
export function leadCounts(db: Database.Database): LeadCounts {
  return cachedUntilChange(db, 'counts', () => {
    const total = db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
    const segments = db
      .prepare('SELECT segment, count(*) AS count FROM leads GROUP BY segment ORDER BY count DESC')
      .all() as { segment: string | null; count: number }[];
    const mql = db.prepare('SELECT count(*) FROM leads WHERE is_mql = 1').pluck().get() as number;
    const suppressed = db
      .prepare(
        `SELECT count(*) FROM leads WHERE NOT (suppressed_reason IS NULL OR suppressed_reason COLLATE NOCASE = '')`,
      )
      .pluck()
      .get() as number;
    const grades: Record<string, number> = {};
    for (const g of db
      .prepare('SELECT grade, count(*) AS count FROM leads WHERE grade IS NOT NULL GROUP BY grade')
      .all() as {
      grade: string;
      count: number;
    }[]) {
      grades[g.grade] = g.count;
    }
    return { total, segments, mql, suppressed, grades };
  });
}

/**
 * Custom field names in use: sampled from the newest and oldest leads (an import's columns
 * are the same on every row it wrote) plus every field that already has a grid index.
 */
export function customFieldNames(db: Database.Database): string[] {
  return cachedUntilChange(db, 'custom-fields', () => {
    const names = new Set<string>();
    for (const order of ['DESC', 'ASC']) {
      const rows = db
        .prepare(
          `SELECT DISTINCT j.key AS k FROM (SELECT custom FROM leads WHERE custom <> '{}' ORDER BY id ${order} LIMIT 2000) l, json_each(CASE WHEN json_valid(l.custom) THEN l.custom ELSE '{}' END) j`,
        )
        .pluck()
        .all() as string[];
      for (const k of rows) names.add(k);
    }
    const idx = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'leads\\_cf\\_%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    for (const n of idx) names.add(Buffer.from(n.slice('leads_cf_'.length), 'hex').toString('utf8'));
    return [...names].filter((n) => !/["\p{Cc}]/u.test(n)).sort((a, b) => a.localeCompare(b));
  });
}

export function gridMeta(db: Database.Database): LeadGridMeta {
  const physical = leadTableColumns(db);
  const columns: LeadColumnInfo[] = LEAD_COLUMNS.filter(
    (c) => c.key !== 'sla_due_at' || physical.has('sla_due_at'),
  ).map((c) => ({ ...c, custom: false, sortable: !UNSORTABLE_COLUMNS.has(c.key) }));
  for (const f of customFieldNames(db)) {
    columns.push({
      key: `${CUSTOM_PREFIX}${f}`,
      label: f,
      kind: 'text',
      custom: true,
      defaultVisible: false,
      width: 150,
      sortable: true,
    });
  }
  const owners = (
    db.prepare('SELECT id, name, active FROM owners ORDER BY name COLLATE NOCASE').all() as {
      id: number;
      name: string;
      active: number;
    }[]
  ).map((o) => ({ ...o, active: o.active === 1 }));
  const stages = tableExists(db, 'stage_config')
    ? (db.prepare('SELECT key, label FROM stage_config ORDER BY position, key').all() as {
        key: string;
        label: string;
      }[])
    : DEFAULT_STAGES.map((s) => ({ key: s.key, label: s.label }));
  return { columns, owners, stages };
}

/** Values of a column with their counts, most common first (the "in list" picker). */
export function distinctValues(db: Database.Database, column: string, search: string, limit: number): DistinctValue[] {
  if (!findLeadColumn(column)) throw new AppError('BAD_ARGUMENT', `Unknown column "${column}".`);
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (column === 'tags') {
    return db
      .prepare(
        "SELECT tag AS value, count(*) AS count FROM lead_tags WHERE tag LIKE ? ESCAPE '\\' GROUP BY tag ORDER BY count DESC, tag LIMIT ?",
      )
      .all(like, limit) as DistinctValue[];
  }
  ensureGridIndexes(db, [column]);
  const c = columnSql(column, { leadColumns: leadTableColumns(db) });
  const where = search ? `WHERE ${c.value} LIKE ? ESCAPE '\\'` : '';
  const params: unknown[] = search ? [like, limit] : [limit];
  return cachedUntilChange(
    db,
    `distinct:${column}:${search}:${limit}`,
    () =>
      db
        .prepare(
          `SELECT ${c.value}${c.inCollate} AS value, count(*) AS count FROM leads ${where} GROUP BY 1 ORDER BY count DESC, 1 LIMIT ?`,
        )
        .all(...params) as DistinctValue[],
  );
}
