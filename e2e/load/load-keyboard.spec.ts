import { restoreRealistic } from '../capacity/capacity-page';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { limitHaiku, LOAD_HOST, readQuotasAgain, tabTo } from './load-page';

/**
 * A load run by keyboard alone against the browser host and the emulator (issue 18 §1): Claude 3 Haiku on demand in
 * us-east-1 held to 60 requests a minute (a two-second burst), stepped through 0.5, 2 and 4 requests a second evenly
 * spaced. The knee is the level where the offered rate passes the quota, and the results say why.
 */
test.use(LOAD_HOST);

test.afterEach(async ({ page, host, emulator }) => restoreRealistic(page, host.url, emulator.url));

test('keyboard only: a load run in open loop finds the knee where the rate passes the quota', async ({ page, host, emulator }) => {
  test.setTimeout(180_000);
  await limitHaiku(emulator.url);
  await readQuotasAgain(page, host.url, HAIKU);
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('target-described')).toBeVisible({ timeout: 30_000 });

  // Measure: Latency → Load, with the arrow key as in any radio group.
  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Latency'), 'the Latency radio');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^Load/ })).toBeChecked();
  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Model or profile'), 'the target');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(HAIKU);
  await tabTo(page, (element) => element.tag === 'BUTTON' && element.text === 'None', 'None');
  await page.keyboard.press('Enter');
  await tabTo(page, (element) => element.tag === 'SUMMARY', 'the region list');
  await page.keyboard.press('Enter');
  await tabTo(page, (element) => element.label === 'us-east-1', 'us-east-1');
  await page.keyboard.press('Space');
  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Closed loop'), 'the loop');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^Open loop/ })).toBeChecked();
  await tabTo(page, (element) => element.tag === 'INPUT' && element.label.startsWith('Rate levels'), 'the levels');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0.5,2,4');
  await tabTo(page, (element) => element.tag === 'SELECT' && element.label.startsWith('Arrivals'), 'the arrivals');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Arrivals')).toHaveValue('constant');
  await tabTo(page, (element) => element.label.startsWith('Seconds per level'), 'the step');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('4');
  await tabTo(page, (element) => element.label.startsWith('Max tokens'), 'max tokens');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('16');

  // The estimate before anything is sent: 0.5, 2 and 4 a second for 4 s each, and a warm-up.
  const estimate = page.getByTestId('estimate');
  await expect(estimate).toContainText('about 26 requests');
  await expect(estimate).toContainText('+ 1 warm-up');
  await expect(estimate).toContainText('unique prompts');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await page.keyboard.press('Enter');

  // Level by level: the steps fill in as the run goes.
  await expect(page.getByTestId('load-progress')).toBeVisible();
  await expect(page.getByTestId('live')).toContainText('done', { timeout: 90_000 });

  const results = page.getByTestId('load-results');
  await expect(results.getByTestId('knee')).toContainText('Knee at level 2 (2 req/s): throttles');
  await expect(results.getByTestId('load-quota')).toContainText('allows about 1 request per second');
  await expect(results.locator('tr[aria-current="true"] th')).toHaveText('2 req/sknee');
  await expect(results.getByTestId('unique-prompts')).toHaveText(/^unique/);
  for (const chart of ['chart-load-latency', 'chart-load-throughput', 'chart-load-throttles']) await expect(results.getByTestId(chart).locator('svg.recharts-surface')).toBeVisible();

  // The metric of the latency curve, by keyboard.
  await tabTo(page, (element) => element.role === 'radio' && element.text === 'E2E', 'the E2E metric');
  await page.keyboard.press('Enter');
  await expect(results.getByRole('heading', { name: 'E2E vs load' })).toBeVisible();
});
