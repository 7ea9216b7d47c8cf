import { quotaIncreaseUrl } from '../../src-shared/catalog/quotas';
import { expect, test } from '../fixtures/atlas';
import { CAPACITY_HOST, SONNET_45, SONNET_45_GLOBAL, SONNET_45_US, tabTo } from './capacity-page';

test.use(CAPACITY_HOST);

test('keyboard only: open Capacity, choose the model, refresh quotas, read usage, size a workload, copy the worksheet', async ({ page, host, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(host.url);
  await expect(page.getByTestId('matrix').locator('.cell').first()).toBeVisible({ timeout: 30_000 });

  // Alt+4 (the page after Latency): focus lands on its heading.
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { name: 'Capacity', level: 1 })).toBeFocused();

  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Model or profile'), 'the target');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(SONNET_45);
  await expect(page.getByTestId('capacity-target')).toHaveText(`Anthropic Claude Sonnet 4.5 (${SONNET_45})`);
  await tabTo(page, (element) => element.tag === 'SELECT' && element.label.startsWith('Source region'), 'the source region');
  await expect(page.getByRole('combobox', { name: 'Source region' })).toHaveValue('us-east-1');

  // a. Quotas: the geo profile's applied tokens per minute above its default; Refresh asks Service Quotas again.
  const quotas = page.getByTestId('cap-quotas');
  const geo = quotas.getByTestId('cap-quota-route').filter({ hasText: SONNET_45_US });
  await expect(geo.getByTestId('quota-table').first().locator('tr[data-unit="tokensPerMinute"]')).toContainText('8,000,000');
  await expect(geo.getByTestId('quota-table').first().locator('tr[data-unit="tokensPerMinute"]')).toContainText('5,000,000');
  await tabTo(page, (element) => element.tag === 'BUTTON' && element.text === 'Refresh quotas', 'Refresh quotas');
  await page.keyboard.press('Enter');
  await expect(quotas.getByRole('button', { name: 'Refresh quotas' })).toBeVisible({ timeout: 30_000 });
  await expect(quotas.getByTestId('quotas-fetched-at')).toContainText('Service Quotas read');

  // b. Usage: the geo profile's day, with its throttled burst; the global profile had no invocations.
  const usage = page.getByTestId('cap-usage');
  const used = usage.getByTestId('usage-route').filter({ hasText: SONNET_45_US });
  await expect(used).toHaveAttribute('data-status', 'ok');
  await expect(used.getByTestId('usage-chart').locator('svg.recharts-surface').first()).toBeVisible();
  await expect(used.getByTestId('throttle-chart')).toBeVisible();
  await expect(usage.getByTestId('usage-route').filter({ hasText: SONNET_45_GLOBAL }).getByTestId('no-invocations')).toBeVisible();
  await tabTo(page, (element) => element.role === 'radio' && element.text === '24h', 'the usage window');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: '14d' })).toBeFocused();
  await expect(page.getByRole('radio', { name: '14d' })).toHaveAttribute('aria-checked', 'true');
  await expect(used.getByTestId('usage-figures')).toContainText('Per minute (hourly averages)');

  // c. The calculator: a negative rate is refused beside its field and nothing is computed; a valid one is.
  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Requests per minute'), 'the rate');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('-5');
  await expect(page.getByTestId('error-rpm')).toHaveText('The rate (requests per minute) must be a whole number from 1 to 10,000,000');
  await expect(page.getByTestId('capacity-table')).toHaveCount(0);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1500');
  await expect(page.getByTestId('error-rpm')).toHaveCount(0);
  const table = page.getByTestId('capacity-table');
  await expect(table.getByTestId('capacity-row')).toHaveCount(2);
  await expect(page.getByTestId('capacity-summary')).toContainText('Target 1,500 requests per minute');
  await expect(table.getByTestId('capacity-row').first()).toContainText(/\$\d/);

  // d. The worksheet: a use case, Copy as text, and the console's page for the quota to raise (1,500 a minute is
  // more than the 1,000 requests per minute either route has).
  await tabTo(page, (element) => element.tag === 'TEXTAREA', 'the use case');
  await page.keyboard.type('Claims triage for 300 adjusters');
  await tabTo(page, (element) => element.tag === 'BUTTON' && element.text === 'Copy as text', 'Copy as text');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: '✓ Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^Quota increase request: Amazon Bedrock, us-east-1\nRoute: /);
  expect(copied).toContain('Use case: Claims triage for 300 adjusters');
  await tabTo(page, (element) => element.tag === 'A' && element.text.startsWith('Open request page'), 'Open request page');
  const code = copied.match(/\((L-[0-9A-Z]+)\)/)?.[1];
  expect(code).toBeDefined();
  await expect(page.getByTestId('worksheet-open')).toHaveAttribute('href', quotaIncreaseUrl('us-east-1', code!));
});
