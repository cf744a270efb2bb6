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
import { neutralizeFormula } from '../../../../shared/exchange/formula-guard';
import { openFileSink } from './file-sink';
import { cleanNumber, type SheetColumn, type SheetWriter } from './sheet-writer';
import type { ZonedClock } from './zoned-time';

export const XLSX_MAX_ROWS = 1_048_576;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CHUNK_CHARS = 64 * 1024;

/** cellXfs indices in styles.xml. */
const STYLE = { general: 0, datetime: 1, date: 2, header: 3, text: 4 } as const;

const STYLES_XML =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<styleSheet xmlns="${NS_MAIN}">` +
  `<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>` +
  `<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
  `<fill><patternFill patternType="solid"><fgColor rgb="FFE7ECF3"/><bgColor indexed="64"/></patternFill></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="5">` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
  `<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `</cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `</styleSheet>`;

/** Column letters: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// XML 1.0 forbids most C0 controls; Excel writes them as _xHHHH_, and a literal "_xHHHH_"
// must then be escaped as _x005F_xHHHH_ so it reads back unchanged.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_SPECIAL = /[&<>"\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|_x[0-9a-fA-F]{4}_/g;

function xmlEscape(text: string): string {
  return text.replace(XML_SPECIAL, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case '\r':
        return '&#13;';
      default:
        if (c.length > 1) return `_x005F${c}`;
        return `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;
    }
  });
}

function inlineString(ref: string, text: string, style: number): string {
  const s = style ? ` s="${style}"` : '';
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${xmlEscape(text)}</t></is></c>`;
}

/** A valid, unique sheet name: no []:*?/\, at most 31 characters, no leading/trailing quote. */
export function safeSheetName(wanted: string, taken: ReadonlySet<string>): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    name = base.slice(0, 31 - suffix.length) + suffix;
  }
  return name;
}

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
  baseName: string;
  part: number;
  columns: readonly SheetColumn[];
  letters: readonly string[];
  rowNo: number;
  buf: string;
};

type SheetRecord = Readonly<{ lastRow: number; lastCol: string }>;

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
  const sheets: SheetRecord[] = [];
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

  const endSheet = () => {
    const sheet = current;
    if (!sheet) return;
    current = null;
    const lastCol = sheet.letters.at(-1) ?? 'A';
    const lastRow = Math.max(1, sheet.rowNo);
    let tail = '</sheetData>';
    tail += `<autoFilter ref="A1:${lastCol}${lastRow}"/>`;
    const validations: string[] = [];
    sheet.columns.forEach((c, i) => {
      if (!c.choices || c.choices.length === 0) return;
      // A list given inline is limited to 255 characters including the separators.
      const list = c.choices.map((v) => v.replace(/[",]/g, ' ')).join(',');
      if (list.length > 255) return;
      const col = sheet.letters[i]!;
      validations.push(
        `<dataValidation type="list" allowBlank="1" showErrorMessage="0" sqref="${col}2:${col}${maxRows}">` +
          `<formula1>"${xmlEscape(list)}"</formula1></dataValidation>`,
      );
    });
    if (validations.length)
      tail += `<dataValidations count="${validations.length}">${validations.join('')}</dataValidations>`;
    tail += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
    pushXml(sheet, tail, true);
    sheets.push({ lastRow, lastCol });
  };

  const pendingNames: string[] = [];

  /** Ends the current sheet and starts the next one (sync: rows roll over mid-batch). */
  const openSheet = (wanted: string, columns: readonly SheetColumn[], baseName: string, part: number) => {
    check();
    endSheet();
    const name = safeSheetName(wanted, taken);
    taken.add(name.toLowerCase());
    pendingNames.push(name);
    const index = pendingNames.length;
    const entry = new ZlibZipDeflate(`xl/worksheets/sheet${index}.xml`, level);
    zip.add(entry);
    const letters = columns.map((_, i) => columnLetter(i));
    const sheet: OpenSheet = { entry, columns, letters, rowNo: 1, buf: '', baseName, part };
    current = sheet;
    let head =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
      `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      `<sheetViews><sheetView workbookViewId="0"${index === 1 ? ' tabSelected="1"' : ''}>` +
      `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
      `<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/><cols>`;
    columns.forEach((c, i) => {
      const width = Math.max(4, Math.min(100, c.width ?? Math.max(10, c.header.length + 2)));
      const style =
        c.kind === 'datetime' ? STYLE.datetime : c.kind === 'date' ? STYLE.date : c.textInput ? STYLE.text : 0;
      head += `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"${style ? ` style="${style}"` : ''}/>`;
    });
    head += '</cols><sheetData><row r="1">';
    columns.forEach((c, i) => {
      head += inlineString(`${letters[i]}1`, neutralizeFormula(c.header), STYLE.header);
    });
    head += '</row>';
    pushXml(sheet, head);
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
      const r = ++sheet.rowNo;
      let xml = `<row r="${r}">`;
      const { columns, letters } = sheet;
      for (let i = 0; i < columns.length; i++) {
        const v = cells[i];
        if (v === null || v === undefined || v === '') continue;
        const col = columns[i]!;
        const ref = `${letters[i]}${r}`;
        if (typeof v === 'number') {
          if (!Number.isFinite(v)) continue;
          if (col.kind === 'datetime' || col.kind === 'date') {
            const serial = clock.toSerial(v);
            const value = col.kind === 'date' ? Math.floor(serial) : Math.round(serial * 86_400) / 86_400;
            xml += `<c r="${ref}" s="${col.kind === 'date' ? STYLE.date : STYLE.datetime}"><v>${value}</v></c>`;
          } else {
            xml += `<c r="${ref}"><v>${cleanNumber(v)}</v></c>`;
          }
        } else {
          xml += inlineString(ref, neutralizeFormula(v), col.textInput ? STYLE.text : 0);
        }
      }
      xml += '</row>';
      pushXml(sheet, xml);
    },
    flush: async () => {
      check();
      await current?.entry.drain();
      check();
      await sink.drain();
    },
    close: async () => {
      check();
      if (!current && pendingNames.length === 0) throw new Error('An XLSX file needs at least one sheet.');
      endSheet();
      const names = pendingNames;
      let sheetsXml = '';
      let rels = '';
      let overrides = '';
      let defined = '';
      names.forEach((name, i) => {
        const n = i + 1;
        const rec = sheets[i]!;
        sheetsXml += `<sheet name="${xmlEscape(name)}" sheetId="${n}" r:id="rId${n}"/>`;
        rels += `<Relationship Id="rId${n}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`;
        overrides += `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
        const quoted = `'${name.replace(/'/g, "''")}'`;
        defined += `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlEscape(quoted)}!$A$1:$${rec.lastCol}$${rec.lastRow}</definedName>`;
      });
      rels += `<Relationship Id="rId${names.length + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`;
      addSmallFile(
        'xl/workbook.xml',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
          `<bookViews><workbookView/></bookViews><sheets>${sheetsXml}</sheets><definedNames>${defined}</definedNames></workbook>`,
      );
      addSmallFile(
        'xl/_rels/workbook.xml.rels',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">${rels}</Relationships>`,
      );
      addSmallFile('xl/styles.xml', STYLES_XML);
      addSmallFile(
        '_rels/.rels',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
          `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      );
      // Deflated, not stored: SheetJS misreads stored entries that use a data descriptor.
      addSmallFile(
        '[Content_Types].xml',
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
          `<Default Extension="xml" ContentType="application/xml"/>` +
          `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
          `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
          `${overrides}</Types>`,
      );
      zip.end();
      await zipDone;
      check();
      return sink.commit();
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
