/**
 * The wizard's dates (#13 items 4 and 5) on the real backend: a list without a date column
 * (Hillstrom's email campaign) imports as activities once the user gives "All rows happened
 * on"; a file whose dates prove day first shows that order, flags the rows whose dates read
 * both ways, and the preview follows when the user switches to month first; the finished
 * screen says which order it used, the same count of dates that read both ways, and the
 * rows' first and last date.
 */
import { join } from 'node:path';
import { expect, test, REAL_DATA } from './fixtures';
import { AppShell } from './pages/app-shell';
import { ImportPage } from './pages/import-page';

test.describe('import wizard dates', () => {
  test('imports Hillstrom as activities with a date for all rows', async ({ app }) => {
    test.slow(); // a 64,000-row file imported whole
    await app.open();
    await new AppShell(app.page).goTo('Import');
    const wizard = new ImportPage(app.page);
    app.queueOpenPath(join(REAL_DATA, 'hillstrom_email_campaign.csv'));
    await wizard.chooseFile('hillstrom_email_campaign.csv');
    await wizard.main.getByRole('radio', { name: 'Activities' }).check();
    await wizard.main.getByRole('checkbox', { name: 'No id column: identify people by row number' }).check();
    await wizard.target('segment').selectOption('activity.type');
    await expect(wizard.main.getByTestId('mapping-problems')).toContainText('give a date for all rows');
    await wizard.main.getByLabel('All rows happened on').fill('2026-01-15');
    // The preview never waits for the whole-file profile (64,000 rows), which runs on a
    // thread of its own (services/import/profile-threads.ts).
    await expect(wizard.main.getByTestId('mapping-problems')).toHaveCount(0);
    await expect(wizard.preview).toContainText('Jan 15, 2026');
    await app.screenshot('import-date-all');

    await wizard.run('hillstrom_email_campaign.csv');
    await expect(wizard.summary).toBeVisible({ timeout: 180_000 });
    await expect(wizard.stat('Rows')).toHaveText('64,000');
    await expect(wizard.stat('Errors')).toHaveText('0');
    await expect(wizard.main.getByTestId('import-dates')).toContainText('Rows datedJan 15, 2026');
    const db = app.readDb();
    try {
      expect(db.prepare('SELECT count(*), min(occurred_at), max(occurred_at) FROM activities').raw().get()).toEqual([
        64_000,
        Date.UTC(2026, 0, 15),
        Date.UTC(2026, 0, 15),
      ]);
    } finally {
      db.close();
    }
  });

  test('shows the detected date order, flags dates that read both ways, and switches', async ({ app }) => {
    await app.open();
    await new AppShell(app.page).goTo('Import');
    const wizard = new ImportPage(app.page);
    app.queueOpenPath(join(import.meta.dirname, '../fixtures/import/dates-both-ways.csv'));
    await wizard.chooseFile('dates-both-ways.csv');
    const order = wizard.main.getByLabel('Dates');
    await expect(order).toHaveValue('dmy');
    await expect(wizard.main.getByTestId('date-order-source')).toHaveText('Detected from the file’s dates');
    const flagged = wizard.main.getByTestId('ambiguous-dates');
    await expect(flagged).toContainText('2 rows have dates that read both ways, read day first');
    await expect(flagged).toContainText('Row 3 (Date): “05/12/2026” → Dec 5, 2026 (May 12, 2026 month first)');
    await expect(wizard.preview).toContainText('Dec 5, 2026');
    await app.screenshot('import-date-order');

    await order.selectOption('mdy');
    await expect(wizard.main.getByTestId('date-order-source')).toHaveText(
      'Your choice (the file’s dates read day first)',
    );
    await expect(wizard.preview).toContainText('May 12, 2026');
    await expect(wizard.preview).not.toContainText('Dec 5, 2026');

    // The finished screen: the order used, the same count as the wizard's, the rows' dates.
    await wizard.run('dates-both-ways.csv');
    const dates = wizard.main.getByTestId('import-dates');
    await expect(dates).toContainText('Date orderMonth first (12/31/2025), your choice');
    await expect(dates).toContainText('Read both ways2 rows have dates that read both ways');
    await expect(dates).toContainText('Rows datedDec 25, 2025 to May 12, 2026');
    await app.screenshot('import-done-dates');
  });
});
