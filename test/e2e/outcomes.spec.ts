/**
 * Outcomes and learning end to end, on the real X Education file: imported in the wizard
 * with its `Converted` column mapped as the outcome through the value picker (a fifth of the
 * rows blanked first: leads still open, so publishing has leads to move), Reports > Model
 * shows the default model ranks them no better than chance; Scoring suggests a model from
 * the outcomes, explains its rules, saves it as a draft, previews it against outcomes,
 * publishes it, makes it primary, and the grid's segments change. Each screen is
 * photographed at 1280x800 and 1920x1080.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppShell } from './pages/app-shell';
import { shootBothSizes } from './shots';
import { ImportPage } from './pages/import-page';
import { ScoringPage } from './pages/scoring-page';
import { expect, REAL_DATA, test } from './fixtures';

/** The real file with Converted blanked on every fifth lead (they stay open). */
function withOpenLeads(dir: string): { path: string; open: number } {
  const lines = readFileSync(join(REAL_DATA, 'xeducation_leads.csv'), 'utf8').split('\r\n');
  const at = lines[0]!.split(',').indexOf('Converted');
  let open = 0;
  const out = lines.map((line, i) => {
    if (i === 0 || line === '' || i % 5 !== 0) return line;
    // Converted comes before any quoted cell, so a plain split finds it.
    const cells = line.split(',');
    cells[at] = '';
    open++;
    return cells.join(',');
  });
  const path = join(dir, 'xeducation-open.csv');
  writeFileSync(path, out.join('\r\n'));
  return { path, open };
}

test('import with the outcome, model health, suggest a model, preview it against outcomes, publish, segments change', async ({
  app,
}) => {
  test.setTimeout(240_000);
  const file = withOpenLeads(app.dir);
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.open();
  const shell = new AppShell(app.page);

  // Import: Converted mapped as the outcome, "1" picked as won; blanks stay open.
  await shell.goTo('Import');
  const wizard = new ImportPage(app.page);
  app.queueOpenPath(file.path);
  await wizard.chooseFile('xeducation-open.csv');
  await wizard.mapOutcome('Converted', ['1']);
  const outcomeStep = wizard.main.getByRole('group', { name: 'Values that count as won' });
  await expect(outcomeStep.getByRole('checkbox', { name: /^1 \(/ })).toBeChecked();
  await outcomeStep.scrollIntoViewIfNeeded();
  await app.screenshot('outcomes-import-outcome-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await outcomeStep.scrollIntoViewIfNeeded();
  await app.screenshot('outcomes-import-outcome-1920');
  await wizard.run('xeducation-open.csv');
  await expect(wizard.stat('Errors')).toHaveText('0', { timeout: 90_000 });
  await expect(wizard.stat('Rows')).toHaveText('9,240');
  const db = app.readDb();
  try {
    const stages = Object.fromEntries(
      (db.prepare('SELECT stage, count(*) AS n FROM leads GROUP BY stage').all() as { stage: string; n: number }[]).map(
        (r) => [r.stage, r.n],
      ),
    );
    expect(stages.won! + stages.lost!).toBe(9240 - file.open);
    expect(9240 - stages.won! - stages.lost!).toBe(file.open);
  } finally {
    db.close();
  }
  await app.page.setViewportSize({ width: 1280, height: 800 });

  // Model health: the default model gives every X Education lead 0 points.
  // The default model puts every lead in one segment: cold.
  const byDefault = await app.backend.invoke('report-model', {});
  expect(byDefault.health.bySegment.map((g) => g.key)).toEqual(['cold']);
  await shell.goTo('Reports');
  await app.page.getByRole('tab', { name: 'Model' }).click();
  await expect(app.page.getByTestId('model-auc')).toHaveText('0.50');
  await expect(app.page.getByTestId('model-closed')).toHaveText((9240 - file.open).toLocaleString('en-US'));
  await expect(app.page.getByRole('note').first()).toContainText('score 0 points');
  await expect(app.page.getByRole('table', { name: 'Rules against outcomes' })).toContainText('matches no lead');
  await app.screenshot('outcomes-model-health-default-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('outcomes-model-health-default-1920');

  // The default model leaves every lead at 0 points: the Leads screen says so and, with
  // thousands of closed leads, offers to learn a model from them.
  await shell.goTo('Leads');
  const banner = app.page.getByTestId('model-fit-banner');
  await expect(banner).toContainText(`The scoring model "Default" doesn't fit your data.`);
  await expect(banner).toContainText('It gives every one of your 9,240 leads 0 points');
  await expect(banner).toContainText(`${(9240 - file.open).toLocaleString('en-US')} leads are closed as won or lost`);
  await app.screenshot('outcomes-banner-leads-1920');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.screenshot('outcomes-banner-leads-1280');

  // Suggest a model from outcomes, from the banner: measured on held-out leads, rules explained, leaks left out.
  await banner.getByRole('button', { name: 'Suggest a model from outcomes…' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Suggest a model from outcomes' });
  await expect(dialog.getByTestId('suggestion')).toBeVisible({ timeout: 120_000 });
  const suggested = Number((await dialog.getByTestId('suggested-auc').innerText()).slice(0, 4));
  expect(suggested).toBeGreaterThanOrEqual(0.85);
  await expect(dialog.getByTestId('current-auc')).toContainText('0.50');
  const rules = dialog.getByRole('list', { name: 'Suggested rules' });
  await expect(rules).toContainText(
    // The reason compares with the field's 0-point value, the baseline its points are measured from.
    /Lead Origin is Lead Add Form: 9\d% converted vs \d+% for Lead Origin is [^(]+\(0 points\), [\d,]+ leads → \+\d+/,
  );
  // Time on the website is learned per unit (the more of it, the likelier), an engagement rule.
  await expect(rules).toContainText(
    /Total Time Spent on Website: \d+% of the [\d,]+ leads with some converted; .* → \+1 per \d+, at most \+\d+/,
  );
  // Rules come grouped by field, the field with the most points first.
  const groups = rules.locator(':scope > li');
  await expect(groups.first()).toContainText(/^[^:]+ \d+ rules?, up to \d+ points/);
  const most = await groups.evaluateAll((items) =>
    items.map((li) => Number(/up to (\d+) points/.exec(li.textContent ?? '')?.[1])),
  );
  expect(most).toEqual([...most].sort((a, b) => b - a));
  await expect(dialog.getByRole('group', { name: 'Probably filled in after contact' })).toContainText('Keep Tags');
  await app.screenshot('outcomes-suggest-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('outcomes-suggest-1920');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await dialog.getByRole('button', { name: 'Save as a draft model' }).click();
  await expect(dialog).toBeHidden();
  const scoring = new ScoringPage(app.page);
  await expect(app.page.getByTestId('notice')).toContainText('Saved the suggestion');
  await expect(scoring.model('Learned from outcomes')).toBeVisible();
  // The default model is still primary: Scoring's banner offers the suggestion, and the header
  // does not offer it a second time.
  await expect(app.page.getByTestId('model-fit-banner')).toBeVisible();
  await expect(app.page.getByRole('button', { name: 'Suggest a model from outcomes…' })).toHaveCount(1);

  // Preview against outcomes: the draft's AUC beside the published model's on the same closed leads.
  const preview = await scoring.previewImpact();
  await expect(preview.getByTestId('backtest')).toBeVisible({ timeout: 60_000 });
  const draftAuc = Number((await preview.getByTestId('backtest-draft-auc').innerText()).slice(0, 4));
  expect(draftAuc).toBeGreaterThan(0.85);
  await expect(preview.getByTestId('backtest-published-auc')).toContainText('0.50');
  await expect(preview.getByRole('table', { name: 'Conversion by grade' })).toContainText('A');
  await app.screenshot('outcomes-preview-backtest-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('outcomes-preview-backtest-1920');
  await scoring.publish('Learned from X Education outcomes', preview);

  // The learned model is published under its own name; made primary, it drives the grid's segments.
  const models = await app.backend.invoke('models-list', {});
  const learned = models.find((m) => m.name === 'Learned from outcomes')!;
  expect(learned.publishedVersion).toBe(1);
  const before = await app.backend.invoke('report-model', {});
  expect(before.health.auc.auc).toBe(0.5);
  await app.page.getByRole('button', { name: 'More model actions' }).click();
  await app.page.getByRole('menuitem', { name: 'Make primary' }).click();
  await expect(app.page.getByTestId('notice')).toContainText('"Learned from outcomes" now drives segments');
  await expect(scoring.model('Learned from outcomes')).toContainText('Primary');
  await expect
    .poll(async () => (await app.backend.invoke('report-model', {})).health.auc.auc ?? 0, { timeout: 60_000 })
    .toBeGreaterThan(0.85);

  await shell.goTo('Leads');
  // The learned model fits: no banner any more.
  await expect(app.page.getByTestId('model-fit-banner')).toBeHidden();
  const chips = app.page.getByRole('toolbar', { name: 'Segments' });
  // Under the default model every lead was cold; the learned model makes hot leads.
  await expect(chips.getByRole('button', { name: /^hot/i })).toContainText(/hot\s*[1-9][\d,]*(\s*scored leads)?$/i);
  await app.screenshot('outcomes-leads-segments-1920');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.screenshot('outcomes-leads-segments-1280');

  await shell.goTo('Reports');
  await app.page.getByRole('tab', { name: 'Model' }).click();
  await expect(app.page.getByTestId('model-auc')).not.toHaveText('0.50');
  await app.screenshot('outcomes-model-health-learned-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('outcomes-model-health-learned-1920');
});

test('without outcomes, the banner starts a model from the columns: a draft of fit rules at 0 points, in the editor', async ({
  app,
}) => {
  test.setTimeout(180_000);
  // Imports read only from the workspace's folder: the real file is copied there.
  const path = join(app.dir, 'xeducation_leads.csv');
  copyFileSync(join(REAL_DATA, 'xeducation_leads.csv'), path);
  const summary = await app.backend.invoke('import-run', { path, options: { kind: 'leads', blankPlaceholders: true } });
  expect(summary.rowsTotal).toBe(9240);
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.open();
  const shell = new AppShell(app.page);

  await shell.goTo('Scoring');
  const banner = app.page.getByTestId('model-fit-banner');
  await expect(banner).toContainText(
    'Too few leads are closed as won or lost to learn from (0; at least 100 are needed)',
  );
  await app.screenshot('outcomes-banner-scoring-1280');
  // The banner offers to start from the columns; the header still offers the suggestion.
  await expect(app.page.getByRole('button', { name: 'Suggest a model from outcomes…' })).toHaveCount(1);
  await shell.goTo('Leads');
  await banner.getByRole('button', { name: 'Start a model from your columns' }).click();

  // Scoring opens on the new draft: its fit rules are the file's columns and values, at 0 points.
  await expect(app.page.getByTestId('notice')).toContainText('Started "From your columns"');
  const scoring = new ScoringPage(app.page);
  await expect(scoring.model('From your columns')).toBeVisible();
  await expect(app.page.getByText('Lead Origin is Landing Page Submission').first()).toBeVisible();
  const models = await app.backend.invoke('models-list', {});
  const starter = models.find((m) => m.name === 'From your columns')!;
  const detail = await app.backend.invoke('model-get', { modelId: starter.id });
  const fit = (detail.draft as { fit: { name: string; points: number }[] }).fit;
  expect(fit.length).toBeGreaterThanOrEqual(10);
  expect(fit.every((r) => r.points === 0)).toBe(true);
  await app.screenshot('outcomes-starter-model-1280');
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.screenshot('outcomes-starter-model-1920');
});

test("a pipeline's stages in between stay open: Maven CRM's Engaging and Prospecting, in the wizard", async ({
  app,
}) => {
  test.setTimeout(180_000);
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.open();
  await new AppShell(app.page).goTo('Import');
  const wizard = new ImportPage(app.page);
  app.queueOpenPath(join(REAL_DATA, 'maven_crm_sales_pipeline.csv'));
  await wizard.chooseFile('maven_crm_sales_pipeline.csv');
  await wizard.mapOutcome('deal_stage', ['Won']);
  const summary = wizard.main.getByTestId('outcome-summary');
  // Won alone: every other stage is lost, as a 0/1 flag would be. The file's own counts.
  await expect(summary).toHaveText(
    'The import closes 4,238 rows as won and 4,562 as lost; 0 stay open (blank, or a value kept open).',
  );
  await wizard.keepOpen(['Engaging', 'Prospecting']);
  await expect(summary).toHaveText(
    'The import closes 4,238 rows as won and 2,473 as lost; 2,089 stay open (blank, or a value kept open).',
  );
  await wizard.main.getByLabel('Outcome date').selectOption('close_date');
  await wizard.main.getByLabel('Deal value').selectOption('close_value');
  const step = wizard.main.getByRole('group', { name: 'Values that stay open' });
  await shootBothSizes(app.page, 'outcomes-import-open-stages', () => step.scrollIntoViewIfNeeded());

  await wizard.run('maven_crm_sales_pipeline.csv');
  await expect(wizard.stat('Errors')).toHaveText('0', { timeout: 90_000 });
  const db = app.readDb();
  try {
    const stages = db.prepare('SELECT stage, count(*) AS n FROM leads GROUP BY stage ORDER BY stage').all();
    expect(stages).toEqual([
      { stage: 'lost', n: 2473 },
      { stage: 'new', n: 2089 },
      { stage: 'won', n: 4238 },
    ]);
  } finally {
    db.close();
  }
});
