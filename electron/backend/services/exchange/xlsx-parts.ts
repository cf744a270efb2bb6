/**
 * The SpreadsheetML text of a streamed XLSX (xlsx-writer.ts streams it into the ZIP): a
 * sheet's head (frozen bold header, column widths and formats), its rows (typed cells,
 * inline strings with the formula guard), its tail (auto filter, drop-down lists) and the
 * package parts written last (workbook, relationships, styles, content types). Pure
 * functions of their arguments, so each is tested on its own (test/backend/exchange/xlsx-parts.test.ts).
 */
import { neutralizeFormula } from '../../../../shared/exchange/formula-guard';
import { cleanNumber, type SheetCell, type SheetColumn } from './sheet-writer';
import type { ZonedClock } from './zoned-time';

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

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

export function xmlEscape(text: string): string {
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

/** The XML before a sheet's first data row: view (header frozen), columns, the header row. */
export function sheetHead(columns: readonly SheetColumn[], letters: readonly string[], sheetNo: number): string {
  let head =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<sheetViews><sheetView workbookViewId="0"${sheetNo === 1 ? ' tabSelected="1"' : ''}>` +
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
  return `${head}</row>`;
}

/** Row `r` of a sheet: numbers and dates as typed cells, text as guarded inline strings; blanks left out. */
export function rowXml(
  r: number,
  cells: readonly SheetCell[],
  columns: readonly SheetColumn[],
  letters: readonly string[],
  clock: ZonedClock,
): string {
  let xml = `<row r="${r}">`;
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
  return `${xml}</row>`;
}

/**
 * The XML after a sheet's last row (`lastRow`, the header's 1 when none): the auto filter
 * over the rows written, and each column's list of allowed values for every row a sheet
 * can hold (`maxRows`), so rows the rep adds get the drop-down too.
 */
export function sheetTail(
  columns: readonly SheetColumn[],
  letters: readonly string[],
  lastRow: number,
  maxRows: number,
): string {
  const lastCol = letters.at(-1) ?? 'A';
  let tail = `</sheetData><autoFilter ref="A1:${lastCol}${lastRow}"/>`;
  const validations: string[] = [];
  columns.forEach((c, i) => {
    if (!c.choices || c.choices.length === 0) return;
    // A list given inline is limited to 255 characters including the separators.
    const list = c.choices.map((v) => v.replace(/[",]/g, ' ')).join(',');
    if (list.length > 255) return;
    const col = letters[i]!;
    validations.push(
      `<dataValidation type="list" allowBlank="1" showErrorMessage="0" sqref="${col}2:${col}${maxRows}">` +
        `<formula1>"${xmlEscape(list)}"</formula1></dataValidation>`,
    );
  });
  if (validations.length)
    tail += `<dataValidations count="${validations.length}">${validations.join('')}</dataValidations>`;
  return `${tail}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

/** A finished sheet as the workbook names it: its name and the range its filter covers. */
export type FinishedSheet = Readonly<{ name: string; lastRow: number; lastCol: string }>;

/**
 * The package's other parts, written once every sheet is known (sheet N is
 * xl/worksheets/sheetN.xml): the workbook with its sheets and their filter ranges, its
 * relationships, the styles, the package relationships and the content types.
 */
export function packageParts(sheets: readonly FinishedSheet[]): readonly (readonly [name: string, xml: string])[] {
  let sheetsXml = '';
  let rels = '';
  let overrides = '';
  let defined = '';
  sheets.forEach((sheet, i) => {
    const n = i + 1;
    sheetsXml += `<sheet name="${xmlEscape(sheet.name)}" sheetId="${n}" r:id="rId${n}"/>`;
    rels += `<Relationship Id="rId${n}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`;
    overrides += `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
    const quoted = `'${sheet.name.replace(/'/g, "''")}'`;
    defined += `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlEscape(quoted)}!$A$1:$${sheet.lastCol}$${sheet.lastRow}</definedName>`;
  });
  rels += `<Relationship Id="rId${sheets.length + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`;
  return [
    [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
        `<bookViews><workbookView/></bookViews><sheets>${sheetsXml}</sheets><definedNames>${defined}</definedNames></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">${rels}</Relationships>`,
    ],
    ['xl/styles.xml', STYLES_XML],
    [
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
        `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
        `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
        `${overrides}</Types>`,
    ],
  ];
}
