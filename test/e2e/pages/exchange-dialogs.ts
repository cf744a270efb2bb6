/** Page objects for the export, round-trip and backup dialogs (opened from the File menu). */
import type { Locator, Page } from '@playwright/test';
import type { MenuCommand } from '../../../shared/contract';
import type { AppHarness } from '../fixtures';

export class ExchangeDialogs {
  readonly page: Page;
  constructor(private readonly app: AppHarness) {
    this.page = app.page;
  }

  /** What the native File menu does (in a browser: the sidebar's File commands). */
  menu(command: MenuCommand): Promise<void> {
    return this.app.menu(command);
  }

  dialog(title: string): Locator {
    return this.page.getByRole('dialog', { name: title });
  }
}
