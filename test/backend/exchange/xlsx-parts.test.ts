/**
 * The SpreadsheetML pieces of the streamed XLSX writer, each on its own: a sheet's head,
 * its rows, its tail and the package parts (the writer's own tests read whole files back).
 */
import { describe, expect, it } from 'vitest';
import type { SheetColumn } from '../../../electron/backend/services/exchange/sheet-writer';
import {
  columnLetter,
  packageParts,
  rowXml,
  sheetHead,
  sheetTail,
} from '../../../electron/backend/services/exchange/xlsx-parts';
import { zonedClock } from '../../../electron/backend/services/exchange/zoned-time';

const COLUMNS: readonly SheetColumn[] = [
  { header: 'Name', kind: 'text' },
  { header: 'Score', kind: 'number', width: 500 },
  { header: 'Attempted on', kind: 'date', textInput: true },
  { header: 'Last activity', kind: 'datetime' },
  { header: '=Outcome', kind: 'text', textInput: true, choices: ['Reached', 'No "answer", left voicemail'] },
];
const LETTERS = COLUMNS.map((_, i) => columnLetter(i));
const UTC = zonedClock('UTC');

describe('a sheet head', () => {
  it('freezes a bold header row, sizes and formats the columns, and selects only the first sheet', () => {
    const head = sheetHead(COLUMNS, LETTERS, 1);
    expect(head).toContain('<sheetView workbookViewId="0" tabSelected="1">');
    expect(head).toContain('state="frozen"');
    // Widths: the header's length + 2 (at least 10), a given width capped at 100.
    expect(head).toContain('<col min="1" max="1" width="10" customWidth="1"/>');
    expect(head).toContain('<col min="2" max="2" width="100" customWidth="1"/>');
    // A date column is date-formatted; a text-input column is text-formatted.
    expect(head).toContain('<col min="3" max="3" width="14" customWidth="1" style="2"/>');
    expect(head).toContain('<col min="4" max="4" width="15" customWidth="1" style="1"/>');
    expect(head).toContain('<col min="5" max="5" width="10" customWidth="1" style="4"/>');
    // The header row in the header style; a header that looks like a formula is guarded.
    expect(head).toContain('<c r="A1" s="3" t="inlineStr"><is><t>Name</t></is></c>');
    expect(head).toContain(`<c r="E1" s="3" t="inlineStr"><is><t>'=Outcome</t></is></c>`);
    expect(head.endsWith('</row>')).toBe(true);
    expect(sheetHead(COLUMNS, LETTERS, 2)).not.toContain('tabSelected');
  });
});

describe('a row', () => {
  it('types numbers and dates, guards formulas, and leaves blanks and non-finite numbers out', () => {
    const noon = Date.UTC(2026, 11, 7, 12, 0, 0);
    const xml = rowXml(7, ['=HYPERLINK("x")', 0.1 + 0.2, noon, noon, ''], COLUMNS, LETTERS, UTC);
    expect(xml).toBe(
      '<row r="7">' +
        `<c r="A7" t="inlineStr"><is><t>'=HYPERLINK(&quot;x&quot;)</t></is></c>` +
        '<c r="B7"><v>0.3</v></c>' +
        // Excel's serial day: 46363 is 2026-12-07; a date keeps the day, a datetime the time.
        '<c r="C7" s="2"><v>46363</v></c>' +
        '<c r="D7" s="1"><v>46363.5</v></c>' +
        '</row>',
    );
    expect(rowXml(2, [null, Number.NaN, null, null, ' Reached '], COLUMNS, LETTERS, UTC)).toBe(
      '<row r="2"><c r="E2" s="4" t="inlineStr"><is><t xml:space="preserve"> Reached </t></is></c></row>',
    );
  });
});

describe('a sheet tail', () => {
  it('filters the rows written and offers each list of choices to every row a sheet can hold', () => {
    const tail = sheetTail(COLUMNS, LETTERS, 42, 1000);
    expect(tail).toContain('<autoFilter ref="A1:E42"/>');
    // Quotes and commas would break the inline list: they become spaces.
    expect(tail).toContain(
      '<dataValidations count="1"><dataValidation type="list" allowBlank="1" showErrorMessage="0" sqref="E2:E1000">' +
        '<formula1>"Reached,No  answer   left voicemail"</formula1></dataValidation></dataValidations>',
    );
    expect(tail.endsWith('</worksheet>')).toBe(true);
  });

  it('leaves out a list longer than Excel allows inline (255 characters)', () => {
    const long: SheetColumn = {
      header: 'Reason',
      kind: 'text',
      choices: Array.from({ length: 40 }, (_, i) => `Reason ${i}`),
    };
    expect(sheetTail([long], ['A'], 1, 1000)).not.toContain('dataValidation');
  });
});

describe('the package parts', () => {
  it('name every sheet with its filter range, then styles, relationships and content types', () => {
    const parts = new Map(
      packageParts([
        { name: 'Leads & more', lastRow: 1048576, lastCol: 'E' },
        { name: "Rep's (2)", lastRow: 3, lastCol: 'B' },
      ]),
    );
    expect([...parts.keys()]).toEqual([
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      '_rels/.rels',
      '[Content_Types].xml',
    ]);
    const workbook = parts.get('xl/workbook.xml')!;
    expect(workbook).toContain('<sheet name="Leads &amp; more" sheetId="1" r:id="rId1"/>');
    expect(workbook).toContain(`localSheetId="1" hidden="1">'Rep''s (2)'!$A$1:$B$3</definedName>`);
    expect(parts.get('xl/_rels/workbook.xml.rels')).toContain('Id="rId3"');
    expect(parts.get('xl/_rels/workbook.xml.rels')).toContain('Target="styles.xml"');
    expect(parts.get('[Content_Types].xml')).toContain('PartName="/xl/worksheets/sheet2.xml"');
  });
});
