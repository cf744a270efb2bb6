/**
 * The whole file read once below its header row, for the wizard's pickers and counts: the
 * exact number of data rows (a sample only says "400+"), each column's distinct values with
 * their counts (the outcome's won values, the activity types to map), the type each column
 * would get as a custom field, and the date findings (shared/date-findings.ts: the same
 * count of dates that read both ways as the import's summary). It streams like the import
 * itself and keeps only counters, at most PROFILE_DISTINCT_MAX values per column and the row
 * numbers of ambiguous dates.
 */
import type { ColumnProfile, FileProfile, ReadOptions } from '../../../../shared/contract';
import { inferType, isNoData, newTally, tallyValue, type TypeTally } from '../../../../shared/custom-fields';
import { tallyDates } from '../../../../shared/date-findings';
import { isBlank, loadHeadInfo } from './plan';
import { readBatches } from './source';

/** Distinct values counted per column; rarer values past this are not (pickers need the common ones). */
export const PROFILE_DISTINCT_MAX = 1000;
/** Values returned per column, most frequent first. */
export const PROFILE_TOP_VALUES = 200;

type ColumnCounter = {
  header: string;
  filled: number;
  counts: Map<string, number>;
  capped: boolean;
  tally: TypeTally;
};

function newCounter(header: string): ColumnCounter {
  return {
    header,
    filled: 0,
    counts: new Map(),
    capped: false,
    tally: newTally(),
  };
}

function countCell(c: ColumnCounter, raw: string): void {
  const value = raw.trim();
  if (value === '') return;
  c.filled++;
  const seen = c.counts.get(value);
  if (seen !== undefined) c.counts.set(value, seen + 1);
  else if (c.counts.size < PROFILE_DISTINCT_MAX) c.counts.set(value, 1);
  else c.capped = true;
  if (isNoData(value)) return;
  tallyValue(c.tally, value);
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

export async function profileImport(path: string, read: ReadOptions): Promise<FileProfile> {
  const info = await loadHeadInfo(path, read);
  const counters = info.headers.map(newCounter);
  const dates = tallyDates(info.headers);
  let record = 0;
  let rows = 0;
  const inSection = info.newSectionReader();
  for await (const batch of readBatches(info.sniffed)) {
    batch.rows.forEach((cells, i) => {
      record++;
      if (record <= info.headerRow || !inSection(cells) || isBlank(cells)) return;
      rows++;
      counters.forEach((c, col) => countCell(c, cells[col] ?? ''));
      // A record that could not be split into cells is no row of dates (the import rejects it).
      if (!batch.bad?.has(i)) dates.add(cells, record);
    });
  }
  return { headerRow: info.headerRow, rows, columns: counters.map(columnProfile), dates: dates.findings() };
}
