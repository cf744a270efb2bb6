/** Cell value helpers: placeholders, numbers, yes/no flags, email shape. */

/** Values that mean "nothing chosen" in exported forms (X Education uses "Select"). */
export const DEFAULT_PLACEHOLDERS: readonly string[] = [
  'select',
  'n/a',
  'na',
  '-',
  '--',
  'none',
  'null',
  'nil',
  'unknown',
  '(blank)',
  '#n/a',
];

/** A set for fast placeholder checks (lower-cased, trimmed). */
export function placeholderSet(values: readonly string[] = DEFAULT_PLACEHOLDERS): ReadonlySet<string> {
  return new Set(values.map((v) => v.trim().toLowerCase()));
}

const NO_DATA = placeholderSet();

/** Blank or a placeholder meaning "nothing chosen" / "did not happen" ("--" in a non-attendee's join time). */
export function isNoData(raw: string): boolean {
  const s = raw.trim();
  return s === '' || NO_DATA.has(s.toLowerCase());
}

/** A whole number as it stands in a cell: no sign but '-', no spaces, separators or symbols. */
const PLAIN_INTEGER = /^-?\d+$/;

/**
 * Parses a number cell: "1,234", "1.234,5" (European), "$1,200", "12%", and size ranges
 * ("51-200", "1,001-5,000", "10000+") which give their lower bound, the conservative reading
 * for fit rules like "company size >= 200". Null when it is not a number.
 */
export function parseNumber(raw: string): number | null {
  // Most cells are plain whole numbers: what the steps below make of them, without a regex each.
  if (PLAIN_INTEGER.test(raw)) return Number(raw);
  let s = raw.trim().replace(/[\s$€£¥%]/g, '');
  if (s === '') return null;
  const range = /^(\d[\d,.]*)\s*(?:-|–|to)\s*(\d[\d,.]*)$/i.exec(s);
  if (range?.[1]) s = range[1];
  else if (/^\d[\d,.]*\+$/.test(s)) s = s.slice(0, -1);
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const YES = new Set(['yes', 'y', 'true', '1', 'attended', 'x', 'checked', 'oui', 'ja', 'si', 'sí']);
const NO = new Set(['no', 'n', 'false', '0', 'not attended', 'absent', 'no show', 'noshow', 'non', 'nein']);

/** Yes/no flag cells; null when neither. */
export function parseYesNo(raw: string): boolean | null {
  const s = raw.trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s) || s === '') return s === '' ? null : false;
  return null;
}

/** A loose shape check: something@domain.tld, no spaces. */
export function looksLikeEmail(raw: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw.trim());
}
