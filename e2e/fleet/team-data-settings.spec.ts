import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { samplesAround, writeDirectoryParts, type TestPart } from '../../src-main/core/fleet/team/testing/test-store';
import { expect, FIVE_REGIONS, HAIKU, test } from '../fixtures/atlas';

/**
 * Team data against a directory store written by DuckDB as the monitor lays it out: three vantages measuring Claude 3
 * Haiku to three regions with known medians, and one torn part. Settings takes the location, syncs it with progress
 * and names the torn part; the latency lab then shows the vantages by region, and its "from" choice steers the
 * history and the ranking. Screenshots (dark, 1280x720) go under test-results/screens/fleet for review only.
 */
test.use({ regions: FIVE_REGIONS });

/** p50 TTFT in ms by vantage and region: what the By vantage view must show. */
const MEDIANS: Record<string, Record<string, number>> = {
  'berlin-office': { 'eu-central-1': 230, 'us-east-1': 390, 'us-west-2': 510 },
  'ecs-us-west-2': { 'us-east-1': 300, 'us-west-2': 210 },
  'vpc-ap-southeast-2': { 'us-east-1': 640, 'us-west-2': 600 },
};
const TORN = 'torn-run';

let store = '';

test.beforeAll(async () => {
  store = await mkdtemp(join(tmpdir(), 'atlas-team-store-'));
  const now = Date.now();
  const parts: TestPart[] = Object.entries(MEDIANS).flatMap(([vantage, regions]) =>
    // Four runs over the last four hours, each the same medians: the history draws a line per vantage.
    [4, 3, 2, 1].map((hoursAgo) => ({
      vantage,
      runId: `${vantage}-run-${hoursAgo}`,
      startedAt: now - hoursAgo * 3_600_000,
      samples: Object.entries(regions).flatMap(([region, median]) => samplesAround(region, median).map((sample) => ({ ...sample, at: now - hoursAgo * 3_600_000 }))),
    })),
  );
  await writeDirectoryParts(store, parts);
  // A part cut off mid-write by something other than the monitor (whose writes are atomic): skipped and named.
  const torn = join(store, 'samples', 'vantage=berlin-office', `date=${new Date(now).toISOString().slice(0, 10)}`, `${TORN}.parquet`);
  await mkdir(dirname(torn), { recursive: true });
  await writeFile(torn, 'PAR1 this is not a whole parquet file');
});

test.afterAll(async () => {
  await rm(store, { recursive: true, force: true });
});

async function shot(page: Page, name: string) {
  await page.mouse.move(4, 200);
  await page.screenshot({ path: `test-results/screens/fleet/${name}.png` });
}

/** Scrolls an element of a page's own scroller to the top of the view. */
async function atTop(page: Page, testId: string, scroller: string) {
  await page.getByTestId(testId).evaluate((node, selector) => {
    const area = node.closest(selector)!;
    area.scrollTop += node.getBoundingClientRect().top - area.getBoundingClientRect().top - 8;
  }, scroller);
}

test('a directory store: synced from Settings with its progress, its vantages by region on the latency lab, and the "from" choice', async ({ browser, host }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(host.url);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  try {
    await nav.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByTestId('team-data');
    const location = section.getByLabel('Location');
    await location.fill('relative/store');
    await expect(section.getByRole('alert')).toContainText('must be an absolute path');
    await location.fill(store);
    await expect(section.getByRole('alert')).toHaveCount(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();

    // Sync now, by keyboard: focus the button and press Enter.
    const sync = section.getByRole('button', { name: 'Sync now' });
    // It reads the saved location, so it is enabled once the save is in force; focus must land on it before Enter.
    await expect(sync).toBeEnabled();
    await sync.focus();
    await expect(sync).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(section.getByTestId('fleet-last-sync')).toContainText(/Synced( in part)?: \d+ parts listed/, { timeout: 60_000 });
    const vantages = section.getByTestId('team-vantages');
    await expect(vantages.getByRole('row')).toHaveCount(5);
    await expect(vantages).toContainText('berlin-office');
    await expect(vantages).toContainText('ecs-us-west-2');
    await expect(vantages).toContainText('vpc-ap-southeast-2');
    await expect(section.getByTestId('team-problems')).toContainText(`${TORN}.parquet`);
    await section.scrollIntoViewIfNeeded();
    await section.evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await shot(page, 'settings-team-data-dark-1280');

    // The latency lab: By vantage, the target's p50 from each vantage to each region.
    await nav.getByRole('link', { name: 'Latency' }).click();
    await page.getByRole('form', { name: 'Latency run' }).getByLabel('Model or profile').fill(HAIKU);
    const heatmap = page.getByTestId('by-vantage-heatmap');
    await expect(heatmap).toBeVisible({ timeout: 30_000 });
    for (const [vantage, regions] of Object.entries(MEDIANS)) {
      for (const [region, median] of Object.entries(regions)) {
        const cell = heatmap.locator(`[data-vantage="${vantage}"][data-region="${region}"]`);
        // Within 5 ms of what was written (the samples' median is exactly the median).
        expect(Math.abs(Number(await cell.textContent()) - median)).toBeLessThanOrEqual(5);
      }
    }
    await expect(page.getByTestId('by-vantage-reading')).toContainText('The widest gap is to us-west-2: 210 ms from ecs-us-west-2, 600 ms from vpc-ap-southeast-2');
    await expect(page.getByTestId('fleet-part-problems')).toContainText('1 part unreadable, skipped');
    await atTop(page, 'fleet-from', '.lat-page');
    await shot(page, 'latency-by-vantage-dark-1280');

    // The heatmap by keyboard: into the grid (this machine measured nothing, so berlin-office is the first row), along the row, down.
    await heatmap.locator('[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('by-vantage-tooltip')).toContainText('From berlin-office to us-east-1: p50 390 ms');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('by-vantage-tooltip')).toContainText('From ecs-us-west-2 to us-east-1: p50 300 ms');
    await page.keyboard.press('ArrowUp');
    await expect(page.getByTestId('by-vantage-tooltip')).toContainText('From berlin-office to us-east-1: p50 390 ms');
    await shot(page, 'latency-by-vantage-keyboard-dark-1280');

    // "from": a vantage by keyboard; the ranking and the history read it.
    const from = page.getByTestId('fleet-from').getByLabel('From');
    await from.focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('ranking-basis')).toContainText('from berlin-office');
    await from.selectOption('ecs-us-west-2');
    await expect(page.getByTestId('ranking-basis')).toContainText('from ecs-us-west-2');
    await expect(page.getByTestId('chart-history')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('ranking').getByTestId('ranked-route').first()).toContainText('ms');
    await atTop(page, 'history', '.lat-page');
    await shot(page, 'latency-history-from-vantage-dark-1280');
    await from.selectOption('all');
    await expect(page.getByTestId('vantage-lines')).toBeVisible();
    await expect(page.getByRole('list', { name: 'TTFT history legend' }).getByRole('listitem')).toHaveCount(3);
    await atTop(page, 'history', '.lat-page');
    await shot(page, 'latency-history-all-dark-1280');
    await atTop(page, 'ranking', '.lat-page');
    await shot(page, 'latency-ranking-all-dark-1280');

    // The matrix's TTFT overlay from the same choice.
    await from.selectOption('ecs-us-west-2');
    await nav.getByRole('link', { name: 'Matrix' }).click();
    await page.getByRole('button', { name: 'TTFT overlay' }).click();
    await expect(page.getByLabel('TTFT from')).toHaveValue('ecs-us-west-2');
    await expect(page.getByTestId('ttft-overlay-legend')).toContainText('from ecs-us-west-2');
    await shot(page, 'matrix-ttft-from-vantage-dark-1280');

    // A store that is not there: the sync says so, Settings and the lab name the problem.
    await nav.getByRole('link', { name: 'Settings' }).click();
    await section.getByLabel('Location').fill(`${store}-gone`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(section.getByRole('button', { name: 'Sync now' })).toBeEnabled();
    await section.getByRole('button', { name: 'Sync now' }).click();
    await expect(section.getByTestId('fleet-last-sync')).toContainText('The store could not be listed', { timeout: 30_000 });
    await expect(section.getByTestId('team-problems')).toContainText('Store unreachable');
    await section.evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await shot(page, 'settings-team-data-unreachable-dark-1280');
    await nav.getByRole('link', { name: 'Latency' }).click();
    await expect(page.getByTestId('fleet-unreachable')).toContainText('could not be read');
    await expect(page.getByTestId('by-vantage-empty')).toContainText('no team vantage is synced yet');
    await atTop(page, 'fleet-from', '.lat-page');
    await shot(page, 'latency-unreachable-dark-1280');
  } finally {
    // The worker's host serves later specs: no team store for them.
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('team-data').getByLabel('Location').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await context.close();
  }
});
