/**
 * #13 on a real export keyed by an ID: X Education's grid shows each lead by its Prospect ID,
 * finds a lead by its ID, and treats "Total Time Spent on Website" as a number (it sorts from
 * its largest value, not from "998", and filters by range). The expected figures come from
 * reading the CSV here, not from our backend.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { expect, REAL_DATA, test } from './fixtures';
import { LeadsPage } from './pages/leads-page';

const FILE = join(REAL_DATA, 'xeducation_leads.csv');
const TIME = 'Total Time Spent on Website';

type Row = Record<string, string>;

function readRows(): Row[] {
  return Papa.parse<Row>(readFileSync(FILE, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/** The column's values that are numbers ("--", "Select" and blanks are no data). */
function numbersOf(rows: readonly Row[], column: string): number[] {
  return rows
    .map((r) => (r[column] ?? '').trim())
    .filter((v) => /^-?\d+(\.\d+)?$/.test(v))
    .map(Number);
}

test('X Education: Prospect IDs identify leads, time on the website sorts and filters as a number', async ({ app }) => {
  test.slow(); // a 9,240-row real file imported before the page opens
  const rows = readRows();
  const times = numbersOf(rows, TIME);
  const largest = Math.max(...times);
  const inRange = times.filter((t) => t >= 1000 && t <= 1500).length;
  expect(largest).toBeGreaterThan(999); // a text sort would start at "998"

  await app.backend.invoke('import-run', {
    path: app.stage(FILE),
    options: { kind: 'leads', blankPlaceholders: true },
  });
  await app.open();
  const leads = new LeadsPage(app.page);
  await leads.expectCount(rows.length);

  // The first column is the key, and quick search finds a lead by it.
  await expect(leads.search).toHaveAttribute('placeholder', /Prospect ID/);
  const someone = rows[4321]!['Prospect ID']!;
  await leads.search.fill(someone);
  await leads.expectCount(1);
  expect(await leads.cellText(0, 'Prospect ID')).toBe(someone);
  await leads.search.fill('');
  await leads.expectCount(rows.length);

  // Sorted descending, the first row holds the largest time.
  await app.page.getByRole('button', { name: /^Columns/ }).click();
  await app.page.getByRole('dialog', { name: 'Choose columns' }).getByRole('checkbox', { name: TIME }).check();
  await app.page.keyboard.press('Escape');
  const header = leads.grid.getByRole('columnheader', { name: new RegExp(TIME) });
  await leads.sortBy(TIME); // a number column sorts largest first, as Score does
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => Number((await leads.cellText(0, TIME)).replace(/[^\d.]/g, ''))).toBe(largest);

  // A range filter counts what the file holds in that range.
  await leads.filterRange(TIME, 1000, 1500);
  await leads.expectCount(inRange);
  const first = Number((await leads.cellText(0, TIME)).replace(/[^\d.]/g, ''));
  expect(first).toBeGreaterThanOrEqual(1000);
  expect(first).toBeLessThanOrEqual(1500);
  await app.screenshot('xe-grid-time-range');
});
