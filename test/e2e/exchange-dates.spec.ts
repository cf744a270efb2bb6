/**
 * Dates typed into an edited sheet (#13), end to end: leads whose "Event Date" was imported
 * day first are exported, a rep types 05/12/2026 (reads both ways) and 25/11/2026 (day first
 * only) into the sheet, and Apply an edited sheet shows the order the sheet's own dates prove,
 * flags the date that reads both ways, follows the user's switch to month first in its
 * changes, and stores the switched reading; the unambiguous date is read the same either way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { ExchangeDialogs } from './pages/exchange-dialogs';
import { expect, test } from './fixtures';

const FIELD = 'Event Date';

test('an edited sheet’s dates: detected day first, switched to month first, stored as switched', async ({ app }) => {
  const leads = app.writeFile(
    'leads.csv',
    'Email,First Name,Event Date\r\nann@alpha.example,Ann,20/01/2026\r\nben@beta.example,Ben,03/02/2026\r\ncara@gamma.example,Cara,14/02/2026\r\n',
  );
  await app.backend.invoke('import-run', { path: leads, options: { kind: 'leads' } });
  const sheet = join(app.dir, 'returned.csv');
  await app.backend.invoke('export-leads', {
    source: { kind: 'all' },
    columns: ['name', 'email', `custom.${FIELD}`],
    format: 'csv',
    out: sheet,
    timeZone: 'UTC',
  });
  // The rep types two dates the way their spreadsheet shows them.
  const parsed = Papa.parse<Record<string, string>>(readFileSync(sheet, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  const row = (email: string) => parsed.data.find((r) => r['Email'] === email)!;
  row('ann@alpha.example')[FIELD] = '05/12/2026';
  row('ben@beta.example')[FIELD] = '25/11/2026';
  writeFileSync(sheet, `\uFEFF${Papa.unparse(parsed.data, { columns: parsed.meta.fields })}`);

  await app.open();
  const ui = new ExchangeDialogs(app);
  await ui.menu('roundtrip');
  const rt = ui.dialog('Apply an edited sheet');
  app.queueOpenPath(sheet);
  await rt.getByRole('button', { name: 'Choose file…' }).click();
  const order = rt.getByLabel('Typed dates');
  await expect(order).toHaveValue('dmy');
  await expect(rt.getByTestId('date-order-source')).toHaveText('Detected from the sheet’s dates');
  await expect(rt.getByTestId('ambiguous-dates')).toContainText('1 row has a date that read both ways, read day first');
  const changes = rt.getByTestId('roundtrip-changes');
  await expect(changes).toContainText('read day first as 2026-12-05 (month first: 2026-05-12)');
  await app.screenshot('exchange-roundtrip-dates');

  await order.selectOption('mdy');
  await expect(rt.getByTestId('date-order-source')).toHaveText('Your choice (the file’s dates read day first)');
  await expect(changes).toContainText('read month first as 2026-05-12 (day first: 2026-12-05)');
  await rt.getByRole('button', { name: 'Apply changes' }).click();
  await expect(app.page.getByTestId('roundtrip-result')).toContainText('2 changes applied');

  const stored = (email: string) =>
    // A custom field's value by name in plain SQL: its slot in the stored array (custom-store.ts).
    app
      .readDb()
      .prepare(
        `SELECT (SELECT json_extract(custom, '$[' || slot || ']') FROM custom_field_slots WHERE name = ?)
           FROM leads WHERE email = ?`,
      )
      .pluck()
      .get(FIELD, email);
  expect(stored('ann@alpha.example')).toBe(Date.UTC(2026, 4, 12));
  expect(stored('ben@beta.example')).toBe(Date.UTC(2026, 10, 25));
  expect(stored('cara@gamma.example')).toBe(Date.UTC(2026, 1, 14));
});
