import { readFile } from 'node:fs/promises';
import { setScenario } from '../fixtures/processes';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { configureRun, LATENCY_HOST, openLatencyPage } from './latency-page';

test.use(LATENCY_HOST);

test.describe('latency page: runs against the emulator in the browser', () => {
  test('a small run shows live progress, then the charts, the figures and the ranking', async ({ page, host }) => {
    await openLatencyPage(page, host.url);
    const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'], runs: 6, concurrency: 2, maxTokens: 16 });
    await expect(page.getByTestId('estimate')).toContainText('18 requests (3 routes × 6) + 3 warm-up');
    await expect(page.getByTestId('estimate')).toContainText('simulated: no cost');
    await form.getByRole('button', { name: 'Start' }).click();

    const progress = page.getByTestId('progress');
    await expect(progress.locator('tbody tr')).toHaveCount(3);
    await expect(page.getByTestId('live')).toContainText('done', { timeout: 30_000 });
    await expect(progress).toContainText('6 / 6');

    const results = page.getByTestId('run-results');
    for (const chart of ['chart-ttft', 'chart-e2e', 'chart-speed', 'chart-distribution']) {
      await expect(results.getByTestId(chart).locator('svg.recharts-surface')).toBeVisible();
    }
    await expect(results.getByTestId('chart-ttft').locator('.recharts-bar-rectangle')).toHaveCount(3);
    await expect(results.getByTestId('chart-ttft').locator('.recharts-bar-rectangle line')).toHaveCount(12);
    await expect(results.getByTestId('chart-distribution').locator('.recharts-bar-rectangle')).toHaveCount(3);
    await expect(results.getByTestId('chart-speed')).toContainText('end-to-end tokens/s (includes TTFT)');
    const figures = results.getByTestId('figures');
    await expect(figures.locator('tbody tr')).toHaveCount(3);
    await expect(figures.locator('tbody tr').first()).toContainText(/\d+ ms \/ \d+ ms \/ \d+ ms/);

    // The ranking: every measured route first, by p50 TTFT, with its sample count.
    const ranked = page.getByTestId('ranking').getByTestId('ranked-route');
    await expect(ranked.first()).toContainText(/\d+ ms/);
    const measured = await ranked.evaluateAll((rows) =>
      rows.map((row) => row.children[4]?.textContent ?? '').filter((text) => text.endsWith(' ms')).map((text) => Number.parseInt(text, 10)),
    );
    // Other tests of this worker may have measured more routes of the same model: at least this run's three.
    expect(measured.length).toBeGreaterThanOrEqual(3);
    expect(measured).toEqual([...measured].sort((a, b) => a - b));
    await expect(ranked.filter({ hasText: 'ap-northeast-1' }).first()).toContainText(/\d+ ms/);

    // The history has the run's samples, one line per route.
    // (other tests of this worker may have stored more routes of the same model)
    const history = page.getByTestId('chart-history');
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) await expect(history.getByRole('list', { name: 'TTFT history legend' })).toContainText(region);
    expect(await history.locator('.recharts-line').count()).toBeGreaterThanOrEqual(3);
  });

  test('Cancel mid-run keeps the partial results, marked cancelled', async ({ page, host }) => {
    await openLatencyPage(page, host.url);
    const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1', 'us-west-2'], runs: 200, concurrency: 1, maxTokens: 24 });
    await expect(page.getByTestId('estimate')).toContainText('400 requests');
    await form.getByRole('button', { name: 'Start' }).click();
    const firstRow = page.getByTestId('progress').locator('tbody tr').first();
    await expect.poll(async () => Number.parseInt((await firstRow.locator('td').nth(2).textContent())!.trim(), 10), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await form.getByRole('button', { name: 'Cancel' }).click();

    await expect(page.getByTestId('live')).toContainText('cancelled');
    await expect(page.getByTestId('live')).toContainText('the samples measured so far are kept');
    await expect(form.getByRole('button', { name: 'Start' })).toBeEnabled();
    const results = page.getByTestId('run-results');
    await expect(results).toContainText('cancelled: partial results');
    await expect(results.getByTestId('chart-ttft').locator('.recharts-bar-rectangle')).toHaveCount(2);
    const samples = await results.getByTestId('figures').locator('tbody tr td:nth-child(2)').allTextContents();
    for (const count of samples.map(Number)) {
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(200);
    }
  });

  test('bad input is refused with what to change; a profile-only model names the fix', async ({ page, host }) => {
    await openLatencyPage(page, host.url);
    const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1'], runs: 0, concurrency: 1, maxTokens: 16 });
    await expect(form.getByRole('alert')).toContainText('runs must be between 1 and 1000');
    await expect(form.getByRole('button', { name: 'Start' })).toBeDisabled();
    await form.getByLabel('Runs per route').fill('5');
    await form.getByLabel('Concurrency').fill('40');
    await expect(form.getByRole('alert')).toContainText('concurrency must be between 1 and 32');
    await form.getByLabel('Concurrency').fill('1');

    await form.getByLabel('Model or profile').fill('no such model at all');
    await expect(page.getByTestId('target-described')).toContainText('No model or profile matches');
    await expect(page.getByTestId('estimate')).toContainText('No model or inference profile matches');

    await form.getByLabel('Model or profile').fill('anthropic.claude-haiku-4-5-20251001-v1:0');
    await form.getByLabel(/Auto-profile/).uncheck();
    const estimate = page.getByTestId('estimate');
    await expect(estimate).toContainText('only through inference profiles');
    await estimate.getByRole('button', { name: 'Turn on auto-profile' }).click();
    await expect(form.getByLabel(/Auto-profile/)).toBeChecked();
    await expect(estimate).toContainText('5 requests (1 routes × 5)');
  });

  test('Probe network shows cold vs warm per region', async ({ page, host }) => {
    await openLatencyPage(page, host.url);
    await configureRun(page, { target: HAIKU, regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'], runs: 5, concurrency: 1, maxTokens: 16 });
    const probe = page.getByTestId('probe');
    await expect(probe).toContainText('Not probed yet');
    await probe.getByLabel('Samples').fill('3');
    await probe.getByRole('button', { name: 'Probe network' }).click();
    const chart = probe.getByTestId('chart-network');
    await expect(chart.locator('svg.recharts-surface')).toBeVisible({ timeout: 30_000 });
    await expect(chart.locator('.recharts-yAxis .recharts-cartesian-axis-tick')).toHaveCount(3);
    await expect(chart).toContainText('first byte (warm, pooled)');
    await expect(probe.getByRole('button', { name: 'Probe network' })).toBeEnabled();
  });

  test('exports: the samples as CSV and a chart as PNG', async ({ page, host }) => {
    await openLatencyPage(page, host.url);
    const form = await configureRun(page, { target: HAIKU, regions: ['us-west-2'], runs: 3, concurrency: 1, maxTokens: 8 });
    await form.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByTestId('run-results').getByTestId('chart-ttft').locator('svg.recharts-surface')).toBeVisible({ timeout: 30_000 });

    const csv = page.waitForEvent('download');
    await page.getByTestId('history').getByRole('button', { name: 'CSV' }).click();
    const csvFile = await csv;
    expect(csvFile.suggestedFilename()).toBe('latency-samples.csv');
    const text = await readFile((await csvFile.path())!, 'utf8');
    expect(text.split('\n')[0]).toContain('ttft_ms');

    const png = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Time to first token as PNG' }).click();
    const pngFile = await png;
    expect(pngFile.suggestedFilename()).toBe('latency-chart-ttft.png');
    const bytes = await readFile((await pngFile.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(2000);
    await pngFile.saveAs('test-results/screens/latency-chart-export.png');
  });
});

test('the matrix overlay colours a measured cell by its p50 TTFT and writes the figure in it', async ({ page, host }) => {
  await openLatencyPage(page, host.url);
  const form = await configureRun(page, { target: 'claude 3 haiku', regions: ['eu-central-1'], runs: 3, concurrency: 1, maxTokens: 8 });
  await form.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('live').locator('.lat-badge-ok')).toBeVisible({ timeout: 30_000 });

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Matrix' }).click();
  const toggle = page.getByRole('button', { name: 'TTFT overlay' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('ttft-overlay-legend')).toContainText(/Time to first token p50, last 30 days \(\d+ cells measured\)/);
  const cell = page.locator(`.cell[data-model="${HAIKU}"][data-region="eu-central-1"]`);
  await cell.scrollIntoViewIfNeeded();
  const painted = await cell.evaluate((element) => ({ background: getComputedStyle(element).backgroundColor, figure: getComputedStyle(element, '::after').content }));
  expect(['rgb(222, 235, 247)', 'rgb(158, 202, 225)', 'rgb(66, 146, 198)', 'rgb(8, 81, 156)', 'rgb(8, 48, 107)']).toContain(painted.background);
  expect(painted.figure).toMatch(/^"\d+"$/);
  // No test measures Nova Lite.
  const unmeasured = page.locator('.cell[data-model="amazon.nova-lite-v1:0"][data-region="us-east-1"]');
  expect(await unmeasured.evaluate((element) => getComputedStyle(element, '::after').content)).not.toMatch(/^"\d+"$/);

  await toggle.click();
  await expect(page.getByTestId('ttft-overlay-legend')).toHaveCount(0);
  expect(await cell.evaluate((element) => getComputedStyle(element, '::after').content)).not.toMatch(/^"\d+"$/);
});

test('over 100 requests against real AWS, Start asks first and sends the run only once confirmed', async ({ page, host }) => {
  // The emulator is never billed, so its estimate says "simulated": this test reads the host's real estimate and
  // marks it as real AWS, to see the page's side of the rule.
  await page.route('**/api/estimateLatencyRun', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value: { needsConfirmation: boolean; simulated: boolean } };
    body.value = { ...body.value, needsConfirmation: true, simulated: false };
    await route.fulfill({ response, json: body });
  });
  const started: unknown[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/stream/runLatency')) started.push(request.postDataJSON());
  });
  await openLatencyPage(page, host.url);
  const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1', 'us-west-2'], runs: 60, concurrency: 4, maxTokens: 8 });
  await expect(page.getByTestId('estimate')).toContainText('120 requests');
  await expect(page.getByTestId('estimate')).not.toContainText('simulated');
  await form.getByRole('button', { name: 'Start' }).click();

  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('This run sends 122 requests to AWS');
  expect(started).toHaveLength(0);
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(dialog).toHaveCount(0);
  expect(started).toHaveLength(0);

  await form.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Send 122 requests' }).click();
  await expect(page.getByTestId('progress').locator('tbody tr')).toHaveCount(2);
  expect(started).toEqual([expect.objectContaining({ confirmed: true, runs: 60 })]);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('live')).toContainText('cancelled');
});

test('a route without access and a throttled one: the failure names the fix, throttles are counted and the run goes on', async ({ page, host, emulator }) => {
  const realistic = JSON.parse(await readFile('src-main/emulator/scenarios/realistic.json', 'utf8')) as Record<string, unknown>;
  await setScenario(emulator.url, {
    ...realistic,
    accessDenied: [{ region: 'eu-west-1', modelId: HAIKU }],
    throttle: [{ region: 'us-west-2', operation: 'ConverseStream', firstN: 3 }],
  });
  try {
    await openLatencyPage(page, host.url);
    const form = await configureRun(page, { target: HAIKU, regions: ['us-west-2', 'eu-west-1'], runs: 6, concurrency: 1, maxTokens: 8 });
    await form.getByRole('button', { name: 'Start' }).click();
    const results = page.getByTestId('run-results');
    await expect(results.getByTestId('run-failures')).toContainText('eu-west-1', { timeout: 30_000 });
    await expect(results.getByTestId('run-failures')).toContainText('request access in the Bedrock console');
    const throttledRow = results.getByTestId('figures').locator('tbody tr').filter({ hasText: 'us-west-2' });
    await expect(throttledRow).toContainText('throttled');
    await expect(results).toContainText('Some requests were throttled: they are counted, never retried');
  } finally {
    await setScenario(emulator.url, realistic);
  }
});
