/** Page object for the Scoring section: model list, editor tabs, rule rows, preview, publish, lead tester. */
import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell';

export type EditorTabName =
  'Fit' | 'Engagement' | 'Negative' | 'Suppression' | 'Decay' | 'Segments' | 'Model' | 'History' | 'Test a lead';

export class ScoringPage {
  readonly editor: Locator;
  readonly issuesBanner: Locator;
  readonly saveState: Locator;
  readonly rescoreStatus: Locator;

  constructor(readonly page: Page) {
    this.editor = page.getByTestId('model-editor');
    this.issuesBanner = page.getByTestId('draft-issues');
    this.saveState = page.getByTestId('save-state');
    this.rescoreStatus = page.getByTestId('rescore-status');
  }

  async open(): Promise<void> {
    await new AppShell(this.page).goTo('Scoring');
    await expect(this.editor).toBeVisible();
  }

  model(name: string): Locator {
    return this.page.getByTestId('model-item').filter({ hasText: name });
  }

  async tab(name: EditorTabName): Promise<void> {
    await this.page
      .getByRole('tablist', { name: 'Model parts' })
      .getByRole('tab', { name: new RegExp(`^${name}`) })
      .click();
  }

  ruleRow(name: string): Locator {
    return this.page.getByTestId('rule-row').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** Opens a rule's editor (in place under its row) and returns it. */
  async openRule(name: string): Promise<Locator> {
    await this.ruleRow(name).getByRole('button', { name, exact: true }).click();
    const editor = this.page.getByTestId('rule-editor');
    await expect(editor).toBeVisible();
    return editor;
  }

  async closeRule(): Promise<void> {
    await this.page.getByTestId('rule-editor').getByRole('button', { name: 'Done' }).click();
  }

  async waitSaved(): Promise<void> {
    await expect(this.saveState).toHaveText('Draft saved');
  }

  async previewImpact(): Promise<Locator> {
    await this.editor.getByRole('button', { name: 'Preview impact' }).first().click();
    const dialog = this.page.getByRole('dialog', { name: 'Impact of this draft' });
    await expect(dialog.getByTestId('preview')).toBeVisible();
    return dialog;
  }

  matrixCell(dialog: Locator, from: string, to: string): Locator {
    return dialog.locator(`[data-testid="segment-matrix"] td[data-from="${from}"][data-to="${to}"]`);
  }

  /** From the preview dialog (or the header), publishes with a note and waits for the rescore to end. */
  async publish(note: string, fromDialog?: Locator): Promise<void> {
    await (fromDialog ?? this.editor).getByRole('button', { name: 'Publish…' }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Publish / });
    await dialog.getByLabel('Version note').fill(note);
    await dialog.getByRole('button', { name: 'Publish and rescore' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.rescoreStatus).toContainText(/Rescored [\d,]+ leads?/);
  }

  async pickLead(search: string, name: string): Promise<void> {
    await this.tab('Test a lead');
    await this.page.getByLabel('Find a lead').fill(search);
    await this.page
      .getByRole('list', { name: 'Leads' })
      .getByRole('button', { name: new RegExp(name) })
      .click();
    await expect(this.page.getByTestId('tester-lead-name')).toHaveText(name);
  }
}
