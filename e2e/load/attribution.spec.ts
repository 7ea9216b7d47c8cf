import { restoreRealistic } from '../capacity/capacity-page';
import { expect, openPage, test } from '../fixtures/atlas';
import { attributionDone, LOAD_HOST, promptEvents, runProfileLatency, SONNET_45_US } from './load-page';

/**
 * Where it really ran, against the browser host and the emulator (issue 18 §2-4): the realistic scenario routes the US
 * Claude Sonnet 4.5 profile from us-east-1 50/30/20 over us-east-1, us-east-2 and us-west-2, and CloudTrail here shows
 * each call at once. A latency run through the profile is attributed region by region; its server and client time sit
 * side by side; the history's heatmap has its hour; the Profiles page and a playground answer show the served regions.
 */
test.use(LOAD_HOST);

test.afterEach(async ({ page, host, emulator }) => restoreRealistic(page, host.url, emulator.url));

test('a profile run is attributed: shares and TTFT by served region, server vs client time, the heatmap, observed routing', async ({ page, host, emulator }) => {
  test.setTimeout(240_000);
  await promptEvents(emulator.url);
  await runProfileLatency(page, host.url, 40);

  const results = page.getByTestId('run-results');
  const attribution = await attributionDone(results);
  await expect(attribution.getByTestId('attr-status')).toContainText('Attribution done: 40 of 40 profile requests attributed');
  const table = attribution.getByTestId('served-table');
  // Every destination the scenario weighs served some, each declared, the largest share first.
  await expect(table.locator('tbody tr')).toHaveCount(3);
  const regions = await table.locator('tbody tr th').allTextContents();
  expect(regions[0]).toBe('us-east-1');
  expect([...regions].sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
  for (const row of await table.locator('tbody tr').all()) {
    await expect(row.locator('td').nth(0)).toHaveText('yes');
    expect(Number(await row.locator('td').nth(1).textContent())).toBeGreaterThan(0);
    await expect(row.locator('td').nth(3)).toHaveText(/^\d+ \/ \d+$/);
  }
  await expect(attribution.getByTestId('chart-served-share').locator('svg.recharts-surface')).toBeVisible();
  await expect(attribution.getByTestId('chart-served-ttft').locator('svg.recharts-surface')).toBeVisible();

  // Server and client time: CloudWatch's figures for the run's minutes beside the client's, or why there are none.
  const serverClient = results.getByTestId('server-client-time');
  await expect(serverClient.getByTestId('server-client-table').locator('tbody tr')).toHaveCount(1, { timeout: 30_000 });
  await expect(serverClient.getByTestId('server-client-table').locator('tbody tr td').nth(0)).toHaveText('40');

  // The history's heatmap holds this hour, and reads by keyboard.
  const heatmap = page.getByTestId('time-of-day');
  await heatmap.scrollIntoViewIfNeeded();
  await expect(heatmap.getByTestId('tod-grid')).toBeVisible();
  // This hour's cell (two, if the run crossed the hour), its figure written in it.
  const filled = heatmap.locator('.tod-cell:not(.tod-empty)').first();
  await expect(filled).toHaveText(/^\d+$/);
  await filled.focus();
  await expect(heatmap.getByTestId('tod-tooltip')).toContainText(/p50 TTFT \d+ ms from \d+ samples/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await expect(heatmap.getByTestId('tod-tooltip')).toBeVisible();

  // The Profiles page: what was observed beside what the profile declares.
  await page.keyboard.press('Alt+2');
  await page.getByLabel('Search profiles').fill(SONNET_45_US);
  const card = page.locator(`[data-profile="${SONNET_45_US}"]`);
  await expect(card.getByTestId('observed-routing')).toContainText('from us-east-1 (40 requests');
  await expect(card.getByTestId('observed-share')).toHaveCount(3);
});

test('a playground answer through a profile says where it was served', async ({ page, host, emulator }) => {
  await promptEvents(emulator.url);
  await openPage(page, host.url, 'Playground');
  const pane = page.getByTestId('pane-1');
  await pane.getByLabel('Pane 1 model or profile').fill(SONNET_45_US);
  await pane.getByLabel('Pane 1 region').selectOption('us-east-1');
  await page.getByLabel('Prompt', { exact: true }).fill('Where are you?');
  await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
  await expect(pane.getByTestId('response-footer')).toBeVisible({ timeout: 30_000 });
  await expect(pane.getByTestId('served-region')).toHaveText(/^ · served in us-(east-1|east-2|west-2)$/, { timeout: 60_000 });
});
