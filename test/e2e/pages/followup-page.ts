/** Page object for the Follow-up section: the queue, the selected lead's panel, settings. */
import { expect, type Locator, type Page } from '@playwright/test';

export class FollowUpPage {
  readonly main: Locator;
  readonly queue: Locator;
  readonly panel: Locator;
  readonly toast: Locator;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main', { name: 'Follow-up' });
    this.queue = this.main.getByRole('table', { name: 'Follow-up queue' });
    this.panel = this.main.getByRole('complementary', { name: 'Selected lead' });
    this.toast = this.main.locator('.fu-toast');
  }

  async showQueue(scope: 'My leads' | 'All leads' = 'My leads'): Promise<void> {
    await this.main.getByRole('tab', { name: 'Queue' }).click();
    await this.main.getByRole('tab', { name: scope }).click();
  }

  async showSettings(): Promise<void> {
    await this.main.getByRole('tab', { name: 'Settings' }).click();
    await expect(this.main.getByRole('region', { name: 'Owners' })).toBeVisible();
  }

  row(leadName: string): Locator {
    return this.queue.locator('tbody tr', { hasText: leadName });
  }

  async chooseMe(ownerLabel: string): Promise<void> {
    await this.main.getByLabel('I am').selectOption({ label: ownerLabel });
    await expect(this.toast).toContainText('Saved who you are');
  }

  /** Adds a rule "field op value -> one owner" and moves it to the top. */
  async addOwnerRule(name: string, field: string, value: string, ownerName: string): Promise<void> {
    const section = this.main.getByRole('region', { name: 'Routing rules' });
    await section.getByRole('button', { name: 'Add rule' }).click();
    const form = section.getByRole('form', { name: 'Routing rule' });
    await form.getByLabel('Rule name').fill(name);
    await form.getByRole('button', { name: '+ Condition' }).click();
    // Fields come from a picker over the workspace's fields (value is the field key).
    await form.getByLabel('Condition field').selectOption(field);
    await form.getByLabel('Condition value').fill(value);
    await form.getByLabel('Target kind').selectOption('owner');
    await form.getByLabel('Target owner').selectOption({ label: ownerName });
    await form.getByRole('button', { name: 'Save rule' }).click();
    await expect(this.toast).toContainText(`Saved rule "${name}"`);
    const rows = section.locator('tbody tr');
    // The list refreshes after the notice: wait for the new row before reading the order.
    await expect(rows.filter({ hasText: name })).toHaveCount(1);
    for (;;) {
      const names = await rows.locator('td:nth-child(2)').allInnerTexts();
      const at = names.findIndex((n) => n.startsWith(name));
      if (at <= 0) break;
      await section.getByRole('button', { name: `Move rule ${name} up` }).click();
      await expect(rows.nth(at - 1)).toContainText(name);
    }
    await expect(section.locator('tbody tr').first()).toContainText(name);
  }

  /** Two clicks: the lead's row, then the outcome. */
  async logOutcome(leadName: string, outcome: string): Promise<void> {
    await this.row(leadName).click();
    await expect(this.panel.getByRole('heading', { name: leadName })).toBeVisible();
    await this.panel.getByRole('button', { name: outcome }).click();
    await expect(this.toast).toContainText(outcome);
  }

  async dispose(leadName: string, reason: string): Promise<void> {
    await this.row(leadName).click();
    await this.panel.getByLabel('Disposition reason').selectOption({ label: reason });
    await this.panel.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.toast).toContainText(`Closed ${leadName}`);
  }
}
