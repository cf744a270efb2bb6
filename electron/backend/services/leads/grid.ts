/**
 * The grid's reads: a page of rows (sorted, filtered and counted in SQL), the counts behind
 * the segment chips and the grade grid, the column list (standard + custom fields) and the
 * distinct values an "in list" filter offers.
 *
 * Counts over a million rows cost tens of milliseconds, so they are cached per query and
 * invalidated when the data changes (changeStamp: this connection's writes or another one's commits).
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type {
  DistinctValue,
  LeadColumnInfo,
  LeadCounts,
  LeadGridMeta,
  LeadPage,
  LeadFilter,
  LeadQuery,
  LeadRow,
  leadPageArgsSchema,
} from '../../../../shared/contract/leads';
import {
  customColumnKind,
  customFieldName,
  findLeadColumn,
  isCustomColumn,
  LEAD_COLUMNS,
  UNSORTABLE_COLUMNS,
  CUSTOM_PREFIX,
} from '../../../../shared/lead-columns';
import { DEFAULT_STAGES, LEAD_FIELDS } from '../../../../shared/domain';
import { leadLabel } from '../../../../shared/lead-label';
import {
  customFieldLabel,
  type CustomFieldType,
  type CustomValue,
  type CustomValues,
} from '../../../../shared/custom-fields';
import { customFieldTypes } from './custom-fields';
import { leadKeyName } from './lead-key';
import { AppError } from '../../errors';
import {
  buildLeadQuerySql,
  columnSql,
  customFieldExpr,
  customFieldIndexName,
  filterUsesIndex,
  likeContains,
  sortIndexName,
  type LeadQuerySql,
} from './lead-query-sql';

export type LeadPageArgs = z.output<typeof leadPageArgsSchema>;

/** Physical columns of the leads table (follow-up adds sla_due_at in its own migration). */
export function leadTableColumns(db: Database.Database): ReadonlySet<string> {
  const rows = db.prepare("SELECT name FROM pragma_table_info('leads')").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** What lead-query-sql needs to know of this workspace: its lead columns and custom field types. */
export function querySqlOptions(db: Database.Database): {
  leadColumns: ReadonlySet<string>;
  customTypes: ReadonlyMap<string, CustomFieldType>;
} {
  return { leadColumns: leadTableColumns(db), customTypes: customFieldTypes(db) };
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Moves whenever the data may have changed: total_changes() counts this connection's own
 * writes, data_version moves when another connection commits (the workspace connection,
 * seen from the read connection of backend.ts).
 */
function changeStamp(db: Database.Database): string {
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

function parseObject(text: string): CustomValues {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, CustomValue> = {};
      for (const [k, val] of Object.entries(v)) {
        if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = val;
        else if (val != null) out[k] = JSON.stringify(val);
      }
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
  const row = r as unknown as LeadRow;
  return {
    ...row,
    name: `${first} ${last}`.trim(),
    label: leadLabel(row),
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
  'lead_key',
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

/** Id sets up to this size are kept as lists (see matchingIdList). */
const ID_LIST_MAX = SMALL_RESULT;
/** Id lists kept per connection (the most recent views); each is up to ~400 KB of JSON. */
const ID_LISTS_KEPT = 16;
const idLists = new WeakMap<Database.Database, { stamp: string; lists: Map<string, string> }>();

function idListKey(sql: Pick<LeadQuerySql, 'where' | 'params'>): string {
  return `${sql.where}:${JSON.stringify(sql.params)}`;
}

/**
 * The ids matching a view filtered only by side-index id sets, as a JSON array, when
 * counting them kept the list (at most ID_LIST_MAX ids, until the next change); else null.
 * A page sorted from these ids reads them with json_each instead of evaluating the trigram
 * lookup a second time (10-40 ms for a 25,000-match name on 1M leads).
 */
function matchingIdList(db: Database.Database, sql: Pick<LeadQuerySql, 'where' | 'params'>): string | null {
  const kept = idLists.get(db);
  if (!kept || kept.stamp !== changeStamp(db)) return null;
  return kept.lists.get(idListKey(sql)) ?? null;
}

/** The ids of a view's side-index id sets, as one query (see countMatching). */
function idSetQuery(idSets: NonNullable<LeadQuerySql['idSets']>): { sql: string; params: unknown[] } {
  const [first] = idSets;
  const sql =
    idSets.length === 1
      ? first!.unique
        ? first!.sql
        : `SELECT DISTINCT id FROM (${first!.sql})`
      : idSets.map((x) => x.sql).join(' INTERSECT ');
  return { sql, params: idSets.flatMap((x) => x.params) };
}

/**
 * The kept id list of a view filtered only by id sets (see matchingIdList), read again
 * when it was pushed out by later views while its count stayed cached; null when the view
 * is not such a view or has more than ID_LIST_MAX matches.
 */
function idListFor(db: Database.Database, sql: LeadQuerySql, matches: number): string | null {
  if (!sql.idSets || sql.idSets.length === 0 || matches > ID_LIST_MAX) return null;
  const kept = matchingIdList(db, sql);
  if (kept) return kept;
  const set = idSetQuery(sql.idSets);
  const ids = JSON.stringify(
    db
      .prepare(set.sql)
      .pluck()
      .all(...set.params),
  );
  keepIdList(db, sql, ids);
  return ids;
}

function keepIdList(db: Database.Database, sql: Pick<LeadQuerySql, 'where' | 'params'>, ids: string): void {
  const stamp = changeStamp(db);
  let kept = idLists.get(db);
  if (!kept || kept.stamp !== stamp) {
    kept = { stamp, lists: new Map() };
    idLists.set(db, kept);
  }
  kept.lists.set(idListKey(sql), ids);
  if (kept.lists.size > ID_LISTS_KEPT) kept.lists.delete(kept.lists.keys().next().value!);
}

/**
 * Matching leads, cached until the next change. A view filtered only by side-index id sets
 * (trigram lookups, tag lists) is counted in those indexes alone: the search index holds
 * one row per lead (kept in step by the triggers of migration 0040) and lead_tags only
 * existing leads (foreign key, ON DELETE CASCADE), while `leads.id IN (...)` would read
 * every matching lead's row only to find it exists (~200 ms for a 100,000-match
 * substring on 1M leads, ~60 ms for a tag on 20,000; ~15 ms and ~2 ms this way). Such a
 * set is read as a list of ids (kept, see matchingIdList) when it holds at most
 * ID_LIST_MAX, and counted otherwise.
 */
function countMatching(db: Database.Database, sql: Pick<LeadQuerySql, 'where' | 'params' | 'idSets'>): number {
  const { where, params, idSets } = sql;
  return cachedUntilChange(db, `count:${where}:${JSON.stringify(params)}`, () => {
    if (where === 'TRUE') return db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
    if (idSets && idSets.length > 0) {
      const { sql: set, params: setParams } = idSetQuery(idSets);
      const ids = db
        .prepare(`SELECT id FROM (${set}) LIMIT ${ID_LIST_MAX + 1}`)
        .pluck()
        .all(...setParams) as number[];
      if (ids.length <= ID_LIST_MAX) {
        keepIdList(db, sql, JSON.stringify(ids));
        return ids.length;
      }
      return db
        .prepare(`SELECT count(*) FROM (${set})`)
        .pluck()
        .get(...setParams) as number;
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
  /** Which access path was picked (for tests and diagnostics). */
  strategy: 'plain' | 'empty' | 'pair' | 'sort-matches' | 'walk' | 'buckets' | 'covered' | 'score-buckets' | 'deep';
  /** The per-bucket reads of the "buckets" strategy, in order (for EXPLAIN in tests). */
  reads?: readonly { sql: string; params: unknown[] }[];
}>;

/** The index on (a, b) that migrations 0040/0070 declare for a pair of score columns. */
function pairIndexName(a: string, b: string): string {
  return `leads_g_${a}_${b === 'score_total' ? 'score' : b}`;
}

/** Sort columns of few exact values (bands, flags, integer scores): read by buckets. */
const BUCKET_SORTS: ReadonlySet<string> = new Set([
  'segment',
  'grade',
  'is_mql',
  'score_total',
  'score_fit',
  'score_engagement',
]);
/** More distinct values than this, and a sort is not read bucket by bucket. */
const MAX_BUCKETS = 256;

/**
 * The distinct non-blank values of an indexed column in ascending order, one index seek
 * each (no scan), or null when there are more than MAX_BUCKETS.
 */
function bucketValues(db: Database.Database, column: string, index: string): unknown[] | null {
  return cachedUntilChange(db, `buckets:${column}`, () => {
    const first = db.prepare(
      `SELECT leads.${column} FROM leads INDEXED BY "${index}" WHERE leads.${column} IS NOT NULL ORDER BY leads.${column} LIMIT 1`,
    );
    const next = db.prepare(
      `SELECT leads.${column} FROM leads INDEXED BY "${index}" WHERE leads.${column} > ? ORDER BY leads.${column} LIMIT 1`,
    );
    const values: unknown[] = [];
    let v = first.pluck().get();
    while (v !== undefined) {
      if (values.length === MAX_BUCKETS) return null;
      values.push(v);
      v = next.pluck().get(v);
    }
    return values;
  });
}

type Bucket = Readonly<{ cond: string; params: unknown[] }>;

/**
 * A page read one bucket of the sort column at a time: all leads with the same sort value
 * are ordered by id alone, so the page is the first buckets' matches in id order. Each
 * bucket's matches are counted in `countIndex` (a pair index holding the sort column and
 * the filtered one: an index seek), so buckets before the offset and buckets without a
 * match are skipped unread; a bucket is read either by walking the sort column's index in
 * id order (dense matches) or, when a walk would pass many non-matching rows, by finding
 * its matches in `countIndex` and sorting their ids (a single-value filter comes out in
 * id order already).
 */
function bucketPlan(
  db: Database.Database,
  args: LeadPageArgs,
  sql: { where: string; params: unknown[]; orderBy: string },
  buckets: readonly Bucket[],
  walkIndex: string,
  countIndex: string,
  matches: number,
): PagePlan & { matches: number } {
  const dir = args.sort?.dir === 'desc' ? 'DESC' : 'ASC';
  const ids: number[] = [];
  const reads: { sql: string; params: unknown[] }[] = [];
  let position = 0;
  for (const b of buckets) {
    if (ids.length >= args.limit) break;
    const where = `(${b.cond}) AND (${sql.where})`;
    const params = [...b.params, ...sql.params];
    const found = cachedUntilChange(db, `bucket-count:${countIndex}:${where}:${JSON.stringify(params)}`, () =>
      db
        .prepare(`SELECT count(*) FROM leads INDEXED BY "${countIndex}" WHERE ${where}`)
        .pluck()
        .get(...params),
    ) as number;
    if (found === 0) continue;
    if (position + found <= args.offset) {
      position += found;
      continue;
    }
    const skip = Math.max(0, args.offset - position);
    const take = skip + args.limit - ids.length;
    const size = cachedUntilChange(db, `bucket-size:${walkIndex}:${b.cond}:${JSON.stringify(b.params)}`, () =>
      db
        .prepare(`SELECT count(*) FROM leads INDEXED BY "${walkIndex}" WHERE ${b.cond}`)
        .pluck()
        .get(...b.params),
    ) as number;
    // A walk passes about take x size / found rows, each read from the table; finding the
    // matches in the pair index and sorting their ids costs about `found` index entries.
    const walk = (take * size) / found <= Math.max(2 * take, found / 4);
    const read = {
      sql: `SELECT leads.id FROM leads INDEXED BY "${walk ? walkIndex : countIndex}" WHERE ${where} ORDER BY leads.id ${dir} LIMIT ${take}`,
      params,
    };
    reads.push(read);
    const got = db
      .prepare(read.sql)
      .pluck()
      .all(...read.params) as number[];
    ids.push(...got.slice(skip));
    position += found;
  }
  return {
    from: `FROM leads WHERE leads.id IN (SELECT value FROM json_each(?)) ORDER BY ${sql.orderBy}`,
    params: [JSON.stringify(ids.slice(0, args.limit))],
    offsetApplied: true,
    strategy: 'buckets',
    reads,
    matches,
  };
}

/**
 * The buckets of a sort by `column` (values in sort order, blanks last), or null when the
 * column has too many values to read bucket by bucket.
 */
function sortBuckets(db: Database.Database, column: string, dir: 'asc' | 'desc'): Bucket[] | null {
  const values = bucketValues(db, column, sortIndexName(column) ?? '');
  if (!values) return null;
  const ordered = dir === 'desc' ? [...values].reverse() : values;
  return [
    ...ordered.map((v) => ({ cond: `leads.${column} = ?`, params: [v] })),
    { cond: `leads.${column} IS NULL`, params: [] },
  ];
}

/**
 * Indexes holding a filter column first and a sort column after it (migrations 0080, 0090): the
 * matches of a list on the first column are found and sorted in the index alone, without
 * reading a table row ({filter: {sort: index}}).
 */
const COVERING_PAIRS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  company: { website: 'leads_g_company_website' },
  stage: { sla_due_at: 'leads_g_stage_sla_due_at' },
};

/**
 * Narrow indexes keyed by id holding a sort column's keys (migration 0080): the matches of
 * a view filtered only by id sets (trigram lookups, tags) get their sort keys there by id.
 */
const ID_SORT_INDEXES: Readonly<Record<string, string>> = {
  name: 'leads_g_id_name',
  last_name: 'leads_g_id_name',
  email: 'leads_g_id_email',
};

/** Bands of the scores with a (band, score_total) pair index (0040/0070). */
const SCORE_BANDS: ReadonlySet<string> = new Set(['segment', 'grade', 'is_mql']);

/** The total scores of a bucket: lowest and highest non-NULL, and whether it has NULLs. */
function bucketScores(
  db: Database.Database,
  index: string,
  b: Bucket,
): { lo: number | null; hi: number | null; nulls: boolean } {
  return cachedUntilChange(db, `bucket-scores:${index}:${b.cond}:${JSON.stringify(b.params)}`, () => {
    const end = (dir: string) =>
      (db
        .prepare(
          `SELECT leads.score_total FROM leads INDEXED BY "${index}" WHERE (${b.cond}) AND leads.score_total IS NOT NULL ORDER BY leads.score_total ${dir} LIMIT 1`,
        )
        .pluck()
        .get(...b.params) as number | undefined) ?? null;
    const nulls =
      db
        .prepare(`SELECT 1 FROM leads INDEXED BY "${index}" WHERE (${b.cond}) AND leads.score_total IS NULL LIMIT 1`)
        .get(...b.params) !== undefined;
    return { lo: end('ASC'), hi: end('DESC'), nulls };
  });
}

/**
 * A single-value band filter (grade cell, segment chip, MQL flag) sorted by another band
 * that has no pair index with it (the MQL flag sorted against a grade cell): bands are cut
 * from the same total score, so each bucket of the sort column holds leads whose total lies
 * between its lowest and highest (two seeks in the (sort, score_total) pair). The filter's
 * leads in that range are counted in the (filter, score_total) pair: none, and the bucket
 * is skipped unread (a D4 cell has no MQL: the walk used to pass every MQL, or sort all
 * 145,000 D4 leads); few of the filter's leads, and they are read and sorted by id; most,
 * and the filter's own index is walked in id order. Buckets are read in order until offset + limit ids (only
 * for the first pages: deeper pages take the general path). Null when an index is missing.
 */
function scoreBoundedPlan(
  db: Database.Database,
  args: LeadPageArgs,
  sql: { where: string; params: unknown[]; orderBy: string },
  filterColumn: string,
  matches: number,
): (PagePlan & { matches: number }) | null {
  const sortColumn = args.sort!.column;
  if (!SCORE_BANDS.has(sortColumn) || !SCORE_BANDS.has(filterColumn) || sortColumn === filterColumn) return null;
  const sortPair = pairIndexName(sortColumn, 'score_total');
  const filterPair = pairIndexName(filterColumn, 'score_total');
  const filterIndex = sortIndexName(filterColumn);
  if (!filterIndex || ![sortPair, filterPair, filterIndex].every((i) => indexExists(db, i))) return null;
  const buckets = sortBuckets(db, sortColumn, args.sort!.dir);
  if (!buckets) return null;
  const dir = args.sort!.dir === 'desc' ? 'DESC' : 'ASC';
  const need = args.offset + args.limit;
  const ids: number[] = [];
  const reads: { sql: string; params: unknown[] }[] = [];
  for (const b of buckets) {
    if (ids.length >= need) break;
    const { lo, hi, nulls } = bucketScores(db, sortPair, b);
    const ranges = [
      ...(lo !== null ? ['leads.score_total BETWEEN ? AND ?'] : []),
      ...(nulls ? ['leads.score_total IS NULL'] : []),
    ];
    if (ranges.length === 0) continue;
    const range = { cond: ranges.join(' OR '), params: lo !== null ? [lo, hi] : [] };
    const candidates = cachedUntilChange(
      db,
      `bounded-count:${filterPair}:${range.cond}:${JSON.stringify([...range.params, ...sql.params])}:${sql.where}`,
      () =>
        db
          .prepare(`SELECT count(*) FROM leads INDEXED BY "${filterPair}" WHERE (${sql.where}) AND (${range.cond})`)
          .pluck()
          .get(...sql.params, ...range.params),
    ) as number;
    if (candidates === 0) continue;
    // The range only narrows the search: every lead of the bucket lies in it. A walk of the
    // filter's index passes about take x matches / candidates leads (as many candidates as
    // the bucket holds), reading the candidates costs one each (as in bucketPlan).
    const take = need - ids.length;
    const read =
      (take * matches) / candidates > Math.max(2 * take, candidates / 4)
        ? {
            sql: `SELECT leads.id FROM leads INDEXED BY "${filterPair}" WHERE (${sql.where}) AND (${range.cond}) AND (${b.cond}) ORDER BY leads.id ${dir} LIMIT ${take}`,
            params: [...sql.params, ...range.params, ...b.params],
          }
        : {
            sql: `SELECT leads.id FROM leads INDEXED BY "${filterIndex}" WHERE (${sql.where}) AND (${b.cond}) ORDER BY leads.id ${dir} LIMIT ${take}`,
            params: [...sql.params, ...b.params],
          };
    reads.push(read);
    ids.push(
      ...(db
        .prepare(read.sql)
        .pluck()
        .all(...read.params) as number[]),
    );
  }
  return {
    from: `FROM leads WHERE leads.id IN (SELECT value FROM json_each(?)) ORDER BY ${sql.orderBy}`,
    params: [JSON.stringify(ids.slice(args.offset, need))],
    offsetApplied: true,
    strategy: 'score-buckets',
    reads,
    matches,
  };
}

/** More distinct values than this, and a substring filter is not turned into a value list. */
const MAX_DISTINCT = 10_000;
/** Text columns of (nearly) unique values: never a short value list. */
const UNIQUE_TEXT: ReadonlySet<string> = new Set(['email', 'phone']);

/**
 * The distinct values of a case-insensitive text column (one per NOCASE class), one seek
 * of its index each, or null when there are more than MAX_DISTINCT (cached until a change).
 */
function distinctText(db: Database.Database, column: string): string[] | null {
  return cachedUntilChange(db, `distinct-text:${column}`, () => {
    const c = `leads.${column}`;
    const index = `"${sortIndexName(column)}"`;
    const first = db.prepare(
      `SELECT ${c} FROM leads INDEXED BY ${index} WHERE ${c} IS NOT NULL ORDER BY ${c} COLLATE NOCASE LIMIT 1`,
    );
    const next = db.prepare(
      `SELECT ${c} FROM leads INDEXED BY ${index} WHERE ${c} COLLATE NOCASE > ? ORDER BY ${c} COLLATE NOCASE LIMIT 1`,
    );
    const values: string[] = [];
    let v = first.pluck().get() as string | undefined;
    while (v !== undefined) {
      if (values.length === MAX_DISTINCT) return null;
      values.push(v);
      v = next.pluck().get(v) as string | undefined;
    }
    return values;
  });
}

/**
 * A substring filter on a text column of few distinct values (title, industry, company...)
 * as the list of those values that contain it: the same rows (LIKE folds ASCII case exactly
 * as NOCASE does, so a value matches exactly when every value of its NOCASE class does), but
 * counted and found through the column's index instead of a LIKE over every lead. On the
 * trigram columns only for ASCII text, where LIKE and the trigram index agree.
 */
function substringsAsLists(db: Database.Database, args: LeadPageArgs, leadColumns: ReadonlySet<string>): LeadPageArgs {
  if (!args.filters.some((f) => f.op === 'contains')) return args;
  const filters = args.filters.map((f): LeadFilter => {
    const value = f.op === 'contains' ? f.value.trim() : '';
    if (f.op !== 'contains' || value === '' || UNIQUE_TEXT.has(f.column) || isCustomColumn(f.column)) return f;
    if (f.column === 'name' || !leadColumns.has(f.column)) return f;
    if (columnSql(f.column).inCollate !== ' COLLATE NOCASE') return f;
    if ((f.column === 'company' || f.column === 'email') && !/^[\x20-\x7e]*$/.test(value)) return f;
    const index = sortIndexName(f.column);
    if (!index || !indexExists(db, index)) return f;
    const values = distinctText(db, f.column);
    if (!values) return f;
    const matching = db
      .prepare("SELECT value FROM json_each(?) WHERE value LIKE ? ESCAPE '\\'")
      .pluck()
      .all(JSON.stringify(values), likeContains(value)) as string[];
    return { column: f.column, op: 'in', values: matching };
  });
  return { ...args, filters };
}

/**
 * "Is blank" on the sort column: the matches are the empty values, then (blanks last) the
 * NULLs, each in id order in the column's index; SQLite would sort them all instead, since
 * NULLS LAST goes against the index. Null when the column has no index of its own.
 */
function blankBuckets(
  db: Database.Database,
  args: LeadPageArgs,
  sql: { where: string; params: unknown[]; orderBy: string },
  matches: number,
): (PagePlan & { matches: number }) | null {
  const column = args.sort!.column;
  const index = sortIndexName(column);
  if (!index || index === 'leads_g_name' || !indexExists(db, index)) return null;
  const c = columnSql(column, querySqlOptions(db));
  const buckets: Bucket[] = [
    ...(c.kind === 'text' ? [{ cond: `${c.value}${c.inCollate} = ''`, params: [] }] : []),
    { cond: `${c.value} IS NULL`, params: [] },
  ];
  return bucketPlan(db, args, sql, buckets, index, index, matches);
}

/**
 * Picks the page's access path instead of leaving it to SQLite's planner, which misjudges
 * "filter on one column, sort by another" on skewed data (it sorts half a million rows to
 * return 100). With the match count known (it is shown anyway, and cached):
 * - no match (or past the last): an empty page, no index walked;
 * - a substring of a text column of few values: first rewritten as the list of its values
 *   that contain it (substringsAsLists), so it counts and seeks in the column's index;
 * - filter and sort on the same column, or no filter: one index serves both (named, so a
 *   pair index starting with that column is not taken instead); "is blank" on the sort
 *   column reads empty values then NULLs (blankBuckets);
 * - a single-value filter (chip, grade cell, MQL) with a (filter, sort) pair index: walk it;
 * - one score filter sorted by a score column with a (sort, filter) pair index: read the
 *   sort column's values bucket by bucket, each counted in the pair (bucketPlan);
 * - few matches and an indexed filter: find them through the filter's index and sort
 *   them (the + before each ORDER BY term keeps SQLite from walking the sort index);
 * - otherwise walk the sort column's index and stop after offset+limit matches
 *   (INDEXED BY), checking substrings with LIKE rather than materializing a large
 *   trigram result; expected rows walked ~ (offset+limit) x leads / matches, unless a
 *   probe of the first rows of the sort order finds too few matches (correlated data),
 *   then sorting the matches is the bounded cost.
 */
/** From this offset on, a page of the whole workspace skips its offset in an index, not in the table. */
const DEEP_OFFSET = 1000;
/** The narrowest index in id order (migration 0080): what the default order skips through. */
const ID_ORDER_INDEX = 'leads_g_id_email';

/**
 * A deep page of the unfiltered grid: the offset is skipped inside a subquery of ids over an
 * index (the sort column's own, or the id-ordered covering index for the default order), so
 * only the page's rows are read from the table. A plain OFFSET reads every row it skips:
 * the middle page of 1,000,000 rows, newest first, took 216 ms that way and 12 ms this way
 * (measured on a table shaped like leads, load average 19).
 */
function deepPagePlan<P extends PagePlan>(
  db: Database.Database,
  args: LeadPageArgs,
  orderBy: string,
  plain: P,
): P | null {
  if (args.offset < DEEP_OFFSET) return null;
  const sortColumn = args.sort?.column;
  const index = sortColumn ? sortIndexName(sortColumn) : ID_ORDER_INDEX;
  if (!index || !indexExists(db, index)) return null;
  return {
    ...plain,
    strategy: 'deep',
    from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads INDEXED BY "${index}" ORDER BY ${orderBy} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${orderBy}`,
    offsetApplied: true,
  };
}

export function pagePlan(db: Database.Database, input: LeadPageArgs): PagePlan & { matches: number } {
  const leadColumns = leadTableColumns(db);
  const args = substringsAsLists(db, input, leadColumns);
  const sql = buildLeadQuerySql(args, { leadColumns, customTypes: customFieldTypes(db) });
  const matches = countMatching(db, sql);
  const plain = {
    from: `FROM leads WHERE ${sql.where} ORDER BY ${sql.orderBy}`,
    params: sql.params,
    matches,
    strategy: 'plain' as const,
  };
  const sortColumn = args.sort?.column;
  if (sql.where === 'TRUE') return deepPagePlan(db, args, sql.orderBy, plain) ?? plain;
  // Nothing to show (no match, or scrolled past the last): no index walk looking for one.
  if (matches <= args.offset) return { ...plain, from: 'FROM leads WHERE FALSE', params: [], strategy: 'empty' };
  // A substring of the sort column is checked in its index while walking it: take the
  // general path below (walk or sort the matches), not SQLite's sort of every match.
  const sameColumn = args.filters.filter((f) => f.column === sortColumn);
  if (sortColumn && sameColumn.length > 0 && !sameColumn.some((f) => f.op === 'contains')) {
    const blanks = args.sort && args.filters.length === 1 && args.filters[0]!.op === 'blank' && !args.search.trim();
    if (blanks) return blankBuckets(db, args, sql, matches) ?? plain;
    // The sort column's own index serves the filter and the order; named, because a pair
    // index that starts with the same column (0070) looks as good to the planner, which
    // then sorts every match by id.
    const own = sortIndexName(sortColumn);
    const seekable = args.filters.every(
      (f) => f.column !== sortColumn || f.op === 'in' || f.op === 'range' || f.op === 'date-range',
    );
    if (own && seekable && indexExists(db, own)) {
      return { ...plain, from: `FROM leads INDEXED BY "${own}" WHERE ${sql.where} ORDER BY ${sql.orderBy}` };
    }
    return plain;
  }
  if (sortColumn && args.sort && !args.search.trim()) {
    // A single-value filter (chip, grade cell, MQL flag) with a pair index (filter, sort):
    // walk that index, the matches come in sort order.
    const chip = args.filters.find((f) => f.op === 'in' && f.values.length === 1 && f.column !== 'tags');
    const pair = chip && pairIndexName(chip.column, sortColumn);
    if (pair && indexExists(db, pair)) {
      return {
        ...plain,
        from: `FROM leads INDEXED BY ${pair} WHERE ${sql.where} ORDER BY ${sql.orderBy}`,
        strategy: 'pair',
      };
    }
    // One filter on a score column sorted by another with a pair index (sort, filter):
    // read the sort column's values one bucket at a time (see bucketPlan).
    const only = args.filters.length === 1 ? args.filters[0]! : null;
    const counted = only && BUCKET_SORTS.has(sortColumn) && pairIndexName(sortColumn, only.column);
    const walkIndex = sortIndexName(sortColumn);
    if (counted && walkIndex && indexExists(db, counted) && indexExists(db, walkIndex)) {
      const buckets = sortBuckets(db, sortColumn, args.sort.dir);
      if (buckets) return bucketPlan(db, args, sql, buckets, walkIndex, counted, matches);
    }
    // A band (grade cell, segment chip, MQL flag) sorted by another band without a pair of
    // the two: bound each bucket by its scores (see scoreBoundedPlan).
    if (only && chip === only && args.offset + args.limit <= PROBE_ROWS / 2) {
      const bounded = scoreBoundedPlan(db, args, sql, only.column, matches);
      if (bounded) return bounded;
    }
  }
  // Lists on the first column of a (filter, sort) covering index: sort the matches in it,
  // no table read (company substrings sorted by website bunch up in website order). SQLite
  // reads each listed value's entries in sort order and stops each once the page is full,
  // so the cost follows values x (offset + limit), not the number of matches.
  const covering = sortColumn && args.filters[0] ? COVERING_PAIRS[args.filters[0].column]?.[sortColumn] : undefined;
  if (
    covering &&
    !args.search.trim() &&
    args.filters.every((f) => f.column === args.filters[0]!.column && f.op === 'in') &&
    indexExists(db, covering)
  ) {
    return {
      ...plain,
      strategy: 'covered',
      from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads INDEXED BY "${covering}" WHERE ${sql.where} ORDER BY ${sql.orderBy} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${sql.orderBy}`,
      offsetApplied: true,
    };
  }
  const all = countMatching(db, { where: 'TRUE', params: [], idSets: null });
  const need = args.offset + args.limit;
  const walk = (need * all) / Math.max(1, matches);
  const indexedFilter = args.filters.some(filterUsesIndex) || args.search.trim().length >= 3;
  const unindexed = sql.orderBy
    .split(', ')
    .map((t) => `+${t}`)
    .join(', ');
  // Sorting only ids (not whole rows) keeps the sorter small; the page's rows are read after.
  // Matches known only by id (trigram lookups, tags) take their sort keys from a narrow index
  // keyed by id where there is one, not from their table rows.
  // The ids themselves come from the list kept when they were counted, if it was.
  const byId = sql.idSets && sortColumn ? ID_SORT_INDEXES[sortColumn] : undefined;
  const keys = byId && indexExists(db, byId) ? ` INDEXED BY "${byId}"` : '';
  const idList = idListFor(db, sql, matches);
  const sortFew = {
    ...plain,
    strategy: 'sort-matches' as const,
    from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads${keys} WHERE ${idList ? 'leads.id IN (SELECT value FROM json_each(?))' : sql.where} ORDER BY ${unindexed} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${sql.orderBy}`,
    params: idList ? [idList] : sql.params,
    offsetApplied: true,
  };
  if (indexedFilter && matches <= SMALL_RESULT && walk > matches) return sortFew;
  const named = sortColumn ? sortIndexName(sortColumn) : null;
  const idx = named && indexExists(db, named) ? named : null;
  const hint = idx ? ` INDEXED BY "${idx}"` : sortColumn ? '' : ' NOT INDEXED';
  const like = buildLeadQuerySql(args, { leadColumns, customTypes: customFieldTypes(db), substringByLike: true });
  // With the matching ids at hand, the walk tests membership on the index entries and reads
  // only the matching rows (LIKE would read every row it passes).
  const member = idList && idx;
  const walkPlan = {
    from: `FROM leads${hint} WHERE ${member ? 'leads.id IN (SELECT value FROM json_each(?))' : like.where} ORDER BY ${like.orderBy}`,
    params: member ? [idList] : like.params,
    matches,
    strategy: 'walk' as const,
  };
  // The estimate assumes matches are spread evenly along the sort order. Correlated data
  // (sort by engagement, filter on a low grade) puts them all at the far end, so probe:
  // count the matches among the first rows of the sort order before committing to a walk.
  if (indexedFilter && matches <= LARGE_RESULT && need <= PROBE_ROWS / 2) {
    // With the matching ids at hand, the probe tests membership on the sort index's own
    // entries (no table row read); it is the same until the next change.
    const hit = idList && idx ? 'leads.id IN (SELECT value FROM json_each(?))' : like.where;
    const hitParams = idList && idx ? [idList] : like.params;
    const probe = `SELECT count(*) FROM (SELECT (${hit}) AS hit FROM leads${hint} ORDER BY ${like.orderBy} LIMIT ${PROBE_ROWS}) WHERE hit`;
    const found = cachedUntilChange(db, `probe:${probe}:${like.where}:${JSON.stringify(like.params)}`, () =>
      db
        .prepare(probe)
        .pluck()
        .get(...hitParams),
    ) as number;
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
  const keyName = leadKeyName(db);
  const columns: LeadColumnInfo[] = LEAD_COLUMNS.filter(
    (c) => c.key !== 'sla_due_at' || physical.has('sla_due_at'),
  ).map((c) =>
    c.key === 'lead_key' && keyName !== null
      ? { ...c, label: keyName, defaultVisible: true, custom: false, sortable: true }
      : { ...c, custom: false, sortable: !UNSORTABLE_COLUMNS.has(c.key) },
  );
  const types = customFieldTypes(db);
  const standardLabels = columns.map((c) => c.label);
  for (const f of customFieldNames(db)) {
    columns.push({
      key: `${CUSTOM_PREFIX}${f}`,
      label: customFieldLabel(f, standardLabels),
      kind: customColumnKind(types.get(f)),
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
  const c = columnSql(column, querySqlOptions(db));
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
