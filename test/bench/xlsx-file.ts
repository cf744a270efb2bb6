/**
 * Big XLSX files for the bench and the memory test, written as Excel writes them: every
 * text in the shared-string table (the part a streamed reader must hold in memory), dates
 * as serial numbers in a date style, the table's part stored after the sheet's. The sheet
 * streams through fflate's ZIP, so writing 200,000 rows holds one chunk of XML at a time.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Zip, ZipDeflate, strToU8 } from 'fflate';

/** A cell: text, a number, or a date (epoch ms, written as a serial in a date style). */
export type XlsxCell = string | number | Readonly<{ date: number }>;

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function column(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Writes one sheet named `sheet`: `header`, then `count` rows from `row(i)`. */
export function writeXlsxFile(
  path: string,
  sheet: string,
  header: readonly string[],
  count: number,
  row: (i: number) => readonly XlsxCell[],
): void {
  const fd = openSync(path, 'w');
  let error: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) error = err;
    else writeSync(fd, chunk);
  });
  const small = (name: string, xml: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${xml}`), true);
  };
  try {
    small(
      '[Content_Types].xml',
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    );
    small(
      '_rels/.rels',
      `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    );
    small(
      'xl/workbook.xml',
      `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${esc(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    );
    small(
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    );
    small(
      'xl/styles.xml',
      `<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>` +
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    );

    const strings = new Map<string, number>();
    const stringIndex = (s: string) => {
      let i = strings.get(s);
      if (i === undefined) strings.set(s, (i = strings.size));
      return i;
    };
    const cellXml = (ref: string, v: XlsxCell) => {
      if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
      if (typeof v === 'string') return `<c r="${ref}" t="s"><v>${stringIndex(v)}</v></c>`;
      return `<c r="${ref}" s="1"><v>${v.date / 86_400_000 + 25_569}</v></c>`;
    };
    const letters = header.map((_, i) => column(i));
    const data = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
    zip.add(data);
    let xml =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${REL}">` +
      `<dimension ref="A1:${letters.at(-1)}${count + 1}"/><sheetData>`;
    const rowXml = (r: number, cells: readonly XlsxCell[]) =>
      `<row r="${r}">${cells.map((v, c) => cellXml(`${letters[c]}${r}`, v)).join('')}</row>`;
    xml += rowXml(1, header);
    for (let i = 0; i < count; i++) {
      xml += rowXml(i + 2, row(i));
      if (xml.length > 1 << 16) {
        data.push(strToU8(xml));
        xml = '';
      }
    }
    data.push(strToU8(`${xml}</sheetData></worksheet>`), true);

    const sst = new ZipDeflate('xl/sharedStrings.xml', { level: 6 });
    zip.add(sst);
    xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS}" count="${strings.size}" uniqueCount="${strings.size}">`;
    for (const s of strings.keys()) {
      xml += `<si><t xml:space="preserve">${esc(s)}</t></si>`;
      if (xml.length > 1 << 16) {
        sst.push(strToU8(xml));
        xml = '';
      }
    }
    sst.push(strToU8(`${xml}</sst>`), true);
    zip.end();
    if (error) throw error;
  } finally {
    closeSync(fd);
  }
}
