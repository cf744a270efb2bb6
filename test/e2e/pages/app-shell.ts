/** Page object for the application shell: sidebar navigation and the status bar. */
import { expect, type Locator, type Page } from '@playwright/test';

export class AppShell {
  readonly sidebar: Locator;
  readonly statusBar: Locator;

  constructor(readonly page: Page) {
    this.sidebar = page.getByRole('navigation', { name: 'Sections' });
    this.statusBar = page.getByTestId('statusbar');
  }

  async goTo(section: 'Leads' | 'Import' | 'Scoring' | 'Follow-up' | 'Reports'): Promise<void> {
    await this.sidebar.getByRole('button', { name: section, exact: true }).click();
    await expect(this.page.getByRole('main', { name: section })).toBeVisible();
  }

  heading(): Locator {
    return this.page.getByRole('main').getByRole('heading', { level: 1 });
  }
}
