/**
 * Scoring rules on typed fields, end to end on the real X Education file: the condition
 * builder offers operators by the field's type, a category rule's values come from a picker
 * of the column's values with counts, a numeric "≥" rule, each rule's "Leads now" count and
 * the workspace check's warning, then preview and publish; the stored scores match a plain
 * SQL count. Screenshots at 1280x800 and 1920x1080.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { expect, REAL_DATA, test } from './fixtures';
import { ScoringPage } from './pages/scoring-page';

const XE = join(REAL_DATA, 'xeducation_leads.csv');
const rows = Papa.parse<Record<string, string>>(readFileSync(XE, 'utf8'), { header: true, skipEmptyLines: true }).data;
const count = (n: number) => n.toLocaleString('en-US');

test('a scoring rule from the value picker and a numeric ≥ rule on X Education, previewed and published', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const summary = await app.backend.invoke('import-run', {
    path: app.stage(XE),
    options: { kind: 'leads', blankPlaceholders: true },
  });
  expect(summary.rowsTotal).toBe(rows.length);
  const addForm = rows.filter((r) => r['Lead Origin'] === 'Lead Add Form').length;
  const longVisits = rows.filter((r) => Number(r['Total Time Spent on Website']) >= 1000).length;

  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();

  // A category field: the operators of a category, values picked from the column with counts.
  await app.page.getByRole('button', { name: 'Add fit rule' }).click();
  const editor = app.page.getByTestId('rule-editor');
  await editor.getByLabel('Rule name').fill('Came through the add form');
  await editor.getByLabel('Points').fill('5');
  await editor.getByLabel('Field').selectOption('custom.Lead Origin');
  await expect(editor.getByLabel('Operator')).toHaveValue('in');
  await editor.getByTestId('pick-values').click();
  const picker = editor.getByTestId('value-picker');
  const option = picker.getByRole('option').filter({ hasText: 'Lead Add Form' });
  await expect(option).toContainText(count(addForm));
  await app.screenshot('rules-value-picker-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('rules-value-picker-1920');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await option.getByRole('checkbox').check();
  await editor.getByTestId('pick-values').click();
  await expect(picker).toBeHidden();
  await scoring.closeRule();
  await expect(scoring.ruleRow('Came through the add form')).toContainText("Lead Origin is one of 'Lead Add Form'");

  // A number field: comparisons offered, no text operators; "≥ 1000".
  await app.page.getByRole('button', { name: 'Add fit rule' }).click();
  await editor.getByLabel('Rule name').fill('Long on the website');
  await editor.getByLabel('Points').fill('10');
  await editor.getByLabel('Field').selectOption('custom.Total Time Spent on Website');
  const operator = editor.getByLabel('Operator');
  await expect(operator).toHaveValue('gte');
  await expect(operator.locator('option')).toContainText(['is at least', 'is more than', 'is at most', 'is between']);
  await expect(operator.locator('option', { hasText: 'contains' })).toHaveCount(0);
  await editor.getByLabel('Number').fill('1000');
  await app.screenshot('rules-condition-builder-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('rules-condition-builder-1920');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await scoring.closeRule();
  const timeRow = scoring.ruleRow('Long on the website');
  await expect(timeRow).toContainText('Total Time Spent on Website ≥ 1000');

  // Every rule shows how many leads it matches now; a value no lead has is a warning on its rule.
  await expect(timeRow.getByTestId('rule-matches')).toHaveText(count(longVisits));
  await expect(scoring.ruleRow('Came through the add form').getByTestId('rule-matches')).toHaveText(count(addForm));
  await app.page.getByRole('button', { name: 'Add fit rule' }).click();
  await editor.getByLabel('Rule name').fill('Misspelt origin');
  await editor.getByLabel('Field').selectOption('custom.Lead Origin');
  await editor.getByLabel('Operator').selectOption('equals');
  await editor.getByLabel('Value').fill('Lead Add Fom');
  await scoring.closeRule();
  const misspelt = app.page.getByTestId('rule-warnings').filter({ hasText: 'Misspelt origin' });
  await expect(misspelt).toHaveText("fit rule 'Misspelt origin' (#8): no lead has Lead Origin 'Lead Add Fom'");
  // The default model's title rules get theirs too: X Education has no job titles.
  await expect(app.page.getByTestId('rule-warnings').first()).toContainText(
    "fit rule 'C-level title' (#1): no lead has Seniority 'C-level / founder'",
  );
  await expect(scoring.ruleRow('Misspelt origin').getByTestId('rule-matches')).toHaveText('0');
  await scoring.waitSaved();
  await app.screenshot('rules-editor-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('rules-editor-1920');
  await scoring.ruleRow('Misspelt origin').getByRole('button', { name: 'Delete rule' }).click();
  await expect(misspelt).toHaveCount(0);

  // Preview, publish: the stored scores follow the rules.
  const preview = await scoring.previewImpact();
  await expect(preview.getByTestId('preview')).toBeVisible();
  await scoring.publish('Typed rules on X Education', preview);
  const db = app.readDb();
  const sqlCount = db
    .prepare(
      `SELECT count(*) FROM leads WHERE (SELECT json_extract(custom, '$[' || slot || ']') FROM custom_field_slots
        WHERE name = 'Total Time Spent on Website') >= 1000`,
    )
    .pluck()
    .get();
  expect(sqlCount).toBe(longVisits);
  // Fit is 5 (add form), 10 (time), 15 (both) or 0 from these rules plus the default model's
  // fit rules, which give X Education's leads (no titles, sizes or phones) nothing.
  const scored = db
    .prepare(
      `SELECT sum(fit >= 10), sum(fit % 10 = 5) FROM lead_scores s JOIN models m ON m.id = s.model_id AND m.is_primary = 1`,
    )
    .raw()
    .get() as [number, number];
  expect(scored).toEqual([longVisits, addForm]);
});
