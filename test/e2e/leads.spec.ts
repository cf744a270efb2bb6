/**
 * The Leads workspace end to end, on the real backend: the starter sample (imported and
 * scored by the real engine) plus 20,000 generated leads, so the grid is large enough that
 * only a window of it is ever in the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL } from '../../shared/scoring';
import { expect, REAL_DATA, test, type AppHarness } from './fixtures';
import { AppShell } from './pages/app-shell';
import { LeadsPage } from './pages/leads-page';

const EXTRA = 20_000;

/** The starter sample plus EXTRA generated leads, imported from a CSV like any user's file. */
async function seed(app: AppHarness): Promise<number> {
  await app.backend.invoke('sample-load', { id: 'starter' });
  await expect
    .poll(async () => (await app.backend.invoke('leads-counts', {})).total, { timeout: 60_000 })
    .toBeGreaterThan(0);
  const rows = ['Email,First name,Last name,Company,Job title,Country'];
  for (let i = 1; i <= EXTRA; i++) {
    const email = `gen${i}@bulkco${i % 50}.test`;
    rows.push(`${email},Gen${i % 97},Lead${String(i).padStart(5, '0')},Bulk Co ${i % 50},Analyst,DE`);
  }
  await app.backend.invoke('import-run', {
    path: app.writeFile('bulk-leads.csv', rows.join('\n')),
    options: {
      kind: 'leads',
      mapping: {
        Email: 'email',
        'First name': 'first_name',
        'Last name': 'last_name',
        Company: 'company',
        'Job title': 'title',
        Country: 'country',
      },
    },
  });
  return (await app.backend.invoke('leads-counts', {})).total;
}

test.describe('leads workspace', () => {
  test('scrolls a large grid page by page, sorts and filters in SQL', async ({ app }) => {
    const total = await seed(app);
    await app.open();
    await new AppShell(app.page).goTo('Leads');
    const leads = new LeadsPage(app.page);
    await leads.expectCount(total);
    // Only a window of rows is rendered, never the whole result.
    await expect(leads.row(0)).toBeVisible();
    expect(await leads.rows.count()).toBeLessThan(120);

    await leads.scrollToEnd();
    await expect(leads.row(total - 1)).toBeVisible();
    await expect(leads.row(total - 1).locator('.lg-skeleton')).toHaveCount(0);
    await app.screenshot('leads-grid-scrolled');

    // Sort by company ascending: the first row is what the backend says comes first.
    await leads.sortBy('Company');
    const expectedFirst = (
      await app.backend.invoke('leads-query', { sort: { column: 'company', dir: 'asc' }, limit: 1 })
    ).rows[0]!;
    await expect(leads.row(0)).toHaveAttribute('data-lead-id', String(expectedFirst.id));
    await expect(leads.grid.getByRole('columnheader', { name: /Company/ })).toHaveAttribute('aria-sort', 'ascending');

    // The score, a number: largest first, then smallest first (the lowest lead on top), then no sort.
    const score = leads.grid.locator('[role="columnheader"][data-column="score_total"]');
    await leads.sortBy('Score');
    await expect(score).toHaveAttribute('aria-sort', 'descending');
    await leads.sortBy('Score');
    await expect(score).toHaveAttribute('aria-sort', 'ascending');
    const lowest = (await app.backend.invoke('leads-query', { sort: { column: 'score_total', dir: 'asc' }, limit: 1 }))
      .rows[0]!;
    await expect(leads.row(0)).toHaveAttribute('data-lead-id', String(lowest.id));
    await leads.sortBy('Score');
    await expect(score).toHaveAttribute('aria-sort', 'none');

    // Column filter: company contains.
    await leads.filterContains('Company', 'Bulk Co 7');
    const expected = (
      await app.backend.invoke('leads-query', { filters: [{ column: 'company', op: 'contains', value: 'Bulk Co 7' }] })
    ).total!;
    await leads.expectCount(expected);
    await expect(app.page.getByRole('button', { name: /Remove filter Company contains/ })).toBeVisible();
    expect(await leads.cellText(0, 'Company')).toContain('Bulk Co 7');

    // Numeric range on the score, combined with the first filter.
    await leads.filterRange('Score', 50, 59);
    const both = (
      await app.backend.invoke('leads-query', {
        filters: [
          { column: 'company', op: 'contains', value: 'Bulk Co 7' },
          { column: 'score_total', op: 'range', min: 50, max: 59 },
        ],
      })
    ).total!;
    await leads.expectCount(both);
    await app.page.getByRole('button', { name: 'Clear all' }).click();
    await leads.expectCount(total);

    // Quick search: "/" focuses it.
    await leads.grid.focus();
    await app.page.keyboard.press('/');
    await expect(leads.search).toBeFocused();
    await leads.search.fill('lead01234');
    await leads.expectCount(1);

    // Segment chip and grade cell filter with counts.
    await leads.search.fill('');
    await app.page.getByRole('toolbar', { name: 'Segments' }).getByRole('button', { name: /^hot/i }).click();
    const hot = (await app.backend.invoke('leads-counts', {})).segments.find((s) => s.segment === 'hot')!.count;
    await leads.expectCount(hot);
    const a1 = (await app.backend.invoke('leads-counts', {})).grades.A1 ?? 0;
    await app.page.getByRole('button', { name: new RegExp(`^Grade A1: ${a1.toLocaleString('en-US')} leads`) }).click();
    await leads.expectCount(a1);
  });

  test('opens a lead with the keyboard, reads the explanation, edits a field with validation', async ({ app }) => {
    await seed(app);
    await app.open();
    const leads = new LeadsPage(app.page);
    // The default sort is score, highest first: row 0 is a scored sample lead.
    await expect(leads.row(0)).toBeVisible();
    await leads.grid.focus();
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('ArrowUp');
    await app.page.keyboard.press('Enter');
    await expect(leads.drawer).toBeVisible();
    const id = Number(await leads.row(0).getAttribute('data-lead-id'));
    const explanation = await app.backend.invoke('lead-explain', { leadId: id });
    expect(explanation.score).not.toBeNull();
    const ledger = leads.drawer.getByRole('list', { name: 'Score explanation' });
    await expect(ledger.getByRole('listitem')).toHaveCount(explanation.score!.ledger.length);
    await expect(ledger.getByRole('listitem').first()).toHaveText(explanation.score!.ledger[0]!.text);
    await expect(leads.drawer.getByTestId('lead-score')).toHaveText(String(explanation.score!.total));
    await expect(leads.drawer.getByRole('region', { name: 'Activity timeline' })).toContainText(
      'from starter-activities.csv',
    );
    await app.screenshot('leads-drawer');

    // Invalid email: refused before saving, with the reason.
    await leads.drawerField('Email').fill('not an email');
    await leads.drawer.getByRole('button', { name: 'Save changes' }).click();
    await expect(leads.drawer.getByText('Not a valid email address')).toBeVisible();
    await leads.drawer.getByRole('button', { name: 'Discard' }).click();

    await leads.drawerField('Job title').fill('Chief Revenue Officer');
    await leads.drawer.getByRole('button', { name: 'Save changes' }).click();
    await expect(leads.drawer.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    const stored = await app.backend.invoke('lead-get', { id });
    expect(stored.lead.title).toBe('Chief Revenue Officer');
    await expect(leads.grid.locator(`[data-lead-id="${id}"]`)).toContainText('Chief Revenue Officer');

    await leads.drawer.getByRole('textbox', { name: 'New note' }).fill('Asked for a demo next week');
    await leads.drawer.getByRole('button', { name: 'Add note' }).click();
    await expect(leads.drawer.getByText('Asked for a demo next week')).toBeVisible();
    await app.page.keyboard.press('Escape');
    await expect(leads.drawer).toBeHidden();
  });

  test('reads a long activity timeline to its end, older activity a page at a time', async ({ app }) => {
    await seed(app);
    await app.open();
    const leads = new LeadsPage(app.page);
    await expect(leads.row(0)).toBeVisible();
    const id = Number(await leads.row(0).getAttribute('data-lead-id'));
    const { lead } = await app.backend.invoke('lead-get', { id });
    await app.importActivities(
      Array.from({ length: 700 }, (_, i) => ({
        email: lead.email ?? '',
        type: 'Page View',
        asset: `/docs/page-${i}`,
        at: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
      })),
      'timeline.csv',
    );
    const db = app.readDb();
    const total = (await app.backend.invoke('lead-get', { id })).activityCount;
    expect(total).toBeGreaterThan(700);
    expect(total).toBeLessThanOrEqual(1000);

    await leads.openRow(0);
    const timeline = leads.drawer.getByRole('region', { name: 'Activity timeline' });
    await expect(timeline).toContainText(`Showing the newest 500 of ${total.toLocaleString('en-US')}`);
    await expect(timeline.getByRole('listitem')).toHaveCount(500);
    await timeline.getByRole('button', { name: 'Show older activity' }).click();
    await expect(timeline.getByRole('listitem')).toHaveCount(total);
    await expect(timeline.getByRole('button', { name: 'Show older activity' })).toBeHidden();
    // The oldest activity is last.
    const oldest = db
      .prepare('SELECT asset FROM activities WHERE lead_id = ? ORDER BY occurred_at, id LIMIT 1')
      .pluck()
      .get(id) as string;
    await expect(timeline.getByRole('listitem').last()).toContainText(oldest);
    await app.screenshot('leads-timeline-older');
  });

  test('bulk action on selected rows and on all matching, with confirmation and undo', async ({ app }) => {
    await seed(app);
    await app.open();
    const leads = new LeadsPage(app.page);
    await expect(leads.row(0)).toBeVisible();
    const ids = await Promise.all([0, 1, 2].map(async (i) => Number(await leads.row(i).getAttribute('data-lead-id'))));
    await leads.selectRow(0);
    await leads
      .row(2)
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] });
    await expect(leads.bulkBar).toContainText('3 leads selected');
    // Choosing the stage asks at once, with the count.
    await leads.bulkBar.getByRole('combobox', { name: 'Set stage' }).selectOption('sal');
    const confirm = app.page.getByRole('dialog', { name: /^Move to Accepted by sales/ });
    await expect(confirm).toContainText('3 leads');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect(leads.toast).toContainText('Moved 3 leads to Accepted by sales (SAL)');
    for (const id of ids) expect((await app.backend.invoke('lead-get', { id })).lead.stage).toBe('sal');
    // The grid shows the stage's label, not its key.
    await expect.poll(() => leads.cellText(0, 'Stage')).toBe('Accepted by sales (SAL)');
    await leads.toast.getByRole('button', { name: 'Undo' }).click();
    await expect(leads.toast).toContainText('Undid');
    for (const id of ids) expect((await app.backend.invoke('lead-get', { id })).lead.stage).not.toBe('sal');

    // Select all matching a filter (rows never loaded included), delete with confirmation, undo.
    await leads.search.fill('bulkco7.test');
    const matching = (await app.backend.invoke('leads-query', { search: 'bulkco7.test' })).total!;
    await leads.expectCount(matching);
    await leads.selectRow(0);
    await leads.bulkBar
      .getByRole('button', { name: `Select all ${matching.toLocaleString('en-US')} matching` })
      .click();
    await expect(leads.bulkBar).toContainText(`${matching.toLocaleString('en-US')} leads selected`);
    await leads.bulkBar.getByRole('button', { name: 'Delete…' }).click();
    const confirmDelete = app.page.getByRole('dialog', { name: /^Delete: / });
    await expect(confirmDelete).toContainText(`${matching.toLocaleString('en-US')} leads`);
    await app.screenshot('leads-bulk-confirm');
    await confirmDelete.getByRole('button', { name: /^Delete \d/ }).click();
    await expect(leads.toast).toContainText(`Deleted ${matching.toLocaleString('en-US')} leads`);
    await expect(app.page.getByRole('heading', { name: 'No lead matches this view' })).toBeVisible();
    await leads.toast.getByRole('button', { name: 'Undo' }).click();
    await leads.expectCount(matching);
  });

  test('saves a view and reapplies it', async ({ app }) => {
    await seed(app);
    await app.open();
    const leads = new LeadsPage(app.page);
    await leads.filterContains('Company', 'Bulk Co 12');
    await app.page.getByRole('button', { name: 'Save view…' }).click();
    await app.page.getByRole('textbox', { name: 'View name' }).fill('Bulk Co 12 accounts');
    await app.page.getByRole('form', { name: 'Save view' }).getByRole('button', { name: 'Save' }).click();
    // The page saves it over HTTP: wait for the backend to hold it.
    await expect
      .poll(async () => (await app.backend.invoke('views-list', {})).map((v) => v.name))
      .toEqual(['Bulk Co 12 accounts']);
    const saved = await app.backend.invoke('views-list', {});
    const n = (await app.backend.invoke('leads-query', { ...saved[0]!.query })).total!;
    await app.page.getByRole('combobox', { name: 'Saved view' }).selectOption({ label: 'All leads (no saved view)' });
    await expect(app.page.getByRole('button', { name: /Remove filter/ })).toHaveCount(0);
    await app.page.getByRole('combobox', { name: 'Saved view' }).selectOption({ label: 'Bulk Co 12 accounts' });
    await leads.expectCount(n);
  });

  test('chooses, reorders and resizes columns; the first column stays pinned', async ({ app }) => {
    await seed(app);
    await app.open();
    const leads = new LeadsPage(app.page);
    await expect(leads.row(0)).toBeVisible();
    const headers = () => leads.grid.getByRole('columnheader').allInnerTexts();
    await app.page.getByRole('button', { name: /^Columns/ }).click();
    await app.page
      .getByRole('dialog', { name: 'Choose columns' })
      .getByRole('checkbox', { name: 'Lead source' })
      .check();
    await app.page.keyboard.press('Escape');
    expect((await headers()).map((h) => h.trim())).toContain('Lead source');

    // Drag "Email" onto "Segment" (both in sight by default): it moves before it.
    const email = leads.grid.getByRole('button', { name: 'Sort by Email' });
    await email.dragTo(leads.grid.locator('[role="columnheader"][data-column="segment"]'));
    const order = (await headers()).map((h) => h.trim()).filter(Boolean);
    expect(order.indexOf('Email')).toBeLessThan(order.indexOf('Segment'));

    // Resize "Company" by dragging its edge.
    const company = leads.grid.locator('[role="columnheader"][data-column="company"]');
    const before = (await company.boundingBox())!.width;
    const handle = (await leads.grid.getByRole('separator', { name: 'Resize Company' }).boundingBox())!;
    await app.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(handle.x + 120, handle.y + handle.height / 2, { steps: 5 });
    await app.page.mouse.up();
    await expect.poll(async () => (await company.boundingBox())!.width).toBeGreaterThan(before + 80);
    const resized = (await company.boundingBox())!.width;

    // Sorted by Company (ascending on the first click).
    await leads.grid.getByRole('button', { name: 'Sort by Company' }).click();
    await expect(company).toHaveAttribute('aria-sort', 'ascending');

    // The choices, widths and sort are the workspace's: they survive leaving Leads and coming
    // back, and reopening the page.
    const expectLayoutKept = async () => {
      await expect(leads.row(0)).toBeVisible();
      await expect(company).toHaveAttribute('aria-sort', 'ascending');
      const kept = (await headers()).map((h) => h.trim()).filter(Boolean);
      expect(kept).toContain('Lead source');
      expect(kept.indexOf('Email')).toBeLessThan(kept.indexOf('Segment'));
      expect(Math.abs((await company.boundingBox())!.width - resized)).toBeLessThan(2);
    };
    await expect
      .poll(async () => (await app.backend.invoke('grid-layout-get', {}))?.sort)
      .toEqual({ column: 'company', dir: 'asc' });
    const shell = new AppShell(app.page);
    await shell.goTo('Reports');
    await shell.goTo('Leads');
    await expectLayoutKept();
    await app.page.reload();
    await expectLayoutKept();

    // Scrolled sideways, the name column stays put.
    const name = leads.row(0).getByRole('gridcell').nth(1);
    const x0 = (await name.boundingBox())!.x;
    await leads.grid.evaluate((el) => {
      el.scrollLeft = 400;
    });
    await expect.poll(async () => (await name.boundingBox())!.x).toBe(x0);
  });

  test('"MQL now" counts open leads only, says so, and lists exactly them (X Education)', async ({ app }) => {
    test.setTimeout(180_000);
    // The real file with its outcome: every fifth lead's Converted blanked, so they stay open;
    // the rest close as won or lost. A threshold every score meets makes every lead MQL by score.
    const lines = readFileSync(join(REAL_DATA, 'xeducation_leads.csv'), 'utf8').split('\r\n');
    const at = lines[0]!.split(',').indexOf('Converted');
    let open = 0;
    const text = lines
      .map((line, i) => {
        if (i === 0 || line === '' || i % 5 !== 0) return line;
        const cells = line.split(','); // Converted comes before any quoted cell
        cells[at] = '';
        open++;
        return cells.join(',');
      })
      .join('\r\n');
    await app.backend.invoke('import-run', {
      path: app.writeFile('xeducation-open.csv', text),
      options: { kind: 'leads', outcome: { column: 'Converted', won: ['1'] } },
    });
    await app.backend.invoke('model-save-draft', {
      modelId: 1,
      definition: { ...DEFAULT_MODEL, mql: { threshold: -1000, minFitGrade: null } },
    });
    await app.backend.invoke('model-publish', { modelId: 1 });
    const mqlByScore = async () =>
      (
        await app.backend.invoke('leads-query', {
          filters: [{ column: 'is_mql', op: 'in', values: [1] }],
          limit: 1,
          withTotal: true,
        })
      ).total;
    await expect.poll(mqlByScore, { timeout: 90_000 }).toBe(9240);

    await app.open();
    await new AppShell(app.page).goTo('Leads');
    const leads = new LeadsPage(app.page);
    await leads.expectCount(9240);
    const chip = app.page.getByRole('toolbar', { name: 'Segments' }).getByRole('button', { name: /^MQL now/ });
    await expect(chip).toHaveText(`MQL now${open.toLocaleString('en-US')}open leads`);
    await expect(chip).toHaveAttribute('title', /^Open leads whose current score meets the MQL threshold\. Won, lost/);
    await chip.click();
    await leads.expectCount(open);
    await expect(chip).toHaveAttribute('aria-pressed', 'true');
    // Every lead listed is open: none won or lost.
    const listed = await app.backend.invoke('leads-query', {
      filters: [...(await app.backend.invoke('leads-counts', {})).mqlFilters],
      limit: 200,
      withTotal: true,
    });
    expect(listed.total).toBe(open);
    expect(listed.rows.filter((r) => r.stage === 'won' || r.stage === 'lost')).toEqual([]);
  });
});
