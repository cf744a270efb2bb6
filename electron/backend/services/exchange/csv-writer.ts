/**
 * Streamed CSV (RFC 4180 quoting, CRLF line ends) for spreadsheets: UTF-8 with a BOM so
 * Excel detects the encoding, or plain UTF-8; comma, or semicolon for locales whose decimal
 * separator is a comma (then numbers are written with a decimal comma too, so they stay
 * numbers when Excel opens the file there). Text cells go through the formula guard.
 */
import { neutralizeFormula } from '../../../../shared/exchange/formula-guard';
import { openFileSink } from './file-sink';
import { cleanNumber, type SheetCell, type SheetColumn, type SheetWriter } from './sheet-writer';
import type { ZonedClock } from './zoned-time';

export type CsvOptions = Readonly<{
  bom: boolean;
  delimiter: ',' | ';';
  /** Defaults to true with ';' and false with ','. */
  decimalComma?: boolean;
}>;

const FLUSH_CHARS = 256 * 1024;

export function formatCsvNumber(n: number, decimalComma: boolean): string {
  if (!Number.isFinite(n)) return '';
  const s = String(cleanNumber(n));
  return decimalComma ? s.replace('.', ',') : s;
}

export function createCsvWriter(path: string, options: CsvOptions, clock: ZonedClock): SheetWriter {
  const sink = openFileSink(path);
  const delimiter = options.delimiter;
  const decimalComma = options.decimalComma ?? delimiter === ';';
  const needsQuotes = delimiter === ';' ? /[";\r\n]|^\s|\s$/ : /[",\r\n]|^\s|\s$/;
  let columns: readonly SheetColumn[] | null = null;
  let buffer = '';
  let rows = 0;

  const field = (text: string): string => (needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

  const cell = (value: SheetCell, column: SheetColumn): string => {
    if (value === null || value === '') return '';
    if (typeof value === 'number') {
      switch (column.kind) {
        case 'date':
          return clock.format(value, false);
        case 'datetime':
          return clock.format(value, true);
        default:
          return formatCsvNumber(value, decimalComma);
      }
    }
    return field(neutralizeFormula(value));
  };

  const push = (line: string) => {
    buffer += line;
    if (buffer.length >= FLUSH_CHARS) {
      sink.write(buffer);
      buffer = '';
    }
  };

  const writer: SheetWriter = {
    get rowsInSheet() {
      return rows;
    },
    startSheet: async (_name, cols) => {
      if (columns) throw new Error('A CSV file holds one table.');
      columns = cols;
      if (options.bom) push('\uFEFF');
      push(`${cols.map((c) => field(neutralizeFormula(c.header))).join(delimiter)}\r\n`);
    },
    writeRow: (cells) => {
      const cols = columns;
      if (!cols) throw new Error('startSheet first');
      let line = '';
      for (let i = 0; i < cols.length; i++) {
        if (i > 0) line += delimiter;
        line += cell(cells[i] ?? null, cols[i]!);
      }
      push(`${line}\r\n`);
      rows++;
    },
    flush: async () => {
      if (buffer.length > 0) {
        sink.write(buffer);
        buffer = '';
      }
      await sink.drain();
    },
    close: async (beforeRename) => {
      if (buffer.length > 0) sink.write(buffer);
      buffer = '';
      return sink.commit(beforeRename);
    },
    abort: () => sink.discard(),
  };
  return writer;
}
