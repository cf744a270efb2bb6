/**
 * Reading a returned sheet (CSV, XLSX, XLS, ODS) into plain tables of cells. Numbers stay
 * numbers and date cells are marked as dates (their serial number), so the round trip can
 * read them in the export's time zone. CSV: UTF-8 (with or without BOM) or UTF-16 with a
 * BOM; text that is not valid UTF-8 is read as Windows-1252 (what Excel's "CSV" saves), and
 * `encodingSample` then shows a line so read, for the user to confirm as imports do; the
 * delimiter is detected.
 */
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { TextEncoding } from '../../../../shared/contract';
import { AppError } from '../../errors';
import { createDecoder } from '../import/encoding';
import { damagedWorkbook, nonAsciiLine } from '../import/source';

export type SheetValue = string | number | boolean | Readonly<{ serial: number }> | null;

export type SheetTable = Readonly<{ name: string; rows: readonly (readonly SheetValue[])[] }>;

export type ReadSheets = Readonly<{
  format: 'csv' | 'xlsx';
  tables: readonly SheetTable[];
  bytes: Buffer;
  /** The text encoding a CSV was read in (null: a workbook). */
  encoding: TextEncoding | null;
  /** Not valid UTF-8 and no encoding named: a line as read in the guessed `encoding`. */
  encodingSample: string | null;
}>;

export function isSerial(v: SheetValue | undefined): v is Readonly<{ serial: number }> {
  return typeof v === 'object' && v !== null;
}

type Decoded = Readonly<{ text: string; encoding: TextEncoding; guessed: boolean }>;

function decodeAs(bytes: Buffer, encoding: TextEncoding): string {
  const decoder = createDecoder(encoding);
  return decoder.decode(bytes) + decoder.end();
}

function decodeText(bytes: Buffer, named: TextEncoding | undefined): Decoded {
  if (named) return { text: decodeAs(bytes, named), encoding: named, guessed: false };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', guessed: false };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', guessed: false };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8', guessed: false };
  } catch {
    return { text: decodeAs(bytes, 'windows-1252'), encoding: 'windows-1252', guessed: true };
  }
}

function readCsv(text: string, name: string): SheetTable {
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [',', ';', '\t', '|'], skipEmptyLines: 'greedy' });
  if (parsed.errors.some((e) => e.type === 'Quotes')) {
    throw new AppError('IMPORT_UNREADABLE', `${name} is not a readable CSV file: ${parsed.errors[0]!.message}.`);
  }
  return { name, rows: parsed.data };
}

function readWorkbook(bytes: Buffer, name: string): SheetTable[] {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellNF: true, cellDates: false, cellFormula: false, dense: true });
  } catch {
    throw damagedWorkbook(name, bytes[0] === 0xd0 ? 'ole' : 'zip');
  }
  return wb.SheetNames.map((name) => {
    const ws = wb.Sheets[name]!;
    const dense = (ws['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
    const rows: SheetValue[][] = dense.map((row) =>
      (row ?? []).map((c): SheetValue => {
        if (!c || c.v === undefined || c.v === null) return null;
        if (c.t === 'n' && typeof c.v === 'number') {
          return c.z && XLSX.SSF.is_date(String(c.z)) ? { serial: c.v } : c.v;
        }
        if (c.t === 'b') return Boolean(c.v);
        if (c.t === 'e') return null;
        if (c.v instanceof Date) return { serial: c.v.getTime() / 86_400_000 + 25_569 };
        return String(c.v);
      }),
    );
    return { name, rows };
  });
}

export function readSheets(path: string, encoding?: TextEncoding): ReadSheets {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new AppError('NOT_FOUND', `Cannot read ${path}.`);
  }
  const ext = extname(path).toLowerCase();
  const name = path.split(/[\\/]/).at(-1) ?? path;
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') {
    const decoded = decodeText(bytes, encoding);
    return {
      format: 'csv',
      tables: [readCsv(decoded.text, name)],
      bytes,
      encoding: decoded.encoding,
      encodingSample: decoded.guessed ? nonAsciiLine(decoded.text) : null,
    };
  }
  return { format: 'xlsx', tables: readWorkbook(bytes, name), bytes, encoding: null, encodingSample: null };
}
