import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/atlas';
import { cell } from '../fixtures/matrix-grid';
import { readmeScreenshot } from '../fixtures/readme-screenshots';
import { CAPACITY_HOST, openCapacity, patchScenario, refreshQuotas, restoreRealistic, SONNET_45 } from './capacity-page';

/**
 * "Will it carry my load?" in both themes: the cell panel's quotas and prices beside the Quota overlay, the usage
 * chart and the capacity table with the global profile as the way out. 1440x900 ones are the README's
 * (UPDATE_README_SCREENSHOTS=1), 1280x720 ones are for review; each checks what a reader of the picture relies on.
 */
test.use(CAPACITY_HOST);

test.afterEach(async ({ page, host, emulator }) => restoreRealistic(page, host.url, emulator.url));

/** The WCAG contrast of an element's text against the background behind it (the first ancestor that paints one). */
async function contrast(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
    const luminance = (color: string) => {
      const [r, g, b] = rgb(color).slice(0, 3).map((value) => value / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    let behind: Element | null = element;
    while (behind && (rgb(getComputedStyle(behind).backgroundColor)[3] === 0 || getComputedStyle(behind).backgroundColor === 'transparent')) behind = behind.parentElement;
    const [a, b] = [luminance(getComputedStyle(element).color), luminance(getComputedStyle(behind ?? document.body).backgroundColor)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

/** Scrolls the Capacity page so that a section starts at the top of the view. */
async function showSection(section: Locator) {
  await section.evaluate((element) => {
    const scroller = element.closest('.cap-page')!;
    scroller.scrollTop += element.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
  ]) {
    test(`capacity screenshots, ${colorScheme} ${viewport.width}x${viewport.height}`, async ({ browser, host, emulator }) => {
      test.setTimeout(120_000);
      const readme = viewport.width === 1440;
      const shot = async (page: Page, name: string) => {
        await page.mouse.move(4, viewport.height - 8);
        await page.screenshot({ path: `test-results/screens/${name}-${colorScheme}-${viewport.width}.png` });
        if (readme) await page.screenshot({ path: readmeScreenshot(`${name}-${colorScheme}.png`) });
      };
      // The global profile's quotas raised far above the geo profile's (its daily one too): the table shows it as the way out.
      const rule = (unit: string, applied: number) => ({ region: 'us-east-1', modelId: SONNET_45, routeKind: 'global-profile', unit, applied });
      await patchScenario(emulator.url, (scenario) => {
        const quotas = (scenario.quotas ?? {}) as { rules?: unknown[] };
        return { ...scenario, quotas: { ...quotas, rules: [...(quotas.rules ?? []), rule('requestsPerMinute', 10_000), rule('tokensPerMinute', 40_000_000), rule('tokensPerDay', 57_600_000_000)] } };
      });
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      try {
        await openCapacity(page, host.url, SONNET_45, 'us-east-1');
        await refreshQuotas(page);

        // The matrix: the Quota overlay on the Claude rows, and Sonnet 4.5's panel from us-east-1 at its quotas.
        await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Matrix' }).click();
        await page.getByLabel('Search models').fill('claude');
        await page.getByRole('button', { name: 'Quota overlay' }).click();
        await expect(page.getByTestId('quota-overlay-summary')).toBeVisible();
        await cell(page, SONNET_45, 'us-east-1').click();
        const panel = page.getByTestId('cell-panel');
        await expect(panel.getByTestId('route-price').first()).toBeVisible();
        await panel.getByRole('heading', { name: /^Ids to call from us-east-1/ }).evaluate((heading) => {
          const scroller = heading.closest('.side-panel')!;
          scroller.scrollTop += heading.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 4;
        });
        expect(await contrast(panel.getByTestId('increase-link').first())).toBeGreaterThanOrEqual(4.5);
        expect(await contrast(panel.getByTestId('route-price').first())).toBeGreaterThanOrEqual(4.5);
        // The darkest band's swatch keeps an edge that stands out from the legend's panel, in both themes.
        const edge = await page.locator('.quota-swatch').nth(4).evaluate((swatch) => {
          const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
          const luminance = (color: string) => {
            const [r, g, b] = rgb(color).map((value) => value / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
            return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
          };
          const [a, b] = [luminance(getComputedStyle(swatch).borderTopColor), luminance(getComputedStyle(swatch.closest('.quota-overlay-legend')!).backgroundColor)];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        });
        expect(edge).toBeGreaterThanOrEqual(3);
        await shot(page, 'capacity-cell-panel');

        // The Capacity page: the usage chart, then the table with the way out marked.
        await panel.getByRole('link', { name: 'Capacity' }).click();
        const usage = page.getByTestId('cap-usage');
        await expect(usage.getByTestId('usage-chart').first().locator('svg.recharts-surface').first()).toBeVisible({ timeout: 30_000 });
        await showSection(usage);
        await shot(page, 'capacity-usage');

        const calculator = page.getByTestId('cap-calculator');
        await calculator.getByRole('textbox', { name: 'Input tokens' }).fill('12000');
        await calculator.getByRole('textbox', { name: 'Requests per minute' }).fill('300');
        await expect(page.getByTestId('capacity-summary')).toContainText('Target 300 requests per minute · per request 12,000 input', { timeout: 30_000 });
        const wayOut = page.getByTestId('way-out');
        await expect(wayOut).toContainText(/the way out: \d+(\.\d)?× the next route/);
        expect(await contrast(wayOut)).toBeGreaterThanOrEqual(4.5);
        expect(await contrast(page.getByTestId('capacity-row').first().locator('td').first())).toBeGreaterThanOrEqual(4.5);
        await showSection(calculator);
        await shot(page, 'capacity-table');
      } finally {
        await context.close();
      }
    });
  }
}
