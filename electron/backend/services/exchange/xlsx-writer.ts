/**
 * Streamed XLSX: we write the SpreadsheetML ourselves, row by row, into fflate's streaming
 * ZIP (one deflated entry per sheet), so a million-row export never sits in memory. Sheet
 * data is deflated by Node's zlib (native, on the libuv thread pool) through an fflate
 * ZipPassThrough subclass: fflate keeps the container and the CRC, and the JavaScript thread
 * only builds XML while another core compresses. What
 * SheetJS would give us (typed cells, styles) we spell out directly:
 *
 * - numbers as numeric cells, dates as serial numbers with a date number format, text as
 *   inline strings (no shared-string table, which would need every string in memory);
 * - a bold, frozen header row with an auto filter, and column widths;
 * - text that looks like a formula gets the OWASP guard quote, as in CSV: inline strings are
 *   never evaluated, but the quote keeps the value inert if the sheet is saved as CSV later;
 * - rep columns are pre-formatted (text, or date for the attempt date) and may carry a
 *   drop-down list of allowed values;
 * - a sheet holds at most 1,048,576 rows (Excel's limit); a longer table continues on
 *   "<name> (2)", "<name> (3)", ... with the same header.
 *
 * The workbook, styles and content-type parts are written last, once every sheet is known.
 * fflate writes classic ZIP (no ZIP64): each sheet's XML must stay under 4 GiB, far above
 * Excel's row limit times a typical row.
 */
import { Zip, ZipDeflate, ZipPassThrough, strToU8, type FlateError } from 'fflate';
import { createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { openFileSink } from './file-sink';
import type { SheetColumn, SheetWriter } from './sheet-writer';
import {
  columnLetter,
  packageParts,
  rowXml,
  safeSheetName,
  sheetHead,
  sheetTail,
  type FinishedSheet,
} from './xlsx-parts';
import type { ZonedClock } from './zoned-time';

export { columnLetter, safeSheetName };

export const XLSX_MAX_ROWS = 1_048_576;

const CHUNK_CHARS = 64 * 1024;

/** A ZIP entry deflated by zlib off the JavaScript thread (fflate computes CRC and sizes). */
class ZlibZipDeflate extends ZipPassThrough {
  private readonly z: DeflateRaw;

  constructor(filename: string, level: number) {
    super(filename);
    this.compression = 8;
    this.z = createDeflateRaw({ level, memLevel: 9 });
    this.z.on('data', (d: Buffer) => this.ondata(null, d as Uint8Array as Uint8Array<ArrayBuffer>, false));
    this.z.on('end', () => this.ondata(null, new Uint8Array(0), true));
    this.z.on('error', (e) => this.ondata(Object.assign(e, { code: 0 }) as FlateError, new Uint8Array(0), true));
  }

  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    this.z.write(chunk);
    if (final) this.z.end();
  }

  destroy(): void {
    this.z.destroy();
  }

  /** Resolves once zlib's input buffer is below its high-water mark. */
  drain(): Promise<void> {
    if (!this.z.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.z.once('drain', () => resolve()));
  }
}

type OpenSheet = {
  entry: ZlibZipDeflate;
  /** Its name in the workbook. */
  name: string;
  baseName: string;
  part: number;
  columns: readonly SheetColumn[];
  letters: readonly string[];
  rowNo: number;
  buf: string;
};

export type XlsxOptions = Readonly<{
  /** Deflate level for sheet data (1 fastest ... 9 smallest). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Rows per sheet, header included (tests use a small one). */
  maxRows?: number;
}>;

export function createXlsxWriter(path: string, clock: ZonedClock, options: XlsxOptions = {}): SheetWriter {
  const sink = openFileSink(path);
  let zipError: Error | null = null;
  let finished: () => void = () => undefined;
  const zipDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const zip = new Zip((err, chunk, final) => {
    if (err) {
      zipError = err;
      finished();
      return;
    }
    sink.write(chunk);
    if (final) finished();
  });
  const level = options.level ?? 3;
  const maxRows = Math.min(XLSX_MAX_ROWS, Math.max(2, options.maxRows ?? XLSX_MAX_ROWS));
  const sheets: FinishedSheet[] = [];
  const taken = new Set<string>();
  let current: OpenSheet | null = null;

  const check = () => {
    if (zipError) throw zipError;
    const failed = sink.error();
    if (failed) throw failed;
  };

  const pushXml = (sheet: OpenSheet, xml: string, final = false) => {
    sheet.buf += xml;
    if (sheet.buf.length >= CHUNK_CHARS || final) {
      sheet.entry.push(strToU8(sheet.buf), final);
      sheet.buf = '';
      check();
    }
  };

  const addSmallFile = (name: string, xml: string) => {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(xml), true);
    check();
  };

  /** Ends the open sheet (its tail written, its range kept for the workbook). */
  const endSheet = () => {
    const sheet = current;
    if (!sheet) return;
    current = null;
    const lastRow = Math.max(1, sheet.rowNo);
    pushXml(sheet, sheetTail(sheet.columns, sheet.letters, lastRow, maxRows), true);
    sheets.push({ name: sheet.name, lastRow, lastCol: sheet.letters.at(-1) ?? 'A' });
  };

  /** Ends the current sheet and starts the next one (sync: rows roll over mid-batch). */
  const openSheet = (wanted: string, columns: readonly SheetColumn[], baseName: string, part: number) => {
    check();
    endSheet();
    const name = safeSheetName(wanted, taken);
    taken.add(name.toLowerCase());
    const sheetNo = sheets.length + 1;
    const entry = new ZlibZipDeflate(`xl/worksheets/sheet${sheetNo}.xml`, level);
    zip.add(entry);
    const letters = columns.map((_, i) => columnLetter(i));
    current = { entry, name, columns, letters, rowNo: 1, buf: '', baseName, part };
    pushXml(current, sheetHead(columns, letters, sheetNo));
  };

  const writer: SheetWriter = {
    get rowsInSheet() {
      return current ? current.rowNo - 1 : 0;
    },
    startSheet: async (wanted, columns) => {
      openSheet(wanted, columns, wanted, 1);
    },
    writeRow: (cells) => {
      let sheet = current;
      if (!sheet) throw new Error('startSheet first');
      if (sheet.rowNo >= maxRows) {
        openSheet(`${sheet.baseName} (${sheet.part + 1})`, sheet.columns, sheet.baseName, sheet.part + 1);
        sheet = current!;
      }
      sheet.rowNo++;
      pushXml(sheet, rowXml(sheet.rowNo, cells, sheet.columns, sheet.letters, clock));
    },
    flush: async () => {
      check();
      await current?.entry.drain();
      check();
      await sink.drain();
    },
    close: async (beforeRename) => {
      check();
      if (!current && sheets.length === 0) throw new Error('An XLSX file needs at least one sheet.');
      endSheet();
      // Deflated, not stored: SheetJS misreads stored entries that use a data descriptor.
      for (const [name, xml] of packageParts(sheets)) addSmallFile(name, xml);
      zip.end();
      await zipDone;
      check();
      return sink.commit(beforeRename);
    },
    abort: async () => {
      current?.entry.destroy();
      try {
        zip.terminate();
      } catch {
        // Terminating a finished or failed archive is harmless.
      }
      await sink.discard();
    },
  };
  return writer;
}
