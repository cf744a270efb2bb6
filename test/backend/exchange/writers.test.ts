import * as XLSX from '@e965/xlsx';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCsvWriter } from '../../../electron/backend/services/exchange/csv-writer';
import { createXlsxWriter, safeSheetName } from '../../../electron/backend/services/exchange/xlsx-writer';
import { zonedClock } from '../../../electron/backend/services/exchange/zoned-time';
import { tempDir } from '../helpers';

const clock = zonedClock('America/New_York');
const columns = [
  { header: 'Text', kind: 'text' as const },
  { header: 'Number', kind: 'number' as const },
  { header: 'When', kind: 'datetime' as const },
  { header: 'Day', kind: 'date' as const },
];

describe('streamed writers', () => {
  it('XLSX continues a full sheet on "<name> (2)" with the same header', async () => {
    const path = join(tempDir(), 'roll.xlsx');
    const w = createXlsxWriter(path, clock, { maxRows: 10 });
    await w.startSheet('Leads', columns);
    for (let i = 0; i < 25; i++) w.writeRow([`row ${i}`, i, Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 6, 1, 12)]);
    await w.close();
    const wb = XLSX.read(readFileSync(path), { cellNF: true });
    expect(wb.SheetNames).toEqual(['Leads', 'Leads (2)', 'Leads (3)']);
    const rows = wb.SheetNames.flatMap((n) =>
      XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[n]!, { raw: true }),
    );
    expect(rows.map((r) => r.Number)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const first = wb.Sheets['Leads (3)']!;
    // New York: 12:00 UTC is 07:00 in January (EST) and 08:00 in July (EDT).
    expect(XLSX.SSF.format(String(first.C2!.z), first.C2!.v as number)).toBe('2026-01-01 07:00');
    expect(XLSX.SSF.format(String(first.D2!.z), first.D2!.v as number)).toBe('2026-07-01');
  });

  it('CSV quotes delimiters, quotes and line breaks, guards formulas, formats dates in the zone', async () => {
    const dir = tempDir();
    const path = join(dir, 'q.csv');
    const w = createCsvWriter(path, { bom: false, delimiter: ',' }, clock);
    await w.startSheet('x', columns);
    w.writeRow(['a, "b"\nc', 1.5, Date.UTC(2026, 0, 1, 12), null]);
    w.writeRow(['=1+1', -2, null, Date.UTC(2026, 6, 1, 12)]);
    w.writeRow([' padded ', 0.1 + 0.2, null, null]);
    await w.close();
    expect(readFileSync(path, 'utf8')).toBe(
      'Text,Number,When,Day\r\n"a, ""b""\nc",1.5,2026-01-01 07:00,\r\n\'=1+1,-2,,2026-07-01\r\n" padded ",0.3,,\r\n',
    );
    expect(readdirSync(dir)).toEqual(['q.csv']);
  });

  it('abort leaves no file', async () => {
    const dir = tempDir();
    const w = createXlsxWriter(join(dir, 'gone.xlsx'), clock);
    await w.startSheet('Leads', columns);
    w.writeRow(['x', 1, null, null]);
    await w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sheet names are valid and unique', () => {
    const taken = new Set<string>(['alice rep']);
    expect(safeSheetName('Alice Rep', taken)).toBe('Alice Rep (2)');
    expect(safeSheetName('a/b:c*d?[e]', new Set())).toBe('a b c d  e');
    expect(safeSheetName('x'.repeat(40), new Set())).toHaveLength(31);
  });
});
