import { test, expect } from '../fixtures/atlas';
import { cell } from '../fixtures/matrix-grid';
import { readmeScreenshot } from '../fixtures/readme-screenshots';

/** The matrix in both themes and both sizes, for review; the 1440x900 ones are the README's. */
for (const colorScheme of ['light', 'dark'] as const) {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
  ]) {
    test(`matrix screenshots ${colorScheme} ${viewport.width}x${viewport.height}`, async ({ browser, host }) => {
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      await page.goto(host.url);
      const grid = page.getByTestId('matrix');
      await expect(grid.locator('.cell').first()).toBeVisible();
      const readme = viewport.width === 1440;
      await page.screenshot({ path: `test-results/screens/matrix-${colorScheme}-${viewport.width}.png` });
      if (readme) await page.screenshot({ path: readmeScreenshot(`matrix-${colorScheme}.png`) });

      const target = cell(page, 'amazon.nova-2-lite-v1:0', 'eu-west-1');
      await target.click();
      await expect(page.getByTestId('best-routes')).toBeVisible();
      await expect(page.getByTestId('access-status')).toBeVisible();
      await page.mouse.move(600, viewport.height - 8);
      await page.screenshot({ path: `test-results/screens/cell-panel-${colorScheme}-${viewport.width}.png` });
      if (readme && colorScheme === 'light') await page.screenshot({ path: readmeScreenshot('cell-panel.png') });

      await page.locator('.region-header[data-region="eu-west-1"]').click();
      await expect(page.getByTestId('region-panel')).toBeVisible();
      await page.mouse.move(600, viewport.height - 8);
      await page.screenshot({ path: `test-results/screens/region-view-${colorScheme}-${viewport.width}.png` });
      if (readme && colorScheme === 'light') await page.screenshot({ path: readmeScreenshot('region-view.png') });
      await context.close();
    });
  }
}
