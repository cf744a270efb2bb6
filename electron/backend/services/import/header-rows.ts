/**
 * Finding the header row. Most files have it on row 1; webinar exports (Zoom) have a report
 * block first and then sections ("Host Details", "Attendee Details"), each with its own
 * header row. A candidate is a row of >= 2 label-like cells that starts a block (row 1, or
 * after a blank row, a one-cell title row or a change of width); the default is the one
 * followed by the most data rows.
 */
import { parseDate } from '../../../../shared/mapping';
import type { HeaderCandidate } from '../../../../shared/contract';

function nonEmpty(row: readonly string[]): number {
  let n = 0;
  for (const c of row) if (c.trim() !== '') n++;
  return n;
}

function width(row: readonly string[]): number {
  for (let i = row.length - 1; i >= 0; i--) if ((row[i] ?? '').trim() !== '') return i + 1;
  return 0;
}

/** Longest cell of a header row below the file's first row (longer ones read as notes). */
const LABEL_CHARS = 120;

function labelLike(cell: string, maxChars: number): boolean {
  const c = cell.trim();
  if (c === '') return true;
  if (!/[a-z]/i.test(c)) return false;
  if (c.includes('@') || /^https?:\/\//i.test(c)) return false;
  if (parseDate(c) !== null) return false;
  return c.length <= maxChars;
}

/**
 * True when a row reads as column names (used for the "no header row" check too). Repeated
 * and blank names are allowed (normalizeHeaders renames them "Company (2)", "Column 3"), as
 * long as most names differ (a row of "yes, yes, no" is data). The file's first row may hold
 * long names (survey exports use whole questions as headers).
 */
export function isHeaderLike(row: readonly string[], firstRow = false): boolean {
  const cells = row.filter((c) => c.trim() !== '');
  if (cells.length < 1) return false;
  const maxChars = firstRow ? Number.POSITIVE_INFINITY : LABEL_CHARS;
  if (!cells.every((c) => labelLike(c, maxChars))) return false;
  const lower = cells.map((c) => c.trim().toLowerCase());
  return new Set(lower).size >= Math.ceil(lower.length / 2);
}

/** Header candidates among the first records of a file (rows are 1-based in the result). */
export function findHeaderCandidates(rows: readonly (readonly string[])[]): HeaderCandidate[] {
  const out: HeaderCandidate[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const n = nonEmpty(row);
    const prev = i > 0 ? (rows[i - 1] ?? []) : null;
    const startsBlock = prev === null || nonEmpty(prev) <= 1 || width(prev) !== width(row);
    // One-cell rows are section titles, except the header of a single-column file.
    const singleColumnFile = i === 0 && rows.length > 1 && width(rows[1] ?? []) <= 1;
    if (!startsBlock || !isHeaderLike(row, i === 0) || (n < 2 && !singleColumnFile)) continue;
    const w = width(row);
    let dataRows = 0;
    for (let j = i + 1; j < rows.length; j++) {
      const r = rows[j] ?? [];
      const rn = nonEmpty(r);
      if (rn === 0 || (rn === 1 && w > 1 && width(r) <= 1)) break;
      if (width(r) > w + 1) break;
      dataRows++;
    }
    const label = prev && nonEmpty(prev) === 1 ? (prev.find((c) => c.trim() !== '')?.trim() ?? null) : null;
    out.push({ row: i + 1, label, headers: row.map((c) => c.trim()), dataRows });
  }
  return out;
}

/** Sections of webinar reports that list the audience (the people to import), not hosts or panelists. */
const AUDIENCE_SECTION = /\b(attendees?|registrants?|participants?|absentees?)\b/i;

/**
 * The default header row: the candidate followed by the most data rows (earliest on ties),
 * among the audience sections when the file has any (a webinar with more panelists than
 * attendees still imports its attendees by default).
 */
export function bestCandidate(cands: readonly HeaderCandidate[]): HeaderCandidate | null {
  const audience = cands.filter((c) => c.label !== null && AUDIENCE_SECTION.test(c.label));
  let best: HeaderCandidate | null = null;
  for (const c of audience.length > 0 ? audience : cands) if (!best || c.dataRows > best.dataRows) best = c;
  return best;
}

/** Titles that open a section of a webinar or meeting report (Zoom, GoToWebinar, Teams). */
const SECTION_TITLE =
  /\b(details|attended|attendees?|registrants?|participants?|absentees?|panelists?|hosts?|activities|summary|polls?|q ?& ?a|questions)\b/i;

/**
 * True for the title row of the next section in a file with sections ("Panelist Details",
 * "Other Attended"): one filled cell, in the first column. Rows below it belong to another
 * table with its own header, so an import of one section ends there.
 */
export function isSectionTitle(row: readonly string[]): boolean {
  const first = (row[0] ?? '').trim();
  if (first === '' || nonEmpty(row) !== 1) return false;
  return SECTION_TITLE.test(first) && labelLike(first, LABEL_CHARS);
}

/**
 * Data rows of the chosen header's table: in a file with sections (the header has a section
 * title above it), reading stops at the next section's title; other files are read to the end.
 */
export function sectionReader(
  candidates: readonly HeaderCandidate[],
  headerRow: number,
): (row: readonly string[]) => boolean {
  const sectioned = candidates.some((c) => c.row === headerRow && c.label !== null);
  let ended = false;
  return (row) => {
    if (!sectioned || ended) return !ended;
    if (isSectionTitle(row)) ended = true;
    return !ended;
  };
}

/** A record with no cell but blanks: skipped as a blank row (the writer and the read thread alike). */
export function isBlankRecord(cells: readonly string[]): boolean {
  for (const v of cells) if (v !== '' && v.trim() !== '') return false;
  return true;
}

/** A record with a filled cell past the header's `width` columns: a row error, not mapped. */
export function hasCellsPastHeader(cells: readonly string[], width: number): boolean {
  for (let i = width; i < cells.length; i++) if ((cells[i] ?? '').trim() !== '') return true;
  return false;
}

/** Labels of a report's name in the block above its tables ("Topic" in Zoom's reports, "Webinar Name", "Event Name"). */
const REPORT_NAME_LABEL = /^(topic|webinar name|webinar title|event name|event title|meeting name)\s*:?$/i;

/**
 * The webinar's or event's name from a report's header block (the rows above the header
 * row): the cell under a "Topic" label (Zoom: a row of labels, then a row of values), or
 * the cell beside it ("Topic:,Name"). Null when the block names none.
 */
export function reportTopic(rows: readonly (readonly string[])[], headerRow: number): string | null {
  const block = rows.slice(0, Math.max(0, headerRow - 1));
  for (let i = 0; i < block.length; i++) {
    const row = block[i] ?? [];
    const col = row.findIndex((c) => REPORT_NAME_LABEL.test(c.trim()));
    if (col < 0) continue;
    const beside = (row[col + 1] ?? '').trim();
    const below = (block[i + 1]?.[col] ?? '').trim();
    const name = nonEmpty(row) === 2 && beside !== '' ? beside : below;
    if (name !== '' && !REPORT_NAME_LABEL.test(name)) return name;
  }
  return null;
}
