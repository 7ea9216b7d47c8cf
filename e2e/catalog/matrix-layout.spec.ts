import { test, expect } from '../fixtures/atlas';
import { cell } from '../fixtures/matrix-grid';

test.describe('matrix rows: variants, provisioned-only models and sorting', () => {
  test('variants sit under their base model, expandable, with their suffix in full; provisioned-only rows are hidden by default and the toolbar says so', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    const hide = page.getByLabel('Hide provisioned-only');
    await expect(hide).toBeChecked();
    await expect(page.getByTestId('hidden-count')).toHaveText(/^\(\d+ hidden\)$/);
    await expect(grid.locator('.row-header[data-model="amazon.nova-pro-v1:0"]')).toBeVisible();
    await expect(grid.locator('.row-header[data-model="amazon.nova-pro-v1:0:300k"]')).toHaveCount(0);

    await hide.uncheck();
    await expect(page.getByTestId('hidden-count')).toHaveCount(0);
    const base = grid.locator('.row-header[data-model="amazon.nova-pro-v1:0"]');
    await expect(base).toHaveAttribute('aria-expanded', 'false');
    // Folded: the variants are not rows of their own.
    await expect(grid.locator('.row-header[data-model="amazon.nova-pro-v1:0:300k"]')).toHaveCount(0);
    await base.getByRole('button', { name: 'Show 2 variants of amazon.nova-pro-v1:0' }).click();
    await expect(base).toHaveAttribute('aria-expanded', 'true');
    const variants = grid.locator('.row-header.variant');
    await expect(variants.locator('.variant-suffix')).toHaveText([':24k', ':300k']);
    await expect(variants.locator('.model-id')).toHaveText(['amazon.nova-pro-v1:0:24k', 'amazon.nova-pro-v1:0:300k']);
    const rowIndex = (modelId: string) => grid.getByRole('row').filter({ has: page.locator(`.row-header[data-model="${modelId}"]`) }).getAttribute('aria-rowindex');
    const baseIndex = Number(await rowIndex('amazon.nova-pro-v1:0'));
    expect(Number(await rowIndex('amazon.nova-pro-v1:0:24k'))).toBe(baseIndex + 1);
    expect(Number(await rowIndex('amazon.nova-pro-v1:0:300k'))).toBe(baseIndex + 2);
    await expect(cell(page, 'amazon.nova-pro-v1:0:300k', 'us-east-1')).toHaveAttribute('data-kind', 'provisioned-only');
  });

  test('from the keyboard, Enter on a base model’s name shows and hides its variants', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByLabel('Hide provisioned-only').uncheck();
    await page.getByRole('searchbox', { name: 'Search models' }).fill('amazon.nova-premier');
    const grid = page.getByTestId('matrix');
    const base = grid.locator('.row-header[data-model="amazon.nova-premier-v1:0"]');
    await expect(base).toHaveAttribute('aria-expanded', 'false');
    await grid.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowLeft');
    await expect(base).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(base).toHaveAttribute('aria-expanded', 'true');
    await expect(grid.locator('.row-header.variant .variant-suffix')).toHaveText([':8k', ':20k', ':1000k', ':mm']);
    await page.keyboard.press('Enter');
    await expect(grid.locator('.row-header.variant')).toHaveCount(0);
  });

  test('rows sort by name, by provider, or by the number of regions where callable', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await expect(grid.locator('.provider-row').first()).toBeVisible();
    const sort = page.getByLabel('Sort rows');

    await sort.selectOption('name');
    await expect(grid.locator('.provider-row')).toHaveCount(0);
    const names = await grid.locator('.row-header .model-label').allTextContents();
    expect(names.length).toBeGreaterThan(10);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    await sort.selectOption('regions');
    const counts = (await grid.getByTestId('callable-count').allTextContents()).map((text) => Number.parseInt(text, 10));
    expect(counts.length).toBeGreaterThan(10);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(counts.at(-1)!); // more than ten counts, checked above

    await sort.selectOption('provider');
    await expect(grid.locator('.provider-row').first()).toBeVisible();
  });
});

test.describe('matrix columns: hover, region view, geography', () => {
  test('hovering a cell highlights its row and its column', async ({ page, host }) => {
    await page.goto(host.url);
    const target = cell(page, 'anthropic.claude-3-haiku-20240307-v1:0', 'eu-west-1');
    await target.hover();
    const box = (await target.boundingBox())!;
    const rowBand = (await page.locator('.row-band').boundingBox())!;
    const columnBand = (await page.locator('.column-band').boundingBox())!;
    expect(rowBand.y).toBeCloseTo(box.y, 0);
    expect(rowBand.height).toBeCloseTo(box.height, 0);
    expect(rowBand.width).toBeGreaterThan(1000);
    expect(columnBand.x).toBeCloseTo(box.x, 0);
    expect(columnBand.width).toBeCloseTo(box.width, 0);
    expect(columnBand.height).toBeGreaterThan(500);
    await page.mouse.move(5, 5);
    await expect(page.locator('.row-band')).toBeHidden();
  });

  test('clicking a region header opens the region view: every model callable there and how, sortable', async ({ page, host }) => {
    await page.goto(host.url);
    await page.locator('.region-header[data-region="eu-west-1"]').click();
    const view = page.getByTestId('region-panel');
    await expect(view.getByRole('heading', { name: 'eu-west-1' })).toBeVisible();
    const rows = view.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(20);
    const hows = await view.locator('tbody td.how').allTextContents();
    expect(hows.every((how) => /on demand|geo profile|global profile/.test(how))).toBe(true);
    await expect(view.locator('tr[data-model="anthropic.claude-3-haiku-20240307-v1:0"] td.how')).toContainText('on demand');

    const providerHeader = view.getByRole('columnheader', { name: /Provider/ });
    await providerHeader.getByRole('button').click();
    await expect(providerHeader).toHaveAttribute('aria-sort', 'ascending');
    const providers = await view.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(providers).toEqual([...providers].sort((a, b) => a.localeCompare(b)));
    await providerHeader.getByRole('button').click();
    await expect(providerHeader).toHaveAttribute('aria-sort', 'descending');
    const reversed = await view.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(reversed).toEqual([...reversed].sort((a, b) => b.localeCompare(a)));
    await page.screenshot({ path: 'test-results/screens/region-view.png' });
    await page.keyboard.press('Escape');
    await expect(view).toBeHidden();
  });

  test('a geography shows only the models offered somewhere in it; narrow group labels are abbreviated and read in full on hover', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await expect(grid.locator('abbr[title="South America"]')).toHaveText('SA');
    await expect(grid.locator('.group-label[data-group="North America"]')).toHaveText('North America');

    await page.getByLabel('Geography').selectOption('South America');
    await expect(grid.locator('.region-header')).toHaveCount(1);
    const kinds = await grid.locator('.cell[data-region="sa-east-1"]').evaluateAll((cells) => cells.map((element) => element.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(3);
    expect(kinds).not.toContain('none');
    await expect(grid.locator('.row-header[data-model="amazon.nova-2-lite-v1:0"]')).toHaveCount(0);
  });
});

test.describe('matrix density at 1440x900', () => {
  test('filters fit in one row, all 33 regions fit, and the legend and geographies collapse', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await expect(grid.locator('.cell').first()).toBeVisible();
    const toolbar = (await page.locator('.matrix-toolbar').boundingBox())!;
    expect(toolbar.height).toBeLessThanOrEqual(40);
    await expect(grid.locator('.region-header')).toHaveCount(33);
    const overflow = await grid.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const legendButton = page.getByRole('button', { name: /^Legend/ });
    await expect(page.getByRole('list', { name: 'Legend' })).toBeVisible();
    await legendButton.click();
    await expect(page.getByRole('list', { name: 'Legend' })).toBeHidden();
    await expect(legendButton).toHaveAttribute('aria-expanded', 'false');
    await page.reload();
    await expect(grid.locator('.cell').first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Legend' })).toBeHidden();
    await page.getByRole('button', { name: /^Legend/ }).click();
    await expect(page.getByRole('list', { name: 'Legend' })).toBeVisible();

    await grid.locator('.group-label[data-group="Europe"]').click();
    await expect(grid.locator('.region-header[data-region^="eu-"]')).toHaveCount(0);
    await expect(grid.getByRole('columnheader', { name: /Europe, 8 regions collapsed/ })).toBeVisible();
    await expect(grid.locator('.cell.summary').first()).toBeVisible();
    await grid.locator('.group-label[data-group="Europe"]').click();
    await expect(grid.locator('.region-header[data-region^="eu-"]')).toHaveCount(8);
  });
});

test.describe('links into the matrix', () => {
  test('#/matrix?model=ID (the Profiles page’s link) shows that model’s row as the active one, even when filters hid it', async ({ page, host }) => {
    await page.goto(host.url);
    const grid = page.getByTestId('matrix');
    await expect(grid.locator('.cell').first()).toBeVisible();
    // Far down the list: the grid scrolls to it.
    await page.evaluate(() => (window.location.hash = `#/matrix?model=${encodeURIComponent('writer.palmyra-x5-v1:0')}`));
    const writer = grid.locator('.row-header[data-model="writer.palmyra-x5-v1:0"]');
    await expect(writer).toBeInViewport();
    await expect(grid.locator('.matrix-row.active-row .row-header')).toHaveAttribute('data-model', 'writer.palmyra-x5-v1:0');

    // A provisioned-only variant, hidden by default and folded under its base.
    await page.evaluate(() => (window.location.hash = `#/matrix?model=${encodeURIComponent('amazon.nova-pro-v1:0:300k')}`));
    await expect(page.getByLabel('Hide provisioned-only')).not.toBeChecked();
    await expect(grid.locator('.matrix-row.active-row .row-header')).toHaveAttribute('data-model', 'amazon.nova-pro-v1:0:300k');
    await expect(grid.locator('.row-header[data-model="amazon.nova-pro-v1:0:300k"]')).toBeInViewport();
  });
});
