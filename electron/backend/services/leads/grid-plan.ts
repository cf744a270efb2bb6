/**
 * The grid's page planner: which access path reads a page of rows, chosen by the code
 * instead of SQLite's planner, which misjudges "filter on one column, sort by another" on
 * skewed data (it sorts half a million rows to return 100). The planner is a list of
 * strategies (PAGE_STRATEGIES), each a named function that either plans the page or declines;
 * the first that plans it wins. docs/decisions/grid-access-paths.md and grid-score-store.md
 * say why each exists and what it was measured at.
 */
import type Database from 'better-sqlite3';
import type { LeadFilter, leadPageArgsSchema } from '../../../../shared/contract/leads';
import type { z } from 'zod';
import { isCustomColumn } from '../../../../shared/lead-columns';
import type { CustomFieldType } from '../../../../shared/custom-fields';
import { customFieldTypes } from './custom-fields';
import { customSlots as customSlotsOf } from './custom-store';
import { leadTotal } from './lead-total';
import { cachedUntilChange, changeStamp, indexExists, leadTableColumns, querySqlOptions } from './grid-cache';
import {
  buildLeadQuerySql,
  columnSql,
  filterUsesIndex,
  likeContains,
  sortIndexName,
  type LeadQuerySql,
} from './lead-query-sql';
import {
  isScoreColumn,
  keptScoreStore,
  maskCondition,
  SCORE_STORE_INDEX,
  scoreStore,
  type ScoreColumn,
  type ScoreStore,
} from './score-store';

export type LeadPageArgs = z.output<typeof leadPageArgsSchema>;

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
    if (where === 'TRUE') return leadTotal(db);
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
  // (id, last_name, first_name) holds it too; SQLite found that only with ANALYZE's statistics.
  first_name: 'leads_g_id_name',
  email: 'leads_g_id_email',
};

/** The custom slots where only standard columns can come (no custom field index is named). */
const STANDARD_ONLY: ReadonlyMap<string, number> = new Map();
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
    const index = `"${sortIndexName(column, STANDARD_ONLY)}"`;
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
    const index = sortIndexName(f.column, STANDARD_ONLY);
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
  const index = sortIndexName(column, customSlotsOf(db).slotOf);
  if (!index || index === 'leads_g_name' || !indexExists(db, index)) return null;
  const c = columnSql(column, querySqlOptions(db));
  const buckets: Bucket[] = [
    ...(c.kind === 'text' ? [{ cond: `${c.value}${c.inCollate} = ''`, params: [] }] : []),
    { cond: `${c.value} IS NULL`, params: [] },
  ];
  return bucketPlan(db, args, sql, buckets, index, index, matches);
}

/** From this offset on, a page of the whole workspace skips its offset in an index, not in the table. */
const DEEP_OFFSET = 1000;
/**
 * Indexes in id order, narrowest first: what the default order skips through. (id, email)
 * of migration 0080 is built on first use of the email column (0610); the score store's
 * index, a little wider, is in every workspace.
 */
const ID_ORDER_INDEXES = ['leads_g_id_email', SCORE_STORE_INDEX];

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
  const index = sortColumn
    ? sortIndexName(sortColumn, customSlotsOf(db).slotOf)
    : ID_ORDER_INDEXES.find((i) => indexExists(db, i));
  if (!index || !indexExists(db, index)) return null;
  return {
    ...plain,
    strategy: 'deep',
    from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads INDEXED BY "${index}" ORDER BY ${orderBy} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${orderBy}`,
    offsetApplied: true,
  };
}

export type PagePlan = Readonly<{
  from: string;
  params: unknown[];
  /** The page's offset is already inside `from` (a sorted id subquery or list): page with OFFSET 0. */
  offsetApplied?: boolean;
  /** Which access path was picked (for tests and diagnostics). */
  strategy:
    | 'plain'
    | 'empty'
    | 'scores'
    | 'score-sort'
    | 'score-walk'
    | 'deep'
    | 'same-column'
    | 'buckets'
    | 'pair'
    | 'covered'
    | 'sort-matches'
    | 'walk';
  /** The per-bucket reads of the "buckets" strategy, in order (for EXPLAIN in tests). */
  reads?: readonly { sql: string; params: unknown[] }[];
}>;

export type PlannedPage = PagePlan & { matches: number };

/**
 * The view's score part, when the score store (score-store.ts) serves it: the filters on
 * score columns as a mask (null when there are none) and the view without them (`rest`,
 * as SQL), so the store sorts and filters by scores and SQL only checks the rest.
 */
type ScoreView = Readonly<{
  store: ScoreStore;
  mask: Uint8Array | null;
  /** The sort column when it is a score column. */
  sortColumn: ScoreColumn | null;
  /** Filters on other columns, and the quick search. */
  rest: LeadFilter[];
  restSql: LeadQuerySql;
}>;

/** What every strategy gets: the view, its SQL, its match count and, when few, their ids. */
export type PlanContext = Readonly<{
  db: Database.Database;
  args: LeadPageArgs;
  leadColumns: ReadonlySet<string>;
  customTypes: ReadonlyMap<string, CustomFieldType>;
  customSlots: ReadonlyMap<string, number>;
  sql: LeadQuerySql;
  matches: number;
  /** Every matching id (unordered) when known without extra cost and at most ID_LIST_MAX. */
  ids: readonly number[] | null;
  scores: ScoreView | null;
  /** A plan reading `sql` as SQLite sees fit: the base other plans are made from. */
  plain: PlannedPage;
}>;

type PageStrategy = (ctx: PlanContext) => PlannedPage | null;

/** A page whose ids, in page order, are already known. */
function idsPage(ctx: PlanContext, ids: readonly number[], strategy: PagePlan['strategy']): PlannedPage {
  return {
    ...ctx.plain,
    from: `FROM leads WHERE leads.id IN (SELECT value FROM json_each(?)) ORDER BY ${ctx.sql.orderBy}`,
    params: [JSON.stringify(ids)],
    offsetApplied: true,
    strategy,
  };
}

function hasSearch(args: LeadPageArgs): boolean {
  return args.search.trim().length > 0;
}

/**
 * The score store's share of a view, or null when the view neither filters nor sorts by a
 * score column, or the store cannot answer its score filters exactly.
 */
function scoreViewOf(
  db: Database.Database,
  args: LeadPageArgs,
  options: Omit<ViewSqlOptions, 'substringByLike'>,
): ScoreView | null {
  const scoreFilters = args.filters.filter((f) => isScoreColumn(f.column));
  const sortColumn = args.sort && isScoreColumn(args.sort.column) ? args.sort.column : null;
  if (scoreFilters.length === 0 && !sortColumn) return null;
  const store = scoreStore(db, changeStamp(db));
  if (!store.serves([...scoreFilters.map((f) => f.column as ScoreColumn), ...(sortColumn ? [sortColumn] : [])])) {
    return null;
  }
  const mask = store.mask(scoreFilters);
  if (scoreFilters.length > 0 && !mask) return null;
  const rest = args.filters.filter((f) => !isScoreColumn(f.column));
  const restSql = buildLeadQuerySql({ ...args, filters: rest }, options);
  return { store, mask, sortColumn, rest, restSql };
}

type ViewSqlOptions = {
  leadColumns: ReadonlySet<string>;
  customTypes: ReadonlyMap<string, CustomFieldType>;
  customSlots: ReadonlyMap<string, number>;
  substringByLike?: boolean;
};

/**
 * The view as SQL. With score filters served by the store, they are one condition on the
 * lead id (maskCondition), tested without reading the table rows, before the other filters.
 */
function viewSql(
  db: Database.Database,
  args: LeadPageArgs,
  view: ScoreView | null,
  options: ViewSqlOptions,
): LeadQuerySql {
  if (!view?.mask) return buildLeadQuerySql(args, options);
  const rest = buildLeadQuerySql({ ...args, filters: view.rest }, options);
  const cond = maskCondition(db, view.store, view.mask);
  return {
    where: rest.where === 'TRUE' ? cond.sql : `${cond.sql} AND (${rest.where})`,
    params: [...cond.params, ...rest.params],
    orderBy: rest.orderBy,
    idSets: null,
  };
}

/** Ids matching `sql` (unordered), read through its side indexes when it has only those. */
function matchingIds(db: Database.Database, sql: LeadQuerySql, matches: number): number[] {
  const list = idListFor(db, sql, matches);
  if (list) return JSON.parse(list) as number[];
  return db
    .prepare(`SELECT leads.id FROM leads WHERE ${sql.where}`)
    .pluck()
    .all(...sql.params) as number[];
}

/**
 * The match count of a view, and the matching ids when they come for free. Score filters
 * are counted in the store; with other filters too, the other filters' matches are read
 * (when at most ID_LIST_MAX) and kept if the mask allows them; with more, SQL counts.
 */
function countView(
  db: Database.Database,
  sql: LeadQuerySql,
  view: ScoreView | null,
): { matches: number; ids: readonly number[] | null } {
  if (!view?.mask) return { matches: countMatching(db, sql), ids: null };
  const { store, mask, restSql } = view;
  if (restSql.where === 'TRUE') return { matches: store.count(mask), ids: null };
  const restMatches = countMatching(db, restSql);
  if (restMatches > ID_LIST_MAX) return { matches: countMatching(db, sql), ids: null };
  const ids = matchingIds(db, restSql, restMatches).filter((id) => {
    const p = positionIn(store, id);
    return p >= 0 && mask[p] === 1;
  });
  return { matches: ids.length, ids };
}

/** A lead's position in the store's arrays, or -1 (a lead added after it was read). */
function positionIn(store: ScoreStore, id: number): number {
  const { ids } = store;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] === id) return mid;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Nothing to show (no match, or scrolled past the last): no index walk looking for one. */
function emptyPage(ctx: PlanContext): PlannedPage | null {
  if (ctx.sql.where === 'TRUE' || ctx.matches > ctx.args.offset) return null;
  return { ...ctx.plain, from: 'FROM leads WHERE FALSE', params: [], strategy: 'empty' };
}

/**
 * Only score filters, and a score sort or none (newest first): the store filters, sorts and
 * skips the offset in memory; only the page's rows are read.
 */
function scoresInMemory(ctx: PlanContext): PlannedPage | null {
  const view = ctx.scores;
  if (!view || view.restSql.where !== 'TRUE') return null;
  if (!view.sortColumn && (ctx.args.sort || !view.mask)) return null;
  const dir = ctx.args.sort?.dir ?? 'desc';
  return idsPage(ctx, view.store.page(view.mask, view.sortColumn, dir, ctx.args.offset, ctx.args.limit), 'scores');
}

/**
 * Sorted by a score column, filtered (also) by other columns. The store's order is walked,
 * SQL checking the other filters on a batch of ids at a time, when that passes fewer leads
 * than there are matches (a walk passes about (offset + limit) x leads / matches); else,
 * or when the walk finds the matches bunched at the far end (correlated data), the
 * matches are read through their indexes and put in score order by the store.
 */
function scoreSortedMatches(ctx: PlanContext): PlannedPage | null {
  const view = ctx.scores;
  if (!view?.sortColumn || view.restSql.where === 'TRUE') return null;
  const { args, db } = ctx;
  const dir = args.sort!.dir;
  const restMatches = ctx.ids?.length ?? countMatching(db, view.restSql);
  const need = args.offset + args.limit;
  const fewMatches = ctx.ids !== null || restMatches <= ID_LIST_MAX;
  const expectedWalk = (need * view.store.size) / Math.max(1, restMatches);
  // The matches of a search (side-index id sets) were listed when counted: ranking them in
  // the store's order is one pass over them, where a walk checks the search again on every
  // batch (a search crossed with a score sort: 60-80 ms on 1M leads walking).
  const listed = ctx.ids !== null || (restMatches <= ID_LIST_MAX && (view.restSql.idSets?.length ?? 0) > 0);
  if (!listed && (!fewMatches || expectedWalk < restMatches)) {
    const walked = walkScoreOrder(db, view, dir, args.offset, args.limit, fewMatches ? 2 * restMatches : Infinity);
    if (walked) return idsPage(ctx, walked, 'score-walk');
  }
  const ids = ctx.ids ?? matchingIds(db, view.restSql, restMatches);
  const sorted = view.store.sortIds(ids, view.mask, view.sortColumn, dir);
  return idsPage(ctx, sorted.slice(args.offset, need), 'score-sort');
}

/**
 * The ids of a page in the store's order that SQL finds match the rest of the view, or null
 * when more than `budget` leads were passed without filling it.
 */
function walkScoreOrder(
  db: Database.Database,
  view: ScoreView,
  dir: 'asc' | 'desc',
  offset: number,
  limit: number,
  budget: number,
): number[] | null {
  const { store, mask, restSql } = view;
  const order = store.order(view.sortColumn, dir);
  const check = db
    .prepare(`SELECT leads.id FROM leads WHERE leads.id IN (SELECT value FROM json_each(?)) AND (${restSql.where})`)
    .pluck();
  const need = offset + limit;
  const found: number[] = [];
  let passed = 0;
  let batch = Math.max(256, 2 * need);
  for (let k = 0; k < order.length && found.length < need; batch *= 2) {
    if (passed > budget) return null;
    const candidates: number[] = [];
    for (; k < order.length && candidates.length < batch; k++) {
      const p = order[k]!;
      if (!mask || mask[p] === 1) candidates.push(store.ids[p]!);
    }
    passed += candidates.length;
    const ok = new Set(check.all(JSON.stringify(candidates), ...restSql.params) as number[]);
    for (const id of candidates) if (ok.has(id)) found.push(id);
  }
  return found.slice(offset, need);
}

/**
 * No filter: SQLite walks the sort column's index; a deep page skips its offset in it, or,
 * newest first, takes its ids from the score store when the connection holds it (its ids
 * are every lead's, in id order): skipping in an index costs every entry skipped (the last
 * of 1M leads: 60 ms), the store only the page.
 */
function wholeWorkspace(ctx: PlanContext): PlannedPage | null {
  const { db, args } = ctx;
  if (ctx.sql.where !== 'TRUE') return null;
  if (!args.sort && args.offset >= DEEP_OFFSET) {
    const store = keptScoreStore(db, changeStamp(db));
    if (store && store.size === ctx.matches) {
      return idsPage(ctx, store.page(null, null, 'desc', args.offset, args.limit), 'scores');
    }
  }
  return deepPagePlan(db, args, ctx.sql.orderBy, ctx.plain) ?? ctx.plain;
}

/**
 * Filter and sort on the same column: its own index serves both (named, because a pair
 * index starting with the same column looks as good to the planner, which then sorts every
 * match by id); "is blank" reads empty values, then NULLs (blankBuckets). A substring of
 * the sort column is left to the general path (walk or sort the matches).
 */
function sameColumn(ctx: PlanContext): PlannedPage | null {
  const { args, sql, db, plain } = ctx;
  const sortColumn = args.sort?.column;
  const same = args.filters.filter((f) => f.column === sortColumn);
  if (!sortColumn || same.length === 0 || same.some((f) => f.op === 'contains')) return null;
  if (args.filters.length === 1 && args.filters[0]!.op === 'blank' && !hasSearch(args)) {
    return blankBuckets(db, args, sql, ctx.matches) ?? plain;
  }
  const own = sortIndexName(sortColumn, ctx.customSlots);
  const seekable = args.filters.every(
    (f) => f.column !== sortColumn || f.op === 'in' || f.op === 'range' || f.op === 'date-range',
  );
  if (own && seekable && indexExists(db, own)) {
    return {
      ...plain,
      from: `FROM leads INDEXED BY "${own}" WHERE ${sql.where} ORDER BY ${sql.orderBy}`,
      strategy: 'same-column',
    };
  }
  return plain;
}

/**
 * A single-value filter (a stage, a company) with a (filter, sort) pair index: walk that
 * index, the matches come in sort order (leads_g_stage_sla_due_at, leads_g_company_website).
 */
function pairIndexWalk(ctx: PlanContext): PlannedPage | null {
  const { args, sql, db, plain } = ctx;
  if (!args.sort || hasSearch(args)) return null;
  const chip = args.filters.find((f) => f.op === 'in' && f.values.length === 1 && f.column !== 'tags');
  const pair = chip && `leads_g_${chip.column}_${args.sort.column}`;
  if (!pair || !indexExists(db, pair)) return null;
  return {
    ...plain,
    from: `FROM leads INDEXED BY ${pair} WHERE ${sql.where} ORDER BY ${sql.orderBy}`,
    strategy: 'pair',
  };
}

/**
 * Lists on the first column of a (filter, sort) covering index: sort the matches in it,
 * no table read (company substrings sorted by website bunch up in website order). SQLite
 * reads each listed value's entries in sort order and stops each once the page is full,
 * so the cost follows values x (offset + limit), not the number of matches.
 */
function coveredPair(ctx: PlanContext): PlannedPage | null {
  const { args, sql, db, plain } = ctx;
  const sortColumn = args.sort?.column;
  const first = args.filters[0];
  const covering = sortColumn && first ? COVERING_PAIRS[first.column]?.[sortColumn] : undefined;
  if (
    !covering ||
    hasSearch(args) ||
    !args.filters.every((f) => f.column === first!.column && f.op === 'in') ||
    !indexExists(db, covering)
  ) {
    return null;
  }
  return {
    ...plain,
    strategy: 'covered',
    from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads INDEXED BY "${covering}" WHERE ${sql.where} ORDER BY ${sql.orderBy} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${sql.orderBy}`,
    offsetApplied: true,
  };
}

/** The matching ids as a JSON list when known (side indexes, the score store), else null. */
function idListOf(ctx: PlanContext): string | null {
  if (ctx.ids) return JSON.stringify(ctx.ids);
  const view = ctx.scores;
  if (view?.mask && view.restSql.where === 'TRUE' && ctx.matches <= ID_LIST_MAX) {
    return JSON.stringify(view.store.page(view.mask, null, 'desc', 0, ctx.matches));
  }
  return idListFor(ctx.db, ctx.sql, ctx.matches);
}

/**
 * The general path, in two parts that share their estimate: few matches found through an
 * index are sorted (sortMatches); otherwise the sort column's index is walked and stopped
 * after offset + limit matches (walkSortIndex), unless a probe of its first rows finds too
 * few matches (correlated data), then sorting the matches is the bounded cost.
 */
function generalPath(ctx: PlanContext): PlannedPage {
  const { db, args, matches } = ctx;
  const sortColumn = args.sort?.column;
  const all = countMatching(db, { where: 'TRUE', params: [], idSets: null });
  const need = args.offset + args.limit;
  const walk = (need * all) / Math.max(1, matches);
  const idList = idListOf(ctx);
  const indexedFilter =
    idList !== null ||
    args.filters.some((f) => !isScoreColumn(f.column) && filterUsesIndex(f)) ||
    args.search.trim().length >= 3;
  const sortFew = sortMatches(ctx, idList);
  if (indexedFilter && matches <= SMALL_RESULT && walk > matches) return sortFew;
  const named = sortColumn ? sortIndexName(sortColumn, ctx.customSlots) : null;
  const idx = named && indexExists(db, named) ? named : null;
  const hint = idx ? ` INDEXED BY "${idx}"` : sortColumn ? '' : ' NOT INDEXED';
  const like = viewSql(db, args, ctx.scores, {
    leadColumns: ctx.leadColumns,
    customTypes: ctx.customTypes,
    customSlots: ctx.customSlots,
    substringByLike: true,
  });
  // With the matching ids at hand, the walk tests membership on the index entries and reads
  // only the matching rows (LIKE would read every row it passes).
  const member = idList && idx && !ctx.scores?.mask;
  const walkPlan: PlannedPage = {
    from: `FROM leads${hint} WHERE ${member ? 'leads.id IN (SELECT value FROM json_each(?))' : like.where} ORDER BY ${like.orderBy}`,
    params: member ? [idList] : like.params,
    matches,
    strategy: 'walk',
  };
  // The estimate assumes matches are spread evenly along the sort order. Correlated data
  // (sort by engagement, filter on a low grade) puts them all at the far end, so probe:
  // count the matches among the first rows of the sort order before committing to a walk.
  if (indexedFilter && matches <= LARGE_RESULT && need <= PROBE_ROWS / 2) {
    // With the matching ids at hand, the probe tests membership on the sort index's own
    // entries (no table row read); it is the same until the next change.
    const hit = member ? 'leads.id IN (SELECT value FROM json_each(?))' : like.where;
    const hitParams = member ? [idList] : like.params;
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

/**
 * Few matches: found through the filter's index (or read from their id list) and sorted.
 * Sorting only ids (not whole rows) keeps the sorter small; the page's rows are read after.
 * Matches known only by id take their sort keys from a narrow index keyed by id where there
 * is one, not from their table rows; the + before each ORDER BY term keeps SQLite from
 * walking the sort index instead.
 */
function sortMatches(ctx: PlanContext, idList: string | null): PlannedPage {
  const { db, args, sql, plain } = ctx;
  const sortColumn = args.sort?.column;
  const unindexed = sql.orderBy
    .split(', ')
    .map((t) => `+${t}`)
    .join(', ');
  const byId = (sql.idSets || idList) && sortColumn ? ID_SORT_INDEXES[sortColumn] : undefined;
  const keys = byId && indexExists(db, byId) ? ` INDEXED BY "${byId}"` : '';
  return {
    ...plain,
    strategy: 'sort-matches',
    from: `FROM leads WHERE leads.id IN (SELECT leads.id FROM leads${keys} WHERE ${idList ? 'leads.id IN (SELECT value FROM json_each(?))' : sql.where} ORDER BY ${unindexed} LIMIT ${args.limit} OFFSET ${args.offset}) ORDER BY ${sql.orderBy}`,
    params: idList ? [idList] : sql.params,
    offsetApplied: true,
  };
}

/**
 * The strategies in the order they are tried; the first that plans the page wins, and the
 * general path (sort few matches, or walk the sort index) plans every page that is left.
 */
export const PAGE_STRATEGIES: readonly (readonly [string, PageStrategy])[] = [
  ['empty', emptyPage],
  ['scores in memory', scoresInMemory],
  ['score-sorted matches', scoreSortedMatches],
  ['whole workspace', wholeWorkspace],
  ['same column', sameColumn],
  ['pair index walk', pairIndexWalk],
  ['covered pair', coveredPair],
];

/** The view as the planner sees it: rewritten substrings, its SQL, counts and score share. */
export function planContext(db: Database.Database, input: LeadPageArgs): PlanContext {
  const leadColumns = leadTableColumns(db);
  const customTypes = customFieldTypes(db);
  const customSlots = customSlotsOf(db).slotOf;
  const args = substringsAsLists(db, input, leadColumns);
  const scores = scoreViewOf(db, args, { leadColumns, customTypes, customSlots });
  const sql = viewSql(db, args, scores, { leadColumns, customTypes, customSlots });
  const { matches, ids } = countView(db, sql, scores);
  const plain: PlannedPage = {
    from: `FROM leads WHERE ${sql.where} ORDER BY ${sql.orderBy}`,
    params: sql.params,
    matches,
    strategy: 'plain',
  };
  return { db, args, leadColumns, customTypes, customSlots, sql, matches, ids, scores, plain };
}

/** Picks the page's access path: the first strategy that plans it, else the general path. */
export function pagePlan(db: Database.Database, input: LeadPageArgs): PlannedPage {
  const ctx = planContext(db, input);
  for (const [, strategy] of PAGE_STRATEGIES) {
    const planned = strategy(ctx);
    if (planned) return planned;
  }
  return generalPath(ctx);
}
