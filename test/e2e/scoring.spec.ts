/**
 * Scoring section end to end, on the real backend: a workspace of leads with activities is
 * scored by the default model; the user edits a rule, reads the preview matrix, publishes,
 * and sees the lead's segment and explanation change — in the UI and in the stored result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityRow, AppHarness } from './fixtures';
import { expect, test } from './fixtures';
import { ScoringPage } from './pages/scoring-page';

const DAY = 86_400_000;

type SeedLead = Readonly<{
  first: string;
  last: string;
  company: string;
  title: string;
  size: number;
  domain?: string;
  activities: readonly (readonly [type: string, asset: string, daysAgo: number])[];
}>;

/** A small realistic workspace: a few named leads the test follows, and a crowd around them. */
const NAMED: readonly SeedLead[] = [
  {
    first: 'Alice',
    last: 'Martin',
    company: 'Northwind Analytics',
    title: 'VP Marketing',
    size: 240,
    activities: [['page_visit', 'https://northwind.example/pricing', 5]],
  },
  {
    first: 'Bob',
    last: 'Keller',
    company: 'Contoso',
    title: 'Marketing Manager',
    size: 20,
    activities: [['download', 'Pricing guide', 6]],
  },
  {
    first: 'Carol',
    last: 'Nguyen',
    company: 'State University',
    title: 'Student',
    size: 5000,
    activities: [['page_visit', '/pricing', 4]],
  },
  {
    first: 'Dan',
    last: 'Okafor',
    company: 'Fabrikam',
    title: 'CTO',
    size: 600,
    activities: [['page_visit', '/blog/lead-scoring', 3]],
  },
];

const FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mateo', 'Zoe', 'Leo'];
const LAST = ['Schmidt', 'Rossi', 'Dubois', 'Silva', 'Kowalski', 'Tanaka', 'Larsen', 'Haddad', 'Novak', 'Fischer'];
const COMPANIES = ['Globex', 'Initech', 'Umbrella Labs', 'Hooli', 'Stark Logistics', 'Wayne Retail', 'Acme Cloud'];
const TITLES = ['CEO', 'Head of Growth', 'Director of Sales', 'Sales Manager', 'Analyst', 'Engineer', 'Founder'];
const ASSETS = ['/pricing', '/blog/abm', '/product', '/demo', '/careers', '/docs/api', 'Whitepaper: ROI of scoring'];

function crowd(n: number): SeedLead[] {
  let s = 7;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  return Array.from({ length: n }, (_, i) => ({
    first: FIRST[i % FIRST.length] as string,
    last: pick(LAST),
    company: pick(COMPANIES),
    title: pick(TITLES),
    size: Math.floor(rnd() * 900) + 5,
    activities: Array.from({ length: Math.floor(rnd() * 5) }, () => {
      const asset = pick(ASSETS);
      const type = asset.startsWith('Whitepaper') ? 'download' : 'page_visit';
      return [type, asset, Math.floor(rnd() * 60) + 1] as const;
    }),
  }));
}

const ACTIVITY_LABELS: Readonly<Record<string, string>> = { page_visit: 'Page View', download: 'Download' };

/** Imports the leads and their activities from CSV files, as a user would; the import scores them. */
async function seed(app: AppHarness): Promise<Map<string, number>> {
  const now = Date.now();
  const leads = ['Email,First name,Last name,Company,Job title,Company size'];
  const activities: ActivityRow[] = [];
  const emails = new Map<string, string>();
  [...NAMED, ...crowd(36)].forEach((l, i) => {
    const email = `${l.first}.${l.last}${i}@${l.company.toLowerCase().replace(/[^a-z]+/g, '')}.example`.toLowerCase();
    leads.push([email, l.first, l.last, l.company, l.title, l.size].join(','));
    if (i < NAMED.length) emails.set(l.first, email);
    for (const [type, asset, daysAgo] of l.activities) {
      activities.push({ email, type: ACTIVITY_LABELS[type]!, asset, at: new Date(now - daysAgo * DAY) });
    }
  });
  await app.backend.invoke('import-run', {
    path: app.writeFile('leads.csv', leads.join('\n')),
    options: {
      kind: 'leads',
      mapping: {
        Email: 'email',
        'First name': 'first_name',
        'Last name': 'last_name',
        Company: 'company',
        'Job title': 'title',
        'Company size': 'company_size',
      },
    },
  });
  await app.importActivities(activities);
  const db = app.readDb();
  const idOf = (email: string) =>
    (db.prepare('SELECT id FROM leads WHERE email_norm = ?').get(email) as { id: number }).id;
  return new Map([...emails].map(([first, email]) => [first, idOf(email)]));
}

test('edit a rule, preview the matrix, publish, and the lead moves from warm to hot with a new explanation', async ({
  app,
}) => {
  const ids = await seed(app);
  const alice = ids.get('Alice') as number;
  const before = await app.backend.invoke('lead-explain', { leadId: alice });
  expect(before.score?.segment).toBe('warm');

  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();
  await expect(scoring.model('Default')).toContainText('Primary');
  await expect(scoring.ruleRow('C-level title')).toContainText('+40');
  await app.screenshot('scoring-fit-rules');

  // Engagement rules show how many leads they give points now: the seeded leads with a pricing page visit.
  await scoring.tab('Engagement');
  const pricingVisitors = [...NAMED, ...crowd(36)].filter((l) =>
    l.activities.some(([type, asset]) => type === 'page_visit' && asset.includes('pricing')),
  ).length;
  expect(pricingVisitors).toBeGreaterThan(2);
  await expect(scoring.ruleRow('Pricing page').getByTestId('rule-matches')).toHaveText(String(pricingVisitors));
  await expect(scoring.ruleRow('Webinar attended').getByTestId('rule-matches')).toHaveText('0');

  // Edit the "Pricing page" engagement rule: first a mistake, shown inline, then the fix.
  const editor = await scoring.openRule('Pricing page');
  await expect(editor.getByLabel('Asset test')).toHaveValue('test');
  const points = editor.getByLabel('Points', { exact: true });
  await points.fill('');
  await expect(editor.getByRole('alert')).toContainText('points must be a number');
  await expect(scoring.issuesBanner).toContainText("engagement rule 'Pricing page' (#2)");
  await expect(scoring.editor.getByRole('button', { name: 'Publish…' })).toBeDisabled();
  await app.screenshot('scoring-inline-error');
  await points.fill('60');
  await expect(scoring.issuesBanner).toBeHidden();
  await scoring.waitSaved();
  await app.screenshot('scoring-engagement-editor');
  await editor.getByLabel('Decay group').scrollIntoViewIfNeeded();
  await app.screenshot('scoring-engagement-counting');
  await scoring.closeRule();
  await expect(scoring.ruleRow('Pricing page')).toContainText('+60');

  // The draft was saved in the backend as the model's draft.
  const models = await app.backend.invoke('models-list', {});
  const modelId = models[0]!.id;
  const detail = await app.backend.invoke('model-get', { modelId });
  expect(detail.hasDraft).toBe(true);

  // Before publishing, the lead tester shows the stored score next to the draft's instant score.
  await scoring.pickLead('Alice', 'Alice Martin');
  await expect(app.page.getByTestId('score-published-segment')).toHaveText('Warm');
  await expect(app.page.getByTestId('score-draft-segment')).toHaveText('Hot');
  await app.screenshot('scoring-lead-tester-draft');

  // Preview impact: the from -> to matrix over the real workspace, and the leads that change.
  const dialog = await scoring.previewImpact();
  const expected = await app.backend.invoke('model-preview', { modelId, definition: detail.draft });
  await expect(dialog.getByTestId('preview-changed')).toHaveText(String(expected.leadsChanged));
  const warmToHot = expected.segmentMatrix.find((c) => c.from === 'warm' && c.to === 'hot');
  expect(warmToHot?.count ?? 0).toBeGreaterThanOrEqual(1);
  await expect(scoring.matrixCell(dialog, 'warm', 'hot')).toHaveText(String(warmToHot?.count));
  await expect(dialog.getByTestId('preview-examples')).toContainText('Alice Martin');
  // "Today" is named: the scores the draft's own model gives the leads now.
  await expect(dialog.getByTestId('preview-compared-with')).toContainText(
    `today (scores of “${expected.comparedWith?.name}”)`,
  );
  await app.screenshot('scoring-preview');
  await dialog.getByRole('tab', { name: 'Grades' }).click();
  await expect(dialog.getByTestId('grade-matrix')).toBeVisible();

  // Publish with a note; the rescore runs and reports its outcome.
  await scoring.publish('Pricing page worth more after the Q3 review', dialog);
  await expect(scoring.saveState).toHaveText('Version 2 · no draft');
  await app.screenshot('scoring-published');

  // The lead's stored segment and explanation changed, in the UI and in the backend.
  await expect(app.page.getByTestId('score-published-segment')).toHaveText('Hot');
  await expect(app.page.getByTestId('score-published-ledger')).toContainText(
    "Visited 'https://northwind.example/pricing'",
  );
  await expect(app.page.getByTestId('score-published-ledger')).toContainText('(Pricing page)');
  await expect(
    app.page.getByTestId('score-published-ledger').locator('li').filter({ hasText: '(Pricing page)' }),
  ).toContainText('+60');
  const after = await app.backend.invoke('lead-explain', { leadId: alice });
  expect(after.score?.segment).toBe('hot');
  expect(after.score?.modelVersion).toBe(2);
  expect(after.score?.ledger.find((e) => e.ruleName === 'Pricing page')?.points).toBe(60);
  expect(after.text).toContain('+60');
  // Now an MQL: the header names the stage by its label.
  await expect(app.page.getByTestId('lead-tester').locator('.sc-tester__lead')).toContainText('stage MQL ·');
  // The search list beside it shows the new total too, not the one from before the publish.
  await expect(app.page.getByTestId('lead-tester').locator('.sc-leadlist__score').first()).toHaveText(
    String(after.score?.total),
  );
  await app.screenshot('scoring-lead-tester-published');

  // A rep's manual adjustment shows in the ledger and moves the total; removing it undoes both.
  const totalBefore = Number(await app.page.getByTestId('score-published-total').textContent());
  const adjustments = app.page.getByTestId('adjustments');
  await adjustments.getByLabel('Adjustment points').fill('15');
  await adjustments.getByLabel('Adjustment reason').fill('Met at the Berlin trade show');
  await adjustments.getByRole('button', { name: 'Add' }).click();
  await expect(app.page.getByTestId('score-published-ledger')).toContainText('Met at the Berlin trade show');
  await expect(app.page.getByTestId('score-published-total')).toHaveText(String(totalBefore + 15));
  await app.screenshot('scoring-adjustment');
  expect((await app.backend.invoke('lead-explain', { leadId: alice })).adjustments).toHaveLength(1);
  await adjustments.getByRole('button', { name: 'Remove adjustment Met at the Berlin trade show' }).click();
  await expect(app.page.getByTestId('score-published-ledger')).not.toContainText('Met at the Berlin trade show');
  await expect(app.page.getByTestId('score-published-total')).toHaveText(String(totalBefore));

  // History keeps both versions, with the note.
  await scoring.tab('History');
  await expect(app.page.getByTestId('version-row')).toHaveCount(2);
  await expect(app.page.getByTestId('version-row').first()).toContainText(
    'Pricing page worth more after the Q3 review',
  );
  await expect(app.page.getByTestId('version-row').first()).toContainText('Current');
  await app.screenshot('scoring-history');
});

test('condition builder, reorder and delete, suppression lists, and the model as a JSON file', async ({ app }) => {
  await seed(app);
  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();

  // Add a fit rule with an OR group built in the condition builder.
  await app.page.getByRole('button', { name: 'Add fit rule' }).click();
  const editor = app.page.getByTestId('rule-editor');
  await editor.getByLabel('Rule name').fill('Software industry');
  await editor.getByLabel('Field').selectOption('industry');
  await editor.getByLabel('Operator').selectOption('in');
  const chips = editor.getByLabel('Values');
  await chips.fill('Software');
  await chips.press('Enter');
  await chips.fill('SaaS');
  await chips.press('Enter');
  await editor.getByRole('button', { name: '+ Condition' }).click();
  await expect(editor.getByTestId('condition')).toHaveCount(2);
  await editor.getByRole('radio', { name: 'any (OR)' }).click();
  await editor.getByLabel('Field').nth(1).selectOption('email_domain');
  await editor.getByLabel('Operator').nth(1).selectOption('matches');
  await editor.getByLabel('Pattern').fill('([');
  await expect(editor.getByRole('alert')).toContainText('is not a valid regular expression');
  await expect(scoring.issuesBanner).toContainText("fit rule 'Software industry' (#6)");
  await app.screenshot('scoring-condition-builder');
  await editor.getByLabel('Pattern').fill('\\.(io|ai)$');
  await expect(scoring.issuesBanner).toBeHidden();
  await scoring.closeRule();
  const row = scoring.ruleRow('Software industry');
  await expect(row).toContainText("Industry is one of 'Software', 'SaaS' or Email domain matches pattern");

  // Reorder: move it up twice; delete "Phone number given".
  await row.getByRole('button', { name: 'Move up' }).click();
  await scoring.ruleRow('Software industry').getByRole('button', { name: 'Move up' }).click();
  const names = app.page.getByTestId('fit-rules').locator('.sc-rule__name .sc-link');
  await expect(names).toHaveText([
    'C-level title',
    'VP or director title',
    'Manager title',
    'Software industry',
    'Company of 50+ people',
    'Phone number given',
  ]);
  await scoring.ruleRow('Phone number given').getByRole('button', { name: 'Delete rule' }).click();
  await expect(names).toHaveCount(5);
  // Drag and drop reorders too.
  await scoring.ruleRow('Company of 50+ people').locator('.sc-grip').dragTo(scoring.ruleRow('C-level title'));
  await expect(names.first()).toHaveText('Company of 50+ people');

  // Negative rules on the profile, then suppression lists.
  await scoring.tab('Negative');
  const negative = await scoring.openRule('Free email address');
  await expect(negative.getByRole('radio', { name: 'Profile' })).toHaveAttribute('aria-checked', 'true');
  await expect(negative.getByLabel('Values')).toBeVisible();
  await app.screenshot('scoring-negative');
  await scoring.closeRule();
  await scoring.tab('Suppression');
  await app.page.getByLabel('Suppressed domains').fill('competitor.example\nrival.example');
  await expect(app.page.getByText('2 domains')).toBeVisible();
  await app.screenshot('scoring-suppression');
  await scoring.tab('Decay');
  await app.screenshot('scoring-decay');
  await scoring.tab('Segments');
  await app.page.getByLabel('MQL threshold').fill('65');
  await app.screenshot('scoring-bands');
  await scoring.waitSaved();

  // Export the draft to a file through the save dialog.
  const file = join(app.dir, 'model.json');
  app.queueSavePath(file);
  await scoring.editor.getByRole('button', { name: 'More model actions' }).click();
  await app.page.getByRole('menuitem', { name: 'Export JSON…' }).click();
  // Written in the web host's transfer folder, then downloaded (to `file`).
  await expect(app.page.getByTestId('notice')).toContainText(/Exported "Default" to .*Default\.json/);
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    fit: { name: string; when: unknown }[];
    suppression: { domains: string[] };
    mql: { threshold: number };
  };
  expect(json.fit.map((r) => r.name)).toContain('Software industry');
  expect(json.fit.find((r) => r.name === 'Software industry')?.when).toEqual({
    any: [
      { field: 'industry', op: 'in', values: ['Software', 'SaaS'] },
      { field: 'email_domain', op: 'matches', value: '\\.(io|ai)$' },
    ],
  });
  expect(json.suppression.domains).toEqual(['competitor.example', 'rival.example']);
  expect(json.mql.threshold).toBe(65);

  // Import it back as a new model, broken on purpose: the problems show up at once.
  const broken = { ...json, name: 'Enterprise persona', mql: { threshold: 'high' } };
  const brokenFile = join(app.dir, 'enterprise.json');
  writeFileSync(brokenFile, JSON.stringify(broken));
  app.queueOpenPath(brokenFile);
  await app.page.getByRole('button', { name: 'Import…' }).click();
  await expect(app.page.getByTestId('notice')).toContainText('Imported "Enterprise persona" as a draft with 1 problem');
  await expect(scoring.model('Enterprise persona')).toContainText('Draft');
  await expect(app.page.getByTestId('model-title')).toHaveText('Enterprise persona');
  await expect(scoring.issuesBanner).toContainText('mql: threshold must be a number');
  await scoring.issuesBanner.getByRole('button').first().click();
  await app.page.getByLabel('MQL threshold').fill('80');
  await expect(scoring.issuesBanner).toBeHidden();
  await app.screenshot('scoring-imported-model');
});

test('restore an earlier version: published again as a new version and rescored', async ({ app }) => {
  await seed(app);
  const [model] = await app.backend.invoke('models-list', {});
  const modelId = model!.id;
  const v1 = await app.backend.invoke('model-get', { modelId });
  const changed = { ...v1.published!, mql: { threshold: 40, minFitGrade: null } };
  await app.backend.invoke('model-publish', { modelId, definition: changed, note: 'Lower MQL bar' });

  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();
  await scoring.tab('History');
  await expect(app.page.getByTestId('version-row')).toHaveCount(2);
  await app.page.getByTestId('version-row').filter({ hasText: 'v1' }).getByRole('button', { name: 'Restore…' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Restore version 1?' });
  await dialog.getByRole('button', { name: 'Restore and rescore' }).click();
  await expect(scoring.rescoreStatus).toContainText('Restored as version 3');
  await expect(scoring.rescoreStatus).toContainText(/Rescored \d+ leads/);
  await expect(app.page.getByTestId('version-row')).toHaveCount(3);
  await expect(app.page.getByTestId('version-row').first()).toContainText('Restored version 1');
  const versions = await app.backend.invoke('model-versions', { modelId });
  expect(versions.find((v) => v.isCurrent)?.definition.mql.threshold).toBe(70);
  await scoring.tab('Segments');
  await expect(app.page.getByLabel('MQL threshold')).toHaveValue('70');
});

test('a second model with segments by grade, published and made primary', async ({ app }) => {
  const ids = await seed(app);
  await app.open();
  const scoring = new ScoringPage(app.page);
  await scoring.open();

  await app.page.getByRole('button', { name: 'New model' }).click();
  const create = app.page.getByRole('dialog', { name: 'New scoring model' });
  await create.getByLabel('Model name').fill('Enterprise persona');
  await create.getByRole('button', { name: 'Create draft' }).click();
  await expect(app.page.getByTestId('model-title')).toHaveText('Enterprise persona');
  await expect(scoring.editor).toContainText('Never published');
  await expect(scoring.model('Enterprise persona')).toContainText('Draft');

  // Segments by grade: the bands need grades, and the validator says so until they have them.
  await scoring.tab('Segments');
  await app.page.getByRole('radio', { name: 'By grade' }).click();
  await expect(scoring.issuesBanner).toContainText('2 problems');
  await expect(scoring.issuesBanner).toContainText('segment #1: grades are required');
  for (const g of ['A1', 'A2', 'B1']) await app.page.getByLabel(`Segment of grade ${g}`).selectOption({ label: 'Hot' });
  for (const g of ['A3', 'B2', 'C1'])
    await app.page.getByLabel(`Segment of grade ${g}`).selectOption({ label: 'Warm' });
  await expect(scoring.issuesBanner).toBeHidden();
  await expect(app.page.getByTestId('segment-row').first()).toContainText('A1, A2, B1');
  await scoring.waitSaved();
  await app.screenshot('scoring-grade-segments');

  // It applies to larger companies only.
  await scoring.tab('Model');
  await app.page.getByRole('radio', { name: 'Only leads that match…' }).click();
  await expect(scoring.issuesBanner).toContainText("condition on 'country'");
  await app.page.getByLabel('Field').selectOption('company_size');
  await app.page.getByLabel('Operator').selectOption('between');
  await app.page.getByLabel('Minimum').fill('200');
  await expect(scoring.issuesBanner).toBeHidden();
  await app.screenshot('scoring-applies-to');

  await scoring.publish('Segments by grade for the enterprise team');
  await expect(scoring.editor).toContainText('v1 published');
  // The notice counts the changed scores per model: the published model's (every lead it
  // scores, a first score each, as its history says), then the primary's, which did not move.
  const persona = (await app.backend.invoke('models-list', {})).find((m) => m.name === 'Enterprise persona')!;
  const firstScores = app
    .readDb()
    .prepare('SELECT count(*) FROM score_history WHERE model_id = ?')
    .pluck()
    .get(persona.id) as number;
  expect(firstScores).toBeGreaterThan(0);
  await expect(scoring.rescoreStatus.getByTestId('rescore-changed')).toHaveText(
    `Changed scores: ${firstScores.toLocaleString('en-US')} under "Enterprise persona", 0 under "Default".`,
  );
  await app.screenshot('scoring-publish-changed');
  await scoring.editor.getByRole('button', { name: 'More model actions' }).click();
  await app.screenshot('scoring-more-menu');
  await app.page.getByRole('menuitem', { name: 'Make primary' }).click();
  await expect(app.page.getByTestId('notice')).toContainText('"Enterprise persona" now drives segments');
  await expect(scoring.model('Enterprise persona')).toContainText('Primary');
  await expect(scoring.model('Default')).not.toContainText('Primary');
  await app.screenshot('scoring-two-models');

  const models = await app.backend.invoke('models-list', {});
  expect(models.find((m) => m.isPrimary)?.name).toBe('Enterprise persona');
  const explained = await app.backend.invoke('lead-explain', { leadId: ids.get('Dan') as number });
  expect(explained.models.map((m) => m.modelName).sort()).toEqual(['Default', 'Enterprise persona']);
  expect(explained.score?.modelName).toBe('Enterprise persona');
  const small = await app.backend.invoke('lead-explain', { leadId: ids.get('Bob') as number });
  expect(small.models.map((m) => m.modelName)).toEqual(['Default']);
});
