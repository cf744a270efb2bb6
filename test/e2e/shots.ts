/** Screenshots at the two window sizes the product is checked at, for specs that look at a screen. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT } from './fixtures';

const SHOTS = process.env.SHOTS_DIR ?? join(REPO_ROOT, 'test-results', 'screenshots');

/**
 * Saves NAME-1280x800.png and NAME-1920x1080.png under SHOTS_DIR (else test-results/screenshots),
 * arranging the page again at each size, then returns to 1280x800.
 */
export async function shootBothSizes(page: Page, name: string, arrange: () => Promise<unknown>): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await arrange();
    await page.screenshot({ path: join(SHOTS, `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
