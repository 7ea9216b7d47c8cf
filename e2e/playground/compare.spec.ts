import type { Locator, Page } from '@playwright/test';
import { emulatorStats, setScenario } from '../fixtures/processes';
import { expect, FIVE_REGIONS, HAIKU, test } from '../fixtures/atlas';

test.use({ regions: FIVE_REGIONS });
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

async function setPane(page: Page, index: number, target: string, region: string) {
  const pane = page.getByTestId(`pane-${index}`);
  await pane.getByLabel(`Pane ${index} model or profile`).fill(target);
  await pane.getByLabel(`Pane ${index} region`).selectOption(region);
  return pane;
}

async function twoPanes(page: Page): Promise<[Locator, Locator]> {
  await setPane(page, 1, HAIKU, 'us-east-1');
  await page.getByRole('button', { name: 'Add pane' }).click();
  return [page.getByTestId('pane-1'), await setPane(page, 2, HAIKU, 'eu-west-1')];
}

async function send(page: Page, text: string) {
  await page.getByLabel('Prompt', { exact: true }).fill(text);
  await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
}

test.describe('playground: a 2-pane compare against the emulator', () => {
  test('streams token by token in both panes, then shows each answer’s figures and the summary', async ({ page, playground, emulator }) => {
    void playground;
    await setScenario(emulator.url, { perTokenMs: { '*': 25 }, timeToFirstTokenMs: { '*': 50 } });
    const [first, second] = await twoPanes(page);
    await expect(first.getByTestId('route-plan')).toContainText(`invoke ${HAIKU}`);
    await expect(second.getByTestId('route-plan')).toContainText('endpoint bedrock-runtime.eu-west-1');
    await send(page, 'Tell me about regions.');

    // Text grows while the stream runs: seen partially before the answer is complete.
    const streaming = first.getByTestId('streaming-answer');
    await expect(streaming).toBeVisible();
    const early = (await streaming.textContent())!.length;
    await expect.poll(async () => ((await streaming.textContent()) ?? '').length, { timeout: 5_000 }).toBeGreaterThan(early + 5);
    await expect(second.getByTestId('streaming-answer')).toBeVisible();

    for (const pane of [first, second]) {
      await expect(pane.getByTestId('response-footer')).toContainText(/TTFT\s*\d+ ms/);
      await expect(pane.getByTestId('response-footer')).toContainText(/Tokens\s*\d+ in \/ \d+ out/);
      await expect(pane.getByTestId('response-footer')).toContainText('Stop');
    }
    await expect(second.getByTestId('response-footer')).toContainText(`${HAIKU} · eu-west-1 · on demand`);
    const summary = page.getByTestId('summary');
    await expect(summary).toContainText(/Fastest TTFT: Pane [12] \(\d+ ms\)/);
    await expect(summary).toContainText(/Fastest output: Pane [12] \([\d.]+ tok\/s\)/);
  });

  test('Cancel aborts one pane upstream and keeps its partial text; the other pane finishes', async ({ page, playground, emulator }) => {
    void playground;
    await setScenario(emulator.url, { perTokenMs: { '*': 40 }, timeToFirstTokenMs: { '*': 50 } });
    const [first, second] = await twoPanes(page);
    await send(page, 'A long story, please.');
    await expect.poll(async () => ((await first.getByTestId('streaming-answer').textContent()) ?? '').length).toBeGreaterThan(10);
    const cancel = first.getByRole('button', { name: 'Cancel' });
    await cancel.click();
    await expect(first.getByText('Cancelled: the request was aborted upstream; the text that had arrived is kept.')).toBeVisible();
    await expect(first.getByTestId('answer')).not.toBeEmpty();
    await expect.poll(async () => (await emulatorStats(emulator.url)).abortedStreams['us-east-1'] ?? 0).toBe(1);
    await expect(second.getByTestId('response-footer')).toBeVisible({ timeout: 30_000 });
    expect((await emulatorStats(emulator.url)).abortedStreams['eu-west-1'] ?? 0).toBe(0);
  });

  test('a bare id that needs a profile is caught before sending, and one click uses the best profile', async ({ page, playground, emulator }) => {
    void playground;
    const pane = await setPane(page, 1, HAIKU_45, 'us-east-1');
    const plan = pane.getByTestId('route-plan');
    await expect(plan).toContainText('only through inference profiles');
    await expect(plan).toContainText(`us.${HAIKU_45}`);
    await plan.getByRole('button', { name: `Use us.${HAIKU_45}` }).click();
    await expect(pane.getByLabel('Pane 1 model or profile')).toHaveValue(`us.${HAIKU_45}`);
    await expect(plan).toContainText('geo profile');
    await expect(plan).toContainText(/may be served in us-east-1, /);
    await send(page, 'hello');
    await expect(pane.getByTestId('response-footer')).toContainText(`us.${HAIKU_45} · us-east-1 · geo profile`);
    expect((await emulatorStats(emulator.url)).requests['us-east-1']?.ConverseStream).toBe(1);
  });

  test('route automatically: the best profile is called silently and the answer’s footer says so', async ({ page, playground }) => {
    void playground;
    const pane = await setPane(page, 1, HAIKU_45, 'us-east-1');
    await page.getByLabel('Route automatically').check();
    await expect(pane.getByTestId('route-plan')).toContainText('Routed automatically');
    await send(page, 'hello');
    await expect(pane.getByTestId('response-footer')).toContainText(`routed automatically from ${HAIKU_45}`);
  });

  test('a profile not offered in the region names where it is, and nothing is sent', async ({ page, playground, emulator }) => {
    void playground;
    const pane = await setPane(page, 1, `eu.${HAIKU_45}`, 'us-east-1');
    await expect(pane.getByTestId('route-plan')).toContainText(/is not offered in us-east-1\. Call it from .*eu-west-1/);
    await send(page, 'hello');
    // The pane its route plan already refuses is not sent: the page says so once, and the plan keeps the reason and the fix.
    await expect(page.getByText(/^(Pane 1 was not sent: its route plan says why, with the fix\.|Nothing was sent: .*The prompt is kept\.)$/)).toBeVisible();
    await expect(pane.getByTestId('route-plan')).toContainText(/is not offered in us-east-1\. Call it from .*eu-west-1/);
    expect((await emulatorStats(emulator.url)).requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  test('shows the served tier and latency, and flags an optimized request served as standard', async ({ page, playground, emulator }) => {
    void playground;
    await setScenario(emulator.url, { perTokenMs: { '*': 5 }, optimizedQuota: [{ region: '*', modelId: '*', afterRequests: 0 }] });
    const pane = await setPane(page, 1, 'amazon.nova-pro-v1:0', 'us-east-1');
    await pane.getByText('Parameters').click();
    await pane.getByLabel('Latency').selectOption('optimized');
    await pane.getByLabel('Service tier').selectOption('priority');
    await send(page, 'hello');
    const served = pane.getByTestId('served');
    await expect(served).toContainText('Served: standard latency, priority tier');
    await expect(served).toContainText('⚠ asked optimized latency, served standard');
  });

  test('refuses an empty prompt and maxTokens out of range before anything is sent', async ({ page, playground, emulator }) => {
    void playground;
    const pane = await setPane(page, 1, HAIKU, 'us-east-1');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The prompt is empty' })).toBeVisible();
    await pane.getByText('Parameters').click();
    await pane.getByLabel('maxTokens').fill('999999');
    await send(page, 'hello');
    await expect(pane.getByRole('alert')).toContainText('maxTokens may be at most 200000');
    expect((await emulatorStats(emulator.url)).requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  test('closing the tab mid-stream aborts the request upstream', async ({ page, playground, emulator }) => {
    void playground;
    await setScenario(emulator.url, { perTokenMs: { '*': 50 } });
    await setPane(page, 1, HAIKU, 'us-east-1');
    await send(page, 'A long story, please.');
    await expect(page.getByTestId('streaming-answer')).not.toBeEmpty();
    await page.close();
    await expect.poll(async () => (await emulatorStats(emulator.url)).abortedStreams['us-east-1'] ?? 0, { timeout: 5_000 }).toBe(1);
  });

  test('saves the conversation: listed, searchable, reopened, exported and deleted; copy as code has the exact call', async ({ page, playground }) => {
    void playground;
    await setPane(page, 1, HAIKU, 'eu-west-1');
    await send(page, 'What is a sovereign region?');
    await expect(page.getByTestId('response-footer')).toBeVisible();
    await page.getByRole('button', { name: 'Copy as code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy as code' });
    await expect(dialog.getByTestId('code')).toContainText(`--region eu-west-1`);
    await expect(dialog.getByTestId('code')).toContainText(`--model-id '${HAIKU}'`);
    await dialog.getByRole('tab', { name: 'Python (boto3)' }).click();
    await expect(dialog.getByTestId('code')).toContainText('region_name="eu-west-1"');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('complementary', { name: 'Saved conversations' });
    await history.getByLabel('Search saved conversations').fill('sovereign');
    const entry = history.getByRole('button', { name: /^What is a sovereign region\?/ });
    await expect(entry).toBeVisible();
    const download = page.waitForEvent('download');
    await history.getByRole('button', { name: 'Export What is a sovereign region? as Markdown' }).click();
    expect((await download).suggestedFilename()).toBe('What-is-a-sovereign-region.md');
    await entry.click();
    await expect(page.getByTestId('pane-1').getByTestId('answer')).not.toBeEmpty();
    await expect(page.getByTestId('pane-1').getByLabel('Pane 1 region')).toHaveValue('eu-west-1');
    await page.getByRole('button', { name: 'History' }).click();
    await history.getByLabel('Search saved conversations').fill('sovereign');
    await history.getByRole('button', { name: 'Delete What is a sovereign region?' }).click();
    await expect(history.getByText('Nothing matches.')).toBeVisible();
  });

  test('images: a file that is not an image or is too large is refused when attached; a model without image input is refused before sending', async ({ page, playground, emulator }) => {
    void playground;
    const pane = await setPane(page, 1, 'amazon.nova-micro-v1:0', 'us-east-1');
    const input = page.getByTestId('image-input');
    await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await expect(page.getByRole('alert').filter({ hasText: 'notes.png is not a PNG, JPEG, GIF or WebP image' })).toBeVisible();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000010000000100806000000', 'hex');
    await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([png, Buffer.alloc(4 * 1024 * 1024)]) });
    await expect(page.getByRole('alert').filter({ hasText: 'huge.png is 4.00 MB; Bedrock accepts at most 3.75 MB per image' })).toBeVisible();
    await input.setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: Buffer.concat([png, Buffer.alloc(64)]) });
    await expect(page.getByText('chart.png (png)')).toBeVisible();
    await send(page, 'What is in this chart?');
    await expect(pane.getByRole('alert')).toContainText('amazon.nova-micro-v1:0 does not take images');
    expect((await emulatorStats(emulator.url)).requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  test('keyboard only: Ctrl+Enter sends to every pane, Escape cancels them all', async ({ page, playground, emulator }) => {
    void playground;
    // Slow enough that neither answer can end between the first text and the Escape, however loaded the machine.
    await setScenario(emulator.url, { perTokenMs: { '*': 400 } });
    await twoPanes(page);
    const prompt = page.getByLabel('Prompt', { exact: true });
    await prompt.focus();
    await page.keyboard.type('A long story, please.');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('pane-2').getByTestId('streaming-answer')).not.toBeEmpty();
    await page.keyboard.press('Escape');
    for (const index of [1, 2]) await expect(page.getByTestId(`pane-${index}`).getByText(/^Cancelled: the request was aborted upstream/)).toBeVisible();
    await expect.poll(async () => Object.values((await emulatorStats(emulator.url)).abortedStreams).reduce((sum, count) => sum + count, 0)).toBe(2);
  });
});
