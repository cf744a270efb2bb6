/**
 * The columns a fresh Leads grid shows (before the user chose any; a saved layout wins):
 * the lead's label, its score and segment, the built-in person columns that some lead
 * fills, the file's own informative columns, then the app's (owner, stage, score parts, ...).
 *
 * A workspace keyed only by an ID (X Education: "Prospect ID", no name, email or company)
 * would otherwise show the ID twice (as Name and as the key) and three empty columns.
 * Judged on a sample of the newest leads, so the grid opens as fast on a million leads.
 */
import type Database from 'better-sqlite3';
import { CUSTOM_PREFIX } from '../../../../shared/lead-columns';
import { customSlots, decodeCustom } from './custom-store';

/** Leads read to judge the columns: the newest ones, enough to see what the files fill. */
const SAMPLE = 10_000;
/** Built-in columns a fresh grid shows when at least one sampled lead fills them. */
const PERSON_COLUMNS = ['email', 'company', 'title'] as const;
/** The score's verdict, right after the label: visible without scrolling at 1280 px. */
const SCORE_COLUMNS = ['score_total', 'segment', 'grade'] as const;
/** The app's other columns, after the file's (the follow-up and the score's parts). */
const APP_COLUMNS = ['owner_name', 'stage', 'score_fit', 'score_engagement', 'last_activity_at', 'sla_due_at'] as const;
/** Standard fields a file can fill, read from the sample beside the custom fields. */
const FILE_STANDARD = [
  'phone',
  'industry',
  'company_size',
  'country',
  'city',
  'website',
  'source',
  'campaign',
] as const;
/** At most this many of the file's own columns by default: the grid still fits 1280 px. */
const MAX_FILE_COLUMNS = 5;
/** A column is informative when at least this share of leads fills it ... */
const MIN_FILLED = 0.5;
/** ... and no single value covers more than this share of them: "No" on 92% says little. */
const MAX_TOP_SHARE = 0.8;

type ColumnStats = { filled: number; counts: Map<string, number> };

type SampleRow = Record<string, string | number | null> & { custom: string | null };

/** The import's columns in file order, mapped to grid keys, newest import first. */
function fileColumnsInOrder(db: Database.Database): string[] {
  const rows = db
    .prepare("SELECT mapping, options FROM imports WHERE kind = 'leads' AND status = 'done' ORDER BY id DESC LIMIT 5")
    .all() as { mapping: string; options: string }[];
  const keys: string[] = [];
  for (const r of rows) {
    const mapping = parseJson(r.mapping) as Record<string, string>;
    const headers = (parseJson(r.options) as { headers?: unknown }).headers;
    const order = Array.isArray(headers) ? headers.filter((h): h is string => typeof h === 'string') : [];
    for (const header of order.length > 0 ? order : Object.keys(mapping)) {
      const target = mapping[header];
      const key = target === 'custom' ? `${CUSTOM_PREFIX}${header}` : target;
      if (key !== undefined && !keys.includes(key)) keys.push(key);
    }
  }
  return keys;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function sampleStats(db: Database.Database): { rows: number; stats: Map<string, ColumnStats> } {
  const standard = ['first_name', 'last_name', 'lead_key', ...PERSON_COLUMNS, ...FILE_STANDARD];
  const rows = db
    .prepare(`SELECT ${standard.join(', ')}, custom FROM leads ORDER BY id DESC LIMIT ${SAMPLE}`)
    .all() as SampleRow[];
  const slots = customSlots(db);
  const stats = new Map<string, ColumnStats>();
  const count = (key: string, value: unknown) => {
    if (value === null || value === undefined) return;
    const text = String(value).trim();
    if (text === '') return;
    let s = stats.get(key);
    if (!s) stats.set(key, (s = { filled: 0, counts: new Map() }));
    s.filled++;
    s.counts.set(text, (s.counts.get(text) ?? 0) + 1);
  };
  for (const row of rows) {
    for (const key of standard) count(key, row[key]);
    for (const [field, value] of Object.entries(decodeCustom(slots, row.custom)))
      count(`${CUSTOM_PREFIX}${field}`, value);
  }
  return { rows: rows.length, stats };
}

/** Filled for most leads, varied, and not an identifier (a different value on every lead). */
function informative(s: ColumnStats | undefined, rows: number): boolean {
  if (!s || s.filled < rows * MIN_FILLED) return false;
  const top = Math.max(...s.counts.values());
  const unique = s.counts.size === s.filled && s.filled > 1;
  return top <= s.filled * MAX_TOP_SHARE && !unique;
}

export type DefaultGrid = Readonly<{
  /** The column keys a fresh grid shows, in order. */
  keys: string[];
  /** The key column's width when its values are longer than its usual width holds (UUIDs). */
  keyWidth: number | null;
}>;

/** Pixels per character of a grid cell, and the cell's padding, for the key column's width. */
const CHAR_PX = 9;
const CELL_PADDING_PX = 40;
const MAX_KEY_WIDTH = 400;
const KEY_WIDTH = 200;

/**
 * The default columns among `available` (the grid catalog's keys). `keyName` is the
 * workspace's key column name ("Prospect ID"), null when it has none.
 */
export function defaultGrid(
  db: Database.Database,
  available: ReadonlySet<string>,
  keyName: string | null,
): DefaultGrid {
  const { rows, stats } = sampleStats(db);
  const longestKey = Math.max(0, ...[...(stats.get('lead_key')?.counts.keys() ?? [])].map((k) => k.length));
  const keyPx = Math.min(MAX_KEY_WIDTH, Math.ceil(longestKey * CHAR_PX + CELL_PADDING_PX));
  return {
    keys: defaultKeys(rows, stats, available, keyName, fileColumnsInOrder(db)),
    keyWidth: keyPx > KEY_WIDTH ? keyPx : null,
  };
}

function defaultKeys(
  rows: number,
  stats: ReadonlyMap<string, ColumnStats>,
  available: ReadonlySet<string>,
  keyName: string | null,
  fileColumns: readonly string[],
): string[] {
  const any = (key: string) => (stats.get(key)?.filled ?? 0) > 0;
  const named = any('first_name') || any('last_name') || any('email');
  // With names the label is the name and the key is a column of its own; without, the key
  // column is the label (sortable and filterable as the key), not a Name column repeating it.
  const label = !named && keyName !== null && any('lead_key') ? ['lead_key'] : ['name'];
  if (named && keyName !== null) label.push('lead_key');
  const person = rows === 0 ? [...PERSON_COLUMNS] : PERSON_COLUMNS.filter(any);
  // First and last name make up the label already.
  const shown = new Set<string>([
    'name',
    'first_name',
    'last_name',
    ...label,
    ...person,
    ...SCORE_COLUMNS,
    ...APP_COLUMNS,
  ]);
  const file = fileColumns.filter((k) => !shown.has(k) && available.has(k) && informative(stats.get(k), rows));
  // Text columns first: a source or an occupation says more about a lead than a count does.
  const numeric = (k: string) => [...(stats.get(k)?.counts.keys() ?? [])].every((v) => /^-?\d+(\.\d+)?$/.test(v));
  const ordered = [...file.filter((k) => !numeric(k)), ...file.filter(numeric)].slice(
    0,
    Math.max(0, MAX_FILE_COLUMNS - person.length),
  );
  return [...label, ...SCORE_COLUMNS, ...person, ...ordered, ...APP_COLUMNS].filter((k) => available.has(k));
}
