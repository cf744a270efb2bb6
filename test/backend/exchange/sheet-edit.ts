/**
 * Editing exported sheets the way a rep does in a spreadsheet program: change cells found
 * by column header and lead id, type dates into date cells, add a row at the end, delete a
 * row. XLSX through SheetJS (cell objects kept, so types and formats survive), CSV as text
 * through Papa Parse (quoting as spreadsheet programs write it).
 */
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { readFileSync, writeFileSync } from 'node:fs';

export type RowEdit = Readonly<{
  /** The row's Leadbench ID; null appends a new row. */
  leadUid: string | null;
  /** Header -> new value (a Date for a date cell). */
  set?: Readonly<Record<string, string | number | Date>>;
  delete?: boolean;
}>;

/** Excel serial of a wall-clock date given as its UTC fields (the sheet's zone is the export's). */
export function serialOf(wallUtc: Date): number {
  return wallUtc.getTime() / 86_400_000 + 25_569;
}

export function editXlsx(path: string, sheet: string, edits: readonly RowEdit[]): void {
  const wb = XLSX.read(readFileSync(path), { dense: true, cellNF: true, cellStyles: true });
  const ws = wb.Sheets[sheet];
  if (!ws) throw new Error(`no sheet ${sheet}`);
  const data = (ws['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
  const header = (data[0] ?? []).map((c) => String(c?.v ?? ''));
  const idCol = header.indexOf('Leadbench ID');
  const put = (row: (XLSX.CellObject | undefined)[], h: string, v: string | number | Date) => {
    const c = header.indexOf(h);
    if (c < 0) throw new Error(`no column ${h}`);
    row[c] =
      v instanceof Date
        ? { t: 'n', v: serialOf(v), z: 'yyyy-mm-dd hh:mm' }
        : typeof v === 'number'
          ? { t: 'n', v }
          : { t: 's', v };
  };
  for (const e of edits) {
    if (e.leadUid === null) {
      const row: (XLSX.CellObject | undefined)[] = [];
      for (const [h, v] of Object.entries(e.set ?? {})) put(row, h, v);
      data.push(row);
      continue;
    }
    const i = data.findIndex((r, n) => n > 0 && r?.[idCol]?.v === e.leadUid);
    if (i < 0) throw new Error(`no row for ${e.leadUid}`);
    if (e.delete) {
      data.splice(i, 1);
      continue;
    }
    for (const [h, v] of Object.entries(e.set ?? {})) put(data[i]!, h, v);
  }
  ws['!data'] = data as XLSX.CellObject[][];
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: data.length - 1, c: header.length - 1 } });
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

export function editCsv(path: string, edits: readonly RowEdit[]): void {
  const raw = readFileSync(path, 'utf8');
  const bom = raw.startsWith('\uFEFF');
  const parsed = Papa.parse<string[]>(raw.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const delimiter = parsed.meta.delimiter;
  const rows = parsed.data;
  const header = rows[0]!;
  const idCol = header.indexOf('Leadbench ID');
  const put = (row: string[], h: string, v: string | number | Date) => {
    const c = header.indexOf(h);
    if (c < 0) throw new Error(`no column ${h}`);
    while (row.length < header.length) row.push('');
    row[c] = v instanceof Date ? v.toISOString().slice(0, 16).replace('T', ' ') : String(v);
  };
  for (const e of edits) {
    if (e.leadUid === null) {
      const row: string[] = [];
      for (const [h, v] of Object.entries(e.set ?? {})) put(row, h, v);
      rows.push(row);
      continue;
    }
    const i = rows.findIndex((r, n) => n > 0 && r[idCol] === e.leadUid);
    if (i < 0) throw new Error(`no row for ${e.leadUid}`);
    if (e.delete) rows.splice(i, 1);
    else for (const [h, v] of Object.entries(e.set ?? {})) put(rows[i]!, h, v);
  }
  writeFileSync(path, (bom ? '\uFEFF' : '') + Papa.unparse(rows, { delimiter, newline: '\r\n' }) + '\r\n', 'utf8');
}
