/**
 * Any activity type (#13), end to end: an activity log in its source's own words (X
 * Education's Last Activity and Last Notable Activity: 18 types) goes through the wizard's
 * activity types step — each value with its row count, mapped to a built-in type or a
 * workspace type, one renamed, two merged — imports with no rejected row, and the model
 * editor offers the workspace types to engagement rules.
 */
import { join } from 'node:path';
import { writeXeducationActivityLog } from '../support/xeducation-activity-log';
import { expect, test, REAL_DATA } from './fixtures';
import { AppShell } from './pages/app-shell';
import { ImportPage } from './pages/import-page';
import { ScoringPage } from './pages/scoring-page';
import { shootBothSizes as shoot } from './shots';

const XE = join(REAL_DATA, 'xeducation_leads.csv');

test('maps an activity log of 18 source types in the wizard and scores through workspace types', async ({ app }) => {
  test.setTimeout(180_000);
  await app.backend.invoke('import-run', {
    path: app.stage(XE),
    options: { kind: 'leads', mapping: { 'Prospect ID': 'key' } },
  });
  const logPath = join(app.dir, 'xeducation_activity_log.csv');
  const log = writeXeducationActivityLog(XE, logPath);
  const rowsOf = (...types: string[]) => log.filter((r) => types.includes(r.type)).length;

  await app.open();
  await new AppShell(app.page).goTo('Import');
  const wizard = new ImportPage(app.page);
  app.queueOpenPath(logPath);
  await wizard.chooseFile('xeducation_activity_log.csv');
  await app.page.getByRole('radiogroup', { name: 'Import as' }).getByLabel('Activities').check();
  await wizard.target('Prospect ID').selectOption('key');
  await wizard.target('Activity').selectOption('activity.type');
  await wizard.target('Activity Date').selectOption('activity.time');

  // Every distinct value with its row count; a value no built-in type names becomes a workspace type of its name.
  const types = wizard.main.getByRole('table', { name: 'Activity types' });
  await expect(types.locator('tbody tr')).toHaveCount(18);
  const row = (value: string) =>
    types.locator('tbody tr').filter({ has: app.page.getByRole('cell', { name: value, exact: true }) });
  await expect(row('SMS Sent')).toContainText(rowsOf('SMS Sent').toLocaleString('en-US'));
  await expect(types.getByLabel('Type for SMS Sent')).toHaveValue('ws:SMS Sent');
  await expect(types.getByLabel('Type for Email Opened')).toHaveValue('email_open');

  // Rename one, merge two onto one workspace type, send one to a built-in type.
  await types.getByLabel('Type name for Had a Phone Conversation').fill('Phone call');
  await types.getByLabel('Type name for Had a Phone Conversation').press('Enter');
  await expect(types.getByLabel('Type for Had a Phone Conversation')).toHaveValue('ws:Phone call');
  await types.getByLabel('Type for Unreachable').selectOption('ws:Email Bounced');
  await types.getByLabel('Type for Email Received').selectOption('email_open');
  await expect(wizard.preview).not.toContainText('not a known activity type');

  await shoot(app.page, 'activity-types-step', async () => {
    await row('SMS Sent').scrollIntoViewIfNeeded();
  });

  await wizard.run('xeducation_activity_log.csv');
  await expect(wizard.stat('Errors')).toHaveText('0', { timeout: 90_000 });
  const db = app.readDb();
  const perType = new Map(
    (db.prepare('SELECT type, count(*) AS n FROM activities GROUP BY type').all() as { type: string; n: number }[]).map(
      (r) => [r.type, r.n],
    ),
  );
  expect([...perType.values()].reduce((a, b) => a + b, 0)).toBe(log.length);
  expect(perType.get('ws:Phone call')).toBe(rowsOf('Had a Phone Conversation'));
  expect(perType.get('ws:Email Bounced')).toBe(rowsOf('Email Bounced', 'Unreachable'));
  expect(perType.get('email_open')).toBe(rowsOf('Email Opened', 'Email Received'));
  expect(perType.has('ws:Unreachable')).toBe(false);

  // The model editor offers the workspace's types beside the built-in ten.
  const scoring = new ScoringPage(app.page);
  await scoring.open();
  await scoring.tab('Engagement');
  await app.page.getByRole('button', { name: 'Add engagement rule' }).click();
  const editor = app.page.getByTestId('rule-editor');
  const pills = editor.getByRole('group', { name: 'Activity types' });
  await expect(pills.getByRole('checkbox')).toHaveCount(
    10 + new Set([...perType.keys()].filter((t) => t.startsWith('ws:'))).size,
  );
  // The pills are labels over hidden checkboxes: a user clicks the label.
  const pill = (name: string) => pills.locator('label').filter({ hasText: new RegExp(`^${name}$`) });
  await pill('Page visit').click();
  await pill('SMS Sent').click();
  await pill('Phone call').click();
  await expect(pills.getByLabel('SMS Sent')).toBeChecked();
  await expect(pills.getByLabel('Page visit')).not.toBeChecked();
  await editor.getByLabel('Asset test').selectOption('any');
  await expect(scoring.ruleRow('New engagement rule')).toContainText('Phone call or SMS Sent');
  await shoot(app.page, 'engagement-workspace-types', async () => {
    await editor.scrollIntoViewIfNeeded();
  });
});

test('renames and merges workspace activity types under Scoring > Activity types', async ({ app }) => {
  test.setTimeout(180_000);
  await app.backend.invoke('import-run', {
    path: app.stage(XE),
    options: { kind: 'leads', mapping: { 'Prospect ID': 'key' } },
  });
  const logPath = join(app.dir, 'xeducation_activity_log.csv');
  const log = writeXeducationActivityLog(XE, logPath);
  const rowsOf = (...types: string[]) => log.filter((r) => types.includes(r.type)).length;
  await app.backend.invoke('import-run', {
    path: logPath,
    options: {
      kind: 'activities',
      mapping: { 'Prospect ID': 'key', Activity: 'activity.type', 'Activity Date': 'activity.time' },
    },
  });
  // The primary model counts texts: its rule names the type by key.
  const { published } = await app.backend.invoke('model-get', { modelId: 1 });
  await app.backend.invoke('model-publish', {
    modelId: 1,
    definition: {
      ...published!,
      engagement: [{ id: 'sms', name: 'Texted', match: { types: ['ws:SMS Sent'] }, points: 5, frequency: 'first' }],
    },
  });

  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();
  await app.page.getByRole('button', { name: 'Activity types…' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Activity types' });
  const row = (type: string) => dialog.locator(`[data-testid="activity-type-row"][data-type="${type}"]`);
  await expect(row('ws:SMS Sent')).toContainText(rowsOf('SMS Sent').toLocaleString('en-US'));
  await expect(row('email_open')).toContainText('Built-in');
  await shoot(app.page, 'activity-types-dialog', async () => {
    await row('ws:SMS Sent').scrollIntoViewIfNeeded();
  });

  // Rename in place: the list, the stored label and the rule's words change; the rule's key does not.
  await row('ws:SMS Sent').getByRole('button', { name: 'Rename' }).click();
  await row('ws:SMS Sent').getByLabel('New name for SMS Sent').fill('Text sent');
  await row('ws:SMS Sent').getByRole('button', { name: 'Save' }).click();
  await expect(row('ws:SMS Sent').locator('td').first()).toHaveText('Text sent');
  const db = app.readDb();
  expect(db.prepare("SELECT label FROM activity_types WHERE key = 'ws:SMS Sent'").pluck().get()).toBe('Text sent');

  // Merge, confirmed: Unreachable's activities become Email Bounced's.
  await row('ws:Unreachable').getByRole('button', { name: 'Merge into…' }).click();
  await row('ws:Unreachable').getByLabel('Merge Unreachable into').selectOption('ws:Email Bounced');
  await row('ws:Unreachable').getByRole('button', { name: 'Merge', exact: true }).click();
  const confirm = app.page.getByRole('dialog', { name: 'Merge "Unreachable" into "Email Bounced"?' });
  await expect(confirm).toContainText('cannot be undone');
  await shoot(app.page, 'activity-types-merge-confirm', async () => {});
  await confirm.getByRole('button', { name: 'Merge and rescore' }).click();
  await expect(row('ws:Unreachable')).toHaveCount(0);
  await expect(row('ws:Email Bounced')).toContainText(rowsOf('Email Bounced', 'Unreachable').toLocaleString('en-US'));
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(app.page.getByTestId('notice')).toContainText('Merged "Unreachable" into "Email Bounced"');
  expect(db.prepare("SELECT count(*) FROM activities WHERE type = 'ws:Unreachable'").pluck().get()).toBe(0);

  await scoring.tab('Engagement');
  await expect(scoring.ruleRow('Texted')).toContainText('Text sent');
  await shoot(app.page, 'activity-types-renamed-rule', async () => {
    await scoring.ruleRow('Texted').scrollIntoViewIfNeeded();
  });

  // The lead tester's draft explanation words the activity by its new name too.
  const texted = log.find((r) => r.type === 'SMS Sent')!.id;
  await scoring.pickLead(texted, texted);
  const line = app.page.getByTestId('score-draft-ledger').getByRole('listitem').filter({ hasText: 'Texted' });
  await expect(line).toContainText('Text sent on');
  await expect(line).not.toContainText('SMS Sent');
  db.close();
});
