import { test, expect } from '../fixtures/atlas';
import { setScenario, startEmulator, startWebHost } from '../fixtures/processes';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';
import { readmeScreenshot } from '../fixtures/readme-screenshots';

/** Refreshes that answer in no region: the banner says why, what is on screen instead, and offers a Retry. */
test.describe('a discovery that fails everywhere', () => {
  test('a refresh refused in every region shows a banner with the cause and a Retry, and the Regions popover shows the failure', async ({ page, host, emulator }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('region-summary')).toHaveText('31 regions ok · 2 failed');
    await expect(page.getByTestId('failure-banner')).toBeHidden();
    await setScenario(emulator.url, { notEnabled: COMMERCIAL_REGIONS });
    try {
      await page.getByRole('button', { name: '↻ Refresh' }).click();
      const banner = page.getByTestId('failure-banner');
      await expect(banner).toBeVisible({ timeout: 30_000 });
      await expect(banner.getByTestId('failure-cause')).toHaveText(
        'credentials not accepted: the access key is invalid, or the regions are not enabled for the account',
      );
      await expect(banner).toContainText('Live discovery failed in all 33 regions');
      await expect(banner.getByTestId('failure-shown-instead')).toHaveText(/^Showing the (catalog fetched|cached catalog from) \d{4}-\d\d-\d\d \d\d:\d\d \(.+\) instead\.$/);
      await expect(page.getByTestId('bedrock-state')).toHaveText('○ Bedrock not answering');
      await expect(page.getByTestId('region-summary')).toHaveText('0 regions ok · 33 failed');
      await page.screenshot({ path: readmeScreenshot('failure-banner.png') });

      await banner.getByRole('button', { name: 'Details' }).click();
      const popover = page.getByTestId('region-popover');
      await expect(popover.getByTestId('popover-failure')).toContainText('Live discovery failed in every region: credentials not accepted');
      await expect(popover.locator('tr')).toHaveCount(33);
      await expect(popover.locator('tr', { hasText: '✓' })).toHaveCount(0);
      await expect(popover.locator('tr', { hasText: 'us-east-1' })).toContainText('✗ UnrecognizedClientException');
      await page.screenshot({ path: 'test-results/screens/failure-popover.png' });
      await page.keyboard.press('Escape');
      await expect(popover).toBeHidden();

      await setScenario(emulator.url, {});
      await banner.getByRole('button', { name: 'Retry' }).click();
      await expect(banner).toBeHidden({ timeout: 30_000 });
      await expect(page.getByTestId('region-summary')).toHaveText('31 regions ok · 2 failed');
      await expect(page.getByTestId('bedrock-state')).toHaveText('● Bedrock answering');
    } finally {
      await setScenario(emulator.url, {});
    }
  });

  test('a host whose endpoint refuses connections says so and shows the bundled data instead', async ({ browser }) => {
    test.setTimeout(120_000);
    const ownEmulator = await startEmulator();
    const deadEndpoint = await startWebHost(ownEmulator.url, ['--cache-mode', 'none']);
    await ownEmulator.stop();
    const port = new URL(ownEmulator.url).port;
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      try {
        await page.goto(deadEndpoint.url);
        const banner = page.getByTestId('failure-banner');
        await expect(banner).toBeVisible({ timeout: 45_000 });
        await expect(banner.getByTestId('failure-cause')).toHaveText(`could not reach the endpoint http://127.0.0.1:${port}: ECONNREFUSED`);
        await expect(banner.getByTestId('failure-shown-instead')).toHaveText(
          'Showing the bundled catalog recorded on 2026-08-21 (it may be out of date) instead.',
        );
        await expect(banner.getByRole('button', { name: 'Retry' })).toBeEnabled();
        await expect(page.getByTestId('region-summary')).toHaveText('31 regions in the bundled data · live discovery failed');
        await page.screenshot({ path: `test-results/screens/failure-banner-bundled-${colorScheme}-1280.png` });
        await page.getByTestId('region-summary').click();
        await expect(page.getByTestId('popover-failure')).toContainText(
          // The first page may see the scan itself (each region's error); a later one only the service's summary.
          /Live discovery failed( in every region)?: could not reach the endpoint/,
        );
        await page.locator('.brand').click();
        await expect(page.getByTestId('region-popover')).toBeHidden();
        await banner.getByRole('button', { name: 'Dismiss this message' }).click();
        await expect(banner).toBeHidden();
      } finally {
        await context.close();
      }
    }
    await deadEndpoint.stop();
  });
});
