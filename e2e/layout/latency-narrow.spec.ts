import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures/atlas';
import { configureRun, openLatencyPage } from '../latency/latency-page';

/**
 * Issue 21 §10 on the Latency page at 1280x720, with every commercial region in the catalog (the region list is as
 * long as a new user's, so Start is below the first screen once it is open).
 */
test.use({ scenario: 'realistic', viewport: { width: 1280, height: 720 } });

/** One line of text: every line box of its contents starts at the same height (a table cell's own height is its row's). */
async function isOneLine(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
    return rects.length > 0 && rects.every((rect) => Math.abs(rect.top - rects[0]!.top) < 2);
  });
}

test('latency at 1280x720: Start with the region list open shows Progress; figures and ranking fit without cutting or breaking names', async ({ page, host }) => {
  test.setTimeout(120_000);
  await openLatencyPage(page, host.url);
  const form = await configureRun(page, { target: 'amazon.nova-pro-v1:0', regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'ap-northeast-1'], runs: 3, concurrency: 2, maxTokens: 8 });
  await form.getByLabel(/Compare routes/).check();
  // The region list is open (configureRun opened it): Start is far down the form, below the first screen.
  const start = form.getByRole('button', { name: 'Start' });
  await start.scrollIntoViewIfNeeded();
  expect(await page.locator('.lat-page').evaluate((element) => element.scrollTop)).toBeGreaterThan(100);
  await start.click();
  // The run's progress is in view beside the button that started it, and Cancel is there to stop it.
  await expect(page.getByRole('heading', { name: /^Progress/ })).toBeInViewport();
  await expect(page.getByTestId('live').locator('tbody tr').first()).toBeInViewport();
  await expect(form.getByRole('button', { name: 'Cancel' }).or(form.getByRole('button', { name: 'Start' }))).toBeInViewport();
  await expect(page.getByTestId('live')).toContainText(/done|partial|failed/, { timeout: 90_000 });

  const figures = page.getByTestId('figures');
  await figures.scrollIntoViewIfNeeded();
  const fits = await figures.evaluate((table) => ({ table: table.getBoundingClientRect().right, box: table.closest('section')!.getBoundingClientRect().right }));
  expect(fits.table, 'the figures table, Errors column included, inside its section').toBeLessThanOrEqual(fits.box);

  const ranking = page.getByTestId('ranking');
  await ranking.scrollIntoViewIfNeeded();
  await expect(ranking.getByTestId('ranked-route').first()).toBeVisible();
  const cells = ranking.locator('td', { hasText: /^(ap-southeast-2|ap-northeast-1|on demand|geo profile|global profile)$/ });
  expect(await cells.count()).toBeGreaterThan(3);
  for (const cell of await cells.all()) expect(await isOneLine(cell), `"${await cell.textContent()}" on one line`).toBe(true);
});
