/** Page objects for the export, round-trip and backup dialogs (opened from the File menu). */
import type { Locator, Page } from '@playwright/test';
import type { MenuCommand } from '../../../shared/contract';
import type { AppHarness } from '../fixtures';

export class ExchangeDialogs {
  readonly page: Page;
  constructor(private readonly app: AppHarness) {
    this.page = app.page;
  }

  /** What the native menu does: the shell sends a menu command to the renderer. */
  menu(command: MenuCommand): void {
    this.app.backend.context.emit('menu-command', { command });
  }

  dialog(title: string): Locator {
    return this.page.getByRole('dialog', { name: title });
  }
}
