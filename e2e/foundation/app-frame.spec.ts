import { test, expect } from '../fixtures/atlas';

test.describe('app frame over the browser host', () => {
  test('loads through the token URL, hides the token and navigates between pages', async ({ page, host }) => {
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    await page.goto(host.url);
    await expect(page.getByRole('navigation', { name: 'Pages' })).toBeVisible();
    await expect(page).toHaveURL(/#\/matrix$/);
    for (const [label, heading] of [
      ['Profiles', null],
      ['Latency', 'Latency lab'],
      ['Playground', 'Playground'],
      ['Settings', 'Settings'],
    ] as const) {
      await page.getByRole('link', { name: label }).click();
      await expect(page.getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
      if (heading) await expect(page.getByRole('heading', { name: heading })).toBeVisible();
    }
    await page.keyboard.press('Alt+1');
    await expect(page.getByTestId('matrix')).toBeVisible();
    // The host serves React's production bundle, even when a test runner's NODE_ENV was inherited at build time:
    // only the development bundle asks for its DevTools (and runs StrictMode's double effects).
    expect(console.filter((text) => text.includes('React DevTools'))).toEqual([]);
  });

  test('a call round-trips through the contract, and the API refuses calls without the token', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('bedrock-state')).toHaveText('● Bedrock answering');
    const origin = new URL(host.url).origin;
    const token = new URL(host.url).hash.replace('#token=', '');
    const info = await page.request.post(`${origin}/api/getAppInfo`, { headers: { authorization: `Bearer ${token}` }, data: {} });
    expect(await info.json()).toMatchObject({ ok: true, value: { name: 'Bedrock Atlas', transport: 'web', simulated: true } });
    const anonymous = await page.request.post(`${origin}/api/getAppInfo`, { data: {} });
    expect(anonymous.status()).toBe(401);
    const invalid = await page.request.post(`${origin}/api/findModel`, { headers: { authorization: `Bearer ${token}` }, data: { query: 5 } });
    expect(invalid.status()).toBe(400);
    expect((await invalid.json()).error.name).toBe('ValidationError');
  });

  test('settings are validated and saved through the contract', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByLabel('Theme').selectOption('system');
    await page.getByRole('button', { name: 'Save' }).click();
  });
});
