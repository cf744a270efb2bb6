/**
 * Reading a returned sheet (CSV, XLSX, XLS, ODS) into plain tables of cells. Numbers stay
 * numbers and date cells are marked as dates (their serial number), so the round trip can
 * read them in the export's time zone. CSV: UTF-8 (with or without BOM), or Windows-1252 as
 * Excel's "CSV" saves it; the delimiter is detected.
 */
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { AppError } from '../../errors';
import { damagedWorkbook } from '../import/source';

export type SheetValue = string | number | boolean | Readonly<{ serial: number }> | null;

export type SheetTable = Readonly<{ name: string; rows: readonly (readonly SheetValue[])[] }>;

export type ReadSheets = Readonly<{ format: 'csv' | 'xlsx'; tables: readonly SheetTable[]; bytes: Buffer }>;

export function isSerial(v: SheetValue | undefined): v is Readonly<{ serial: number }> {
  return typeof v === 'object' && v !== null;
}

function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function readCsv(bytes: Buffer, name: string): SheetTable {
  const text = decodeText(bytes);
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

export function readSheets(path: string): ReadSheets {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new AppError('NOT_FOUND', `Cannot read ${path}.`);
  }
  const ext = extname(path).toLowerCase();
  const name = path.split(/[\\/]/).at(-1) ?? path;
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv')
    return { format: 'csv', tables: [readCsv(bytes, name)], bytes };
  return { format: 'xlsx', tables: readWorkbook(bytes, name), bytes };
}
