import { test, expect } from '../fixtures/atlas';
import { activePlacement, cell, expectActiveCellVisible, pressAndCheck } from '../fixtures/matrix-grid';

test.describe('matrix keyboard use', () => {
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    test(`every navigation key keeps the active cell fully visible and uncovered at ${viewport.width}x${viewport.height}`, async ({ page, host }) => {
      await page.setViewportSize(viewport);
      await page.goto(host.url);
      const grid = page.getByTestId('matrix');
      await expect(grid.locator('.cell').first()).toBeVisible();
      // Show every row, variants included, so that there is far more than one screen in both directions.
      await page.getByLabel('Hide provisioned-only').uncheck();
      await grid.focus();
      await expectActiveCellVisible(page, 'focus');
      await pressAndCheck(page, 'ArrowDown', 40);
      await pressAndCheck(page, 'ArrowRight', 32);
      await pressAndCheck(page, 'PageDown', 3);
      await pressAndCheck(page, 'ArrowLeft', 32);
      await pressAndCheck(page, 'PageUp', 2);
      await pressAndCheck(page, 'End');
      await pressAndCheck(page, 'Home');
      await pressAndCheck(page, 'Control+End');
      await pressAndCheck(page, 'ArrowUp', 12);
      await pressAndCheck(page, 'Control+Home');
      await pressAndCheck(page, 'ArrowLeft');
      expect((await activePlacement(page))!.role).toBe('rowheader');
      await pressAndCheck(page, 'ArrowRight', 20);
      // With the panel open the grid is narrower: the active cell must stay clear of it too.
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('cell-panel')).toBeVisible();
      await expectActiveCellVisible(page, 'opening the panel');
      await pressAndCheck(page, 'ArrowRight', 12);
      await pressAndCheck(page, 'ArrowDown', 20);
      await pressAndCheck(page, 'ArrowUp', 25);
    });
  }

  test('on focus the grid shows its active cell where the user is looking, not at an unseen (0,0)', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await expect(grid.locator('.cell').first()).toBeVisible();
    await grid.evaluate((element) => {
      element.scrollTop = 900;
      element.scrollLeft = 200;
    });
    await grid.focus();
    await expectActiveCellVisible(page, 'focus after scrolling');
    const first = await activePlacement(page);
    await page.keyboard.press('ArrowDown');
    const second = await activePlacement(page);
    expect(second!.cell.top - first!.cell.top).toBeGreaterThan(20);
    expect(second!.cell.top - first!.cell.top).toBeLessThan(40);
  });

  test('a skip link at the top of the page leads into the grid', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByTestId('matrix').locator('.cell').first()).toBeVisible();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the matrix' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('matrix')).toBeFocused();
    await expectActiveCellVisible(page, 'the skip link');
  });

  test('the matrix is an ARIA grid that screen readers can follow', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByRole('grid', { name: /Models by region/ });
    await expect(grid.locator('.cell').first()).toBeVisible();
    const rowCount = Number(await grid.getAttribute('aria-rowcount'));
    expect(rowCount).toBeGreaterThan(100);
    expect(await grid.getAttribute('aria-colcount')).toBe('34');
    // Only a window of rows is rendered, each saying where it sits in the whole.
    const rendered = grid.getByRole('row');
    expect(await rendered.count()).toBeLessThan(rowCount);
    const indexes = await rendered.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('aria-rowindex'))));
    expect(indexes.slice(0, 3)).toEqual([1, 2, 3]);
    expect(indexes.every((index) => index >= 1 && index <= rowCount)).toBe(true);
    await expect(grid.getByRole('columnheader', { name: /^us-east-1/ })).toHaveAttribute('aria-colindex', '2');
    await expect(grid.getByRole('rowheader').filter({ hasText: 'anthropic.claude-3-haiku-20240307-v1:0' }).first()).toBeVisible();
    const firstCell = grid.getByRole('gridcell').first();
    await expect(firstCell).toHaveAttribute('aria-colindex', /^\d+$/);
    await expect(firstCell).toHaveAttribute('aria-label', /on demand|profile|not offered|unknown|listed|provisioned/);

    await grid.focus();
    const before = await grid.getAttribute('aria-activedescendant');
    await expect(page.locator(`#${before}`)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    const after = await grid.getAttribute('aria-activedescendant');
    expect(after).not.toBe(before);
    await expect(page.locator(`#${after}`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`#${before}`)).toHaveAttribute('aria-selected', 'false');
    await expect(grid.locator('[aria-selected=true]')).toHaveCount(1);
  });

  test('the header rows are reachable: Enter on a region opens its region view, on a geography collapses it', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await grid.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowUp');
    expect((await activePlacement(page))!.text).toContain('us-east-1');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('region-panel')).toContainText('us-east-1');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('region-panel')).toBeHidden();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect(grid.getByRole('columnheader', { name: /North America, 7 regions collapsed/ })).toBeVisible();
    await expect(grid.getByRole('columnheader', { name: /^us-east-2/ })).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(grid.getByRole('columnheader', { name: /^us-east-2/ })).toBeVisible();
  });
});

test.describe('Escape closes the cell panel', () => {
  test('from the grid, from inside the panel, and after clicking copy', async ({ page, host, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(host.url);
    const panel = page.getByTestId('cell-panel');
    const grid = page.getByTestId('matrix');

    await cell(page, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1').click();
    await expect(panel).toBeVisible();
    await expect(grid).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    await cell(page, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1').click();
    await panel.getByRole('button', { name: /^Copy / }).first().click();
    await expect(panel.getByRole('button', { name: /^Copy / }).first()).toHaveText('✓ copied');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(grid).toBeFocused();

    await cell(page, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1').click();
    await panel.getByRole('link', { name: 'run the latency lab' }).first().focus();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(grid).toBeFocused();
  });
});
