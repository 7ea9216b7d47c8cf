import type { Page } from '@playwright/test';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { LATENCY_HOST } from './latency-page';

test.use(LATENCY_HOST);

/** Presses Tab until the focused element matches (at most 80 presses), as a keyboard-only user would. */
async function tabTo(page: Page, matches: (element: { tag: string; label: string; text: string; type: string }) => boolean, description: string) {
  for (let press = 0; press < 80; press++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const labelled = element?.closest('label')?.textContent ?? '';
      return { tag: element?.tagName ?? '', label: element?.getAttribute('aria-label') ?? labelled, text: element?.textContent ?? '', type: element?.getAttribute('type') ?? '' };
    });
    if (matches(focused)) return;
  }
  throw new Error(`Tab never reached ${description}`);
}

test('keyboard only: open the page, set up and start a run, read the results, copy a ranked route id', async ({ page, host, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { name: 'Latency lab' })).toBeVisible();
  // The form appears once the catalog is loaded (a fresh host scans first): a user waits for it too.
  await expect(page.getByTestId('target-described')).toBeVisible({ timeout: 30_000 });

  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Model or profile'), 'the target');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(HAIKU);
  await tabTo(page, (element) => element.tag === 'BUTTON' && element.text === 'None', 'None');
  await page.keyboard.press('Enter');
  await tabTo(page, (element) => element.tag === 'SUMMARY', 'the region list');
  await page.keyboard.press('Enter');
  await tabTo(page, (element) => element.type === 'checkbox' && element.label === 'us-west-2', 'us-west-2');
  await page.keyboard.press('Space');
  await tabTo(page, (element) => element.label.startsWith('Runs per route'), 'runs');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('4');
  await tabTo(page, (element) => element.label.startsWith('Max tokens'), 'max tokens');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('8');
  // Enter submits only once the estimate of this very form is in: while one is pending the Start button is
  // disabled and Enter does nothing. The runs (4) and the max tokens (8: 5 requests × 8) must both show.
  await expect(page.getByTestId('estimate')).toContainText('4 requests (1 routes × 4) + 1 warm-up');
  await expect(page.getByTestId('estimate')).toContainText('up to 40 output tokens');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('live')).toContainText('done', { timeout: 30_000 });
  await expect(page.getByTestId('run-results').getByTestId('chart-ttft').locator('svg.recharts-surface')).toBeVisible();

  await tabTo(page, (element) => element.tag === 'BUTTON' && element.text === '1h', 'the history window 1h');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('radio', { name: '1h' }).first()).toHaveAttribute('aria-checked', 'true');

  await tabTo(page, (element) => element.label === `Copy ${HAIKU}`, 'a ranked route’s copy button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ranking').getByRole('button', { name: `Copy ${HAIKU}` }).first()).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(HAIKU);
});
