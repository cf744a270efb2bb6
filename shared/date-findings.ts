/**
 * What a file's dates say, in one definition for the import wizard (import-profile) and the
 * import's summary: the order the unambiguous numeric dates prove (13/05 is day first, 05/13
 * month first), and the rows holding a date that reads both ways (05/12/2026: 5 December or
 * 12 May). Both are counted over the file's date columns: the columns whose every value is a
 * date (no data aside), the ones an import types as dates. Callers feed the same rows: the
 * non-blank data rows below the header, in its section, that could be split into cells.
 */
import { isDateCell, isNoData } from './custom-fields';
import { provenDateOrder, readsBothWays, type DayMonthOrder } from './mapping/dates';

/** A date cell that reads both ways, where it is (1-based file row, column header). */
export type AmbiguousDate = Readonly<{ row: number; column: string; value: string }>;

export type DateFindings = Readonly<{
  /** Day first or month first as the unambiguous dates prove it (the majority); null when none does. */
  detected: DayMonthOrder | null;
  /** Rows with at least one date that reads both ways, and the first few of them. */
  ambiguousRows: number;
  examples: readonly AmbiguousDate[];
}>;

export type DateFindingsTally = Readonly<{
  /** Counts one data row's cells; `row` is its 1-based row number in the file. */
  add: (cells: readonly string[], row: number) => void;
  findings: () => DateFindings;
}>;

const EXAMPLES = 5;

type Column = {
  /** Every value so far was a date: the column still counts. */
  dates: boolean;
  values: number;
  dmy: number;
  mdy: number;
  /** Rows holding a date that reads both ways, in file order, and the first few values. */
  rows: number[];
  examples: AmbiguousDate[];
};

export function tallyDates(headers: readonly string[]): DateFindingsTally {
  const columns: Column[] = headers.map(() => ({ dates: true, values: 0, dmy: 0, mdy: 0, rows: [], examples: [] }));
  const add = (cells: readonly string[], row: number): void => {
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (!c.dates) continue;
      const raw = cells[i] ?? '';
      if (isNoData(raw)) continue;
      const value = raw.trim();
      if (!isDateCell(value)) {
        // Not a date column after all: what it held no longer counts (nor costs memory).
        columns[i] = { dates: false, values: 0, dmy: 0, mdy: 0, rows: [], examples: [] };
        continue;
      }
      c.values++;
      const proven = provenDateOrder(value);
      if (proven === 'dmy') c.dmy++;
      else if (proven === 'mdy') c.mdy++;
      else if (readsBothWays(value)) {
        c.rows.push(row);
        if (c.examples.length < EXAMPLES) c.examples.push({ row, column: headers[i] ?? '', value });
      }
    }
  };
  const findings = (): DateFindings => {
    const dateColumns = columns.filter((c) => c.dates && c.values > 0);
    const dmy = dateColumns.reduce((n, c) => n + c.dmy, 0);
    const mdy = dateColumns.reduce((n, c) => n + c.mdy, 0);
    const rows = new Set<number>();
    for (const c of dateColumns) for (const r of c.rows) rows.add(r);
    return {
      detected: dmy === 0 && mdy === 0 ? null : dmy >= mdy ? 'dmy' : 'mdy',
      ambiguousRows: rows.size,
      examples: dateColumns
        .flatMap((c) => c.examples)
        .sort((a, b) => a.row - b.row)
        .slice(0, EXAMPLES),
    };
  };
  return { add, findings };
}
