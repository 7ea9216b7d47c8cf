import type { Locator, Page } from '@playwright/test';
import { patchScenario, restoreRealistic } from '../capacity/capacity-page';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { readmeScreenshot } from '../fixtures/readme-screenshots';
import { configureRun, openLatencyPage } from '../latency/latency-page';
import { attributionDone, configureLoad, contrast, LOAD_HOST, readQuotasAgain, SONNET_45_US, startAndWait } from './load-page';
import { seedWeekOfRuns } from './seed-week';

/**
 * "Under load, and where it really ran" in both themes: a load run through the US Claude Sonnet 4.5 profile from
 * us-east-1, held to 60 requests a minute, reopened from the history (its curves and knee, then where its requests
 * were served), the time-of-day heatmap over a week of runs, and Bedrock's time beside the client's. 1440x900 ones
 * are the README's (UPDATE_README_SCREENSHOTS=1), 1280x720 ones for review; each checks what a reader relies on.
 */
test.use(LOAD_HOST);
test.describe.configure({ mode: 'serial' });

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

/** The run every screenshot reopens, made once per worker's host. */
const prepared = new Map<string, Promise<void>>();

async function prepare(page: Page, hostUrl: string, emulatorUrl: string, home: string): Promise<void> {
  await seedWeekOfRuns(home, { target: SONNET_45_US, modelId: SONNET_45, invokeId: SONNET_45_US, region: 'us-east-1', kind: 'geo-profile' });
  // The profile held to 60 requests a minute from us-east-1 (a two-second burst), CloudTrail's events at once.
  await patchScenario(emulatorUrl, (scenario) => {
    const quotas = (scenario.quotas ?? {}) as { rules?: unknown[] };
    const rule = { region: 'us-east-1', modelId: SONNET_45, routeKind: 'geo-profile', unit: 'requestsPerMinute', applied: 60 };
    return { ...scenario, enforceQuotas: { burstSeconds: 2 }, cloudtrail: { delayMs: 0 }, quotas: { ...quotas, rules: [...(quotas.rules ?? []), rule] } };
  });
  await readQuotasAgain(page, hostUrl, SONNET_45);
  await openLatencyPage(page, hostUrl);
  const form = await configureLoad(page, { target: SONNET_45_US, regions: ['us-east-1'], mode: 'rate', levels: '0.25,0.5,1,2,4', seconds: 6, maxTokens: 24, arrivals: 'constant' });
  await startAndWait(page, form, 120_000);
  await attributionDone(page.getByTestId('load-results'));
}

/** Scrolls the lab so that an element starts at the top of the view. */
async function showAtTop(element: Locator) {
  await element.evaluate((node) => {
    const scroller = node.closest('.lat-page')!;
    scroller.scrollTop += node.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  });
}

test.afterAll(async ({ browser, host, emulator }) => {
  const page = await browser.newPage();
  await restoreRealistic(page, host.url, emulator.url);
  await page.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`load, attribution and time-of-day screenshots, ${colorScheme}`, async ({ browser, host, emulator }) => {
    test.setTimeout(300_000);
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      const readme = viewport.width === 1440;
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      const shot = async (name: string) => {
        await page.mouse.move(4, viewport.height - 8);
        await page.screenshot({ path: `test-results/screens/${name}-${colorScheme}-${viewport.width}.png` });
        if (readme) await page.screenshot({ path: readmeScreenshot(`${name}-${colorScheme}.png`) });
      };
      try {
        if (!prepared.has(host.url)) prepared.set(host.url, prepare(page, host.url, emulator.url, host.home));
        await prepared.get(host.url);

        // The stored load run, reopened from the history: curves, knee and levels.
        await openLatencyPage(page, host.url);
        await page.getByRole('form', { name: 'Latency run' }).getByLabel('Model or profile').fill(SONNET_45_US);
        const runs = page.getByTestId('load-runs');
        await runs.getByRole('button', { name: /^Open the load run/ }).first().click();
        const results = page.getByTestId('load-results');
        await expect(results.getByTestId('knee')).toContainText('Knee at level');
        for (const chart of ['chart-load-latency', 'chart-load-throughput', 'chart-load-throttles']) await expect(results.getByTestId(chart).locator('svg.recharts-surface')).toBeVisible();
        expect(await contrast(results.getByTestId('knee'))).toBeGreaterThanOrEqual(4.5);
        expect(await contrast(results.getByTestId('load-quota'))).toBeGreaterThanOrEqual(4.5);
        await showAtTop(results);
        await shot('load-curves');
        await showAtTop(results.getByTestId('load-levels'));
        await shot('load-levels');

        // Where it really ran: the shares and TTFT by served region, then Bedrock's time beside the client's.
        const attribution = await attributionDone(results);
        await expect(attribution.getByTestId('chart-served-share').locator('svg.recharts-surface')).toBeVisible();
        expect(await contrast(attribution.getByTestId('attr-status').locator('p'))).toBeGreaterThanOrEqual(4.5);
        await showAtTop(attribution);
        await shot('load-attribution');

        // The week's heatmap of the profile: every figure written, and legible on its own blue.
        const heatmap = page.getByTestId('time-of-day');
        await expect(heatmap.getByTestId('tod-grid')).toBeVisible();
        const cells = heatmap.locator('.tod-cell:not(.tod-empty)');
        expect(await cells.count()).toBeGreaterThan(100);
        for (const cell of [await cells.first(), await cells.last()]) {
          const ratio = await cell.evaluate((element) => {
            const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
            const luminance = (color: string) => {
              const [r, g, b] = rgb(color).map((value) => value / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
              return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
            };
            const style = getComputedStyle(element);
            const [a, b] = [luminance(style.color), luminance(style.backgroundColor)];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          });
          expect(ratio).toBeGreaterThanOrEqual(4.5);
        }
        // A cell by keyboard: its tooltip is in the picture.
        await cells.nth(30).focus();
        await expect(heatmap.getByTestId('tod-tooltip')).toBeVisible();
        await showAtTop(heatmap);
        await shot('time-of-day');

        // Bedrock's time beside the client's: Claude 3 Haiku on demand near (us-east-1) and far (ap-northeast-1), whose
        // CloudWatch minutes hold this run's calls only.
        await page.getByRole('form', { name: 'Latency run' }).getByRole('radio', { name: /^Latency/ }).check();
        const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1', 'ap-northeast-1'], runs: 8, concurrency: 2, maxTokens: 16 });
        await startAndWait(page, form);
        const serverClient = page.getByTestId('run-results').getByTestId('server-client-time');
        await expect(serverClient.getByTestId('chart-server-client').locator('svg.recharts-surface')).toBeVisible({ timeout: 30_000 });
        await expect(serverClient.getByTestId('sct-summaries')).toContainText('ap-northeast-1 · on demand:');
        await showAtTop(serverClient);
        await shot('server-client-time');
      } finally {
        await context.close();
      }
    }
  });
}
