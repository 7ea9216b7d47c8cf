import { patchScenario, restoreRealistic } from '../capacity/capacity-page';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { openLatencyPage } from '../latency/latency-page';
import { configureLoad, LOAD_HOST, runProfileLatency, startAndWait } from './load-page';

/**
 * How a load run ends short, and attribution without CloudTrail, against the browser host and the emulator (issue 18):
 * Cancel keeps every finished level, a request budget stops the run with its level partial, and a denied
 * cloudtrail:LookupEvents is said with its fix while the run's figures stay.
 */
test.use(LOAD_HOST);

test.afterEach(async ({ page, host, emulator }) => restoreRealistic(page, host.url, emulator.url));

test('Cancel during a load run keeps every finished level, the one in progress partial', async ({ page, host }) => {
  await openLatencyPage(page, host.url);
  const form = await configureLoad(page, { target: HAIKU, regions: ['us-east-1'], mode: 'concurrency', levels: '1,2,4', seconds: 4, maxTokens: 8 });
  await expect(form.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 30_000 });
  await form.getByRole('button', { name: 'Start' }).click();
  // The first level finishes (its chip shows its p50), the second has answers, then Cancel.
  await expect(page.getByRole('list', { name: 'Levels of us-east-1' }).locator('[data-level="0"]')).toContainText('✓', { timeout: 30_000 });
  await expect(page.getByTestId('load-progress').locator('tr[data-route="us-east-1"] td').nth(2)).toHaveText(/^[1-9]\d* \//);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('live')).toContainText('every finished level is kept');
  const results = page.getByTestId('load-results');
  await expect(results.getByText('cancelled: finished levels kept')).toBeVisible();
  const rows = results.getByTestId('load-levels').locator('tbody tr[data-level]:not(.load-note-row)');
  await expect(rows).toHaveCount(2);
  await expect(rows.first().locator('th')).toHaveText('1 in flight');
  await expect(rows.last().locator('th')).toHaveText('2 in flight');
  await expect(results.getByTestId('level-note')).toHaveText(['partial: cancelled']);
});

test('a request budget stops the run cleanly: the level it stopped in is partial, the run says why', async ({ page, host }) => {
  await openLatencyPage(page, host.url);
  const form = await configureLoad(page, { target: HAIKU, regions: ['us-east-1'], mode: 'concurrency', levels: '1,2,4', seconds: 3, maxTokens: 8 });
  await form.getByLabel('Max requests (budget)').fill('12');
  await expect(page.getByTestId('estimate')).toContainText('capped by the budget of 12 requests');
  await startAndWait(page, form);
  const results = page.getByTestId('load-results');
  await expect(results.getByTestId('load-stopped')).toContainText('The budget of 12 requests was reached');
  await expect(results.getByTestId('load-summary')).toContainText('Budget12 requests');
  await expect(results.getByTestId('level-note').last()).toHaveText('partial: the request budget was reached');
});

test('CloudTrail denied: attribution says so with the fix, and the run’s figures stay', async ({ page, host, emulator }) => {
  await patchScenario(emulator.url, (scenario) => ({ ...scenario, cloudtrail: { delayMs: 0, denied: ['us-east-1'] }, perTokenMs: { '*': 2 } }));
  await runProfileLatency(page, host.url, 6);
  const results = page.getByTestId('run-results');
  const problems = results.getByTestId('attr-problems');
  await expect(problems).toContainText('CloudTrail not readable in us-east-1:', { timeout: 60_000 });
  await expect(problems).toContainText('cloudtrail:LookupEvents');
  await expect(results.getByTestId('figures')).toBeVisible();
  await expect(results.getByTestId('chart-ttft').locator('svg.recharts-surface')).toBeVisible();
});
