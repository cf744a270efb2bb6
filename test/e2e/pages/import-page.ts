/** Page object for the Import section: file pick, wizard, progress, summary, history. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ImportPage {
  readonly main: Locator;
  readonly mapping: Locator;
  readonly preview: Locator;
  readonly summary: Locator;
  readonly history: Locator;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main', { name: 'Import' });
    this.mapping = this.main.getByRole('table', { name: 'Column mapping' });
    this.preview = this.main.getByRole('table', { name: 'Preview' });
    this.summary = this.main.getByTestId('import-summary');
    this.history = this.main.getByRole('table', { name: 'Import history' });
  }

  /** Opens the file dialog (answered by the harness queue) and waits for the wizard. */
  async chooseFile(fileName: string): Promise<void> {
    await this.main.getByRole('button', { name: 'Choose a file…' }).click();
    await expect(this.main.getByRole('heading', { name: fileName })).toBeVisible();
  }

  target(column: string): Locator {
    return this.mapping.getByRole('combobox', { name: `Target for ${column}`, exact: true });
  }

  /** The type override of a custom column ("" = the detected type). */
  type(column: string): Locator {
    return this.mapping.getByRole('combobox', { name: `Type of ${column}`, exact: true });
  }

  /** The outcome picker: the column, then the values that count as won. */
  async mapOutcome(column: string, won: readonly string[]): Promise<void> {
    await this.main.getByLabel('Outcome column').selectOption(column);
    const values = this.main.getByRole('group', { name: 'Values that count as won' });
    for (const v of won) await values.getByRole('checkbox', { name: new RegExp(`^${v} \\(`) }).check();
  }

  /** Values of the outcome column that stay open (a pipeline's stages in between), after the won ones. */
  async keepOpen(values: readonly string[]): Promise<void> {
    const group = this.main.getByRole('group', { name: 'Values that stay open' });
    for (const v of values) await group.getByRole('checkbox', { name: new RegExp(`^${v} \\(`) }).check();
  }

  async run(fileName: string): Promise<void> {
    await this.main.getByRole('button', { name: `Import ${fileName}` }).click();
  }

  stat(label: string): Locator {
    return this.summary.locator('.stat').filter({ hasText: label }).locator('strong');
  }
}
