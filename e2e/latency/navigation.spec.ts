import { emulatorStats } from '../fixtures/processes';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { configureRun, LATENCY_HOST, openLatencyPage } from './latency-page';

test.use(LATENCY_HOST);

async function abortedStreams(emulatorUrl: string): Promise<number> {
  return Object.values((await emulatorStats(emulatorUrl)).abortedStreams).reduce((sum, count) => sum + count, 0);
}

test.describe('latency page: a run survives leaving the page', () => {
  test('leaving while it runs neither orphans nor hides it: back on the page it is still running or done, with its figures', async ({ page, host, emulator }) => {
    await openLatencyPage(page, host.url);
    const before = await abortedStreams(emulator.url);
    const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1', 'eu-west-1'], runs: 12, concurrency: 1, maxTokens: 32 });
    await expect(page.getByTestId('estimate')).toContainText('24 requests');
    await form.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByTestId('progress').locator('tbody tr')).toHaveCount(2);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Matrix' }).click();
    await expect(page.getByTestId('live')).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Latency' }).click();

    // Back: the run is shown (running, or already done), with the form that started it.
    const live = page.getByTestId('live');
    await expect(live.getByText(/^(running|done)$/)).toBeVisible();
    await expect(page.getByRole('form', { name: 'Latency run' }).getByLabel('Runs per route')).toHaveValue('12');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: 'test-results/screens/latency-after-navigation.png' });

    await expect(live).toContainText('done', { timeout: 30_000 });
    await expect(page.getByTestId('progress')).toContainText('12 / 12');
    const results = page.getByTestId('run-results');
    await expect(results.getByTestId('figures').locator('tbody tr')).toHaveCount(2);
    await expect(results).not.toContainText('cancelled');
    expect(await abortedStreams(emulator.url)).toBe(before);
    await page.screenshot({ path: 'test-results/screens/latency-after-navigation-done.png', fullPage: false });
  });
});
