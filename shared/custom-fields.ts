/**
 * Typed custom fields: the spreadsheet columns a lead keeps beyond the standard fields. Each
 * gets a type from all of its values at import (number, date, yes/no, category, text), and
 * its values are stored typed in the lead's `custom` JSON: numbers and dates (epoch ms) as
 * JSON numbers, yes/no as JSON booleans, categories and text as strings. Placeholders
 * ("Select", "--", "N/A") and blanks are no data: not stored.
 *
 * This module is the one place that reads and writes a custom value (customValue,
 * typedValue, valueText): the grid, scoring, exports and outcome columns go through it.
 */
import { parseDate, type DateOrder } from './mapping/dates';
import { isNoData } from './mapping/values';

export const CUSTOM_FIELD_TYPES = ['number', 'date', 'bool', 'category', 'text'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const CUSTOM_FIELD_TYPE_LABELS: Readonly<Record<CustomFieldType, string>> = {
  number: 'Number',
  date: 'Date',
  bool: 'Yes/no',
  category: 'Category',
  text: 'Text',
};

/** A stored custom value. */
export type CustomValue = string | number | boolean;
export type CustomValues = Readonly<Record<string, CustomValue>>;

export { isNoData };

/** Plain decimal numbers ("2272", "-1.5", "1,200"); not IDs with leading zeros ("007"), ranges or codes. */
const NUMBER = /^[-+]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?$|^[-+]?0?\.\d+$/;
const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);
/** A date needs a separator or a month name (a bare number is a number, not an Excel serial). */
const DATE_SHAPE = /\d[-/.]\d|[a-z]{3}/i;

/** A yes/no cell read as a flag ("Yes", "n", "TRUE"), or null when it is neither. */
export function parseFlag(raw: string): boolean | null {
  const lower = raw.trim().toLowerCase();
  return YES.has(lower) ? true : NO.has(lower) ? false : null;
}

function parseNumberCell(s: string): number | null {
  if (!NUMBER.test(s)) return null;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** A trimmed cell a date column may hold: a date, and not a number (a bare number is a number, not an Excel serial). */
export function isDateCell(s: string): boolean {
  return parseNumberCell(s) === null && DATE_SHAPE.test(s) && parseDate(s) !== null;
}

/** How many distinct values a category may have at most. */
export const CATEGORY_MAX = 50;

/** What the values of one column looked like so far (see tallyValue, inferType). */
export type TypeTally = {
  values: number;
  numbers: number;
  dates: number;
  flags: number;
  /** Distinct values, up to CATEGORY_MAX + 1. */
  distinct: Set<string>;
};

export function newTally(): TypeTally {
  return { values: 0, numbers: 0, dates: 0, flags: 0, distinct: new Set() };
}

/** Counts one cell (raw text) into the tally; no data is skipped. */
export function tallyValue(t: TypeTally, raw: string): void {
  if (isNoData(raw)) return;
  const s = raw.trim();
  t.values++;
  if (parseNumberCell(s) !== null) t.numbers++;
  else if (isDateCell(s)) t.dates++;
  const lower = s.toLowerCase();
  if (YES.has(lower) || NO.has(lower)) t.flags++;
  if (t.distinct.size <= CATEGORY_MAX) t.distinct.add(lower);
}

/**
 * The type every value fits: number, date, yes/no; else a category when few distinct
 * values repeat (at most CATEGORY_MAX, each used twice on average); else text.
 */
export function inferType(t: TypeTally): CustomFieldType {
  if (t.values === 0) return 'text';
  if (t.numbers === t.values) return 'number';
  if (t.dates === t.values) return 'date';
  if (t.flags === t.values) return 'bool';
  if (t.distinct.size <= CATEGORY_MAX && t.values >= 2 * t.distinct.size) return 'category';
  return 'text';
}

/**
 * A cell as stored for a field of this type; null for no data. A value that does not fit
 * the type (a word in a number column the user typed as number) is kept as text, not lost.
 */
export function typedValue(
  type: CustomFieldType | undefined,
  raw: string,
  dateOrder: DateOrder = 'auto',
): CustomValue | null {
  if (isNoData(raw)) return null;
  const s = raw.trim();
  switch (type) {
    case 'number':
      return parseNumberCell(s) ?? s;
    case 'date':
      return parseDate(s, dateOrder) ?? s;
    case 'bool':
      return parseFlag(s) ?? s;
    default:
      return s;
  }
}

/** YYYY-MM-DD, with the time when it is not midnight UTC. */
function dateText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')}`;
}

/** A stored value as text (cells, exports as text, re-typing): Yes/No, dates as YYYY-MM-DD. */
export function valueText(v: CustomValue | null | undefined, type?: CustomFieldType): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number' && type === 'date') return dateText(v);
  return String(v);
}

/**
 * A lead's value of a custom field (the one accessor: scoring, outcomes, exports); headers
 * vary in case between files, so a case-insensitive match is the fallback. Null when absent.
 */
export function customValue(custom: CustomValues, field: string): CustomValue | null {
  const direct = custom[field];
  if (direct !== undefined) return direct;
  const lower = field.toLowerCase();
  for (const [k, v] of Object.entries(custom)) if (k.toLowerCase() === lower) return v;
  return null;
}

/** Types a draft's raw custom cells for storage; fields of unknown type stay text. No data is dropped. */
export function typedCustom(
  raw: Readonly<Record<string, string>>,
  types: ReadonlyMap<string, CustomFieldType>,
  dateOrder: DateOrder = 'auto',
): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    const t = typedValue(types.get(k), v, dateOrder);
    if (t !== null) out[k] = t;
  }
  return out;
}

/**
 * The label of a custom field in field pickers: its name, or "Name (from file)" when a
 * standard field already carries that label (the file's "Tags" beside the built-in Tags).
 */
export function customFieldLabel(name: string, standardLabels: Iterable<string>): string {
  const lower = name.trim().toLowerCase();
  for (const l of standardLabels) if (l.toLowerCase() === lower) return `${name} (from file)`;
  return name;
}
