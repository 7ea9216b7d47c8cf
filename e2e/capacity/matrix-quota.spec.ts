import { quotaIncreaseUrl } from '../../src-shared/catalog/quotas';
import { expect, test } from '../fixtures/atlas';
import { cell } from '../fixtures/matrix-grid';
import { CAPACITY_HOST, restoreRealistic, SONNET_45, SONNET_45_US } from './capacity-page';

test.use(CAPACITY_HOST);

/** What the overlay writes in a cell (its ::after), and the dashed edge of a cell without a figure. */
const cellFigure = (locator: ReturnType<typeof cell>) => locator.evaluate((element) => getComputedStyle(element, '::after').content);

test('the Quota overlay writes the best route’s tokens per minute in each cell, names the route, and takes turns with TTFT', async ({ page, host, emulator }) => {
  // The worker's emulator and host served other specs first: the realistic quotas, read again.
  await restoreRealistic(page, host.url, emulator.url);
  await page.goto(host.url);
  await expect(page.getByTestId('matrix').locator('.cell').first()).toBeVisible({ timeout: 30_000 });
  const toggle = page.getByRole('button', { name: 'Quota overlay' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const legend = page.getByTestId('quota-overlay-legend');
  await expect(legend.getByTestId('quota-overlay-summary')).toContainText(/\(\d+ with a quota/);
  await expect(legend).toContainText('no tokens/min quota found');

  // A cell callable with no tokens-per-minute quota: ∅, not a number, and its panel's tokens row says so.
  const empty = await page.evaluate(() => {
    const rules = [...document.querySelectorAll('style')].map((style) => style.textContent ?? '').join('\n');
    const match = /\.cell\[data-model="([^"]+)"\]\[data-region="([^"]+)"\]::after\{content:"∅"/.exec(rules);
    return match ? { modelId: match[1]!, region: match[2]! } : null;
  });
  expect(empty).not.toBeNull();
  await expect.poll(() => cellFigure(cell(page, empty!.modelId, empty!.region))).toBe('"∅"');
  await cell(page, empty!.modelId, empty!.region).click();
  const figures = page.getByTestId('cell-panel').getByTestId('route-figures').first();
  await expect(figures.getByTestId('no-quota').or(figures.locator('tr[data-unit="tokensPerMinute"]')).first()).toContainText('no quota found');
  await page.keyboard.press('Escape');

  // Claude Sonnet 4.5 from us-east-1: its geo profile's applied 8M, named in the cell's tooltip.
  await page.getByLabel('Search models').fill('claude sonnet 4.5');
  const sonnet = cell(page, SONNET_45, 'us-east-1');
  await expect.poll(() => cellFigure(sonnet)).toBe('"8M"');
  await sonnet.hover();
  await expect(page.getByTestId('tooltip-overlay-note')).toHaveText(`Quota overlay: 8,000,000 tokens per minute through ${SONNET_45_US} (geo profile).`);

  // TTFT and Quota take turns: both write in the same corner.
  await page.getByRole('button', { name: 'TTFT overlay' }).click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(legend).toHaveCount(0);
  await expect.poll(() => cellFigure(sonnet)).not.toBe('"8M"');
});

test('the cell panel shows each invoke id’s quotas with the link that asks for more, and its price with the table’s date', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Search models').fill('claude sonnet 4.5');
  await cell(page, SONNET_45, 'us-east-1').click();
  const panel = page.getByTestId('cell-panel');
  const geo = panel.getByTestId('route-figures').first();
  const tokens = geo.getByTestId('quota-table').first().locator('tr[data-unit="tokensPerMinute"]');
  await expect(tokens).toContainText('8,000,000');
  await expect(tokens).toContainText('default 5,000,000');
  const code = (await tokens.locator('code').textContent())!;
  await expect(tokens.getByTestId('increase-link')).toHaveAttribute('href', quotaIncreaseUrl('us-east-1', code));
  await expect(tokens.getByTestId('increase-link')).toHaveAttribute('target', '_blank');
  await expect(geo.getByTestId('route-price').first()).toContainText(/^USD per 1M tokens: input \$[\d.]+ · output \$[\d.]+/);
  await expect(panel.getByTestId('price-date')).toContainText(/Prices as of \d{4}-\d{2}-\d{2}/);
  await expect(panel.getByTestId('quota-fetched')).toContainText('Service Quotas read');
  // The panel's link opens the Capacity page on this model and region.
  await panel.getByRole('link', { name: 'Capacity' }).click();
  await expect(page.getByRole('heading', { name: 'Capacity', level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Model or profile' })).toHaveValue(SONNET_45);
  await expect(page.getByRole('combobox', { name: 'Source region' })).toHaveValue('us-east-1');
});
