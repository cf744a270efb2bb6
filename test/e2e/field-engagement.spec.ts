/**
 * Engagement from a lead field, end to end on the real X Education file: the scoring editor
 * builds "1 point per minute of Total Time Spent on Website, at most 30" (a picker of number
 * fields only, points, per minute, at most), shows how many leads it gives points now, the
 * lead tester and the preview use it, it is published, and the lead drawer explains it. The
 * expected figures come from reading the CSV here. Screenshots at 1280x800 and 1920x1080.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { expect, REAL_DATA, test } from './fixtures';
import { AppShell } from './pages/app-shell';
import { LeadsPage } from './pages/leads-page';
import { ScoringPage } from './pages/scoring-page';
import { shootBothSizes as shoot } from './shots';

const XE = join(REAL_DATA, 'xeducation_leads.csv');
const TIME = 'Total Time Spent on Website';
const rows = Papa.parse<Record<string, string>>(readFileSync(XE, 'utf8'), { header: true, skipEmptyLines: true }).data;

/** Whole minutes of the file's seconds, at most 30. */
const minutePoints = (seconds: string | undefined) => Math.min(30, Math.floor(Number(seconds || 0) / 60));

test('a "points per minute on the website, at most 30" rule built in the editor, previewed, published and explained', async ({
  app,
}) => {
  test.slow(); // a 9,240-row real file, a preview and a full rescore
  await app.backend.invoke('import-run', { path: app.stage(XE), options: { kind: 'leads', blankPlaceholders: true } });
  const lead = rows.find((r) => r[TIME] === '1532')!;
  const key = lead['Prospect ID']!;
  const withPoints = rows.filter((r) => minutePoints(r[TIME]) > 0).length;
  const line = `+25 ${TIME}: 1,532 s = 25 minutes × 1 point per minute (at most 30) [no decay: a lead field has no date]`;

  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();
  await scoring.tab('Engagement');
  const table = app.page.getByTestId('field-engagement-rules');
  await table.getByRole('button', { name: 'Add rule on a field' }).click();
  const editor = table.getByTestId('rule-editor');

  // Number fields only: no text or category column is offered.
  const field = editor.getByLabel('Number field');
  await expect(field.locator('option', { hasText: 'TotalVisits' })).toHaveCount(1);
  await expect(field.locator('option', { hasText: 'Lead Origin' })).toHaveCount(0);
  await expect(field.locator('option', { hasText: 'Email' })).toHaveCount(0);
  await field.selectOption(`custom.${TIME}`);
  await editor.getByLabel('Rule name').fill(TIME);
  await editor.getByLabel('Points').fill('1');
  await editor.getByLabel('Unit', { exact: true }).selectOption('minute');
  await expect(editor.getByLabel('Amount per unit')).toHaveValue('60');
  await expect(editor.getByLabel('Unit name')).toHaveValue('minute');
  await editor.getByLabel('At most').fill('30');
  await expect(editor.getByTestId('field-rule-summary')).toHaveText(
    `${TIME}: 1 point per minute (at most 30), a minute being 60 s. A lead field has no date: these points do not decay.`,
  );
  const row = scoring.ruleRow(TIME);
  await expect(row).toContainText('+1 per minute (60 s)');
  await expect(row.getByTestId('rule-matches')).toHaveText(withPoints.toLocaleString('en-US'));
  await scoring.waitSaved();
  await shoot(app.page, 'field-rule-editor', () => editor.scrollIntoViewIfNeeded());
  await scoring.closeRule();

  // An invalid cap is named on the rule.
  await scoring.openRule(TIME);
  await editor.getByLabel('At most').fill('');
  await expect(editor).toContainText('cap must be a number');
  await editor.getByLabel('At most').fill('30');
  await expect(editor).not.toContainText('cap must be a number');
  await scoring.closeRule();

  // The lead tester scores the draft with the rule.
  await scoring.pickLead(key, key);
  // The tester shows each entry's points apart from its words.
  const testerLine = app.page.getByTestId('score-draft-ledger').getByRole('listitem').filter({ hasText: TIME });
  await expect(testerLine).toContainText('+25');
  await expect(testerLine).toContainText(line.replace(/^\+25 /, ''));
  // The published model (the default one) gives this lead nothing; the draft gives it 25.
  await expect(app.page.getByTestId('score-published-total')).toHaveText('0');
  await expect(app.page.getByTestId('score-draft-total')).toHaveText('25');
  await shoot(app.page, 'field-rule-tester', () => testerLine.scrollIntoViewIfNeeded());

  // Preview, publish: the stored ledger of the lead holds the rule's points.
  const preview = await scoring.previewImpact();
  await scoring.publish('Time on the website', preview);
  const stored = app
    .readDb()
    .prepare(
      `SELECT s.ledger FROM lead_scores s JOIN models m ON m.id = s.model_id AND m.is_primary = 1
         JOIN leads l ON l.id = s.lead_id WHERE l.lead_key = ?`,
    )
    .pluck()
    .get(key) as string;
  expect(stored).toContain('[7,0,25,1532]');

  // The drawer explains it.
  const leads = new LeadsPage(app.page);
  await new AppShell(app.page).goTo('Leads');
  await leads.search.fill(key);
  await leads.expectCount(1);
  await leads.openRow(0);
  await expect(leads.drawer.getByRole('list', { name: 'Score explanation' })).toContainText(line);
  await shoot(app.page, 'field-rule-drawer', () => expect(leads.drawer).toBeVisible());
});
