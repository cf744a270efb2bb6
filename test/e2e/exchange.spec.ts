import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { uidMatchSql } from '../../electron/backend/services/leads/lead-uid-sql';
import { ExchangeDialogs } from './pages/exchange-dialogs';
import { expect, test } from './fixtures';

test('File › Export writes all leads to CSV, and the edited sheet comes back with a preview', async ({ app }) => {
  await app.backend.invoke('sample-load', { id: 'starter' });
  await app.open();
  const ui = new ExchangeDialogs(app);

  await ui.menu('export');
  const exportDialog = ui.dialog('Export');
  await expect(exportDialog).toBeVisible();
  await exportDialog.getByLabel('Leads', { exact: true }).selectOption('all');
  await exportDialog.getByRole('radio', { name: 'CSV' }).check();
  for (const column of ['Attempt date', 'Channel', 'Outcome', 'Notes']) {
    await exportDialog.getByRole('checkbox', { name: column, exact: true }).check();
  }
  await app.screenshot('exchange-export-dialog');
  const out = join(app.dir, 'all-leads.csv');
  app.queueSavePath(out);
  await exportDialog.getByRole('button', { name: 'Export…' }).click();
  await expect(app.page.getByTestId('export-result')).toContainText('200 rows exported');
  await app.screenshot('exchange-export-done');
  await app.page.getByRole('button', { name: 'Done' }).click();

  // A rep edits the sheet: a note and a logged call on the first lead.
  const text = readFileSync(out, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.data).toHaveLength(200);
  const first = parsed.data[0]!;
  first['Notes'] = 'Spoke with them, call back Friday';
  first['Attempt date'] = '2026-11-20 10:00';
  first['Channel'] = 'call';
  first['Outcome'] = 'connected';
  writeFileSync(out, `\uFEFF${Papa.unparse(parsed.data, { columns: parsed.meta.fields })}`);

  await ui.menu('roundtrip');
  const rt = ui.dialog('Apply an edited sheet');
  app.queueOpenPath(out);
  await rt.getByRole('button', { name: 'Choose file…' }).click();
  await expect(app.page.getByTestId('roundtrip-counts')).toContainText('200rows');
  const changes = app.page.getByTestId('roundtrip-changes');
  await expect(changes).toContainText('Spoke with them, call back Friday');
  await app.screenshot('exchange-roundtrip-preview');
  await rt.getByRole('button', { name: 'Apply changes' }).click();
  await expect(app.page.getByTestId('roundtrip-result')).toContainText('applied');

  const leadId = (
    app
      .readDb()
      .prepare(`SELECT id FROM leads WHERE ${uidMatchSql('?')}`)
      .get(first['Leadbench ID']) as { id: number } | undefined
  )?.id;
  expect(leadId, 'the sheet carries the stable lead id').toBeDefined();
  const attempts = app
    .readDb()
    .prepare('SELECT channel, outcome, note FROM attempts WHERE lead_id = ?')
    .all(leadId!) as { channel: string; outcome: string; note: string }[];
  expect(attempts).toEqual([{ channel: 'call', outcome: 'connected', note: 'Spoke with them, call back Friday' }]);
});

test('File › Back up workspace writes a consistent copy, downloads it and lists it', async ({ app }) => {
  await app.backend.invoke('sample-load', { id: 'starter' });
  await app.open();
  const ui = new ExchangeDialogs(app);
  await ui.menu('backup');
  const dialog = ui.dialog('Back up workspace');
  const out = join(app.dir, 'copy.leadbench');
  app.queueSavePath(out);
  await dialog.getByRole('button', { name: 'Save a copy as…' }).click();
  // In a browser the copy is written in the host's transfer folder and downloaded from there.
  await expect(app.page.getByTestId('backup-result')).toContainText('Leadbench backup');
  await expect(dialog.getByRole('cell', { name: /Leadbench backup .*\.leadbench/ })).toBeVisible();
  expect(readFileSync(out).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
});

test('the grid exports exactly its current view', async ({ app }) => {
  await app.backend.invoke('sample-load', { id: 'starter' });
  const expected = (await app.backend.invoke('leads-query', { search: 'acme', limit: 1, withTotal: true })).total ?? 0;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(200);
  await app.open();
  await app.page.getByLabel('Quick search').fill('acme');
  await expect(app.page.getByTestId('grid-count')).toContainText(`${expected} lead`);
  await app.page.getByRole('button', { name: 'Export…' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Export' });
  await expect(dialog.getByLabel('Leads', { exact: true })).toHaveValue('given');
  await expect(dialog.getByLabel('Leads', { exact: true }).locator('option:checked')).toContainText(
    `Current view (${expected} leads)`,
  );
  await dialog.getByRole('radio', { name: 'CSV' }).check();
  const out = join(app.dir, 'view.csv');
  app.queueSavePath(out);
  await dialog.getByRole('button', { name: 'Export…' }).click();
  await expect(app.page.getByTestId('export-result')).toContainText(`${expected} rows exported`);
  const rows = Papa.parse(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  expect(rows.data).toHaveLength(expected);
});

test('a returned sheet saved as Windows-1252 is applied only after its encoding is confirmed', async ({ app }) => {
  await app.backend.invoke('sample-load', { id: 'starter' });
  const out = join(app.dir, 'returned.csv');
  await app.backend.invoke('export-leads', {
    source: { kind: 'all' },
    format: 'csv',
    out,
    columns: ['name', 'email', 'company', 'title'],
  });
  const parsed = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  const first = parsed.data[0]!;
  first['Job title'] = 'Directeur Général';
  // Excel's plain "CSV": Windows-1252, no BOM.
  writeFileSync(out, Buffer.from(Papa.unparse(parsed.data, { columns: parsed.meta.fields }), 'latin1'));

  await app.open();
  const ui = new ExchangeDialogs(app);
  await ui.menu('roundtrip');
  const rt = ui.dialog('Apply an edited sheet');
  app.queueOpenPath(out);
  await rt.getByRole('button', { name: 'Choose file…' }).click();
  const confirm = app.page.getByTestId('encoding-confirm');
  await expect(confirm).toContainText('Read as windows-1252, one of its lines says:');
  await expect(confirm.locator('blockquote')).toContainText('Directeur Général');
  await expect(app.page.getByTestId('roundtrip-changes')).toContainText('Directeur Général');
  await expect(rt.getByRole('button', { name: 'Apply changes' })).toBeDisabled();
  await app.screenshot('exchange-roundtrip-encoding');
  await confirm.getByRole('button', { name: 'It reads correctly: use windows-1252' }).click();
  await expect(confirm).toHaveCount(0);
  await rt.getByRole('button', { name: 'Apply changes' }).click();
  await expect(app.page.getByTestId('roundtrip-result')).toContainText('1 change applied');
  expect(
    app
      .readDb()
      .prepare(`SELECT title FROM leads WHERE ${uidMatchSql('?')}`)
      .pluck()
      .get(first['Leadbench ID']),
  ).toBe('Directeur Général');
});
