/**
 * Reading values back from a returned sheet, whatever the spreadsheet program did to them:
 * the export's guard quote is removed, line ends and surrounding blanks normalized, numbers
 * read with either decimal separator, dates read from the common ways people type them.
 * Pure: the backend turns the wall-clock result into an instant in the export's time zone.
 */
import type { DayMonthOrder as DayOrder } from '../mapping/dates';
import { restoreFormulaGuard } from './formula-guard';

/** Text as the export wrote it: guard quote removed, CRLF -> LF, trimmed; blank -> null. */
export function normalizeSheetText(value: string | number | boolean | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const s = restoreFormulaGuard(value.replace(/^\uFEFF/, ''))
    .replace(/\r\n?/g, '\n')
    .trim();
  return s === '' ? null : s;
}

/** A number typed or written in a cell: "1200", "1,200", "1 200", "12,5" (decimal comma). */
export function parseSheetNumber(text: string, decimalComma: boolean): number | null {
  let s = text.replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  if (decimalComma) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export type { DayMonthOrder as DayOrder } from '../mapping/dates';

function wall(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (y < 100) y += 2000;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 ? ms : null;
}

/**
 * A date/time typed as text, as wall-clock ms (Date.UTC of the fields), or null.
 * ISO "2026-11-23 14:05[:00]" / "2026-11-23T14:05", "23.11.2026 14:05", "11/23/2026 2:05 PM"
 * (slashes are read day-first when `order` is dmy, unless the first number exceeds 12).
 */
export function parseSheetDateText(text: string, order: DayOrder): number | null {
  const t = text.trim();
  const time = '(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?\\s*([AaPp][Mm])?)?Z?';
  let m = new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})${time}$`).exec(t);
  let y: number, mo: number, d: number;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{2,4})${time}$`).exec(t))) {
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{2,4})${time}$`).exec(t))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const dayFirst = a > 12 || (order === 'dmy' && b <= 12);
    [d, mo, y] = dayFirst ? [a, b, Number(m[3])] : [b, a, Number(m[3])];
  } else {
    return null;
  }
  let h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const s = m[6] ? Number(m[6]) : 0;
  const ampm = m[7]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  }
  return wall(y, mo, d, h, mi, s);
}

/** Loose key for matching typed choices: "Left voicemail" ~ "left_voicemail" ~ "LEFT-VOICEMAIL". */
export function choiceKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
