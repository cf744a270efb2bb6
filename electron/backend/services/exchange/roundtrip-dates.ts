/**
 * How a returned sheet's typed dates are read (#13 item 5). A date typed as text such as
 * 05/12/2026 is 5 December day first and 12 May month first, so the apply decides the order
 * the way an import does and says so: the user's choice, else what the sheet's own dates
 * prove (a 25/12/2026 is day first), else the order this workspace's imports read, else the
 * export's convention (a ';' CSV is day first). Rows with a date that reads both ways are
 * counted and shown with both readings.
 */
import type Database from 'better-sqlite3';
import type { RoundtripDates } from '../../../../shared/contract/exchange';
import type { CustomFieldType } from '../../../../shared/custom-fields';
import { CUSTOM_COLUMN_PREFIX, isCustomColumnKey } from '../../../../shared/exchange/columns';
import { normalizeSheetText } from '../../../../shared/exchange/sheet-values';
import { provenDateOrder, readsBothWays, type DayMonthOrder } from '../../../../shared/mapping';
import { isSerial, type SheetValue } from './sheet-reader';

const EXAMPLES = 5;

/** The attempt date and the custom fields typed as dates: the columns whose typed text is a date. */
export function isDateColumn(key: string, customTypes: ReadonlyMap<string, CustomFieldType>): boolean {
  if (key === 'attempt_date') return true;
  return isCustomColumnKey(key) && customTypes.get(key.slice(CUSTOM_COLUMN_PREFIX.length)) === 'date';
}

/** A date cell's text as typed (a real date cell of a workbook is no text: it cannot read two ways). */
function typedText(v: SheetValue | undefined): string | null {
  if (v === undefined || v === null || typeof v !== 'string' || isSerial(v)) return null;
  return normalizeSheetText(v);
}

/** The order the workspace's last import with numeric dates read them in, if any. */
function importsOrder(db: Database.Database): DayMonthOrder | null {
  const v = db
    .prepare(
      `SELECT json_extract(options, '$.dateOrder') FROM imports
       WHERE status = 'done' AND json_extract(options, '$.dateOrder') IN ('dmy', 'mdy') ORDER BY id DESC LIMIT 1`,
    )
    .pluck()
    .get() as DayMonthOrder | undefined;
  return v ?? null;
}

export type SheetRows = Readonly<{
  sheet: string;
  /** 1-based sheet row of each data row, and the row's cells by column key. */
  rows: readonly Readonly<{ row: number; get: (key: string) => SheetValue | undefined }>[];
}>;

/**
 * Reads the date columns of every recognized sheet once: the order their dates prove, the
 * rows with a date that reads both ways, and the order the apply uses.
 */
export function sheetDates(
  db: Database.Database,
  sheets: readonly SheetRows[],
  dateKeys: readonly string[],
  chosen: DayMonthOrder | undefined,
  convention: DayMonthOrder,
): RoundtripDates {
  let dmy = 0;
  let mdy = 0;
  let ambiguousRows = 0;
  const examples: RoundtripDates['examples'][number][] = [];
  for (const { sheet, rows } of sheets) {
    for (const { row, get } of rows) {
      let ambiguous = false;
      for (const key of dateKeys) {
        const text = typedText(get(key));
        if (text === null) continue;
        const proven = provenDateOrder(text);
        if (proven === 'dmy') dmy++;
        else if (proven === 'mdy') mdy++;
        else if (readsBothWays(text)) {
          ambiguous = true;
          if (examples.length < EXAMPLES) examples.push({ sheet, row, column: key, value: text });
        }
      }
      if (ambiguous) ambiguousRows++;
    }
  }
  const detected: DayMonthOrder | null = dmy === 0 && mdy === 0 ? null : dmy >= mdy ? 'dmy' : 'mdy';
  const fromImports = detected === null ? importsOrder(db) : null;
  const [order, source]: [DayMonthOrder, RoundtripDates['source']] = chosen
    ? [chosen, 'chosen']
    : detected
      ? [detected, 'sheet']
      : fromImports
        ? [fromImports, 'imports']
        : [convention, 'export'];
  return { order, source, detected: detected ?? fromImports ?? convention, ambiguousRows, examples };
}
