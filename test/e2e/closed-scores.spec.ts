/**
 * The real X Education file arrives closed: every lead is won or lost from its Converted
 * column, none was ever open in the workspace. The default model gives them all 0 points and
 * the banner offers to suggest a model from the outcomes; suggested, published and made
 * primary through the UI, the learned model's scores land on those closed leads (they never
 * had a score they closed with, services/scoring/closed-scores.ts): the grid shows non-zero
 * scores and grades, the banner is gone, and the grade grid counts what Reports > Model
 * counts for the same leads. Leads and Scoring are photographed at 1280x800 and 1920x1080.
 */
import { join } from 'node:path';
import { shootBothSizes } from './shots';
import { AppShell } from './pages/app-shell';
import { LeadsPage } from './pages/leads-page';
import { ScoringPage } from './pages/scoring-page';
import { expect, REAL_DATA, test } from './fixtures';

test('an all-closed import: suggest, publish and make primary, and the closed leads carry the learned scores', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const summary = await app.backend.invoke('import-run', {
    path: app.stage(join(REAL_DATA, 'xeducation_leads.csv')),
    options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
  });
  expect(summary.outcomes).toEqual({ won: 3561, lost: 5679, open: 0 });
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.open();
  const shell = new AppShell(app.page);

  // Onboarding: the default model leaves every lead at 0 points, and the banner offers to learn.
  await shell.goTo('Leads');
  const banner = app.page.getByTestId('model-fit-banner');
  await expect(banner).toContainText('It gives every one of your 9,240 leads 0 points');
  await banner.getByRole('button', { name: 'Suggest a model from outcomes…' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Suggest a model from outcomes' });
  await expect(dialog.getByTestId('suggestion')).toBeVisible({ timeout: 120_000 });
  await dialog.getByRole('button', { name: 'Save as a draft model' }).click();
  await expect(dialog).toBeHidden();
  const scoring = new ScoringPage(app.page);
  await expect(scoring.model('Learned from outcomes')).toBeVisible();

  // The preview moves the closed leads (they arrived closed): none is left frozen.
  const preview = await scoring.previewImpact();
  await expect(preview.getByTestId('preview-considered')).toHaveText('9,240', { timeout: 60_000 });
  await scoring.publish('Learned from the X Education outcomes', preview);
  await app.page.getByRole('button', { name: 'More model actions' }).click();
  await app.page.getByRole('menuitem', { name: 'Make primary' }).click();
  await expect(scoring.model('Learned from outcomes')).toContainText('Primary');
  await expect.poll(async () => (await app.backend.invoke('model-fit', {})).misfit, { timeout: 60_000 }).toBe(false);
  await expect(app.page.getByTestId('model-fit-banner')).toBeHidden();
  await shootBothSizes(app.page, 'closed-scores-scoring', () => scoring.model('Learned from outcomes').isVisible());

  // The Leads grid: learned scores and grades on the closed leads, no banner.
  await shell.goTo('Leads');
  const leads = new LeadsPage(app.page);
  await leads.expectCount(9240);
  await expect(app.page.getByTestId('model-fit-banner')).toBeHidden();
  // The first rows (id order) carry learned scores and grades.
  await expect.poll(async () => Number((await leads.cellText(0, 'Score')).replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
  expect(await leads.cellText(0, 'Grade')).toMatch(/^[A-D][1-4]$/);
  const db = app.readDb();
  try {
    const zero = db.prepare('SELECT count(*) FROM leads WHERE coalesce(score_total, 0) = 0').pluck().get() as number;
    expect(zero).toBeLessThan(0.05 * 9240);
  } finally {
    db.close();
  }

  // The grade grid counts the stored scores; Reports > Model scores the same closed leads as
  // they stood when they closed: for leads that arrived closed, one and the same figure.
  const health = await app.backend.invoke('report-model', {});
  const grid = app.page.getByRole('table', { name: 'Grade grid' });
  for (const g of health.health.byGrade)
    await expect(
      grid.getByRole('button', { name: `Grade ${g.key}: ${g.leads.toLocaleString('en-US')} leads` }),
    ).toBeVisible();
  expect(health.health.byGrade.reduce((n, g) => n + g.leads, 0)).toBe(9240);
  await shootBothSizes(app.page, 'closed-scores-leads', () => grid.isVisible());

  // Reports > Model: the same grades, model health of the learned model.
  await shell.goTo('Reports');
  await app.page.getByRole('tab', { name: 'Model' }).click();
  await expect(app.page.getByTestId('model-auc')).not.toHaveText('0.50');
  await shootBothSizes(app.page, 'closed-scores-model-health', () => app.page.getByTestId('model-auc').isVisible());
});
