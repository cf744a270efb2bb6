/**
 * The grid's reads: a page of rows (its access path planned in grid-plan.ts), the counts
 * behind the segment chips and the grade grid, the column list (standard + custom fields)
 * and the distinct values an "in list" filter offers.
 *
 * Counts over a million rows cost tens of milliseconds, so they are cached per query and
 * invalidated when the data changes (grid-cache.ts: this connection's writes or another one's
 * commits). The score columns are counted in the score store (score-store.ts).
 */
import type Database from 'better-sqlite3';
import type {
  DistinctValue,
  LeadColumnInfo,
  LeadCounts,
  LeadGridMeta,
  LeadPage,
  LeadQuery,
  LeadRow,
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
import { DEFAULT_STAGES, LEAD_FIELDS, LEAD_SCORE_COLUMNS } from '../../../../shared/domain';
import { leadLabel } from '../../../../shared/lead-label';
import { customFieldLabel } from '../../../../shared/custom-fields';
import { customFieldTypes } from './custom-fields';
import { defaultGrid } from './default-columns';
import { leadKeyName } from './lead-key';
import { leadTotal } from './lead-total';
import { leadSelectList } from './lead-uid-sql';
import { AppError } from '../../errors';
import { columnSql, CUSTOM_INDEX_PREFIX, customFieldIndexName } from './lead-query-sql';
import { customEntriesSql, customFieldPath, customSlots, decodeCustom, type CustomSlots } from './custom-store';
import { FIRST_USE_INDEXED_COLUMNS, firstUseIndexes } from '../../db/migrations/0550-first-use-indexes';
import { FIRST_USE_GRID_INDEXES, QUICK_SEARCH } from '../../db/migrations/0610-first-use-grid';
import { ensureLeadSearch, ensureSearchFor } from './lead-search';
import { buildAnnounced } from '../../db/first-use-notice';
import {
  cachedUntilChange,
  changeStamp,
  indexExists,
  leadTableColumns,
  querySqlOptions,
  tableExists,
} from './grid-cache';
import { pagePlan, type LeadPageArgs } from './grid-plan';
import { countMqlNow, mqlNowFilters } from './mql-now';
import { isScoreColumn, scoreStore } from './score-store';

export { cachedUntilChange, leadTableColumns, querySqlOptions } from './grid-cache';
export { pagePlan, PAGE_STRATEGIES, type LeadPageArgs } from './grid-plan';

/** The status bar's words while a first-use index is built (db/first-use-notice.ts). */
const PREPARING_SORT = 'Preparing this view: its sort and filters (once for this workspace)';

/**
 * Indexes built once, on first use (about a second per million leads), not declared in a
 * migration: one per custom field used for sorting or filtering (fields come from
 * spreadsheets; named by the field's slot, customFieldIndexName), a full index on
 * follow-up's sla_due_at (its own index is partial, which
 * cannot serve a sort with blanks last), those of the columns a fresh grid hides (migration
 * 0550) and the other grid indexes (0610: an import keeps only the indexes a workspace has
 * used). `columns` are the columns one view sorts and filters by (QUICK_SEARCH for its search).
 */
export function ensureGridIndexes(db: Database.Database, columns: Iterable<string>): void {
  const used = new Set(columns);
  const announce = (sql: string) => buildAnnounced(db, PREPARING_SORT, () => db.exec(sql));
  for (const index of FIRST_USE_GRID_INDEXES) {
    if (index.neededBy.some((set) => set.every((c) => used.has(c))) && !indexExists(db, index.name)) {
      announce(index.sql);
    }
  }
  for (const key of used) {
    if (isCustomColumn(key)) {
      const slotOf = customSlots(db).slotOf;
      const slot = slotOf.get(customFieldName(key));
      const path = customFieldPath(slotOf, customFieldName(key));
      // A field no lead has had yet has no slot: its value is NULL, nothing to index.
      const name = slot === undefined ? null : customFieldIndexName(slot);
      if (name !== null && path !== null && !indexExists(db, name))
        announce(`CREATE INDEX IF NOT EXISTS "${name}" ON leads(json_extract(custom, ${path}) COLLATE NOCASE)`);
    } else if (key === 'sla_due_at' && leadTableColumns(db).has('sla_due_at')) {
      if (!indexExists(db, 'leads_g_sla_due_at'))
        announce('CREATE INDEX IF NOT EXISTS leads_g_sla_due_at ON leads(sla_due_at)');
    } else if (FIRST_USE_INDEXED_COLUMNS.has(key)) {
      for (const index of firstUseIndexes(key)) if (!indexExists(db, index.name)) announce(index.sql);
    }
  }
}

/** The columns a view sorts and filters by, with QUICK_SEARCH when it searches. */
export function viewColumns(q: Pick<LeadQuery, 'filters' | 'sort' | 'search'>): string[] {
  const keys = q.filters.map((f) => f.column);
  if (q.sort) keys.push(q.sort.column);
  if (q.search.trim() !== '') keys.push(QUICK_SEARCH);
  return keys;
}

/**
 * Builds what this view's SQL needs and a workspace builds on first use: its sort and filter
 * indexes and, when it searches, the trigram table. Call before running a view's SQL.
 */
export function prepareView(db: Database.Database, q: Pick<LeadQuery, 'filters' | 'sort' | 'search'>): void {
  ensureGridIndexes(db, viewColumns(q));
  ensureSearchFor(db, q);
}

/** Builds every structure the grid builds on first use (the standard columns' indexes and the search table). */
export function prepareAllGridStructures(db: Database.Database): void {
  const columns = new Set([...FIRST_USE_INDEXED_COLUMNS, QUICK_SEARCH]);
  for (const index of FIRST_USE_GRID_INDEXES) for (const set of index.neededBy) for (const c of set) columns.add(c);
  ensureGridIndexes(db, columns);
  ensureLeadSearch(db);
}

type RawLead = Record<string, unknown> & { custom: string; tags: string; is_mql: number };

function parseTags(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** A grid row as the renderer gets it; `slots` decode its custom values (custom-store.ts). */
export function toLeadRow(r: RawLead, slots: CustomSlots): LeadRow {
  const first = (r.first_name as string | null) ?? '';
  const last = (r.last_name as string | null) ?? '';
  const row = r as unknown as LeadRow;
  return {
    ...row,
    name: `${first} ${last}`.trim(),
    label: leadLabel(row),
    custom: decodeCustom(slots, r.custom),
    tags: parseTags(r.tags),
    is_mql: r.is_mql === 1,
    sla_due_at: (r.sla_due_at as number | null | undefined) ?? null,
  };
}

/**
 * The SELECT list of a grid row: the standard fields come from LEAD_FIELDS, so a field added
 * there reaches the grid and the lead page without a second list to keep in step.
 */
export const LEAD_SELECT_LIST = leadSelectList(
  [
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
    ...LEAD_SCORE_COLUMNS,
    'sla_due_at',
  ],
  'leads',
);

/** One page of the grid: rows in order, plus the number of matching leads. */
export function leadsQuery(db: Database.Database, args: LeadPageArgs): LeadPage {
  const started = performance.now();
  prepareView(db, args);
  const plan = pagePlan(db, args);
  const rows = db
    .prepare(`SELECT ${LEAD_SELECT_LIST} ${plan.from} LIMIT ? OFFSET ?`)
    .all(...plan.params, args.limit, plan.offsetApplied ? 0 : args.offset) as RawLead[];
  const matches = plan.matches;
  const slots = customSlots(db);
  return {
    rows: rows.map((r) => toLeadRow(r, slots)),
    total: args.withTotal ? matches : null,
    offset: args.offset,
    tookMs: performance.now() - started,
  };
}

/**
 * Counts behind the segment chips and the grade grid (whole workspace): the score columns
 * counted in the score store (no index on them), or by SQL when the store holds a value of
 * an unexpected type. "MQL now" and its filters come from mql-now.ts.
 */
export function leadCounts(db: Database.Database): LeadCounts {
  return cachedUntilChange(db, 'counts', () => {
    const total = leadTotal(db);
    const suppressed = db
      .prepare(
        `SELECT count(*) FROM leads WHERE NOT (suppressed_reason IS NULL OR suppressed_reason COLLATE NOCASE = '')`,
      )
      .pluck()
      .get() as number;
    const store = scoreStore(db, changeStamp(db));
    const mqlFilters = mqlNowFilters(db);
    if (!store.serves(['segment', 'grade', 'is_mql']))
      return { total, suppressed, mqlFilters, ...scoreCountsBySql(db) };
    const segments = store
      .valueCounts('segment')
      .map((v) => ({ segment: v.value as string | null, count: v.count }))
      .sort((a, b) => b.count - a.count);
    const mql = countMqlNow(db, store);
    const grades: Record<string, number> = {};
    for (const g of store.valueCounts('grade')) if (g.value !== null) grades[g.value as string] = g.count;
    return { total, segments, mql, mqlFilters, suppressed, grades };
  });
}

function scoreCountsBySql(db: Database.Database): Pick<LeadCounts, 'segments' | 'mql' | 'grades'> {
  const segments = db
    .prepare('SELECT segment, count(*) AS count FROM leads GROUP BY segment ORDER BY count DESC')
    .all() as { segment: string | null; count: number }[];
  const mql = countMqlNow(db, null);
  const rows = db
    .prepare('SELECT grade, count(*) AS count FROM leads WHERE grade IS NOT NULL GROUP BY grade')
    .all() as { grade: string; count: number }[];
  return { segments, mql, grades: Object.fromEntries(rows.map((g) => [g.grade, g.count])) };
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
          `SELECT DISTINCT f.name AS k FROM (SELECT custom FROM leads WHERE custom <> '{}' ORDER BY id ${order} LIMIT 2000) l, ${customEntriesSql('l')}`,
        )
        .pluck()
        .all() as string[];
      for (const k of rows) names.add(k);
    }
    const indexed = db
      .prepare(
        `SELECT s.name FROM custom_field_slots s JOIN sqlite_schema i
           ON i.type = 'index' AND i.name = '${CUSTOM_INDEX_PREFIX}' || s.slot`,
      )
      .pluck()
      .all() as string[];
    for (const n of indexed) names.add(n);
    return [...names].filter((n) => !/["\p{Cc}]/u.test(n)).sort((a, b) => a.localeCompare(b));
  });
}

export function gridMeta(db: Database.Database): LeadGridMeta {
  const physical = leadTableColumns(db);
  const keyName = leadKeyName(db);
  const catalog: LeadColumnInfo[] = LEAD_COLUMNS.filter(
    (c) => c.key !== 'sla_due_at' || physical.has('sla_due_at'),
  ).map((c) =>
    c.key === 'lead_key' && keyName !== null
      ? { ...c, label: keyName, custom: false, sortable: true }
      : { ...c, custom: false, sortable: !UNSORTABLE_COLUMNS.has(c.key) },
  );
  const types = customFieldTypes(db);
  const standardLabels = catalog.map((c) => c.label);
  for (const f of customFieldNames(db)) {
    catalog.push({
      key: `${CUSTOM_PREFIX}${f}`,
      label: customFieldLabel(f, standardLabels),
      kind: customColumnKind(types.get(f)),
      custom: true,
      defaultVisible: false,
      width: 150,
      sortable: true,
    });
  }
  const fresh = cachedUntilChange(db, 'default-grid', () =>
    defaultGrid(db, new Set(catalog.map((c) => c.key)), keyName),
  );
  const defaultColumns = fresh.keys;
  const columns = catalog.map((c) => ({
    ...c,
    defaultVisible: defaultColumns.includes(c.key),
    ...(c.key === 'lead_key' && fresh.keyWidth !== null ? { width: fresh.keyWidth } : {}),
  }));
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
  return { columns, defaultColumns, keyName, owners, stages };
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
  if (isScoreColumn(column) && !search) {
    const store = scoreStore(db, changeStamp(db));
    if (store.serves([column])) return mostCommonFirst(store.valueCounts(column)).slice(0, limit);
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

/** Values by count, most common first, ties in SQL's order (NULL, numbers, then text by bytes). */
function mostCommonFirst(values: DistinctValue[]): DistinctValue[] {
  const rank = (v: DistinctValue['value']): number => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  return [...values].sort((a, b) => {
    if (a.count !== b.count) return b.count - a.count;
    if (rank(a.value) !== rank(b.value)) return rank(a.value) - rank(b.value);
    if (typeof a.value === 'number' && typeof b.value === 'number') return a.value - b.value;
    return Buffer.compare(Buffer.from(String(a.value)), Buffer.from(String(b.value)));
  });
}
