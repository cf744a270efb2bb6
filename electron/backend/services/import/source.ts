/**
 * Opening an import file: sniffing (what is it, can we read it at all), then a row source
 * that yields batches of raw cells with the bytes consumed so far.
 *
 * CSV/TSV is streamed from its path: fs stream -> decoder (chunk-safe) -> a record reader
 * that sees each character once (csv-batches.ts, csv-records.ts), so time grows with the
 * file's size even for one huge line. The file is never read whole. An XLSX is streamed too (xlsx-stream.ts:
 * the sheet's XML inflated and parsed as it is read, after its shared strings). Other
 * workbooks (.xls, .ods, .xlsb) are read whole by SheetJS; their row counts are bounded.
 */
import { closeSync, openSync, readSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Delimiter, ReadOptions, TextEncoding } from '../../../../shared/contract';
import { DELIMITERS } from '../../../../shared/contract/import';
import { AppError } from '../../errors';
import { readCsvBatches, type RowBatch } from './csv-batches';
import { createDecoder, detectEncoding } from './encoding';
import { openXlsx, readXlsxRows, type XlsxBook } from './xlsx-stream';

export type Sniffed = Readonly<{
  path: string;
  fileName: string;
  sizeBytes: number;
  format: 'csv' | 'xlsx';
  encoding: TextEncoding | null;
  delimiter: Delimiter | null;
  sheets: readonly string[];
  sheet: string | null;
  /** The user named the encoding (otherwise it was detected). */
  encodingChosen: boolean;
  /**
   * Not valid UTF-8 and no encoding named: `encoding` is a guess, and a line with non-ASCII
   * text decoded by it is shown for the user to confirm before anything is imported.
   */
  encodingSample: string | null;
  /** Workbooks: a ZIP (xlsx, ods) or an OLE compound file (xls). */
  container: 'zip' | 'ole' | null;
  /** An XLSX read streamed (xlsx-stream.ts); other workbooks are read whole by SheetJS. */
  streamed: boolean;
}>;

export type { RowBatch } from './csv-batches';

const SAMPLE_BYTES = 64 * 1024;

const MAGIC: readonly [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program (ELF binary)'],
  [[0x4d, 0x5a], 'a Windows program'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'a SQLite database'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
];

function readSample(path: string, size: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function startsWith(buf: Buffer, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

/** A workbook's container by the file's first bytes: ZIP (xlsx, ods) or OLE (xls); null for anything else. */
export function workbookContainer(head: Buffer): 'zip' | 'ole' | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return 'ole';
  return null;
}

const unreadable = (name: string, why: string) =>
  new AppError('IMPORT_UNREADABLE', `"${name}" cannot be imported: ${why} Choose a CSV, TSV or XLSX file.`);

/** Counts of each delimiter outside quotes, per line, over the first lines of a sample. */
export function detectDelimiter(text: string): Delimiter {
  const lines: Record<string, number>[] = [];
  let counts: Record<string, number> = {};
  let inQuotes = false;
  for (let i = 0; i < text.length && lines.length < 50; i++) {
    const c = text[i] as string;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (Object.keys(counts).length || lines.length) lines.push(counts);
      counts = {};
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else if (!inQuotes && (DELIMITERS as readonly string[]).includes(c)) counts[c] = (counts[c] ?? 0) + 1;
  }
  if (lines.length === 0) lines.push(counts);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const per = lines.map((l) => l[d] ?? 0);
    const freq = new Map<number, number>();
    for (const n of per) if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    let modeCount = 0;
    let mode = 0;
    for (const [n, f] of freq) if (f > modeCount || (f === modeCount && n > mode)) [mode, modeCount] = [n, f];
    const score = modeCount * 1000 + mode;
    if (modeCount > 0 && score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

/**
 * A workbook the spreadsheet library cannot open (cut short, bytes changed): said in words,
 * never the library's own text ("Unsupported ZIP file", "unrecognized type s.r").
 */
export function damagedWorkbook(fileName: string, kind: 'zip' | 'ole'): AppError {
  const ext = /\.(xlsx|xlsm|xls|ods)$/i.exec(fileName)?.[1]?.toLowerCase() ?? (kind === 'zip' ? 'xlsx' : 'xls');
  return new AppError(
    'IMPORT_UNREADABLE',
    `"${fileName}" cannot be imported: this .${ext} is damaged: it is not a complete workbook. ` +
      'Open it in Excel and save it again, or save it as CSV.',
  );
}

function readWorkbook(s: Sniffed, opts: XLSX.ParsingOptions): XLSX.WorkBook {
  try {
    return XLSX.read(readFileSync(s.path), { type: 'buffer', ...opts });
  } catch {
    throw damagedWorkbook(s.fileName, s.container ?? 'zip');
  }
}

/** An XLSX opened for streaming; null for other ZIPs (.ods, .xlsb); damaged when unreadable. */
async function openStreamed(path: string, fileName: string): Promise<XlsxBook | null> {
  try {
    return await openXlsx(path);
  } catch {
    throw damagedWorkbook(fileName, 'zip');
  }
}

/** The sheet names of a workbook (streamed for an XLSX: only its workbook part is read). */
async function sheetNames(path: string, fileName: string, container: 'zip' | 'ole'): Promise<[string[], boolean]> {
  const book = container === 'zip' ? await openStreamed(path, fileName) : null;
  if (!book) {
    return [readWorkbook({ path, fileName, container } as Sniffed, { bookSheets: true }).SheetNames ?? [], false];
  }
  book.zip.close();
  return [book.sheets.map((s) => s.name), true];
}

/** Decides how to read a file; throws one clear IMPORT_* error when it cannot be read. */
export async function sniffFile(path: string, opts: ReadOptions = {}): Promise<Sniffed> {
  const fileName = basename(path);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw unreadable(fileName, 'it is a folder, not a file.');
    size = st.size;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unreadable(
      fileName,
      `the file does not exist or cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  if (size === 0) throw new AppError('IMPORT_EMPTY', `"${fileName}" is empty: it holds no rows to import.`);
  const sample = readSample(path, size);

  const container = workbookContainer(sample);
  if (container !== null) {
    const [sheets, streamed] = await sheetNames(path, fileName, container);
    if (sheets.length === 0) throw unreadable(fileName, 'it is a ZIP archive, not a spreadsheet.');
    const sheet = opts.sheet ?? sheets[0] ?? null;
    if (sheet !== null && !sheets.includes(sheet)) {
      throw new AppError(
        'IMPORT_UNREADABLE',
        `"${fileName}" has no sheet named "${sheet}". Sheets: ${sheets.join(', ')}.`,
      );
    }
    return {
      path,
      fileName,
      sizeBytes: size,
      format: 'xlsx',
      encoding: null,
      delimiter: null,
      sheets,
      sheet,
      encodingChosen: false,
      encodingSample: null,
      container,
      streamed,
    };
  }
  for (const [magic, what] of MAGIC) {
    if (startsWith(sample, magic)) throw unreadable(fileName, `it is ${what}, not a spreadsheet.`);
  }

  const detected = detectEncoding(sample);
  const encoding = opts.encoding ?? detected.encoding;
  if (!encoding.startsWith('utf-16')) {
    let control = 0;
    for (const b of sample) if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
    if (control > 0 && (sample.includes(0) || control > sample.length * 0.01)) {
      throw unreadable(fileName, 'it is a binary file, not text.');
    }
  }
  const dec = createDecoder(encoding);
  const text = dec.decode(sample);
  if (text.trim() === '') throw new AppError('IMPORT_EMPTY', `"${fileName}" is empty: it holds no rows to import.`);
  return {
    path,
    fileName,
    sizeBytes: size,
    format: 'csv',
    encoding,
    delimiter: opts.delimiter ?? detectDelimiter(text),
    sheets: [],
    sheet: null,
    encodingChosen: opts.encoding !== undefined,
    encodingSample: opts.encoding === undefined && detected.encoding === 'windows-1252' ? nonAsciiLine(text) : null,
    container: null,
    streamed: false,
  };
}

/** The first line of the sample with non-ASCII text (what a wrong encoding would garble). */
export function nonAsciiLine(text: string): string {
  const at = text.search(/[^\t-~]/);
  if (at < 0) return text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const start = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at)) + 1;
  const ends = [text.indexOf('\n', at), text.indexOf('\r', at)].filter((i) => i >= 0);
  const line = text.slice(start, ends.length ? Math.min(...ends) : text.length);
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

const BATCH_ROWS = 5000;

/** Streams the records of a sniffed file in batches (records include blank ones, as ['']). */
export async function* readBatches(s: Sniffed): AsyncGenerator<RowBatch> {
  if (s.streamed) {
    yield* readStreamedBatches(s);
    return;
  }
  if (s.format === 'xlsx') {
    const wb = readWorkbook(s, { dense: true, cellDates: true, ...(s.sheet ? { sheets: s.sheet } : {}) });
    const ws = s.sheet ? wb.Sheets[s.sheet] : undefined;
    // Listed in the workbook but missing from it: damaged too.
    if (!ws) throw damagedWorkbook(s.fileName, s.container ?? 'zip');
    const all = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: '', blankrows: true });
    for (let i = 0; i < all.length; i += BATCH_ROWS) {
      const rows = all.slice(i, i + BATCH_ROWS).map((r) => (Array.isArray(r) ? r.map(cellText) : []));
      yield { rows, bytesDone: Math.round((s.sizeBytes * Math.min(all.length, i + BATCH_ROWS)) / all.length) };
    }
    return;
  }

  yield* readCsvBatches(s);
}

/**
 * The rows of an XLSX sheet, streamed. Whatever goes wrong inside the workbook (a part cut
 * short, bytes changed, XML that does not parse) is the one "damaged" message.
 */
async function* readStreamedBatches(s: Sniffed): AsyncGenerator<RowBatch> {
  const book = await openStreamed(s.path, s.fileName);
  const sheet = book?.sheets.find((x) => x.name === s.sheet);
  try {
    // Listed in the workbook but missing from it: damaged too.
    if (!book || !sheet || !book.entries.has(sheet.part)) throw damagedWorkbook(s.fileName, 'zip');
    const rows = readXlsxRows(book, sheet.part, BATCH_ROWS);
    for (;;) {
      let next: IteratorResult<{ rows: string[][]; fraction: number }>;
      try {
        next = await rows.next();
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw damagedWorkbook(s.fileName, 'zip');
      }
      if (next.done) return;
      yield { rows: next.value.rows, bytesDone: Math.round(s.sizeBytes * next.value.fraction) };
    }
  } finally {
    book?.zip.close();
  }
}
