import { expect, FIVE_REGIONS, HAIKU, test } from '../fixtures/atlas';
import { configureRun, LATENCY_HOST, openLatencyPage } from './latency-page';
import { readmeScreenshot } from '../fixtures/readme-screenshots';

test.use(LATENCY_HOST);

/** The Latency page with real emulator figures, both themes and both sizes, for review; the 1440x900 ones are the README's. */
for (const colorScheme of ['light', 'dark'] as const) {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
  ]) {
    test(`latency screenshots ${colorScheme} ${viewport.width}x${viewport.height}`, async ({ browser, host }) => {
      test.setTimeout(120_000);
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      await openLatencyPage(page, host.url);
      const form = await configureRun(page, { target: HAIKU, regions: FIVE_REGIONS, runs: 8, concurrency: 2, maxTokens: 16 });
      await form.getByLabel(/Compare routes/).check();
      await form.locator('.lat-region-list summary').click();
      await form.getByRole('button', { name: 'Start' }).click();
      await expect(page.getByTestId('live')).toContainText('done', { timeout: 60_000 });
      await page.getByTestId('probe').getByRole('button', { name: 'Probe network' }).click();
      await expect(page.getByTestId('chart-network').locator('svg.recharts-surface')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('chart-distribution').locator('svg.recharts-surface')).toBeVisible();
      await expect(page.getByTestId('ranking').getByTestId('ranked-route').first()).toContainText(/\d+ ms/);
      await page.mouse.move(viewport.width - 4, viewport.height / 2);

      const name = `latency-${colorScheme}`;
      await page.screenshot({ path: `test-results/screens/${name}-${viewport.width}.png` });
      await page.getByTestId('run-results').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screens/${name}-results-${viewport.width}.png` });
      await page.getByTestId('history').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screens/${name}-history-${viewport.width}.png` });
      if (viewport.width === 1440) {
        // The README's view: the run's set-up and progress above, the first charts below.
        await page.locator('.lat-page').evaluate((element) => (element.scrollTop = 0));
        await page.screenshot({ path: readmeScreenshot(`${name}.png`) });
      }
      // The matrix coloured by the run's p50 TTFT, for review.
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Matrix' }).click();
      await page.getByRole('button', { name: 'TTFT overlay' }).click();
      await expect(page.getByTestId('ttft-overlay-legend')).toContainText('cells measured');
      await page.screenshot({ path: `test-results/screens/matrix-ttft-overlay-${colorScheme}-${viewport.width}.png` });
      await context.close();
    });
  }
}
