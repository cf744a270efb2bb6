/**
 * Every section and dialog, with real data, at 1280×800 and at 1920×1080: each screen is
 * saved as a screenshot to look at (in $SHOTS_DIR, else test-results/screenshots/screens;
 * `SHOTS_DIR=/work/shots/polish npx playwright test -c test/e2e/playwright.config.ts
 * screens.spec.ts` re-takes the set), and checked for what a machine can see in one:
 *  - nothing wider than the window (no sideways scroll of the page itself),
 *  - no button stretched like a text field, none cut off at the window's edge,
 *  - the bulk bar on one line, the import wizard's action bar below the last preview row.
 * Three workspaces: X Education with its outcome mapped (9,240 leads keyed only by
 * "Prospect ID"), the starter sample (people, activities, MQLs to follow up), and a new,
 * empty one, where every section says what to do next.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, REAL_DATA, REPO_ROOT, test, type AppHarness } from './fixtures';
import { AppShell } from './pages/app-shell';
import { FollowUpPage } from './pages/followup-page';
import { ImportPage } from './pages/import-page';
import { LeadsPage } from './pages/leads-page';
import { ReportsPage } from './pages/reports-page';

const SHOTS_DIR = process.env.SHOTS_DIR ?? join(REPO_ROOT, 'test-results/screenshots/screens');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
/** Wider than this, a button reads as a text field. */
const MAX_BUTTON_WIDTH = 420;

/** Lets React and the browser finish the layout a resize started (two frames). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

/** What the layout checks found on the screen now: empty when nothing is wrong. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((maxButton) => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      problems.push(`the page scrolls sideways (${doc.scrollWidth} px in ${window.innerWidth})`);
    }
    // A card whose content spills out of it (its overflow is not a scroll box of its own).
    for (const card of document.querySelectorAll<HTMLElement>('.card')) {
      if (getComputedStyle(card).overflowX !== 'visible' || card.getClientRects().length === 0) continue;
      const right = card.getBoundingClientRect().right;
      for (const el of card.querySelectorAll<HTMLElement>('button, table, input, select')) {
        let clipped = false;
        for (let box = el.parentElement; box && box !== card; box = box.parentElement) {
          if (getComputedStyle(box).overflowX !== 'visible') clipped = true;
        }
        const r = el.getBoundingClientRect();
        if (!clipped && r.width > 0 && r.right > right + 1) {
          const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim().slice(0, 40);
          problems.push(`"${name}" sticks out of its card by ${Math.round(r.right - right)} px`);
        }
      }
    }
    for (const b of document.querySelectorAll<HTMLElement>('button.btn')) {
      const r = b.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const name = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim().slice(0, 40);
      if (r.width > maxButton) problems.push(`button "${name}" is ${Math.round(r.width)} px wide`);
      if (r.right > window.innerWidth + 1) problems.push(`button "${name}" is cut off at the right edge`);
    }
    return problems;
  }, MAX_BUTTON_WIDTH);
}

/** Takes the screen at both sizes (the same state, resized), checks each, and leaves it at 1280. */
async function shoot(page: Page, name: string, extra?: () => Promise<void>): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const size of [...SIZES].reverse()) {
    await page.setViewportSize(size);
    await settle(page);
    await extra?.();
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${size.width}.png`) });
    expect(await layoutProblems(page), `${name} at ${size.width}×${size.height}`).toEqual([]);
  }
}

/** The bulk bar is one row: every visible control of it shares one line. */
async function expectOneLine(bar: Locator): Promise<void> {
  const rows = await bar.evaluate((el) => {
    const boxes = [...el.querySelectorAll(':scope > button, :scope > select, :scope > input, :scope > strong')]
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0);
    // Two controls are on different lines when one starts below the other's bottom.
    const top = Math.min(...boxes.map((r) => r.top));
    return boxes.filter((r) => r.top >= top + Math.min(...boxes.map((b) => b.height))).length;
  });
  expect(rows, 'controls wrapped onto a second line').toBe(0);
}

/** Opens the first lead's drawer from the keyboard. */
async function openDrawer(leads: LeadsPage): Promise<void> {
  await leads.grid.focus();
  await leads.page.keyboard.press('ArrowDown');
  await leads.page.keyboard.press('ArrowUp');
  await leads.page.keyboard.press('Enter');
  await expect(leads.drawer).toBeVisible();
}

/** Opens a File menu dialog, shoots it, closes it. */
async function shootFileDialogs(app: AppHarness, prefix: string): Promise<void> {
  const page = app.page;
  const dialogs = [
    ['about', 'About Leadbench'],
    ['export', 'Export'],
    ['roundtrip', 'Apply an edited sheet'],
    ['backup', 'Back up workspace'],
  ] as const;
  for (const [command, title] of dialogs) {
    await app.menu(command);
    const dialog = page.getByRole('dialog', { name: title });
    await expect(dialog).toBeVisible();
    await shoot(page, `${prefix}-dialog-${command}`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
}

/** The Follow-up settings page, one card at a time, with the list editors' forms open. */
async function shootSettings(page: Page, prefix: string): Promise<void> {
  const fu = new FollowUpPage(page);
  await fu.showSettings();
  for (const region of [
    'You and notifications',
    'Owners',
    'Routing rules',
    'SLA policies',
    'Stages',
    'Disposition reasons',
    'Stage history from a column',
  ]) {
    const card = fu.main.getByRole('region', { name: region });
    await card.scrollIntoViewIfNeeded();
    await shoot(page, `${prefix}-settings-${region.toLowerCase().replace(/\W+/g, '-')}`, () =>
      card.scrollIntoViewIfNeeded(),
    );
  }
  for (const [region, button] of [
    ['Owners', 'Add owner'],
    ['Routing rules', 'Add rule'],
    ['SLA policies', 'Add policy'],
  ] as const) {
    const card = fu.main.getByRole('region', { name: region });
    await card.getByRole('button', { name: button }).click();
    const form = card.getByRole('form');
    await expect(form).toBeVisible();
    await shoot(page, `${prefix}-settings-${button.toLowerCase().replace(/\W+/g, '-')}`, () =>
      form.scrollIntoViewIfNeeded(),
    );
    await form.getByRole('button', { name: 'Cancel' }).click();
  }
}

async function shootReports(page: Page, prefix: string): Promise<void> {
  const reports = new ReportsPage(page);
  for (const tab of ['Funnel', 'Grades & segments', 'SLA compliance', 'Outcomes', 'Disposition reasons'] as const) {
    await reports.show(tab);
    // The report's table, or its empty state (what is missing and the step that fills it).
    await expect(reports.main.locator('table, .empty-state').first()).toBeVisible();
    await shoot(page, `${prefix}-reports-${tab.toLowerCase().replace(/\W+/g, '-')}`);
  }
  await reports.main.getByRole('tab', { name: 'Model' }).click();
  await expect(reports.main.getByText(/Scoring the closed leads/)).toHaveCount(0, { timeout: 60_000 });
  await shoot(page, `${prefix}-reports-model`);
}

test('X Education with its outcome: every section and dialog at 1280×800 and 1920×1080', async ({ app }) => {
  test.setTimeout(420_000);
  const file = app.stage(join(REAL_DATA, 'xeducation_leads.csv'));
  await app.backend.invoke('import-run', {
    path: file,
    options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
  });
  await app.page.setViewportSize(SIZES[0]);
  await app.open();
  const page = app.page;
  const shell = new AppShell(page);
  const leads = new LeadsPage(page);

  // Leads: keyed only by Prospect ID, the grid opens on the key and the file's own columns.
  await expect(leads.row(0)).toBeVisible();
  const headers = (await leads.grid.getByRole('columnheader').allInnerTexts())
    .map((h) => h.replace(/[▲▼]/g, '').trim())
    .filter(Boolean);
  expect(headers[0]).toBe('Prospect ID');
  expect(headers).not.toContain('Name');
  expect(headers).not.toContain('Email');
  expect(headers).toEqual(expect.arrayContaining(['Lead Origin', 'Lead source', 'Score', 'Stage']));
  await shoot(page, 'xe-leads');

  await page.getByRole('button', { name: /^Columns/ }).click();
  await expect(page.getByRole('dialog', { name: 'Choose columns' })).toBeVisible();
  await shoot(page, 'xe-leads-columns');
  await page.keyboard.press('Escape');

  await leads.openFilter('Lead Origin');
  await shoot(page, 'xe-leads-filter');
  await page.keyboard.press('Escape');

  for (const i of [0, 1, 2]) await leads.row(i).getByRole('checkbox').check();
  await expect(leads.bulkBar).toBeVisible();
  await shoot(page, 'xe-leads-bulk', () => expectOneLine(leads.bulkBar));
  await leads.bulkBar.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog');
  await expect(confirm).toBeVisible();
  await shoot(page, 'xe-leads-bulk-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await leads.bulkBar.getByRole('button', { name: /Clear/ }).click();

  await openDrawer(leads);
  await shoot(page, 'xe-leads-drawer');
  await page.keyboard.press('Escape');

  // Import: the history, and the wizard on the same file (key, outcome, preview, sticky bar).
  await shell.goTo('Import');
  const wizard = new ImportPage(page);
  await expect(wizard.history).toBeVisible();
  await shoot(page, 'xe-import-history');
  app.queueOpenPath(file);
  await wizard.chooseFile('xeducation_leads.csv');
  await expect(wizard.preview).toBeVisible();
  await shoot(page, 'xe-import-wizard-top');
  await shoot(page, 'xe-import-wizard-mapping', () => wizard.mapping.scrollIntoViewIfNeeded());
  const lastPreviewRow = wizard.preview.locator('tbody tr').last();
  await shoot(page, 'xe-import-wizard-preview-end', async () => {
    // Scrolled to the end (the page and any box the preview scrolls in), the last row shows whole.
    await lastPreviewRow.evaluate((el) => {
      for (let box = el.parentElement; box; box = box.parentElement) {
        const overflow = getComputedStyle(box).overflowY;
        if ((overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight) {
          box.scrollTop = box.scrollHeight;
        }
      }
    });
    await settle(page);
    const row = (await lastPreviewRow.boundingBox())!;
    const bar = (await wizard.main.locator('.iw__actions--sticky').boundingBox())!;
    expect(row.y + row.height, 'the last preview row is above the sticky action bar').toBeLessThanOrEqual(bar.y + 1);
  });
  const cancel = wizard.main.getByRole('button', { name: 'Cancel' });
  await cancel.click();

  // Scoring: the model editor's every tab, and its dialogs.
  await shell.goTo('Scoring');
  const scoring = page.getByRole('main', { name: 'Scoring' });
  await expect(scoring.getByRole('tab').first()).toBeVisible();
  for (const tab of await scoring.getByRole('tab').allInnerTexts()) {
    const label = tab.replace(/\s*\d+$/, '').trim();
    await scoring.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
    await shoot(page, `xe-scoring-${label.toLowerCase().replace(/\W+/g, '-')}`);
  }
  await scoring.getByRole('button', { name: 'Suggest a model from outcomes…' }).first().click();
  const suggest = page.getByRole('dialog', { name: 'Suggest a model from outcomes' });
  await expect(suggest.getByTestId('suggestion')).toBeVisible({ timeout: 180_000 });
  await shoot(page, 'xe-scoring-suggest');
  await page.keyboard.press('Escape');
  await scoring.getByRole('button', { name: /Preview impact/ }).click();
  const preview = page.getByRole('dialog').first();
  await expect(preview).toBeVisible();
  await shoot(page, 'xe-scoring-preview-impact');
  await page.keyboard.press('Escape');

  // Follow-up: no lead is MQL under the default model (every X Education lead gets 0 points).
  await shell.goTo('Follow-up');
  const fu = new FollowUpPage(page);
  await fu.showQueue('All leads');
  await expect(fu.main.getByRole('status').filter({ hasText: /Nothing to follow up/ })).toBeVisible();
  await shoot(page, 'xe-followup-queue');
  await shootSettings(page, 'xe');

  await shell.goTo('Reports');
  await shootReports(page, 'xe');
  await shootFileDialogs(app, 'xe');
});

test('the starter sample: the queue, the lead panel, the drawer and the reports at both sizes', async ({ app }) => {
  test.setTimeout(300_000);
  await app.backend.invoke('sample-load', { id: 'starter' });
  await expect
    .poll(async () => (await app.backend.invoke('leads-counts', {})).total, { timeout: 60_000 })
    .toBeGreaterThan(0);
  await app.page.setViewportSize(SIZES[0]);
  await app.open();
  const page = app.page;
  const shell = new AppShell(page);
  const leads = new LeadsPage(page);

  await expect(leads.row(0)).toBeVisible();
  await shoot(page, 'starter-leads');
  await openDrawer(leads);
  await shoot(page, 'starter-leads-drawer');
  await page.keyboard.press('Escape');

  await shell.goTo('Follow-up');
  const fu = new FollowUpPage(page);
  await fu.showQueue('All leads');
  await fu.queue.locator('tbody tr').first().click();
  await expect(fu.panel).toBeVisible();
  await shoot(page, 'starter-followup-queue');

  await shell.goTo('Scoring');
  await shoot(page, 'starter-scoring');

  await shell.goTo('Reports');
  await shootReports(page, 'starter');
});

test('a new workspace: every section says what to do next', async ({ app }) => {
  await app.page.setViewportSize(SIZES[0]);
  await app.open();
  const page = app.page;
  const shell = new AppShell(page);
  const nextStep = (section: string) =>
    page.getByRole('main', { name: section }).getByRole('status').getByRole('button').first();

  for (const section of ['Leads', 'Scoring', 'Follow-up', 'Reports'] as const) {
    await shell.goTo(section);
    await expect(nextStep(section), section).toBeVisible();
    await shoot(page, `empty-${section.toLowerCase().replace(/\W+/g, '-')}`);
  }

  await shell.goTo('Import');
  await expect(page.getByRole('main', { name: 'Import' }).getByRole('status').first()).toContainText('No imports yet');
  await shoot(page, 'empty-import');
  await shell.goTo('Follow-up');
  await shootSettings(page, 'empty');
  await shootFileDialogs(app, 'empty');
});
