/**
 * The import wizard end to end on the real backend: a real CSV (X Education, 9,240 leads
 * keyed by Prospect ID) is picked, mapped, previewed and imported; the summary, the history
 * and the Leads section show the result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, REAL_DATA, REPO_ROOT } from './fixtures';
import { AppShell } from './pages/app-shell';
import { ImportPage } from './pages/import-page';
import { LeadsPage } from './pages/leads-page';

test.describe('import wizard', () => {
  test('imports a real CSV and shows the summary and the leads', async ({ app }) => {
    await app.open();
    const shell = new AppShell(app.page);
    await shell.goTo('Import');
    const wizard = new ImportPage(app.page);

    app.queueOpenPath(join(REAL_DATA, 'xeducation_leads.csv'));
    await wizard.chooseFile('xeducation_leads.csv');
    // No email column: the id column is suggested as the identity key.
    await expect(wizard.target('Prospect ID')).toHaveValue('key');
    await expect(wizard.target('Lead Source')).toHaveValue('source');
    // The preview shows stored values: "Select" is blank, the key is shown.
    await expect(wizard.preview).toContainText('Prospect ID: 7927b2df-8bba-4d29-b9a2-b6e0beafe620');
    await expect(wizard.preview).toContainText('Olark Chat');
    await app.screenshot('import-mapping');

    await wizard.run('xeducation_leads.csv');
    await expect(wizard.summary).toBeVisible({ timeout: 60_000 });
    await expect(wizard.stat('Rows')).toHaveText('9,240');
    await expect(wizard.stat('Inserted')).toHaveText('9,240');
    await expect(wizard.stat('Errors')).toHaveText('0');
    await expect(wizard.history).toContainText('xeducation_leads.csv');
    await app.screenshot('import-summary');

    await app.page.getByRole('button', { name: 'Show the leads' }).click();
    await expect(app.page.getByRole('main', { name: 'Leads' })).toBeVisible();
    await new LeadsPage(app.page).expectCount(9240);
  });

  test('maps the outcome with the value picker and overrides a column type (X Education)', async ({ app }) => {
    await app.open();
    await new AppShell(app.page).goTo('Import');
    const wizard = new ImportPage(app.page);
    app.queueOpenPath(join(REAL_DATA, 'xeducation_leads.csv'));
    await wizard.chooseFile('xeducation_leads.csv');
    // The whole file was counted, not a head sample; the empty 38th column is not offered.
    await expect(app.page.getByTestId('iw-rows')).toHaveText('9,240 rows below the header');
    await expect(wizard.target('Column 38')).toHaveCount(0);
    // Values with their counts, from every row.
    await expect(wizard.mapping).toContainText('Landing Page Submission (4,886)');
    await expect(wizard.type('Lead Number')).toHaveValue('');
    await expect(wizard.type('Lead Number').locator('option:checked')).toHaveText('Number (detected)');
    await wizard.type('Lead Number').selectOption('text');
    await wizard.mapOutcome('Converted', ['1']);
    await expect(wizard.main.getByRole('checkbox', { name: /^1 \(3,561\)/ })).toBeChecked();
    // Wide file: the column search narrows the list, the preview shows custom values.
    await wizard.main.getByRole('searchbox', { name: 'Search columns' }).fill('time spent');
    await expect(wizard.mapping.locator('tbody tr')).toHaveCount(1);
    await expect(wizard.preview.getByRole('columnheader', { name: 'Total Time Spent on Website' })).toBeVisible();
    await expect(wizard.main.getByRole('button', { name: 'Import xeducation_leads.csv' })).toBeInViewport();
    await wizard.main.getByRole('searchbox', { name: 'Search columns' }).fill('');

    await wizard.run('xeducation_leads.csv');
    await expect(wizard.stat('Errors')).toHaveText('0', { timeout: 60_000 });
    const db = app.readDb();
    try {
      const stages = db.prepare('SELECT stage, count(*) AS n FROM leads GROUP BY stage ORDER BY stage').all();
      expect(stages).toEqual([
        { stage: 'lost', n: 5679 },
        { stage: 'won', n: 3561 },
      ]);
      const type = db.prepare('SELECT type FROM custom_fields WHERE name = ?').pluck();
      expect(type.get('Lead Number')).toBe('text');
      expect(type.get('Total Time Spent on Website')).toBe('number');
    } finally {
      db.close();
    }
  });

  test('explains a file that cannot be imported', async ({ app }) => {
    await app.open();
    await new AppShell(app.page).goTo('Import');
    app.queueOpenPath(join(import.meta.dirname, '../fixtures/import/no-header.csv'));
    await app.page.getByRole('button', { name: 'Choose a file…' }).click();
    await expect(app.page.getByRole('alert')).toContainText('"no-header.csv" has no header row');
  });

  test('imports a file dropped on the page: uploaded to the host, then imported by path', async ({ app }) => {
    await app.open();
    await new AppShell(app.page).goTo('Import');
    const wizard = new ImportPage(app.page);
    const text = readFileSync(join(REPO_ROOT, 'resources/samples/starter-leads.csv'), 'utf8');
    const dataTransfer = await app.page.evaluateHandle(
      ({ name, body }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([body], name, { type: 'text/csv' }));
        return dt;
      },
      { name: 'starter-leads.csv', body: text },
    );
    await app.page.getByTestId('import-dropzone').dispatchEvent('drop', { dataTransfer });
    await expect(wizard.main.getByRole('heading', { name: 'starter-leads.csv' })).toBeVisible();
    await wizard.run('starter-leads.csv');
    await expect(wizard.summary).toBeVisible({ timeout: 60_000 });
    await expect(wizard.stat('Inserted')).toHaveText('200');
  });
});
