import { expect, test } from '../fixtures/atlas';

/** Issue 21 §18: Alt+1…6 by the physical key, focus on the page's heading, and a disabled action that says why. */
test.describe('page keys', () => {
  test('Alt+1…6 opens each page and moves focus to its heading, not <body>', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('matrix').locator('.cell').first()).toBeVisible();
    for (const [key, heading] of [
      ['Alt+2', 'Inference profiles'],
      ['Alt+3', 'Latency lab'],
      ['Alt+4', 'Capacity'],
      ['Alt+5', 'Playground'],
      ['Alt+6', 'Settings'],
      ['Alt+1', 'Matrix: models by region'],
    ] as const) {
      await page.keyboard.press(key);
      const focused = page.locator(':focus');
      await expect(focused).toHaveText(heading);
      expect(await focused.evaluate((element) => element.tagName)).toBe('H1');
    }
    // Pressed again on the page already shown, focus goes back to its heading.
    await page.getByRole('link', { name: 'Profiles' }).focus();
    await page.keyboard.press('Alt+1');
    await expect(page.locator(':focus')).toHaveText('Matrix: models by region');
  });

  test('the physical digit counts, not the character: on macOS Option+1 types "¡" and Option+3 "£"', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('matrix').locator('.cell').first()).toBeVisible();
    const press = (key: string, code: string) =>
      page.evaluate(([key, code]) => window.dispatchEvent(new KeyboardEvent('keydown', { key, code, altKey: true, bubbles: true, cancelable: true })), [key, code] as const);
    await press('£', 'Digit3');
    await expect(page).toHaveURL(/#\/latency$/);
    await expect(page.locator(':focus')).toHaveText('Latency lab');
    await press('¡', 'Digit1');
    await expect(page).toHaveURL(/#\/matrix$/);
    // A character that is a digit on another key (an AZERTY "1" is Shift+&) does not switch pages by itself.
    await press('4', 'KeyQ');
    await expect(page).toHaveURL(/#\/matrix$/);
  });

  test('Count tokens, while it cannot count, stays focusable and says why', async ({ page, playground }) => {
    void playground;
    const count = page.getByRole('button', { name: 'Count tokens' });
    await expect(count).toHaveAttribute('aria-disabled', 'true');
    await page.getByLabel('Prompt', { exact: true }).focus();
    for (let step = 0; step < 5 && !(await count.evaluate((element) => element === document.activeElement)); step++) await page.keyboard.press('Tab');
    await expect(count).toBeFocused();
    await expect(count).toHaveAccessibleDescription('Write a prompt first: Count tokens counts its input tokens for each pane, before sending.');
    // Shown to sighted keyboard users too, not only described: the reason opens beside the focused button.
    expect((await page.getByTestId('count-tokens-why').boundingBox())?.width).toBeGreaterThan(100);
    await page.getByLabel('Prompt', { exact: true }).fill('How many tokens?');
    await expect(count).not.toHaveAttribute('aria-disabled', 'true');
    await expect(page.getByTestId('count-tokens-why')).toHaveCount(0);
  });
});
