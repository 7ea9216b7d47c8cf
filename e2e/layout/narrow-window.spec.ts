import type { Locator, Page } from '@playwright/test';
import { emulatorStats } from '../fixtures/processes';
import { expect, FIVE_REGIONS, HAIKU, test } from '../fixtures/atlas';

/** Issue 21 §6 and §10: what a new user saw cut, wrapped or out of view at 1280x720 (and 1440x900). */
test.use({ scenario: 'realistic', regions: [...FIVE_REGIONS, 'ap-southeast-2'] });
test.use({ viewport: { width: 1280, height: 720 } });

const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

/** One line of text: every line box of its contents starts at the same height (a table cell's own height is its row's). */
async function isOneLine(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
    return rects.length > 0 && rects.every((rect) => Math.abs(rect.top - rects[0]!.top) < 2);
  });
}

/** Text shown whole: its box is as wide as its content. */
const notCut = (element: Locator) => element.evaluate((node) => node.scrollWidth <= node.clientWidth + 1);

async function fourPanes(page: Page, targets: Array<[string, string]>) {
  for (const [index, [target, region]] of targets.entries()) {
    if (index > 0) await page.getByRole('button', { name: 'Add pane' }).click();
    const pane = page.getByTestId(`pane-${index + 1}`);
    await pane.getByLabel(`Pane ${index + 1} model or profile`).fill(target);
    await pane.getByLabel(`Pane ${index + 1} region`).selectOption(region);
  }
  await page.getByRole('heading', { name: 'Playground' }).click();
}

test('playground, four panes at 1280x720: every target readable, headers on one line, with History open too', async ({ page, playground }) => {
  void playground;
  await fourPanes(page, [
    [HAIKU, 'us-east-1'],
    [HAIKU, 'eu-west-1'],
    ['amazon.nova-pro-v1:0', 'ap-southeast-2'],
    [`us.${HAIKU_45}`, 'us-east-1'],
  ]);
  for (const history of [false, true]) {
    if (history) await page.getByRole('button', { name: 'History' }).click();
    for (const [index, name] of ['Claude 3 Haiku', 'Claude 3 Haiku', 'Nova Pro', 'US Claude Haiku 4.5'].entries()) {
      const pane = page.getByTestId(`pane-${index + 1}`);
      const shown = pane.getByTestId('target-name');
      await expect(shown).toHaveText(name);
      expect(await notCut(shown), `pane ${index + 1}'s target${history ? ' with History open' : ''}`).toBe(true);
      expect(await isOneLine(pane.getByRole('heading', { name: `Pane ${index + 1}` }))).toBe(true);
      expect(await isOneLine(pane.getByRole('button', { name: 'Copy as code' }))).toBe(true);
      expect(await notCut(pane.getByLabel(`Pane ${index + 1} region`))).toBe(true);
    }
  }
  // Focus shows the id itself, to edit; the name covers it again afterwards.
  const field = page.getByLabel('Pane 1 model or profile');
  await field.focus();
  await expect(page.getByTestId('pane-1').getByTestId('target-name')).toBeHidden();
  await expect(field).toHaveValue(HAIKU);
  await expect(field).toHaveAttribute('title', HAIKU);
});

test('a pane flagged "needs a profile" is not sent and the page says so; its error appears once, in full', async ({ page, playground, emulator }) => {
  void playground;
  await fourPanes(page, [
    [HAIKU, 'us-east-1'],
    [HAIKU_45, 'us-east-1'],
  ]);
  const flagged = page.getByTestId('pane-2');
  await expect(flagged.getByTestId('route-plan')).toContainText('only through inference profiles');
  await page.getByLabel('Prompt', { exact: true }).fill('hello');
  await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
  await expect(page.getByTestId('pane-1').getByTestId('response-footer')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Pane 2 was not sent' })).toHaveText('Pane 2 was not sent: its route plan says why, with the fix.');
  await expect(flagged.getByText('You', { exact: true })).toHaveCount(0);
  await expect(page.getByText(/is served in us-east-1 only through inference profiles/)).toHaveCount(1);
  expect((await emulatorStats(emulator.url)).requests['us-east-1']?.ConverseStream).toBe(1);
});

test('the matrix toolbar is one row at 1280 px, JSON included', async ({ page, host }) => {
  await page.goto(host.url);
  const toolbar = page.locator('.matrix-toolbar');
  await expect(toolbar.getByRole('button', { name: 'Export JSON' })).toBeVisible();
  const top = async (locator: Locator) => (await locator.boundingBox())!.y;
  expect(Math.abs((await top(toolbar.getByRole('button', { name: 'Export JSON' }))) - (await top(toolbar.getByLabel('Search models'))))).toBeLessThan(4);
});

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`copy as code shows every line whole at ${viewport.width}x${viewport.height}`, async ({ page, playground }) => {
    void playground;
    await page.setViewportSize(viewport);
    await page.getByLabel('Prompt', { exact: true }).fill('Which region is closest to Sydney, and why would a cross-region profile help?');
    await page.getByTestId('pane-1').getByRole('button', { name: 'Copy as code' }).click();
    for (const language of ['AWS CLI', 'TypeScript (SDK v3)', 'Python (boto3)']) {
      await page.getByRole('tab', { name: language }).click();
      expect(await notCut(page.getByTestId('code')), language).toBe(true);
    }
  });
}
