import type { Locator, Page } from '@playwright/test';
import { patchScenario } from '../capacity/capacity-page';
import { expect, HAIKU, openPage, test } from '../fixtures/atlas';
import { configureRun, openLatencyPage } from '../latency/latency-page';

/**
 * Every page at 1280x720 and 1440x900, light and dark, against the emulator's realistic scenario, with the content a
 * new user sees after using it (a latency run with its ranking, where its requests ran, server vs client time and the
 * time-of-day heatmap, a load run's form, progress and results, the matrix's overlays, the Capacity page's quotas,
 * usage, table, worksheet and a refused input, four playground panes with answers and an error),
 * for review. Screenshots go under test-results/screens/review only, never to tracked files.
 */
test.use({ scenario: 'realistic' });

const RUN_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'ap-northeast-1'];
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

/** Scrolls the latency lab so that an element starts at the top of the view. */
async function atTop(page: Page, element: Locator) {
  await element.evaluate((node) => {
    const scroller = node.closest('.lat-page')!;
    scroller.scrollTop += node.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  });
  await page.mouse.move(4, 200);
}

async function shot(page: Page, name: string) {
  await page.mouse.move(4, 200);
  await page.screenshot({ path: `test-results/screens/review/${name}.png` });
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
  ]) {
    test(`every page, ${colorScheme} ${viewport.width}x${viewport.height}`, async ({ browser, host, emulator }) => {
      test.setTimeout(240_000);
      // Faster answers, on top of the realistic scenario (its quotas and CloudWatch usage stay, for the Capacity page).
      await patchScenario(emulator.url, (scenario) => ({ ...scenario, perTokenMs: { '*': 2 }, timeToFirstTokenMs: { '*': 30 } }));
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      const suffix = `${colorScheme}-${viewport.width}`;

      await page.goto(host.url);
      await expect(page.getByTestId('matrix').locator('.cell').first()).toBeVisible();
      await shot(page, `matrix-${suffix}`);

      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Profiles' }).click();
      await expect(page.locator('.profiles-page .profile-card').first()).toBeVisible();
      await shot(page, `profiles-${suffix}`);

      await openLatencyPage(page, host.url);
      const form = await configureRun(page, { target: 'amazon.nova-pro-v1:0', regions: RUN_REGIONS, runs: 4, concurrency: 2, maxTokens: 16 });
      await form.getByRole('button', { name: 'Start' }).click();
      await expect(page.getByTestId('live')).toContainText(/done|partial|failed/, { timeout: 90_000 });
      await shot(page, `latency-${suffix}`);
      await page.getByTestId('run-results').scrollIntoViewIfNeeded();
      await shot(page, `latency-results-${suffix}`);
      await page.getByTestId('ranking').scrollIntoViewIfNeeded();
      await shot(page, `latency-ranking-${suffix}`);
      // Issue 18: where the run's requests ran (still looking: CloudTrail shows calls two minutes late here), Bedrock's
      // time beside the client's, the hour-of-week heatmap; then the lab's Load mode, its progress and its results.
      await atTop(page, page.getByTestId('run-results').getByTestId('attribution'));
      await expect(page.getByTestId('attr-status')).toBeVisible();
      await shot(page, `latency-attribution-${suffix}`);
      await atTop(page, page.getByTestId('server-client-time'));
      await expect(page.getByTestId('server-client-table')).toBeVisible({ timeout: 30_000 });
      await shot(page, `latency-server-client-${suffix}`);
      await atTop(page, page.getByTestId('time-of-day'));
      await expect(page.getByTestId('tod-grid')).toBeVisible();
      await shot(page, `latency-time-of-day-${suffix}`);
      await form.getByRole('radio', { name: /^Load/ }).check();
      await form.getByLabel('Concurrency levels').fill('1,2,4');
      await form.getByLabel('Seconds per level').fill('2');
      await expect(page.getByTestId('estimate')).toContainText('about');
      await atTop(page, form);
      await shot(page, `load-form-${suffix}`);
      await form.getByRole('button', { name: 'Start' }).click();
      await expect(page.getByTestId('load-progress')).toBeVisible();
      await shot(page, `load-progress-${suffix}`);
      await expect(page.getByTestId('live')).toContainText(/done|partial|failed/, { timeout: 90_000 });
      await atTop(page, page.getByTestId('load-results'));
      await shot(page, `load-results-${suffix}`);
      await atTop(page, page.getByTestId('load-levels'));
      await shot(page, `load-levels-${suffix}`);

      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Matrix' }).click();
      await page.getByRole('button', { name: 'TTFT overlay' }).click();
      await expect(page.getByTestId('ttft-overlay-legend')).toContainText('cells measured');
      // Issue 21 §16: the darkest band's swatch keeps an edge that stands out from the panel, in both themes.
      const edge = await page.locator('.ttft-swatch').last().evaluate((swatch) => {
        const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (color: string) => {
          const [r, g, b] = rgb(color).map((value) => value / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const [a, b] = [luminance(getComputedStyle(swatch).borderTopColor), luminance(getComputedStyle(swatch.closest('.ttft-overlay-legend')!).backgroundColor)];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      });
      expect(edge).toBeGreaterThanOrEqual(3);
      await shot(page, `matrix-ttft-${suffix}`);
      // The Quota overlay takes the TTFT overlay's turn (issue 17).
      await page.getByRole('button', { name: 'Quota overlay' }).click();
      await expect(page.getByTestId('quota-overlay-summary')).toBeVisible({ timeout: 30_000 });
      await shot(page, `matrix-quota-${suffix}`);

      // Capacity (issue 17): Claude Sonnet 4.5 from us-east-1, which the realistic scenario gives usage and a raised quota.
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Capacity' }).click();
      await page.getByRole('combobox', { name: 'Model or profile' }).fill(SONNET_45);
      await page.getByRole('combobox', { name: 'Source region' }).selectOption('us-east-1');
      await expect(page.getByTestId('cap-quotas').getByTestId('cap-quota-route').first()).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('capacity-table')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('usage-route').first()).toBeVisible({ timeout: 30_000 });
      await shot(page, `capacity-${suffix}`);
      for (const section of ['cap-usage', 'cap-calculator', 'cap-worksheet']) {
        await page.getByTestId(section).evaluate((element) => {
          const scroller = element.closest('.cap-page')!;
          scroller.scrollTop += element.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
        });
        await shot(page, `${section.replace('cap-', 'capacity-')}-${suffix}`);
      }
      await page.getByTestId('cap-calculator').getByRole('textbox', { name: 'max_tokens' }).fill('-1');
      await expect(page.getByTestId('error-maxTokens')).toBeVisible();
      await shot(page, `capacity-invalid-${suffix}`);

      await openPage(page, host.url, 'Playground');
      const panes = [
        [HAIKU, 'us-east-1'],
        [HAIKU, 'eu-west-1'],
        ['amazon.nova-pro-v1:0', 'us-east-1'],
        [HAIKU_45, 'us-east-1'],
      ] as const;
      for (const [index, [target, region]] of panes.entries()) {
        if (index > 0) await page.getByRole('button', { name: 'Add pane' }).click();
        const pane = page.getByTestId(`pane-${index + 1}`);
        await pane.getByLabel(`Pane ${index + 1} model or profile`).fill(target);
        await pane.getByLabel(`Pane ${index + 1} region`).selectOption(region);
      }
      await shot(page, `playground-${suffix}`);
      await page.getByLabel('Prompt', { exact: true }).fill('Which region is closest to Sydney?');
      await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
      await expect(page.getByTestId('pane-1').getByTestId('response-footer')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('summary')).toBeVisible();
      await shot(page, `playground-answered-${suffix}`);
      await page.getByRole('button', { name: 'History' }).click();
      await shot(page, `playground-history-${suffix}`);
      await page.getByRole('button', { name: 'History' }).click();
      await page.getByTestId('pane-1').getByRole('button', { name: 'Copy as code' }).click();
      await shot(page, `playground-code-${suffix}`);
      await page.keyboard.press('Escape');

      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await shot(page, `settings-${suffix}`);
      await context.close();
    });
  }
}
