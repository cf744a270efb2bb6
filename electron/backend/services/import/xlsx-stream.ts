/**
 * An XLSX workbook read streamed, so a 200,000-row sheet never sits in memory as a whole.
 *
 * An XLSX is a ZIP of XML parts. yauzl opens the ZIP by its central directory and inflates
 * one part at a time straight from the file (random access: the shared strings can be read
 * before the sheet wherever they are stored, and a preview reads only the head of the
 * sheet). saxes parses each part as it arrives. What stays in memory is the shared-string
 * table (the strings themselves), the styles' date formats and one batch of rows.
 *
 * Cells come out as SheetJS's sheet_to_json({ header: 1, raw: true, defval: '' }) with
 * cellDates gave them before (the import's behaviour is unchanged): rows counted from the
 * sheet's dimension, non-blank rows padded to its width; numbers as String(number); a
 * number in a date format as the ISO text of its wall-clock time in the local zone (1900
 * and 1904 date systems, Excel's 1900-02-29 left a number); booleans TRUE/FALSE; error
 * cells blank; OOXML's _xHHHH_ escapes decoded.
 *
 * Only the Office Open XML workbook is read this way; the caller keeps SheetJS for the
 * rest (.xls, .ods, .xlsb), whose row counts are bounded.
 */
import { posix } from 'node:path';
import { promisify } from 'node:util';
import * as XLSX from '@e965/xlsx';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export type XlsxSheet = Readonly<{ name: string; part: string }>;

export type XlsxBook = Readonly<{
  sheets: readonly XlsxSheet[];
  date1904: boolean;
  sharedStringsPart: string | null;
  stylesPart: string | null;
  entries: ReadonlyMap<string, Entry>;
  zip: ZipFile;
}>;

/** A batch of rows and how far into the sheet's XML the reading is (0..1). */
export type XlsxRows = Readonly<{ rows: string[][]; fraction: number }>;

const openZip = promisify<string, yauzl.Options, ZipFile>(yauzl.open);

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

/** The local name of an XML tag: SpreadsheetML is sometimes written with a prefix (x:row). */
const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** OOXML escapes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
const OOXML_ESCAPE = /_x([\da-fA-F]{4})_/g;
const unescapeOoxml = (text: string): string =>
  text.includes('_x') ? text.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;

/** Cell text as SheetJS gives strings: escapes decoded, CRLF as LF. */
const stringText = (text: string): string => unescapeOoxml(text).replace(/\r\n/g, '\n');

/** Opens a workbook's ZIP and finds its parts; null when the ZIP holds no OOXML workbook. */
export async function openXlsx(path: string): Promise<XlsxBook | null> {
  const zip = await openZip(path, { lazyEntries: true, autoClose: false });
  try {
    const entries = await listEntries(zip);
    const rootRels = entries.has('_rels/.rels') ? parseRels(await partText(zip, entries, '_rels/.rels'), '') : [];
    const workbookPart = rootRels.find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.target ?? 'xl/workbook.xml';
    if (!workbookPart.endsWith('.xml') || !entries.has(workbookPart)) {
      zip.close();
      return null;
    }
    const base = posix.dirname(workbookPart);
    const relsPart = `${base}/_rels/${posix.basename(workbookPart)}.rels`;
    const rels = entries.has(relsPart) ? parseRels(await partText(zip, entries, relsPart), base) : [];
    const workbook = parseWorkbook(await partText(zip, entries, workbookPart));
    const target = (id: string) => rels.find((r) => r.id === id)?.target;
    const sheets = workbook.sheets.map((s) => ({ name: s.name, part: target(s.rid) ?? '' }));
    const present = (part: string | undefined) => (part && entries.has(part) ? part : null);
    return {
      sheets,
      date1904: workbook.date1904,
      sharedStringsPart: present(rels.find((r) => REL_SHARED_STRINGS.test(r.type))?.target),
      stylesPart: present(rels.find((r) => REL_STYLES.test(r.type))?.target),
      entries,
      zip,
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (e: Entry) => {
      entries.set(e.fileName.replace(/^\/+/, ''), e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

/**
 * The inflated text of a part, chunk by chunk, with the share of the part read so far.
 * The size check is yauzl's: a part shorter or longer than its directory entry says throws.
 */
async function* partChunks(
  zip: ZipFile,
  entries: ReadonlyMap<string, Entry>,
  part: string,
): AsyncGenerator<readonly [string, number]> {
  const entry = entries.get(part);
  if (!entry) throw new Error(`missing part ${part}`);
  const stream = await openEntry(zip, entry);
  const decoder = new TextDecoder('utf-8');
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      read += chunk.length;
      yield [decoder.decode(chunk, { stream: true }), entry.uncompressedSize ? read / entry.uncompressedSize : 1];
    }
    yield [decoder.decode(), 1];
  } finally {
    (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}

/** A small part (workbook, relationships) as one string. */
async function partText(zip: ZipFile, entries: ReadonlyMap<string, Entry>, part: string): Promise<string> {
  let text = '';
  for await (const [chunk] of partChunks(zip, entries, part)) text += chunk;
  return text;
}

type XmlHandlers = {
  open: (tag: SaxesTagPlain) => void;
  text?: (text: string) => void;
  close?: (tag: SaxesTagPlain) => void;
};

type PlainOptions = { xmlns: false; position: false };

function xmlParser(h: XmlHandlers): SaxesParser<PlainOptions> {
  const parser = new SaxesParser<PlainOptions>({ xmlns: false, position: false });
  parser.on('opentag', h.open);
  if (h.text) {
    parser.on('text', h.text);
    parser.on('cdata', h.text);
  }
  if (h.close) parser.on('closetag', h.close);
  parser.on('error', (err) => {
    throw err;
  });
  return parser;
}

function parseXml(text: string, h: XmlHandlers): void {
  xmlParser(h).write(text).close();
}

type Rel = { id: string; type: string; target: string };

/** Relationships, their targets resolved against the folder of the part that owns them. */
function parseRels(text: string, base: string): Rel[] {
  const rels: Rel[] = [];
  parseXml(text, {
    open: (tag) => {
      if (local(tag.name) !== 'Relationship') return;
      const target = tag.attributes.Target ?? '';
      const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base, target));
      rels.push({ id: tag.attributes.Id ?? '', type: tag.attributes.Type ?? '', target: path });
    },
  });
  return rels;
}

function parseWorkbook(text: string): { sheets: { name: string; rid: string }[]; date1904: boolean } {
  const sheets: { name: string; rid: string }[] = [];
  let date1904 = false;
  parseXml(text, {
    open: (tag) => {
      const name = local(tag.name);
      if (name === 'workbookPr') date1904 = isTrue(tag.attributes.date1904);
      else if (name === 'sheet') {
        const rid = Object.entries(tag.attributes).find(([k]) => local(k) === 'id' && k !== 'sheetId')?.[1] ?? '';
        sheets.push({ name: unescapeOoxml(tag.attributes.name ?? ''), rid });
      }
    },
  });
  return { sheets, date1904 };
}

const isTrue = (v: string | undefined): boolean => v === '1' || v === 'true' || v === 'TRUE';

/**
 * Built-in number formats that show dates: SheetJS's table (14-22, 45-47, 56) and the
 * East Asian date formats Excel numbers 27-36 and 50-58.
 */
const BUILTIN_DATE_FORMATS: ReadonlySet<number> = (() => {
  const ids = new Set<number>();
  for (const [id, fmt] of Object.entries(XLSX.SSF.get_table())) if (XLSX.SSF.is_date(fmt)) ids.add(Number(id));
  for (let id = 27; id <= 36; id++) ids.add(id);
  for (let id = 50; id <= 58; id++) ids.add(id);
  return ids;
})();

/** The cell styles (cellXfs indices) whose number format shows a date. */
function parseDateStyles(text: string): Set<number> {
  const custom = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellXfs = false;
  parseXml(text, {
    open: (tag) => {
      const name = local(tag.name);
      if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styleFormats.push(Number(tag.attributes.numFmtId ?? 0));
    },
    close: (tag) => {
      if (local(tag.name) === 'cellXfs') inCellXfs = false;
    },
  });
  const dates = new Set<number>();
  styleFormats.forEach((id, style) => {
    const fmt = custom.get(id);
    if (fmt !== undefined ? XLSX.SSF.is_date(fmt) : BUILTIN_DATE_FORMATS.has(id)) dates.add(style);
  });
  return dates;
}

/** The shared-string table: each <si>'s text runs joined, phonetic runs left out. */
async function readSharedStrings(book: XlsxBook): Promise<string[]> {
  const strings: string[] = [];
  if (!book.sharedStringsPart) return strings;
  let text: string | null = null;
  let depthRPh = 0;
  let inT = false;
  const parser = xmlParser({
    open: (tag) => {
      const name = local(tag.name);
      if (name === 'si') text = '';
      else if (name === 'rPh') depthRPh++;
      else if (name === 't' && depthRPh === 0) inT = true;
    },
    text: (t) => {
      if (inT && text !== null) text += t;
    },
    close: (tag) => {
      const name = local(tag.name);
      if (name === 't') inT = false;
      else if (name === 'rPh') depthRPh--;
      else if (name === 'si' && text !== null) {
        strings.push(stringText(text));
        text = null;
      }
    },
  });
  for await (const [chunk] of partChunks(book.zip, book.entries, book.sharedStringsPart)) parser.write(chunk);
  parser.close();
  return strings;
}

/** "B2:F7" or "B2" (0-based rows and columns); null when missing or not a range. */
function parseRange(ref: string | undefined): { r0: number; c0: number; r1: number; c1: number } | null {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/i.exec(ref?.trim() ?? '');
  if (!m) return null;
  const r0 = Number(m[2]) - 1;
  const c0 = columnIndex(m[1]!);
  const r1 = m[4] ? Number(m[4]) - 1 : r0;
  const c1 = m[3] ? columnIndex(m[3]) : c0;
  return r0 <= r1 && c0 <= c1 && r0 >= 0 ? { r0, c0, r1, c1 } : null;
}

/** The column of a cell reference: "A1" -> 0, "AB12" -> 27. */
function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = (ref.charCodeAt(i) | 0x20) - 96;
    if (c < 1 || c > 26) break;
    n = n * 26 + c;
  }
  return n - 1;
}

const DAY_MS = 86_400_000;
const EXCEL_1899_12_30 = Date.UTC(1899, 11, 30);

/**
 * A date cell's text, as SheetJS gave it: the serial's wall-clock time (Excel's 1900
 * system counts a 1900-02-29, so serials before it are a day off, and 60 itself stays a
 * number) read as local time, in ISO form.
 */
export function serialDateText(serial: number, date1904: boolean): string {
  const v = serial + (date1904 ? 1462 : 0);
  if (v >= 60 && v < 61) return String(v);
  const utc = new Date((v > 60 ? v : v + 1) * DAY_MS + EXCEL_1899_12_30);
  return localIso(utc);
}

/** The same wall-clock fields in the local zone, as ISO text ('' when not a date). */
function localIso(utc: Date): string {
  const d = new Date(
    utc.getUTCFullYear(),
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
    utc.getUTCMilliseconds(),
  );
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** A cell typed "d" holds ISO 8601 text: a wall-clock time unless it names its zone. */
function isoCellText(text: string): string {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(text);
  const t = Date.parse(zoned || !/T/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(t)) return '';
  return zoned ? new Date(t).toISOString() : localIso(new Date(t));
}

type Cell = { col: number; type: string; style: number; value: string | null; inline: string };

/**
 * The rows of one sheet in batches of about `batchRows`. The ZIP stays open until the
 * generator ends (read to its end, returned early, or thrown out of).
 */
export async function* readXlsxRows(book: XlsxBook, sheetPart: string, batchRows: number): AsyncGenerator<XlsxRows> {
  const shared = await readSharedStrings(book);
  const dateStyles = book.stylesPart
    ? parseDateStyles(await partText(book.zip, book.entries, book.stylesPart))
    : new Set<number>();

  let rows: string[][] = [];
  // The rows are counted from the sheet's dimension (its first row and column), as before.
  let dim: ReturnType<typeof parseRange> = null;
  let firstRow = -1;
  let firstCol = 0;
  let width = 0;
  let nextRow = -1;
  let rowNumber = 0;
  let row: string[] | null = null;
  let rowHasCells = false;
  let cellInRow = -1;
  let cell: Cell | null = null;
  let collect: 'v' | 't' | null = null;
  let inIs = false;
  let depthRPh = 0;

  const cellValue = (c: Cell): string | null => {
    const v = c.value;
    switch (c.type) {
      case 'inlineStr':
        return stringText(c.inline);
      case 'str':
        return v === null ? '' : stringText(v);
      case 's': {
        if (v === null) return null;
        const s = shared[Number.parseInt(v, 10)];
        if (s === undefined) throw new Error(`shared string ${v} missing`);
        return s;
      }
      case 'b':
        return v === null ? null : isTrue(v) ? 'TRUE' : 'FALSE';
      case 'e':
        return v === null ? null : '';
      case 'd':
        return v === null ? null : isoCellText(v);
      default: {
        if (v === null) return null;
        const n = Number.parseFloat(unescapeOoxml(v));
        return dateStyles.has(c.style) ? serialDateText(n, book.date1904) : String(n);
      }
    }
  };

  const parser = xmlParser({
    open: (tag) => {
      const a = tag.attributes;
      switch (local(tag.name)) {
        case 'dimension':
          dim = parseRange(a.ref);
          if (dim) [firstRow, firstCol, width] = [dim.r0, dim.c0, dim.c1 - dim.c0 + 1];
          break;
        case 'row': {
          rowNumber = a.r ? Number.parseInt(a.r, 10) : rowNumber + 1;
          if (firstRow < 0) firstRow = rowNumber - 1;
          if (nextRow < 0) nextRow = firstRow;
          row = [];
          rowHasCells = false;
          cellInRow = -1;
          break;
        }
        case 'c':
          cellInRow = a.r ? columnIndex(a.r) : cellInRow + 1;
          cell = { col: cellInRow, type: a.t ?? '', style: a.s ? Number(a.s) : 0, value: null, inline: '' };
          break;
        case 'v':
          if (cell) [cell.value, collect] = ['', 'v'];
          break;
        case 'is':
          inIs = true;
          break;
        case 'rPh':
          depthRPh++;
          break;
        case 't':
          if (inIs && depthRPh === 0) collect = 't';
          break;
      }
    },
    text: (t) => {
      if (collect === 'v' && cell) cell.value += t;
      else if (collect === 't' && cell) cell.inline += t;
    },
    close: (tag) => {
      switch (local(tag.name)) {
        case 'v':
        case 't':
          collect = null;
          break;
        case 'is':
          inIs = false;
          break;
        case 'rPh':
          depthRPh--;
          break;
        case 'c': {
          if (!cell || !row) break;
          if (cell.value === '') cell.value = null;
          const text = cellValue(cell);
          const at = cell.col - firstCol;
          if (text !== null && at >= 0) {
            row[at] = text;
            rowHasCells = true;
            if (at >= width) width = at + 1;
          }
          cell = null;
          break;
        }
        case 'row': {
          if (!row) break;
          const index = rowNumber - 1;
          // Rows out of order or above the dimension cannot be placed: left out, as before.
          if (index >= nextRow) {
            while (nextRow < index) {
              rows.push([]);
              nextRow++;
            }
            if (rowHasCells) {
              for (let i = 0; i < width; i++) row[i] ??= '';
              rows.push(row);
            } else rows.push([]);
            nextRow++;
          }
          row = null;
          break;
        }
      }
    },
  });

  for await (const [chunk, fraction] of partChunks(book.zip, book.entries, sheetPart)) {
    parser.write(chunk);
    if (rows.length >= batchRows) {
      yield { rows, fraction };
      rows = [];
    }
  }
  parser.close();
  if (rows.length > 0) yield { rows, fraction: 1 };
}
