/** Page object for the Reports section: report tabs, the table behind each chart, export. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ReportsPage {
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main', { name: 'Reports' });
  }

  async show(
    tab: 'Funnel' | 'Grades & segments' | 'SLA compliance' | 'Outcomes' | 'Disposition reasons',
  ): Promise<void> {
    await this.main.getByRole('tab', { name: tab }).click();
    await expect(this.main.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
  }

  table(label: string): Locator {
    return this.main.getByRole('table', { name: `${label} table` });
  }

  /** The cells of the table row whose first cell is `first`. */
  async rowCells(label: string, first: string): Promise<string[]> {
    const row = this.table(label)
      .locator('tbody tr')
      .filter({ has: this.page.locator('td:first-child', { hasText: first }) })
      .first();
    await expect(row).toBeVisible();
    return row.locator('td').allInnerTexts();
  }

  async exportCsv(): Promise<void> {
    await this.main.getByRole('button', { name: 'Export CSV…' }).click();
    await expect(this.main.getByRole('status').filter({ hasText: 'Exported' })).toBeVisible();
  }
}
