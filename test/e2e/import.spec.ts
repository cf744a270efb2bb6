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
