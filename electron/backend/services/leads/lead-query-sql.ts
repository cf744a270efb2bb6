/**
 * A grid view (filters + sort + quick search) as SQL over the `leads` table. Pure: no
 * database access, so the grid, bulk actions ("select all matching") and the export all
 * select exactly the same rows.
 *
 * Every expression refers to the table by its name `leads` (use `FROM leads`, no alias).
 * The SQL mirrors the indexes of migration 0040-leads exactly (same collation, same
 * json_extract literal), otherwise SQLite would fall back to full scans on a million rows:
 * text columns sort and match lists case-insensitively (COLLATE NOCASE); substring search on
 * name, email and company goes through the trigram full-text table `leads_search`.
 */
import type { LeadFilter, LeadQuery, LeadSort } from '../../../../shared/contract/leads';
import { customFieldName, findLeadColumn, isCustomColumn, UNSORTABLE_COLUMNS } from '../../../../shared/lead-columns';
import type { CustomFieldType } from '../../../../shared/custom-fields';
import { LEAD_FIELDS } from '../../../../shared/domain';
import { AppError } from '../../errors';
import { customFieldSql } from './custom-store';

export type LeadQuerySql = Readonly<{
  /** A boolean SQL expression (never empty; 'TRUE' when nothing filters). */
  where: string;
  /** Positional parameters for `where`, in order. */
  params: unknown[];
  /** ORDER BY terms (without the keyword); always ends with the id tie-break. */
  orderBy: string;
  /**
   * When every condition is a set of lead ids read from a side index (a trigram lookup for
   * substrings of name/email/company and the quick search, lead_tags for a tag list), those
   * sets; otherwise null. A count can then read only those indexes (see grid.ts). Each
   * `sql` selects one column `id`; `unique` says it lists no id twice.
   */
  idSets: { sql: string; params: unknown[]; unique: boolean }[] | null;
}>;

export type LeadQuerySqlOptions = Readonly<{
  /** Physical columns of `leads`; when given, columns that do not exist yet are refused. */
  leadColumns?: ReadonlySet<string>;
  /**
   * Match substrings with LIKE instead of the trigram index (same rows for ASCII text).
   * For walking a sort index when many rows match: checking a few hundred rows with LIKE
   * is cheaper than materializing a trigram result of a hundred thousand ids.
   */
  substringByLike?: boolean;
  /** Custom fields' types (services/leads/custom-fields.ts): typed fields sort and filter by value. */
  customTypes?: ReadonlyMap<string, CustomFieldType>;
  /** Custom fields' slots (services/leads/custom-store.ts): where a value sits in `custom`; needed for custom columns. */
  customSlots?: ReadonlyMap<string, number>;
}>;

/** Columns whose substring filter uses the trigram index (leads_search column names). */
const FTS_COLUMNS: ReadonlySet<string> = new Set(['name', 'email', 'company']);
/** Text columns stored and indexed as plain TEXT with NOCASE collation. */
const NOCASE_TEXT = new Set([
  'lead_key',
  ...LEAD_FIELDS.filter((f) => f.kind === 'text').map((f) => f.key),
  'owner_name',
  'suppressed_reason',
]);
/** Exact-valued columns (keys and codes) indexed with the default BINARY collation. */
const BINARY_TEXT = new Set(['stage', 'grade', 'segment']);
const NUMERIC = new Set(['score_total', 'score_fit', 'score_engagement', 'company_size', 'is_mql']);
const DATES = new Set(['last_activity_at', 'created_at', 'updated_at', 'scored_at', 'sla_due_at']);

const NAME_EXPR = "trim(coalesce(leads.first_name, '') || ' ' || coalesce(leads.last_name, ''))";

/** What the name of every custom field's expression index starts with (then its slot). */
export const CUSTOM_INDEX_PREFIX = 'leads_cfs_';

/**
 * Name of the expression index of the custom field in `slot` (custom-store.ts): the index is
 * on that slot's value (`json_extract(custom, '$[slot]')`), and a slot belongs to one field for
 * good (append-only, never reused), so the name maps to exactly one field whatever its name's
 * length or characters (custom_field_slots gives the name back). Migration 0960 renamed the
 * indexes named before by the hex of the field's name, cut at 60 bytes.
 */
export function customFieldIndexName(slot: number): string {
  return `${CUSTOM_INDEX_PREFIX}${slot}`;
}

/**
 * The index that serves a sort by this column (migration 0040 and ensureGridIndexes); for a
 * custom field, by its slot in `customSlots` (null for a field no lead has had: no index).
 */
export function sortIndexName(column: string, customSlots: ReadonlyMap<string, number>): string | null {
  if (isCustomColumn(column)) {
    const slot = customSlots.get(customFieldName(column));
    return slot === undefined ? null : customFieldIndexName(slot);
  }
  if (column === 'name' || column === 'last_name') return 'leads_g_name';
  if (UNSORTABLE_COLUMNS.has(column) || !findLeadColumn(column)) return null;
  return `leads_g_${column}`;
}

/** Whether a filter can be answered from an index (so few matches are found without a scan). */
export function filterUsesIndex(f: LeadFilter): boolean {
  if (f.op === 'not-blank') return false;
  if (f.op === 'contains') return FTS_COLUMNS.has(f.column) && [...f.value.trim()].length >= 3;
  return true;
}

/** Whether a condition of this view reads the trigram table (a word or substring of 3+ characters). */
export function usesSearchTable(query: Pick<LeadQuery, 'filters' | 'search'>): boolean {
  const long = (text: string) => [...text].length >= 3;
  if (query.search.trim().split(/\s+/).some(long)) return true;
  return query.filters.some((f) => f.op === 'contains' && FTS_COLUMNS.has(f.column) && long(f.value.trim()));
}

type ColumnSql = Readonly<{
  /** Value expression (filters, blanks). */
  value: string;
  /** Sort terms, ascending (collation included); [] when unsortable. */
  sort: readonly string[];
  /** Collation suffix for `in` comparisons. */
  inCollate: string;
  kind: 'text' | 'number' | 'date' | 'bool' | 'tags' | 'name';
}>;

function assertExists(column: string, options: LeadQuerySqlOptions): void {
  if (options.leadColumns && !options.leadColumns.has(column)) {
    throw new AppError('BAD_ARGUMENT', `The column "${column}" is not available in this workspace yet.`);
  }
}

/** How a column key maps to SQL; throws BAD_ARGUMENT for unknown columns. */
export function columnSql(key: string, options: LeadQuerySqlOptions = {}): ColumnSql {
  if (isCustomColumn(key)) {
    const field = customFieldName(key);
    if (!options.customSlots) throw new Error(`columnSql(${key}) needs the workspace's custom field slots`);
    const expr = customFieldSql(options.customSlots, field);
    const type = options.customTypes?.get(field);
    if (type === 'number' || type === 'date' || type === 'bool') {
      // Stored as JSON numbers (dates in epoch ms) and booleans (1/0 to SQL), which compare
      // by value under any collation; spelled with the expression index's NOCASE so that
      // index serves ranges and sorts too.
      const value = `${expr} COLLATE NOCASE`;
      return { value, sort: [value], inCollate: '', kind: type };
    }
    return { value: expr, sort: [`${expr} COLLATE NOCASE`], inCollate: ' COLLATE NOCASE', kind: 'text' };
  }
  if (!findLeadColumn(key)) throw new AppError('BAD_ARGUMENT', `Unknown column "${key}".`);
  if (key === 'name') {
    return {
      value: NAME_EXPR,
      sort: ['leads.last_name COLLATE NOCASE', 'leads.first_name COLLATE NOCASE'],
      inCollate: ' COLLATE NOCASE',
      kind: 'name',
    };
  }
  if (key === 'last_name') {
    return {
      value: 'leads.last_name',
      sort: ['leads.last_name COLLATE NOCASE', 'leads.first_name COLLATE NOCASE'],
      inCollate: ' COLLATE NOCASE',
      kind: 'text',
    };
  }
  if (key === 'tags') return { value: 'leads.tags', sort: [], inCollate: '', kind: 'tags' };
  assertExists(key, options);
  const col = `leads.${key}`;
  if (NOCASE_TEXT.has(key))
    return { value: col, sort: [`${col} COLLATE NOCASE`], inCollate: ' COLLATE NOCASE', kind: 'text' };
  if (BINARY_TEXT.has(key)) return { value: col, sort: [col], inCollate: '', kind: 'text' };
  if (NUMERIC.has(key)) return { value: col, sort: [col], inCollate: '', kind: 'number' };
  if (DATES.has(key)) return { value: col, sort: [col], inCollate: '', kind: 'date' };
  throw new AppError('BAD_ARGUMENT', `Unknown column "${key}".`);
}

/** A trigram lookup; its one parameter is the MATCH expression. */
const FTS_CONDITION = 'leads.id IN (SELECT rowid FROM leads_search WHERE leads_search MATCH ?)';

/** Start of a tag list condition: `${TAGS_CONDITION}FROM lead_tags WHERE tag IN (...))`. */
const TAGS_CONDITION = 'leads.id IN (SELECT lead_id ';

/** LIKE pattern for a substring, with %, _ and \ escaped (use with ESCAPE '\'). */
export function likeContains(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** An FTS5 string literal (a phrase): the trigram tokenizer matches it as a substring. */
function ftsPhrase(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function blankExpr(c: ColumnSql): string {
  switch (c.kind) {
    case 'name':
      return "(coalesce(leads.first_name, '') = '' AND coalesce(leads.last_name, '') = '')";
    case 'tags':
      return "leads.tags = '[]'";
    case 'text':
      return `(${c.value} IS NULL OR ${c.value}${c.inCollate} = '')`;
    default:
      return `${c.value} IS NULL`;
  }
}

function filterSql(f: LeadFilter, params: unknown[], options: LeadQuerySqlOptions): string {
  const c = columnSql(f.column, options);
  switch (f.op) {
    case 'blank':
      return blankExpr(c);
    case 'not-blank':
      return `NOT ${blankExpr(c)}`;
    case 'contains': {
      const value = f.value.trim();
      if (value === '') return 'TRUE';
      if (FTS_COLUMNS.has(f.column) && [...value].length >= 3 && !options.substringByLike) {
        params.push(`${f.column} : ${ftsPhrase(value)}`);
        return FTS_CONDITION;
      }
      if (c.kind === 'tags') {
        params.push(likeContains(value));
        return "EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag LIKE ? ESCAPE '\\')";
      }
      params.push(likeContains(value));
      return `${c.value} LIKE ? ESCAPE '\\'`;
    }
    case 'in': {
      const marks = f.values.map(() => '?').join(', ');
      if (c.kind === 'tags') {
        params.push(...f.values.map(String));
        return `${TAGS_CONDITION}FROM lead_tags WHERE tag IN (${marks}))`;
      }
      if (f.column === 'is_mql' || c.kind === 'bool') {
        params.push(...f.values.map((v) => (v === 1 || v === '1' || v === 'true' || v === 'Yes' ? 1 : 0)));
        return `${c.value} IN (${marks})`;
      }
      params.push(...f.values);
      return `${c.value}${c.inCollate} IN (${marks})`;
    }
    case 'range': {
      const parts: string[] = [];
      const v = c.kind === 'number' || c.kind === 'date' ? c.value : `CAST(${c.value} AS REAL)`;
      if (f.min != null) {
        parts.push(`${v} >= ?`);
        params.push(f.min);
      }
      if (f.max != null) {
        parts.push(`${v} <= ?`);
        params.push(f.max);
      }
      return parts.length ? `(${parts.join(' AND ')})` : `${v} IS NOT NULL`;
    }
    case 'date-range': {
      const parts: string[] = [];
      if (f.from != null) {
        parts.push(`${c.value} >= ?`);
        params.push(f.from);
      }
      if (f.to != null) {
        parts.push(`${c.value} < ?`);
        params.push(f.to);
      }
      return parts.length ? `(${parts.join(' AND ')})` : `${c.value} IS NOT NULL`;
    }
  }
}

/** A lead key starting with the quick search's text (an index seek on leads_g_lead_key). */
const KEY_PREFIX = "leads.lead_key LIKE ? ESCAPE '\\'";

/**
 * Quick search by words or by key: the leads whose key starts with the search text (a pasted
 * Prospect ID), and those where every word of 3+ characters occurs (substring,
 * case-insensitive) in the name, email or company (trigram index). Only shorter words:
 * prefix match instead.
 */
const KEYED_SEARCH = `leads.id IN (SELECT rowid FROM leads_search WHERE leads_search MATCH ? UNION SELECT leads.id FROM leads WHERE ${KEY_PREFIX})`;

function searchSql(search: string, params: unknown[], options: LeadQuerySqlOptions): string | null {
  const words = search.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const keyPrefix = likePrefix(search.trim());
  const long = words.filter((w) => [...w].length >= 3);
  if (long.length > 0 && !options.substringByLike) {
    params.push(long.map(ftsPhrase).join(' AND '), keyPrefix);
    return KEYED_SEARCH;
  }
  const byWords =
    long.length > 0
      ? long.map((w) => {
          const p = likeContains(w);
          params.push(p, p, p);
          return `(${NAME_EXPR} LIKE ? ESCAPE '\\' OR leads.email LIKE ? ESCAPE '\\' OR leads.company LIKE ? ESCAPE '\\')`;
        })
      : words.map((w) => {
          const p = likePrefix(w);
          params.push(p, p, p, p);
          return "(leads.first_name LIKE ? ESCAPE '\\' OR leads.last_name LIKE ? ESCAPE '\\' OR leads.email LIKE ? ESCAPE '\\' OR leads.company LIKE ? ESCAPE '\\')";
        });
  params.push(keyPrefix);
  return `(${byWords.join(' AND ')}) OR ${KEY_PREFIX}`;
}

/** ORDER BY terms of a sort (ascending terms flipped for desc), with the id tie-break. */
export function orderBySql(sort: LeadSort | null, options: LeadQuerySqlOptions = {}): string {
  if (!sort) return 'leads.id DESC';
  if (UNSORTABLE_COLUMNS.has(sort.column)) {
    throw new AppError('BAD_ARGUMENT', `The column "${sort.column}" cannot be sorted.`);
  }
  const c = columnSql(sort.column, options);
  const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
  // Blanks last on the first term only: SQLite can still walk the index then (it cannot
  // when a later term asks for NULLS LAST against the index order).
  return [...c.sort.map((t, i) => (i === 0 ? `${t} ${dir} NULLS LAST` : `${t} ${dir}`)), `leads.id ${dir}`].join(', ');
}

/** The grid view as SQL: WHERE expression with its parameters and the ORDER BY terms. */
export function buildLeadQuerySql(query: LeadQuery, options: LeadQuerySqlOptions = {}): LeadQuerySql {
  const params: unknown[] = [];
  const parts: string[] = [];
  let idSets: { sql: string; params: unknown[]; unique: boolean }[] | null = [];
  const add = (part: string, from: number, unique?: boolean): void => {
    parts.push(part);
    if (!idSets) return;
    const own = params.slice(from);
    if (part === FTS_CONDITION) {
      idSets.push({
        sql: 'SELECT rowid AS id FROM leads_search WHERE leads_search MATCH ?',
        params: own,
        unique: true,
      });
    } else if (part === KEYED_SEARCH) {
      idSets.push({
        sql: `SELECT rowid AS id FROM leads_search WHERE leads_search MATCH ? UNION SELECT leads.id FROM leads WHERE ${KEY_PREFIX}`,
        params: own,
        unique: true,
      });
    } else if (part.startsWith(TAGS_CONDITION)) {
      idSets.push({
        sql: `SELECT lead_id AS id ${part.slice(TAGS_CONDITION.length, -1)}`,
        params: own,
        unique: !!unique,
      });
    } else {
      idSets = null;
    }
  };
  for (const f of query.filters) {
    const from = params.length;
    add(filterSql(f, params, options), from, f.op === 'in' && f.values.length === 1);
  }
  const from = params.length;
  const s = searchSql(query.search, params, options);
  if (s) add(s, from);
  return {
    where: parts.length ? parts.map((p) => `(${p})`).join(' AND ') : 'TRUE',
    params,
    orderBy: orderBySql(query.sort, options),
    idSets: parts.length > 0 ? idSets : null,
  };
}
