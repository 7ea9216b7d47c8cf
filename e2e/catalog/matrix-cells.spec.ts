import { test, expect, HAIKU } from '../fixtures/atlas';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, E2E_AWS_ENV, processHome, setScenario, startEmulator, startWebHost } from '../fixtures/processes';
import { cell } from '../fixtures/matrix-grid';

test.describe('what a cell says', () => {
  test('a region whose scan failed shows unknown cells, and the panel says when, why, and the last known state', async ({ page }) => {
    const emulator = await startEmulator();
    const host = await startWebHost(emulator.url);
    try {
      await page.goto(host.url);
      await expect(cell(page, HAIKU, 'eu-west-1')).toHaveAttribute('data-kind', 'on-demand');
      await setScenario(emulator.url, { notEnabled: ['eu-west-1'] });
      await page.keyboard.press('Alt+r');
      const haiku = cell(page, HAIKU, 'eu-west-1');
      await expect(haiku).toHaveAttribute('data-kind', 'unknown', { timeout: 30_000 });
      await expect(haiku).toHaveText('?');
      // No cell of a failed region claims "not offered".
      for (const region of ['eu-west-1', 'me-south-1']) {
        const kinds = await page.locator(`[data-testid=matrix] .cell[data-region="${region}"]`).evaluateAll((cells) => cells.map((element) => element.getAttribute('data-kind')));
        expect(kinds.length).toBeGreaterThan(5);
        expect(new Set(kinds)).toEqual(new Set(['unknown']));
      }
      await expect(page.locator('.legend-item[data-kind=unknown]')).toHaveText('? unknown (region failed)');

      await haiku.hover();
      await expect(page.getByRole('tooltip')).toContainText('Last scan failed: UnrecognizedClientException');
      await haiku.click();
      const failure = page.getByTestId('cell-panel').getByTestId('region-failure');
      await expect(failure).toContainText('The scan of eu-west-1 failed at');
      await expect(failure).toContainText('UnrecognizedClientException');
      await expect(failure.getByTestId('last-known')).toContainText('Last known state (fetched');
      await expect(failure.getByTestId('last-known')).toContainText('On demand: call the bare model id in this region.');
      await page.screenshot({ path: 'test-results/screens/matrix-region-failed.png' });

      // A region that never answered has nothing earlier to show.
      await page.keyboard.press('Escape');
      await cell(page, HAIKU, 'me-south-1').click();
      await expect(page.getByTestId('cell-panel').getByTestId('last-known')).toContainText('Nothing earlier is cached for me-south-1');
    } finally {
      await host.stop();
      await emulator.stop();
    }
  });

  test('"○" (listed, not callable) has a legend entry and one explanation in tooltip and panel', async ({ page, host }) => {
    await page.goto(host.url);
    const listed = cell(page, 'anthropic.claude-3-5-sonnet-20241022-v2:0', 'us-east-1');
    await expect(listed).toHaveAttribute('data-kind', 'listed');
    await expect(listed).toHaveText('○');
    await expect(page.locator('.legend-item[data-kind=listed]')).toHaveText('○ listed, not callable');
    await listed.hover();
    const explanation = page.getByRole('tooltip').locator('.tooltip-kind');
    await expect(explanation).toContainText('Listed in this region, but with no on-demand, profile or provisioned type');
    const tooltipText = (await explanation.textContent())!.trim();
    await listed.click();
    await expect(page.getByTestId('cell-explanation')).toHaveText(tooltipText);
    await expect(page.locator('.legend-item[data-kind=listed]')).toHaveAttribute('title', tooltipText.replace(/^○\s*/, ''));
  });

  test('model ids are shown in full, with a rich tooltip giving the full id and name', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await expect(grid.locator('.row-header').first()).toBeVisible();
    const cut = await grid.locator('.row-header .model-id').evaluateAll((ids) => ids.filter((id) => id.scrollWidth > id.clientWidth + 1).map((id) => id.textContent));
    expect(cut).toEqual([]);
    const header = grid.locator('.row-header[data-model="amazon.nova-2-multimodal-embeddings-v1:0"]');
    await expect(header.locator('.model-id')).toHaveText('amazon.nova-2-multimodal-embeddings-v1:0');
    await expect(header).not.toHaveAttribute('title');
    await header.hover();
    const tooltip = page.getByRole('tooltip');
    await expect(tooltip).toContainText('Amazon Nova Multimodal Embeddings');
    await expect(tooltip.locator('.tooltip-id')).toHaveText('amazon.nova-2-multimodal-embeddings-v1:0');
    await expect(tooltip).toContainText(/Callable \(on demand or through a profile\) in \d+ of the regions shown/);
    await page.mouse.move(5, 5);
    await expect(tooltip).toBeHidden();
  });
});

test.describe('the cell panel', () => {
  test('copy buttons sit beside their ids, ids break only after a dot, and routes name the endpoint to call', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('claude-sonnet-4-5');
    await cell(page, 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'us-east-1').click();
    const panel = page.getByTestId('cell-panel');
    await expect(panel.getByTestId('best-routes').locator('li').first()).toBeVisible();
    const layout = await panel.locator('.copyable-id').evaluateAll((rows) =>
      rows.map((row) => {
        const id = row.querySelector('.id-text')!.getBoundingClientRect();
        const button = row.querySelector('.copy')!.getBoundingClientRect();
        const tokens = [...row.querySelectorAll('.id-token')].map((token) => token.getClientRects().length);
        return { id: row.querySelector('.id-text')!.textContent, beside: button.left >= id.right - 1 && button.top < id.bottom, buttonLines: Math.round(button.height / 10), tokens };
      }),
    );
    expect(layout.length).toBeGreaterThan(3);
    for (const row of layout) {
      expect(row.beside, `copy button beside ${row.id}`).toBe(true);
      expect(row.buttonLines, `copy button of ${row.id} on one line`).toBeLessThanOrEqual(2);
      expect(row.tokens.every((lines) => lines === 1), `${row.id} never breaks inside a token`).toBe(true);
    }
    const brokenRegions = await panel.locator('.region-name').evaluateAll((names) => names.filter((name) => name.getClientRects().length !== 1).map((name) => name.textContent));
    expect(await panel.locator('.region-name').count()).toBeGreaterThan(3);
    expect(brokenRegions, 'region names broken across lines').toEqual([]);
    const first = panel.getByTestId('best-routes').locator('li').first();
    await expect(first).toContainText("call us-east-1's endpoint — the region you are in");
    await expect(panel.getByTestId('best-routes')).not.toContainText('via ');
    await page.screenshot({ path: 'test-results/screens/cell-panel.png' });
  });

  test('each route has a place for the latency lab figures, saying how to get them until measured', async ({ page, host }) => {
    await page.goto(host.url);
    await cell(page, HAIKU, 'us-east-1').click();
    const measurements = page.getByTestId('cell-panel').getByTestId('route-measurement');
    await expect(measurements.first()).toHaveText('not measured yet — run the latency lab');
    expect(await measurements.count()).toBe(await page.getByTestId('best-routes').locator('li').count());
    await measurements.first().getByRole('link', { name: 'run the latency lab' }).click();
    await expect(page).toHaveURL(/#\/latency$/);
  });

  test('once the latency lab has measured a route, the panel shows its figures there', async ({ page }) => {
    const emulator = await startEmulator();
    // The CLI's run and the host share one history database, in the CLI's own HOME.
    const cli = processHome('latency');
    const dataDir = join(cli.home, 'history');
    const env = { ...process.env, ...cli.env, ...E2E_AWS_ENV };
    await promisify(execFile)(
      process.execPath,
      [BIN, 'latency', '--target', HAIKU, '--regions', 'us-east-1', '--runs', '3', '--warmup', '0', '--endpoint-url', emulator.url, '--data-dir', dataDir, '--cache-mode', 'none'],
      { env, timeout: 60_000 },
    );
    const host = await startWebHost(emulator.url, ['--data-dir', dataDir]);
    try {
      await page.goto(host.url);
      await cell(page, HAIKU, 'us-east-1').click();
      const routes = page.getByTestId('best-routes').locator('li');
      await expect(routes.first()).toContainText(HAIKU);
      await expect(routes.first().getByTestId('route-measurement')).toHaveText(/^time to first token p50 \d+ ms, last 30 days · 3 samples · measured (just now|\d+ min ago)( · the figure in this cell on the matrix’s TTFT overlay)?$/);
      // Routes the lab has not measured still say how to get figures.
      await expect(routes.nth(1).getByTestId('route-measurement')).toHaveText('not measured yet — run the latency lab');
    } finally {
      await host.stop();
      await emulator.stop();
    }
  });
});
