import { expect, HAIKU, test } from '../fixtures/atlas';
import { configureRun, openLatencyPage } from '../latency/latency-page';
import { CAPACITY_HOST } from './capacity-page';

test.use(CAPACITY_HOST);

test('the latency lab shows the dollars before a run and what the run cost after it', async ({ page, host }) => {
  test.setTimeout(90_000);
  await openLatencyPage(page, host.url);
  const form = await configureRun(page, { target: HAIKU, regions: ['us-east-1'], runs: 2, concurrency: 1, maxTokens: 16 });
  await expect(form.getByTestId('estimated-cost')).toHaveText(/^estimated \$[\d.,]+ at most$/);
  await form.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('live')).toContainText('done', { timeout: 60_000 });
  await expect(page.getByTestId('run-cost')).toContainText(/^Cost of this run: \$[\d.,]+ · \d+ input and \d+ output tokens over 3 requests \(warm-ups\s+included\), at the list prices of \d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId('figures').getByTestId('route-cost')).toHaveText(/^\$[\d.,]+$/);
});

test('the playground shows each answer’s cost and the conversation’s total', async ({ page, playground }) => {
  expect(playground).toBeTruthy();
  const pane = page.getByTestId('pane-1');
  await pane.getByLabel('Pane 1 model or profile').fill(HAIKU);
  await pane.getByLabel('Pane 1 region').selectOption('us-east-1');
  for (const prompt of ['Where is Sydney?', 'And Perth?']) {
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
    await expect(pane.getByTestId('response-footer')).toHaveCount(prompt === 'And Perth?' ? 2 : 1, { timeout: 30_000 });
  }
  const costs = await pane.getByTestId('response-footer').locator('[data-figure="Cost"] dd').allTextContents();
  expect(costs).toHaveLength(2);
  for (const cost of costs) expect(cost).toMatch(/^\$[\d.]+$/);
  const total = costs.map((cost) => Number(cost.slice(1))).reduce((sum, cost) => sum + cost, 0);
  const shown = (await pane.getByTestId('conversation-cost').textContent())!;
  expect(shown).toMatch(/^Conversation: \$[\d.]+ over 2 answers$/);
  // The total is the sum of the answers (each shown to three significant digits).
  expect(Number(/\$([\d.]+)/.exec(shown)![1])).toBeCloseTo(total, 5);
  await expect(page.getByTestId('summary-cost')).toContainText(/^Cost: P1 \$[\d.]+ · all panes \$[\d.]+$/);
});
