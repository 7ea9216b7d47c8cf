import { test, expect } from '../fixtures/atlas';
import type { Page } from '@playwright/test';
import { readmeScreenshot } from '../fixtures/readme-screenshots';

async function openProfiles(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Profiles' }).click();
  await expect(page.getByTestId('profile-card').first()).toBeVisible();
}

/** How many lines each element's text takes: an id token (a part between dots) must always take one. */
async function linesPerToken(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return `${element.textContent}: ${new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size}`;
    }),
  );
}

test.describe('profiles page', () => {
  test('each profile shows where a request from each source region may be served, with geo and global in one card family', async ({ page, host }) => {
    await openProfiles(page, host.url);
    await expect(page.getByTestId('profile-count')).toHaveText(/^\d+ of \d+ inference profiles$/);
    const apac = page.locator('[data-profile="apac.amazon.nova-lite-v1:0"]');
    await apac.scrollIntoViewIfNeeded();
    const row = apac.locator('tr[data-source="ap-south-1"]');
    await expect(row.locator('th')).toHaveText('ap-south-1');
    await expect(row.locator('td.served').first()).toHaveAttribute('title', /^ap-south-1 → \S+: may be served here$/);

    await page.getByLabel('Scope').selectOption('global');
    const global = page.getByTestId('profile-card').first();
    await expect(global.getByTestId('routing-global')).toContainText('any supported commercial region');
    const badgeStyle = (locator: ReturnType<Page['locator']>) =>
      locator.evaluate((element) => {
        const style = getComputedStyle(element);
        return [style.fontSize, style.fontWeight, style.padding, style.borderRadius, style.textTransform].join(' ');
      });
    const globalBadge = await badgeStyle(global.locator('.scope'));
    await page.getByLabel('Scope').selectOption('');
    const geo = page.getByTestId('profile-card').first();
    await expect(geo).not.toHaveAttribute('data-profile', /^global\./);
    expect(await badgeStyle(geo.locator('.scope'))).toBe(globalBadge);
    expect(await geo.evaluate((element) => getComputedStyle(element).borderLeftWidth)).toBe(
      await page.locator('.profile-card[data-profile^="global."]').first().evaluate((element) => getComputedStyle(element).borderLeftWidth),
    );
  });

  test('profiles callable from a region: only those, each saying where that region’s requests may go', async ({ page, host }) => {
    await openProfiles(page, host.url);
    const total = await page.getByTestId('profile-card').count();
    await page.getByLabel('Callable from region').selectOption('eu-west-3');
    await expect(page.getByTestId('profile-count')).not.toHaveText(new RegExp(`^${total} of`));
    const cards = page.getByTestId('profile-card');
    const count = await cards.count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(total);
    for (const text of await page.getByTestId('served-from').allTextContents()) expect(text).toMatch(/^From eu-west-3: served in /);
    await expect(cards.first().locator('tr.from-here th, li.from-here')).toHaveText('eu-west-3');

    // The choice is in the address: a reload (or a link) comes back to the same list.
    await expect(page).toHaveURL(/#\/profiles\?from=eu-west-3$/);
    await page.reload();
    await expect(page.getByLabel('Callable from region')).toHaveValue('eu-west-3');
    await expect(page.getByTestId('profile-count')).toHaveText(new RegExp(`^${count} of ${total} `));
  });

  test('sorts by scope, model or number of source regions', async ({ page, host }) => {
    await openProfiles(page, host.url);
    // The list follows the controls a frame later (a deferred value): poll until it has.
    const inOrder = (values: string[], compare: (a: string, b: string) => number) =>
      values.length > 1 && values.every((value, index) => index === 0 || compare(values[index - 1]!, value) <= 0);
    await page.getByLabel('Sort profiles').selectOption('sources');
    await expect.poll(async () => inOrder(await page.locator('.source-count').allTextContents(), (a, b) => parseInt(b, 10) - parseInt(a, 10))).toBe(true);
    await page.getByLabel('Sort profiles').selectOption('model');
    await expect.poll(async () => inOrder(await page.locator('.model-line .profile-model-name').allTextContents(), (a, b) => a.localeCompare(b))).toBe(true);
    await page.getByLabel('Sort profiles').selectOption('scope');
    await expect
      .poll(async () => {
        const scopes = await page.locator('.profile-card .scope').allTextContents();
        return scopes.indexOf('global') > scopes.lastIndexOf('us');
      })
      .toBe(true);
  });

  test('ids never break inside a token, region names never break, and each id has a copy button that copies it', async ({ browser, host }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
    const page = await context.newPage();
    await openProfiles(page, host.url);
    const inView = '.profile-card:nth-child(-n+8)';
    expect((await linesPerToken(page, `${inView} .id-token`)).filter((entry) => !entry.endsWith(': 1'))).toEqual([]);
    expect((await linesPerToken(page, `${inView} th.source-region, ${inView} .region-chips li`)).filter((entry) => !entry.endsWith(': 1'))).toEqual([]);
    await page.getByLabel('Callable from region').selectOption('eu-west-3');
    await expect(page.getByTestId('served-from').first()).toBeVisible();
    expect((await linesPerToken(page, `${inView} .served-from .region-id`)).filter((entry) => !entry.endsWith(': 1'))).toEqual([]);

    const card = page.getByTestId('profile-card').first();
    const profileId = await card.getAttribute('data-profile');
    await card.getByRole('button', { name: `Copy ${profileId}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(profileId);
    await expect(card.getByRole('button', { name: `Copy ${profileId}` })).toHaveText('✓ copied');
    await context.close();
  });

  test('a profile links to its model’s row in the matrix', async ({ page, host }) => {
    await openProfiles(page, host.url);
    await page.getByLabel('Search profiles').fill('claude 3 haiku');
    const card = page.locator('[data-profile="us.anthropic.claude-3-haiku-20240307-v1:0"]');
    await card.getByRole('link', { name: 'matrix row →' }).click();
    await expect(page).toHaveURL(/#\/matrix\?model=anthropic\.claude-3-haiku-20240307-v1%3A0$/);
    await expect(page.getByTestId('matrix')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Matrix', exact: true })).toHaveAttribute('aria-current', 'page');
  });

  test('works from the keyboard: search, region and sort reached with Tab', async ({ page, host }) => {
    await openProfiles(page, host.url);
    await page.getByLabel('Search profiles').focus();
    await page.keyboard.type('nova 2 lite');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Callable from region')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Scope')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Sort profiles')).toBeFocused();
    await expect(page.getByTestId('profile-card')).not.toHaveCount(0);
    await expect
      .poll(() => page.getByTestId('profile-card').evaluateAll((cards) => cards.every((card) => card.getAttribute('data-profile')?.includes('nova-2-lite'))))
      .toBe(true);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      test(`in the ${colorScheme} theme at ${viewport.width}x${viewport.height}: the filtered list, sorted, nothing wider than the window (and a screenshot of it)`, async ({ browser, host }) => {
        const context = await browser.newContext({ colorScheme, viewport });
        const page = await context.newPage();
        await openProfiles(page, host.url);
        // The page follows the OS theme by default.
        await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
        await page.getByLabel('Callable from region').selectOption('eu-west-3');
        await page.getByLabel('Sort profiles').selectOption('model');
        // What the screenshot shows: only profiles callable from eu-west-3, each saying where its requests go, by model.
        await expect
          .poll(async () => {
            const models = await page.locator('.model-line .profile-model-name').allTextContents();
            return models.length > 1 && models.every((model, index) => index === 0 || models[index - 1]!.localeCompare(model) <= 0);
          })
          .toBe(true);
        const servedFrom = await page.getByTestId('served-from').allTextContents();
        expect(servedFrom.length).toBe(await page.getByTestId('profile-card').count());
        for (const text of servedFrom) expect(text).toMatch(/^From eu-west-3: served in /);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `test-results/screens/profiles-${colorScheme}-${viewport.width}.png` });
        if (viewport.width === 1440) await page.screenshot({ path: readmeScreenshot(`profiles-${colorScheme}.png`) });
        await context.close();
      });
    }
  }
});
