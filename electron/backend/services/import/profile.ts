/**
 * The whole file read once below its header row, for the wizard's pickers and counts: the
 * exact number of data rows (a sample only says "400+"), each column's distinct values with
 * their counts (the outcome's won values, the activity types to map), the type each column
 * would get as a custom field, and the dates that read both ways under either date order.
 * It streams like the import itself and keeps only counters, at most PROFILE_DISTINCT_MAX
 * values per column and the row numbers of ambiguous dates.
 */
import type { AmbiguousDate, ColumnProfile, FileProfile, ReadOptions } from '../../../../shared/contract';
import { inferType, isNoData, newTally, tallyValue, type TypeTally } from '../../../../shared/custom-fields';
import { provenDateOrder, readsBothWays } from '../../../../shared/mapping';
import { isBlank, loadHeadInfo } from './plan';
import { readBatches } from './source';

/** Distinct values counted per column; rarer values past this are not (pickers need the common ones). */
export const PROFILE_DISTINCT_MAX = 1000;
/** Values returned per column, most frequent first. */
export const PROFILE_TOP_VALUES = 200;
const AMBIGUOUS_EXAMPLES = 5;

type ColumnCounter = {
  header: string;
  filled: number;
  counts: Map<string, number>;
  capped: boolean;
  tally: TypeTally;
  dmy: number;
  mdy: number;
  /** Rows (1-based record numbers) holding a date that reads both ways, in file order. */
  ambiguousRows: number[];
  ambiguousValues: string[];
};

function newCounter(header: string): ColumnCounter {
  return {
    header,
    filled: 0,
    counts: new Map(),
    capped: false,
    tally: newTally(),
    dmy: 0,
    mdy: 0,
    ambiguousRows: [],
    ambiguousValues: [],
  };
}

function countCell(c: ColumnCounter, raw: string, row: number): void {
  const value = raw.trim();
  if (value === '') return;
  c.filled++;
  const seen = c.counts.get(value);
  if (seen !== undefined) c.counts.set(value, seen + 1);
  else if (c.counts.size < PROFILE_DISTINCT_MAX) c.counts.set(value, 1);
  else c.capped = true;
  if (isNoData(value)) return;
  tallyValue(c.tally, value);
  const proven = provenDateOrder(value);
  if (proven === 'dmy') c.dmy++;
  else if (proven === 'mdy') c.mdy++;
  else if (readsBothWays(value)) {
    c.ambiguousRows.push(row);
    if (c.ambiguousValues.length < AMBIGUOUS_EXAMPLES) c.ambiguousValues.push(value);
  }
}

function columnProfile(c: ColumnCounter): ColumnProfile {
  const values = [...c.counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, PROFILE_TOP_VALUES)
    .map(([value, count]) => ({ value, count }));
  return {
    header: c.header,
    filled: c.filled,
    values,
    distinct: c.counts.size,
    capped: c.capped,
    inferredType: inferType(c.tally),
  };
}

/** Date order and ambiguous rows over the columns typed as dates. */
function dateFindings(counters: readonly ColumnCounter[], profiles: readonly ColumnProfile[]): FileProfile['dates'] {
  const dateCols = counters.filter((_, i) => profiles[i]?.inferredType === 'date');
  const dmy = dateCols.reduce((n, c) => n + c.dmy, 0);
  const mdy = dateCols.reduce((n, c) => n + c.mdy, 0);
  const rows = new Set<number>();
  const examples: AmbiguousDate[] = [];
  for (const c of dateCols) {
    for (const r of c.ambiguousRows) rows.add(r);
    c.ambiguousValues.forEach((value, i) => {
      if (examples.length < AMBIGUOUS_EXAMPLES)
        examples.push({ row: c.ambiguousRows[i] ?? 0, column: c.header, value });
    });
  }
  return {
    detected: dmy === 0 && mdy === 0 ? null : dmy >= mdy ? 'dmy' : 'mdy',
    ambiguousRows: rows.size,
    examples: examples.sort((a, b) => a.row - b.row),
  };
}

export async function profileImport(path: string, read: ReadOptions): Promise<FileProfile> {
  const info = await loadHeadInfo(path, read);
  const counters = info.headers.map(newCounter);
  let record = 0;
  let rows = 0;
  const inSection = info.newSectionReader();
  for await (const batch of readBatches(info.sniffed)) {
    for (const cells of batch.rows) {
      record++;
      if (record <= info.headerRow || !inSection(cells) || isBlank(cells)) continue;
      rows++;
      counters.forEach((c, i) => countCell(c, cells[i] ?? '', record));
    }
  }
  const columns = counters.map(columnProfile);
  return { headerRow: info.headerRow, rows, columns, dates: dateFindings(counters, columns) };
}
