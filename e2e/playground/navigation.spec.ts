import { emulatorStats, setScenario } from '../fixtures/processes';
import { expect, FIVE_REGIONS, HAIKU, test } from '../fixtures/atlas';

test.use({ regions: FIVE_REGIONS });

test.describe('playground: an answer survives leaving the page', () => {
  test('leaving while it streams neither orphans nor hides the call: back on the page it is still streaming or finished, then saved once', async ({ page, playground, emulator }) => {
    void playground;
    await setScenario(emulator.url, { perTokenMs: { '*': 30 }, timeToFirstTokenMs: { '*': 50 } });
    const pane = page.getByTestId('pane-1');
    await pane.getByLabel('Pane 1 model or profile').fill(HAIKU);
    await pane.getByLabel('Pane 1 region').selectOption('us-east-1');
    await page.getByLabel('Prompt', { exact: true }).fill('A long story about regions, please.');
    await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
    await expect.poll(async () => ((await pane.getByTestId('streaming-answer').textContent()) ?? '').length).toBeGreaterThan(10);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Matrix' }).click();
    await expect(page.getByTestId('pane-1')).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Playground' }).click();

    // Back: the same pane, its answer still coming in or already finished, never an empty pane.
    const back = page.getByTestId('pane-1');
    await expect(back.getByTestId('streaming-answer').or(back.getByTestId('response-footer'))).toBeVisible();
    await expect(back.getByLabel('Pane 1 model or profile')).toHaveValue(HAIKU);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: 'test-results/screens/playground-after-navigation.png' });

    await expect(back.getByTestId('response-footer')).toBeVisible({ timeout: 30_000 });
    await expect(back.getByTestId('answer')).not.toBeEmpty();
    await expect(back.getByText('Cancelled')).toHaveCount(0);
    const stats = await emulatorStats(emulator.url);
    expect(stats.abortedStreams['us-east-1'] ?? 0).toBe(0);
    expect(stats.requests['us-east-1']?.ConverseStream).toBe(1);
    // The save at the end of the send named this conversation, though the page had been away.
    await expect(page.locator('.pg-conversation')).toHaveText('A long story about regions, please.');
    await page.getByRole('button', { name: 'History' }).click();
    await expect(page.getByRole('complementary', { name: 'Saved conversations' }).locator('.pg-history-title', { hasText: 'A long story about regions, please.' })).toHaveCount(1);
    await page.screenshot({ path: 'test-results/screens/playground-after-navigation-finished.png' });
  });
});
