/**
 * The streamed XLSX reader (xlsx-stream.ts) against SheetJS, which read every workbook
 * before it: the same rows and cell texts for workbooks written by SheetJS, by our own
 * export writer, by hand (prefixed tags, rich and inline strings, the shared strings stored
 * after the sheet, no dimension, rows and cells without references, the 1904 date system)
 * and the real files. And the streaming itself: a preview reads the head of a sheet whose
 * end does not parse, which the full import then calls damaged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createXlsxWriter } from '../../../electron/backend/services/exchange/xlsx-writer';
import { zonedClock } from '../../../electron/backend/services/exchange/zoned-time';
import { readBatches, sniffFile, type Sniffed } from '../../../electron/backend/services/import/source';
import { FIXTURES, REAL_DATA, tempBackend, tempDir } from '../helpers';

const dir = tempDir();

/**
 * A sheet's rows. A blank row is [] from one reader and a row of '' from the other, and
 * SheetJS lists the blank rows up to the sheet's dimension, where the streamed reader stops
 * at the last row with a value: the import skips blank rows either way.
 */
async function rowsOf(s: Sniffed, trimCells = false): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const b of readBatches(s)) rows.push(...b.rows);
  const out = rows.map((r) => (r.every((c) => c === '') ? [] : r));
  while (out.at(-1)?.length === 0) out.pop();
  if (!trimCells) return out;
  return out.map((r) => r.slice(0, r.findLastIndex((c) => c !== '') + 1));
}

/**
 * Every sheet read streamed and read by SheetJS (the reader before it). Without a
 * dimension, SheetJS pads rows to the widest row of the sheet, which a stream knows only
 * at its end: `trimCells` compares such sheets without their trailing blank cells.
 */
async function expectSameAsSheetJs(path: string, trimCells = false): Promise<string[][][]> {
  const s = await sniffFile(path);
  expect(s.streamed).toBe(true);
  const sheets: string[][][] = [];
  for (const sheet of s.sheets) {
    const streamed = await rowsOf({ ...s, sheet }, trimCells);
    expect(streamed, `sheet ${sheet}`).toEqual(await rowsOf({ ...s, sheet, streamed: false }, trimCells));
    sheets.push(streamed);
  }
  return sheets;
}

function sheetJsBook(date1904: boolean): string {
  const ws: XLSX.WorkSheet = { '!ref': 'B2:H9' };
  const put = (ref: string, cell: XLSX.CellObject) => (ws[ref] = cell);
  ['Email', 'Signed up', 'At', 'Clock', 'Score', 'Active', 'Notes'].forEach((h, i) =>
    put(`${'BCDEFGH'[i]}2`, { t: 's', v: h }),
  );
  put('B3', { t: 's', v: 'ann@acme.example' });
  put('C3', { t: 'n', v: 46000, z: 'yyyy-mm-dd' });
  put('D3', { t: 'n', v: 46000.75, z: 'm/d/yy h:mm' });
  put('E3', { t: 'n', v: 0.25, z: 'h:mm' });
  put('F3', { t: 'n', v: 0.1 + 0.2 });
  put('G3', { t: 'b', v: true });
  put('H3', { t: 's', v: ' two\r\nlines _x0041_ Zürich € ' });
  put('B5', { t: 's', v: 'bob@acme.example' });
  put('C5', { t: 'n', v: 60, z: 'yyyy-mm-dd' });
  put('D5', { t: 'n', v: 12.5, z: '0.00%' });
  put('E5', { t: 'e', v: 0x2a });
  put('F5', { t: 'n', v: 1e21 });
  put('G5', { t: 'b', v: false });
  put('H5', { t: 'n', v: 7, f: 'B1+7' });
  put('B7', { t: 's', v: 'cy@acme.example' });
  put('C7', { t: 'n', v: 1, z: 'dd/mm/yyyy' });
  put('D7', { t: 'n', v: -3 });
  put('H7', { t: 's', v: '=HYPERLINK("x")' });
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Leads');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Email'], ['dee@acme.example']]), 'Second');
  wb.Workbook = { WBProps: { date1904 } };
  const path = join(dir, `sheetjs-${date1904 ? 1904 : 1900}.xlsx`);
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return path;
}

const NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook written by hand, its parts zipped in the order given (shared strings last). */
function handWrittenBook(dimension: boolean): string {
  const sheet =
    `<?xml version="1.0" encoding="UTF-8"?><x:worksheet ${NS} xmlns:r="${REL}">${dimension ? '<x:dimension ref="A1:E6"/>' : ''}<x:sheetData>` +
    `<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c></x:row>` +
    `<x:row><x:c t="inlineStr"><x:is><x:r><x:t>ann@</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">acme.example</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c>` +
    `<x:c s="1"><x:v>46000.5</x:v></x:c><x:c t="str"><x:f>A2</x:f><x:v>R&amp;D &lt;team&gt;</x:v></x:c><x:c s="2"><x:v>45000</x:v></x:c></x:row>` +
    `<x:row r="5"><x:c r="B5" s="1"><x:v>1</x:v></x:c><x:c r="D5"><x:v>2.50</x:v></x:c></x:row>` +
    `<x:row r="6"><x:c r="A6" t="s"><x:v>4</x:v></x:c><x:c r="E6" t="inlineStr"><x:is><x:t><![CDATA[wide & raw]]></x:t></x:is></x:c></x:row>` +
    `</x:sheetData></x:worksheet>`;
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/book.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/sheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/book.xml"/></Relationships>`,
    'xl/book.xml': `<?xml version="1.0"?><x:workbook ${NS} xmlns:r="${REL}"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Hand &amp; made" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>`,
    'xl/_rels/book.xml.rels':
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId7" Type="${REL}/worksheet" Target="/xl/sheets/data.xml"/>` +
      `<Relationship Id="rId8" Type="${REL}/sharedStrings" Target="strings.xml"/>` +
      `<Relationship Id="rId9" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    'xl/sheets/data.xml': sheet,
    'xl/styles.xml':
      `<?xml version="1.0"?><x:styleSheet ${NS}><x:numFmts count="1"><x:numFmt numFmtId="170" formatCode="dd/mm/yyyy\\ hh:mm"/></x:numFmts>` +
      `<x:cellStyleXfs count="1"><x:xf numFmtId="0"/></x:cellStyleXfs>` +
      `<x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="170" applyNumberFormat="1"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>`,
    'xl/strings.xml':
      `<?xml version="1.0"?><x:sst ${NS} count="5" uniqueCount="5"><x:si><x:t>Email</x:t></x:si><x:si><x:t>Joined</x:t></x:si>` +
      `<x:si><x:r><x:t>Te</x:t></x:r><x:r><x:t>am</x:t></x:r></x:si><x:si><x:t>Renewal</x:t></x:si><x:si><x:t>_x005F_x0041_ &#233;</x:t></x:si></x:sst>`,
  };
  const path = join(dir, `hand-made-${dimension}.xlsx`);
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]))));
  return path;
}

describe('streamed XLSX reading', () => {
  it('reads SheetJS workbooks (1900 and 1904 dates) as SheetJS did', async () => {
    const [leads] = await expectSameAsSheetJs(sheetJsBook(false));
    expect(leads![1]).toEqual([
      'ann@acme.example',
      expect.any(String),
      expect.any(String),
      expect.any(String),
      '0.30000000000000004',
      'TRUE',
      ' two\nlines A Zürich € ',
    ]);
    await expectSameAsSheetJs(sheetJsBook(true));
  });

  it.each([true, false])(
    'reads a hand-written workbook: prefixes, rich and inline strings, strings stored last (dimension: %s)',
    async (dimension) => {
      const [rows] = await expectSameAsSheetJs(handWrittenBook(dimension), !dimension);
      expect(rows![0]!.slice(0, 4)).toEqual(['Email', 'Joined', 'Team', 'Renewal']);
      expect(rows![1]!.slice(0, 1)).toEqual(['ann@acme.example']);
      expect(rows![1]![2]).toBe('R&D <team>');
      expect(rows![5]).toEqual(['_x0041_ é', '', '', '', 'wide & raw']);
    },
  );

  it('reads our own export (inline strings, date and time columns) as SheetJS did', async () => {
    const path = join(dir, 'export.xlsx');
    const w = createXlsxWriter(path, zonedClock('Europe/Berlin'));
    await w.startSheet('Leads', [
      { header: 'Email', kind: 'text' },
      { header: 'Score', kind: 'number' },
      { header: 'Created', kind: 'datetime' },
      { header: 'Due', kind: 'date' },
    ]);
    w.writeRow(['ann@acme.example', 42.5, Date.UTC(2026, 2, 29, 1, 30), Date.UTC(2026, 10, 1)]);
    w.writeRow(['=SUM(A1)', null, null, null]);
    w.writeRow(['_x0041_ & <b>', -1, Date.UTC(1999, 11, 31, 23, 59), Date.UTC(2000, 1, 29)]);
    await w.close();
    const [rows] = await expectSameAsSheetJs(path);
    expect(rows).toHaveLength(4);
    expect(rows![3]![0]).toBe('_x0041_ & <b>');
  });

  it('reads the fixtures and the real workbook as SheetJS did', async () => {
    await expectSameAsSheetJs(join(FIXTURES, 'import', 'two-sheets.xlsx'));
    const [dictionary] = await expectSameAsSheetJs(join(REAL_DATA, 'xeducation_leads_data_dictionary.xlsx'));
    expect(dictionary!.length).toBeGreaterThan(30);
  });

  it('previews the head of a sheet whose end is damaged, and the import calls it damaged', async () => {
    const rows = Array.from(
      { length: 12_000 },
      (_, i) => `<row r="${i + 2}"><c t="inlineStr"><is><t>lead${i}@acme.example</t></is></c></row>`,
    );
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>Email</t></is></c></row>${rows.join('')}<row r="7002"><c><v>1</v></c></rowx></sheetData></worksheet>`;
    const path = join(dir, 'damaged-end.xlsx');
    writeFileSync(
      path,
      zipSync({
        '_rels/.rels': strToU8(
          `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
        ),
        'xl/workbook.xml': strToU8(
          `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="Leads" sheetId="1" r:id="s1"/></sheets></workbook>`,
        ),
        'xl/_rels/workbook.xml.rels': strToU8(
          `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="s1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
        ),
        'xl/worksheets/sheet1.xml': strToU8(sheet),
      }),
    );
    const b = tempBackend();
    const preview = await b.invoke('import-preview', { path, options: { kind: 'leads' } });
    expect(preview.rows[0]).toMatchObject({ row: 2, ok: true });
    await expect(b.invoke('import-run', { path, options: { kind: 'leads' } })).rejects.toMatchObject({
      message:
        '"damaged-end.xlsx" cannot be imported: this .xlsx is damaged: it is not a complete workbook. Open it in Excel and save it again, or save it as CSV.',
    });
    expect(b.context.db().prepare('SELECT count(*) AS n FROM leads').get()).toEqual({ n: 0 });
  });
});
