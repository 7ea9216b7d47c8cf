import { test, expect, HAIKU } from '../fixtures/atlas';
import { cell } from '../fixtures/matrix-grid';
import { emulatorStats, setScenario, startEmulator, startWebHost } from '../fixtures/processes';

/** The matrix's "Check my access" overlay against the emulator: the rows on screen, one ask per model, never IAM. */
test('"Check my access" marks the cells the account cannot use, for the rows on screen only, one ask per model and no IAM', async ({ page }) => {
  // An emulator and a host of this spec's own: the access answers it sets up are cached by the host's catalog.
  const emulator = await startEmulator();
  const host = await startWebHost(emulator.url, ['--regions', 'us-east-1,us-west-2,eu-west-1,eu-central-1,ap-northeast-1']);
  try {
    await setScenario(emulator.url, { agreementPending: [{ region: 'us-east-1', modelId: HAIKU }], accessDenied: [{ region: 'eu-west-1', modelId: HAIKU }] });
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/getModelAccess')) asked.push((JSON.parse(request.postData() ?? '{}') as { modelId: string }).modelId);
    });
    await page.goto(host.url);
    await expect(cell(page, HAIKU, 'us-east-1')).toBeVisible();
    const before = await emulatorStats(emulator.url);
    const allRows = await page.locator('[data-testid=matrix] [role=rowheader][data-model]').count();

    await page.getByLabel('Search models').fill('claude 3 haiku');
    await expect(page.locator('[data-testid=matrix] [role=rowheader][data-model]')).toHaveCount(1);
    expect(asked).toEqual([]);
    await page.getByRole('button', { name: 'Check my access' }).click();

    const summary = page.getByTestId('access-overlay-summary');
    // Claude 3 Haiku is LEGACY in the emulator's data: where it is authorized it is at risk, never unmarked.
    await expect(summary).toHaveText('Access for the 1 models shown: 2 you cannot call it (model access) · 3 at risk (legacy, or served elsewhere)');
    const marked = (region: string) =>
      cell(page, HAIKU, region).evaluate((element) => ({ background: getComputedStyle(element).backgroundColor, glyph: getComputedStyle(element, '::before').content }));
    expect(await marked('us-east-1')).toEqual({ background: 'rgb(248, 201, 196)', glyph: '"✕"' });
    expect(await marked('eu-west-1')).toEqual({ background: 'rgb(248, 201, 196)', glyph: '"✕"' });
    expect(await marked('us-west-2')).toEqual({ background: 'rgb(251, 227, 166)', glyph: '"!"' });
    await expect(page.getByTestId('access-overlay-legend')).toContainText('✕ you cannot call it (model access)');
    await expect(page.getByTestId('access-overlay-legend')).toContainText('⊘ not callable with this key');
    expect(asked).toEqual([HAIKU]);

    // The whole list on screen: one ask per model shown (Haiku answered already), fewer than the matrix's rows.
    await page.getByLabel('Search models').fill('');
    await expect(summary).toHaveText(/^Access for the \d+ models shown: 2 you cannot call it \(model access\)/);
    const shownModels = await page.locator('[data-testid=matrix] [role=rowheader][data-model]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-model')));
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBeGreaterThan(1);
    expect(asked.every((modelId) => shownModels.includes(modelId))).toBe(true);
    expect(asked.length).toBeLessThan(allRows);

    await page.screenshot({ path: 'test-results/screens/matrix-access-overlay-1440.png' });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: 'test-results/screens/matrix-access-overlay-1280.png' });

    const after = await emulatorStats(emulator.url);
    const operations = (stats: typeof after) => Object.values(stats.requests).flatMap((perOperation) => Object.entries(perOperation));
    expect(operations(after).filter(([operation]) => operation.startsWith('iam:'))).toEqual([]);
    const availability = (stats: typeof after) => operations(stats).filter(([operation]) => operation === 'GetFoundationModelAvailability').reduce((sum, [, count]) => sum + count, 0);
    expect(availability(after) - availability(before)).toBeGreaterThan(0);
  } finally {
    await host.stop();
    await emulator.stop();
  }
});
