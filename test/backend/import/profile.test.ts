/**
 * import-profile: the whole file read once for the wizard. On the real X Education file the
 * row count is exact (not the head sample's "399+"), the outcome column's values come with
 * their counts, columns are typed as the import types them, and the empty trailing column is
 * empty. A small file shows the date findings: the order the unambiguous dates prove, and the
 * rows whose dates read both ways.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { PROFILE_DISTINCT_MAX } from '../../../electron/backend/services/import/profile';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

const XE = join(REAL_DATA, 'xeducation_leads.csv');

describe('import-profile', () => {
  it('counts every X Education row and the outcome values, and types the columns', async () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(XE, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const b = tempBackend();
    const p = await b.invoke('import-profile', { path: XE });
    expect(p.rows).toBe(rows.length);
    expect(p.rows).toBeGreaterThan(9000);
    const col = (h: string) => p.columns.find((c) => c.header === h);
    const converted = rows.filter((r) => r.Converted === '1').length;
    expect(col('Converted')?.values).toEqual([
      { value: '0', count: rows.length - converted },
      { value: '1', count: converted },
    ]);
    expect(col('Total Time Spent on Website')?.inferredType).toBe('number');
    expect(col('Do Not Email')?.inferredType).toBe('bool');
    // A key column has a value per row: counting stops at the cap and says so.
    expect(col('Prospect ID')).toMatchObject({ distinct: PROFILE_DISTINCT_MAX, capped: true, filled: rows.length });
    const last = p.columns.at(-1);
    expect(last?.header).toMatch(/^Column \d+$/);
    expect(last?.filled).toBe(0);
  });

  it('finds the date order the file proves and flags the rows that read both ways', async () => {
    const path = join(tempDir(), 'visits.csv');
    writeFileSync(
      path,
      ['Email,Visited', 'a@x.com,05/12/2026', 'b@x.com,25/12/2026', 'c@x.com,2026-03-04', 'd@x.com,03/04/2026'].join(
        '\n',
      ),
    );
    const p = await tempBackend().invoke('import-profile', { path });
    expect(p.rows).toBe(4);
    expect(p.dates).toEqual({
      detected: 'dmy',
      ambiguousRows: 2,
      examples: [
        { row: 2, column: 'Visited', value: '05/12/2026' },
        { row: 5, column: 'Visited', value: '03/04/2026' },
      ],
    });
  });
});
