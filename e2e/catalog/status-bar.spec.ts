import { test, expect } from '../fixtures/atlas';
import { setScenario, startWebHost } from '../fixtures/processes';

test.describe('status bar', () => {
  test('failed regions and warnings are counted apart and say what they count; nothing claims "connected"', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('region-summary')).toHaveText('31 regions ok · 2 failed');
    await expect(page.getByTestId('warnings')).toHaveText('⚠ 1 warning');
    await expect(page.getByTestId('bedrock-state')).toHaveText('● Bedrock answering');
    await expect(page.getByText(/connected/)).toHaveCount(0);
    await page.getByTestId('warnings').click();
    const popover = page.getByTestId('region-popover');
    await expect(popover.getByTestId('warning-list')).toContainText('1 warning while loading');
    await expect(popover.getByTestId('warning-list')).toContainText('2 regions failed: me-central-1 (UnrecognizedClientException)');
  });

  test('the Regions popover closes on Escape and on an outside click, returns focus, and never breaks a region name', async ({ page, host }) => {
    await page.goto(host.url);
    const summary = page.getByTestId('region-summary');
    const popover = page.getByTestId('region-popover');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(popover).toBeVisible();
    await expect(popover).toBeFocused();
    await expect(popover.locator('tr').first()).toContainText('✗ UnrecognizedClientException');

    // The longest names in the narrowest layout: each region name sits on one line.
    await page.setViewportSize({ width: 760, height: 720 });
    const linesPerName = await popover.locator('td.region-name').evaluateAll((cells) =>
      cells.map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return `${cell.textContent}: ${new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size}`;
      }),
    );
    expect(linesPerName).toHaveLength(33);
    expect(linesPerName.filter((entry) => !entry.endsWith(': 1'))).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
    await expect(summary).toBeFocused();
    await expect(summary).toHaveAttribute('aria-expanded', 'false');

    await summary.click();
    await expect(popover).toBeVisible();
    await popover.click({ position: { x: 20, y: 40 } });
    await expect(popover).toBeVisible();
    await page.getByRole('navigation', { name: 'Pages' }).click({ position: { x: 2, y: 2 } });
    await expect(popover).toBeHidden();
  });

  test('a running scan names the regions it is still waiting for', async ({ page, host, emulator }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(host.url);
    await expect(page.getByTestId('region-summary')).toBeVisible();
    await setScenario(emulator.url, { controlPlaneLatencyMs: { '*': 200, 'ap-southeast-7': 4000, 'eu-south-2': 4000 } });
    try {
      await page.getByRole('button', { name: '↻ Refresh' }).click();
      const waiting = page.getByTestId('scan-waiting');
      await expect(waiting).toHaveText(/^waiting for (ap-southeast-7, eu-south-2|eu-south-2, ap-southeast-7)$/, { timeout: 20_000 });
      await expect(waiting).toHaveAttribute('title', /Still waiting for .*ap-southeast-7/);
      await page.screenshot({ path: 'test-results/screens/scan-waiting.png' });
      await expect(page.getByTestId('scan-done')).toContainText('Last refresh: 31 ok, 2 failed', { timeout: 30_000 });
    } finally {
      await setScenario(emulator.url, {});
    }
  });

  test('a page without a valid token names the command to run, offers no Refresh, and stops asking', async ({ page, host }) => {
    const origin = new URL(host.url).origin;
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(new URL(response.url()).pathname);
    });
    await page.goto(`${origin}/#/matrix`);
    const tokenPage = page.getByTestId('token-page');
    await expect(tokenPage).toBeVisible();
    // The host writes how it was started into the page: this one was started with `bedrock-atlas web`.
    await expect(tokenPage).toContainText('Open the address that bedrock-atlas web printed in the terminal where it runs');
    await expect(page.getByRole('button')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/token-page.png' });
    await page.waitForTimeout(3_000);
    const settled = refused.length;
    // One refused call says it all: getAppInfo, and the event stream once. Nothing is retried afterwards.
    expect(refused.filter((path) => path === '/api/getAppInfo')).toHaveLength(1);
    expect(refused.filter((path) => path === '/api/events').length).toBeLessThanOrEqual(1);
    await page.waitForTimeout(2_000);
    expect(refused.length).toBe(settled);
  });
});

test('when the app back end goes away the status bar says so, not a vague "disconnected"', async ({ page, emulator }) => {
  const ownHost = await startWebHost(emulator.url);
  try {
    await page.goto(ownHost.url);
    await expect(page.getByTestId('bedrock-state')).toHaveText('● Bedrock answering');
    await expect(page.getByTestId('back-end-lost')).toHaveCount(0);
    await ownHost.stop();
    await expect(page.getByTestId('back-end-lost')).toHaveText('○ app back end unreachable, reconnecting…');
  } finally {
    await ownHost.stop();
  }
});
