import { AppShell } from './pages/app-shell';
import { expect, test } from './fixtures';

test('the app opens on an empty workspace and offers a first step', async ({ app }) => {
  await app.open();
  const shell = new AppShell(app.page);
  await expect(shell.heading()).toHaveText('Leads');
  await expect(app.page.getByRole('heading', { name: 'Your workspace is empty' })).toBeVisible();
  await expect(app.page.getByRole('button', { name: 'Import a spreadsheet…' })).toBeVisible();
  await app.screenshot('shell-first-run');
});

test('sections navigate from the sidebar and from the keyboard', async ({ app }) => {
  await app.open();
  const shell = new AppShell(app.page);
  for (const name of ['Import', 'Scoring', 'Follow-up', 'Reports', 'Leads'] as const) {
    await shell.goTo(name);
    await expect(shell.heading()).toHaveText(name);
  }
  await app.page.keyboard.press('Control+4');
  await expect(shell.heading()).toHaveText('Follow-up');
});

test('the status bar shows the open workspace and what it holds', async ({ app }) => {
  await app.backend.invoke('import-run', {
    path: app.writeFile('one.csv', 'Email\na@b.co'),
    options: { kind: 'leads', mapping: { Email: 'email' } },
  });
  await app.open();
  await expect(app.page.getByTestId('status-workspace')).toHaveText(app.workspacePath);
  await expect(app.page.getByTestId('status-leads')).toHaveText('1 lead');
  await expect(app.page.getByTestId('sidebar-workspace')).toHaveText('e2e');
});

test('the first-run screen loads the shipped starter sample from disk', async ({ app }) => {
  await app.open();
  await app.page.getByRole('button', { name: /Load Starter sample/ }).click();
  await expect(app.page.getByTestId('status-leads')).toHaveText('200 leads');
  await expect(app.page.getByRole('heading', { name: 'Your workspace is empty' })).toBeHidden();
});
