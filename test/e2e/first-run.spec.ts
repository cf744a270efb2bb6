/**
 * Routing from the first run: in a brand-new workspace the person using the app is an owner
 * from the start, so the first lead that becomes MQL lands in "My leads" without any setup.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { AppShell } from './pages/app-shell';
import { FollowUpPage } from './pages/followup-page';

test('a new workspace routes its first MQL to the user', async ({ app }) => {
  await app.open();
  // Opening the app made its user the workspace's first owner and "me".
  await expect.poll(async () => (await app.backend.invoke('owners-list', {})).length).toBe(1);
  const [me] = await app.backend.invoke('owners-list', {});
  expect((await app.backend.invoke('followup-settings-get', {})).meOwnerId).toBe(me!.id);

  const csv = join(app.dir, 'first.csv');
  writeFileSync(csv, 'Email,First name,Last name,Company,Phone\nfirst@acme.example,Fay,First,Acme,+1 (555) 010-2030\n');
  await app.backend.invoke('import-run', { path: csv, options: { kind: 'leads' } });
  const [lead] = (await app.backend.invoke('leads-query', { limit: 1 })).rows;
  await app.backend.invoke('score-adjust', { leadId: lead!.id, points: 100, reason: 'Asked for a demo' });

  const shell = new AppShell(app.page);
  const fu = new FollowUpPage(app.page);
  await shell.goTo('Follow-up');
  await fu.showQueue('My leads');
  const row = fu.row('Fay First');
  await expect(row).toBeVisible();
  await fu.queue.locator('tbody tr').first().click();
  await expect(fu.panel.getByLabel('Owner')).toHaveValue(String(me!.id));
  // The panel shows the phone and email as links that call and write, and one due date with the row.
  await expect(fu.panel.getByRole('link', { name: 'Call +1 (555) 010-2030' })).toHaveAttribute(
    'href',
    'tel:+15550102030',
  );
  await expect(fu.panel.getByRole('link', { name: 'Email first@acme.example' })).toHaveAttribute(
    'href',
    'mailto:first@acme.example',
  );
  await expect(fu.panel.getByTestId('panel-due')).toHaveAttribute('data-due', (await row.getAttribute('data-next'))!);
  await app.screenshot('first-run-my-leads');
});
