/**
 * Date cells as exported by CRMs, webinar tools and Excel: ISO (with or without time and
 * offset), day-first or month-first numeric dates (the order is chosen by the user or
 * detected from the column), month names ("Oct 12, 2023 10:01 AM", "12 Oct 2023"), Excel
 * serial numbers and epoch seconds/milliseconds. A time without an offset is read as UTC,
 * so the same file always gives the same timestamps (re-imports stay idempotent).
 */

export const DATE_ORDERS = ['auto', 'dmy', 'mdy', 'ymd'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];
/** The two orders a user chooses between when numeric dates could be either. */
export type DayMonthOrder = 'dmy' | 'mdy';

export const DAY_MONTH_ORDER_LABELS: Readonly<Record<DayMonthOrder, string>> = {
  dmy: 'Day first (31/12/2025)',
  mdy: 'Month first (12/31/2025)',
};

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** The common machine form (2026-01-31T10:00:00.000Z) with a day <= 28: Date.parse is exact and fast. */
const FAST_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,3})?Z$/;

/** Two ASCII digits at i as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * What an activity export writes a million times: 2026-01-31T10:00:00Z or with .000 (UTC,
 * year 1000..9999), read without a regular expression or Date.parse. Null when the text has
 * any other form (or an invalid date), for the general parser to decide.
 */
function machineUtc(s: string): number | null {
  const n = s.length;
  if ((n !== 20 && (n < 22 || n > 24)) || s.charCodeAt(n - 1) !== 90 /* Z */) return null;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return null; // - - T
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null; // : :
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  const mo = digits2(s, 5);
  const d = digits2(s, 8);
  const h = digits2(s, 11);
  const mi = digits2(s, 14);
  const sec = digits2(s, 17);
  if (y1 < 10 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) {
    return null;
  }
  if (d > 28 && !validYmd(y1 * 100 + y2, mo, d)) return null;
  let ms = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46) return null; // .
    for (let i = 20; i < 23; i++) {
      const c = i < n - 1 ? s.charCodeAt(i) - 48 : 0;
      if (c < 0 || c > 9) return null;
      ms = ms * 10 + c;
    }
  }
  return Date.UTC(y1 * 100 + y2, mo - 1, d, h, mi, sec, ms);
}
const NUMERIC = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T,]+(.*))?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const TIME =
  /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(am|pm|a\.m\.|p\.m\.)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function fullYear(y: number, digits: number): number {
  if (digits > 2) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

function offsetMs(tz: string | undefined): number | null {
  if (!tz || /^(z|utc|gmt)$/i.test(tz)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return null;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  return (m[1] === '-' ? -1 : 1) * mins * 60_000;
}

/** Parses "HH:MM[:SS[.fff]] [AM|PM] [offset]" to ms since midnight UTC; null when invalid. */
function parseTime(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return 0;
  const m = TIME.exec(raw.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] ? Number(m[3]) : 0;
  const ms = m[4] ? Math.round(Number(`0.${m[4]}`) * 1000) : 0;
  const ampm = m[5]?.toLowerCase().replace(/\./g, '');
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
  }
  if (h > 23 || min > 59 || sec > 59) return null;
  const off = offsetMs(m[6]);
  if (off === null) return null;
  return ((h * 60 + min) * 60 + sec) * 1000 + ms - off;
}

function fromParts(y: number, m: number, d: number, rest: string | undefined): number | null {
  if (!validYmd(y, m, d)) return null;
  const t = parseTime(rest);
  if (t === null) return null;
  return Date.UTC(y, m - 1, d) + t;
}

/** Excel serial day numbers (1900 date system) for dates 1954..2119. */
function fromExcelSerial(n: number): number | null {
  if (n < 20_000 || n > 80_000) return null;
  return Math.round((n - 25_569) * 86_400_000);
}

/**
 * Parses a date cell to epoch ms; null when blank or not a date. `order` decides ambiguous
 * numeric dates (03/04/2024); 'auto' reads them month-first with "/" and day-first with
 * "-" or "." (the common conventions), unless a part is > 12.
 */
export function parseDate(raw: string, order: DateOrder = 'auto'): number | null {
  const s = raw.trim();
  if (s === '') return null;
  const machine = machineUtc(s);
  if (machine !== null) return machine;
  if (FAST_ISO.test(s)) return Date.parse(s);

  const iso = ISO.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, tz] = iso;
    if (!validYmd(Number(y), Number(mo), Number(d))) return null;
    const off = offsetMs(tz);
    if (off === null) return null;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(sec ?? 0) > 59) return null;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), ms) - off;
  }

  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    if (n > 1e11 && n < 1e14) return Math.round(n); // epoch milliseconds
    if (n > 1e8 && n < 1e11) return Math.round(n * 1000); // epoch seconds
    return fromExcelSerial(n);
  }

  const num = NUMERIC.exec(s);
  if (num) {
    const [, a = '', b = '', c = '', rest] = num;
    if (a.length === 4) return fromParts(Number(a), Number(b), Number(c), rest);
    const x = Number(a);
    const yv = fullYear(Number(c), c.length);
    let o = order;
    if (o === 'ymd' || o === 'auto') {
      if (x > 12) o = 'dmy';
      else if (Number(b) > 12) o = 'mdy';
      else o = s.includes('/') ? 'mdy' : 'dmy';
    }
    const first = o === 'dmy' ? fromParts(yv, Number(b), x, rest) : fromParts(yv, x, Number(b), rest);
    if (first !== null) return first;
    // The chosen order is impossible for this value (13/04 read month-first): the other one.
    return o === 'dmy' ? fromParts(yv, x, Number(b), rest) : fromParts(yv, Number(b), x, rest);
  }

  // Month names: "Oct 12, 2023 10:01:23 AM", "12 Oct 2023 10:01", "October 12 2023".
  const named1 = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[ ,T]+(.*))?$/i.exec(s);
  if (named1) {
    const m =
      MONTHS[(named1[1] ?? '').toLowerCase().slice(0, 4)] ?? MONTHS[(named1[1] ?? '').toLowerCase().slice(0, 3)];
    if (!m) return null;
    return fromParts(Number(named1[3]), m, Number(named1[2]), named1[4]);
  }
  const named2 = /^(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})(?:[ ,T]+(.*))?$/i.exec(s);
  if (named2) {
    const m =
      MONTHS[(named2[2] ?? '').toLowerCase().slice(0, 4)] ?? MONTHS[(named2[2] ?? '').toLowerCase().slice(0, 3)];
    if (!m) return null;
    return fromParts(fullYear(Number(named2[3]), (named2[3] ?? '').length), m, Number(named2[1]), named2[4]);
  }
  return null;
}

/**
 * Detects day-first vs month-first from sample values of one column: a first part > 12
 * proves day-first, a second part > 12 proves month-first. Null when the samples never
 * decide (then parseDate's 'auto' convention applies).
 */
export function detectDateOrder(samples: readonly string[]): 'dmy' | 'mdy' | null {
  let dmy = 0;
  let mdy = 0;
  for (const raw of samples) {
    const proven = provenDateOrder(raw);
    if (proven === 'dmy') dmy++;
    else if (proven === 'mdy') mdy++;
  }
  if (dmy === 0 && mdy === 0) return null;
  return dmy >= mdy ? 'dmy' : 'mdy';
}

/**
 * True when a numeric date reads as a valid, different date both day-first and month-first
 * (05/12/2026), so the date order decides which one it is.
 */
export function readsBothWays(raw: string): boolean {
  const m = NUMERIC.exec(raw.trim());
  if (!m || (m[1] ?? '').length === 4) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a !== b && a >= 1 && a <= 12 && b >= 1 && b <= 12;
}

/** Which order a numeric date proves: a first part > 12 is day-first, a second part > 12 month-first. */
export function provenDateOrder(raw: string): 'dmy' | 'mdy' | null {
  const m = NUMERIC.exec(raw.trim());
  if (!m || (m[1] ?? '').length === 4) return null;
  if (Number(m[1]) > 12) return 'dmy';
  return Number(m[2]) > 12 ? 'mdy' : null;
}

/** A calendar day written YYYY-MM-DD, as UTC midnight (a date for all rows of a list); null otherwise. */
export function parseDay(text: string): number | null {
  const s = text.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? parseDate(s, 'ymd') : null;
}

/** Both readings of a date that reads both ways (05/12/2026: 5 December and 12 May); null for other values. */
export function bothReadings(raw: string): Readonly<Record<DayMonthOrder, number>> | null {
  if (!readsBothWays(raw)) return null;
  const dmy = parseDate(raw, 'dmy');
  const mdy = parseDate(raw, 'mdy');
  return dmy === null || mdy === null ? null : { dmy, mdy };
}
