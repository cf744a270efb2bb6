/** Page object for the Leads section: grid, search, chips, grade grid, bulk bar, drawer. */
import { expect, type Locator, type Page } from '@playwright/test';

export class LeadsPage {
  readonly grid: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly search: Locator;
  readonly drawer: Locator;
  readonly bulkBar: Locator;
  readonly toast: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByRole('grid', { name: 'Leads' });
    this.rows = this.grid.locator('[role="row"][data-lead-id]');
    this.count = page.getByTestId('grid-count');
    this.search = page.getByRole('searchbox', { name: 'Quick search' });
    this.drawer = page.getByTestId('lead-drawer');
    this.bulkBar = page.getByRole('region', { name: 'Bulk actions' });
    this.toast = page.getByTestId('bulk-toast');
  }

  /** Waits until the grid shows this many matching leads. */
  async expectCount(n: number): Promise<void> {
    await expect(this.count).toContainText(`${n.toLocaleString('en-US')} lead`);
  }

  row(index: number): Locator {
    return this.grid.locator(`[role="row"][data-index="${index}"]`);
  }

  /** The text of a column's cell in a row (by the column's position among headers). */
  async cellText(index: number, columnLabel: string): Promise<string> {
    const headers = await this.grid.getByRole('columnheader').allInnerTexts();
    const col = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === columnLabel);
    expect(col, `column ${columnLabel}`).toBeGreaterThanOrEqual(0);
    return (await this.row(index).getByRole('gridcell').nth(col).innerText()).trim();
  }

  async sortBy(label: string): Promise<void> {
    await this.grid.getByRole('button', { name: `Sort by ${label}` }).click();
  }

  async openFilter(label: string): Promise<Locator> {
    await this.grid.getByRole('button', { name: `Filter ${label}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: `Filter ${label}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async filterContains(label: string, text: string): Promise<void> {
    const d = await this.openFilter(label);
    await d.getByRole('combobox', { name: 'Operator' }).selectOption('contains');
    await d.getByRole('textbox', { name: 'Text' }).fill(text);
    await d.getByRole('button', { name: 'Apply' }).click();
  }

  async filterRange(label: string, min: number, max: number): Promise<void> {
    const d = await this.openFilter(label);
    await d.getByRole('textbox', { name: 'Minimum' }).fill(String(min));
    await d.getByRole('textbox', { name: 'Maximum' }).fill(String(max));
    await d.getByRole('button', { name: 'Apply' }).click();
  }

  async scrollToEnd(): Promise<void> {
    await this.grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
  }

  async openRow(index: number): Promise<void> {
    await this.row(index).locator('.lg-open').click();
    await expect(this.drawer).toBeVisible();
  }

  drawerField(label: string): Locator {
    return this.drawer.getByRole('textbox', { name: label, exact: true });
  }

  async selectRow(index: number): Promise<void> {
    await this.row(index).getByRole('checkbox').click();
  }
}
