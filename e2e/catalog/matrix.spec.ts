import { test, expect } from '../fixtures/atlas';
import { setScenario, startEmulator, startWebHost } from '../fixtures/processes';

test.describe('catalog matrix', () => {
  test('renders the emulator data, labelled simulated', async ({ page, host }) => {
    await page.goto(host.url);
    const matrix = page.getByTestId('matrix');
    await expect(matrix.getByText('Claude 3 Haiku', { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId('data-source')).toContainText('simulated');
    await expect(page.getByTestId('region-summary')).toHaveText('31 regions ok · 2 failed');
    await page.screenshot({ path: 'test-results/screens/matrix-light.png' });
  });

  test('a cell opens its panel with the exact ids to call and where they route', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('nova 2 lite');
    const row = page.locator('.row-header', { hasText: 'amazon.nova-2-lite-v1:0' }).first();
    await expect(row).toBeVisible();
    await page.locator('.cell[data-model="amazon.nova-2-lite-v1:0"][data-region="us-east-1"]').click();
    const panel = page.getByTestId('cell-panel');
    await expect(panel.getByTestId('invoke-id')).toHaveText(['us.amazon.nova-2-lite-v1:0', 'global.amazon.nova-2-lite-v1:0']);
    await expect(panel.getByTestId('profile-only-note')).toContainText('on-demand throughput isn’t supported');
    await expect(panel).toContainText('us-east-1 → us-east-1, us-east-2, us-west-2');
    await expect(panel.getByTestId('access-status')).toContainText('Authorized');
    await expect(panel.getByTestId('best-routes').locator('li').first()).toContainText('us.amazon.nova-2-lite-v1:0');
    await page.screenshot({ path: 'test-results/screens/matrix-panel.png' });
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  });

  test('the keyboard moves through the matrix and Enter opens the panel', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByTestId('matrix').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cell-panel')).toBeVisible();
  });

  test('Refresh shows per-region progress', async ({ page, host, emulator }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('region-summary')).toBeVisible();
    await setScenario(emulator.url, { controlPlaneLatencyMs: { '*': 300, 'ap-southeast-7': 2500 } });
    try {
      await page.getByRole('button', { name: '↻ Refresh' }).click();
      const progress = page.getByTestId('scan-progress');
      await expect(progress).toBeVisible();
      await expect(progress).toContainText(/\d+\/33 regions/);
      await expect(page.locator('.chip-done').first()).toBeVisible();
      await page.screenshot({ path: 'test-results/screens/refresh-progress.png' });
      await expect(page.getByTestId('scan-done')).toContainText('Last refresh: 31 ok, 2 failed', { timeout: 30_000 });
    } finally {
      await setScenario(emulator.url, {});
    }
  });

  test('exports the filtered matrix as CSV and the catalog as JSON', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByLabel('Provider').selectOption('Anthropic');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const text = await (await csv.createReadStream()).toArray();
    const lines = Buffer.concat(text).toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^provider,model_id,model_name,lifecycle,us-east-1,/);
    expect(lines.slice(1).every((line) => line.startsWith('Anthropic,'))).toBe(true);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    expect(json.suggestedFilename()).toMatch(/^bedrock_catalog-.*\.json$/);
  });

  test('with the emulator stopped, the app falls back to the bundled catalog and says so', async ({ page }) => {
    const ownEmulator = await startEmulator();
    const deadEndpoint = await startWebHost(ownEmulator.url, ['--cache-mode', 'none']);
    await ownEmulator.stop();
    try {
      await page.goto(deadEndpoint.url);
      await expect(page.getByTestId('data-source')).toHaveText('bundled', { timeout: 45_000 });
      await expect(page.getByTestId('data-age')).toHaveText('bundled data from 2026-08-21');
      await expect(page.getByTestId('matrix').getByText('Claude 3 Haiku', { exact: true }).first()).toBeVisible();
      await page.screenshot({ path: 'test-results/screens/bundled-fallback.png' });
    } finally {
      await deadEndpoint.stop();
    }
  });
});

test('dark theme follows the OS', async ({ browser, host }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('matrix')).toBeVisible();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(15, 18, 23)');
  await page.screenshot({ path: 'test-results/screens/matrix-dark.png' });
  await context.close();
});
