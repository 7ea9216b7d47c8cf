import type { Page } from '@playwright/test';
import { test, expect, openPage } from '../fixtures/atlas';
import { cell } from '../fixtures/matrix-grid';
import { setScenario } from '../fixtures/processes';
import { readmeScreenshot } from '../fixtures/readme-screenshots';

/**
 * The access doctor behind "Check access", in the matrix cell panel and in a playground pane, against the
 * emulator's IAM: an organization policy (SCP) denies eu-south-2, one of the regions the EU Claude Haiku 4.5 profile
 * routes to from eu-central-1, so the route is at risk and the organization-policy check names that region.
 */

const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const EU_PROFILE = `eu.${HAIKU_45}`;
const CHECK_IDS = ['credentials', 'offered', 'account-access', 'lifecycle', 'iam', 'organization-policy', 'quota'];
const SCP_DENIES_EU_SOUTH_2 = { iam: { deny: [{ region: 'eu-south-2', byOrganization: true }] } };

test.afterEach(async ({ emulator }) => {
  // The worker's emulator serves later specs too: give it back as it was.
  await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
});

async function expectAtRiskReport(scope: ReturnType<Page['getByTestId']>) {
  await expect(scope.getByTestId('access-verdict')).toContainText('At risk: some calls may fail', { timeout: 30_000 });
  await expect(scope.getByTestId('access-verdict')).toContainText(`${EU_PROFILE} from eu-central-1`);
  const ids = await scope.locator('[data-testid^=access-check-]').evaluateAll((lines) => lines.map((line) => line.getAttribute('data-testid')!.replace('access-check-', '')));
  expect(ids).toEqual(CHECK_IDS);
  const organization = scope.getByTestId('access-check-organization-policy');
  await expect(organization).toHaveClass(/access-check-warn/);
  await expect(organization).toContainText('eu-south-2 is denied by an organization policy');
  await expect(organization).toContainText('ask your administrator to allow bedrock:InvokeModel in eu-south-2');
  // The route's quotas, read from Service Quotas: above 0, so a pass (an unknown is drawn as unknown: CheckAccess.test.tsx).
  await expect(scope.getByTestId('access-check-quota')).toHaveClass(/access-check-pass/);
}

/**
 * Clicks "Check access" until the check has started: on a loaded machine the catalog's refresh can re-render the
 * panel just as the click lands, and that click is lost.
 */
async function startCheck(scope: ReturnType<Page['getByTestId']>) {
  const check = scope.getByRole('button', { name: 'Check access' });
  await expect(async () => {
    if (await check.isVisible()) await check.click({ timeout: 5_000 });
    await expect(scope.getByRole('button', { name: /^(Checking…|Re-check)$/ })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}

async function checkInCellPanel(page: Page, hostUrl: string) {
  await page.goto(hostUrl);
  await cell(page, HAIKU_45, 'eu-central-1').click();
  const panel = page.getByTestId('cell-panel');
  await startCheck(panel.getByTestId('check-access'));
  await expectAtRiskReport(panel.getByTestId('check-access'));
  await expect(panel.getByRole('button', { name: 'Re-check' })).toBeVisible();
  // The section's heading at the top of the panel, the report under it.
  await panel.getByRole('heading', { name: 'Can I call it?' }).evaluate((heading) => {
    const scroller = heading.closest('.side-panel')!;
    scroller.scrollTop += heading.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 4;
  });
  return panel;
}

async function checkInPane(page: Page, hostUrl: string) {
  await openPage(page, hostUrl, 'Playground');
  const pane = page.getByTestId('pane-1');
  await pane.getByLabel('Pane 1 model or profile').fill(EU_PROFILE);
  await pane.getByLabel('Pane 1 region').selectOption('eu-central-1');
  await expect(pane.getByTestId('route-plan')).toContainText(`invoke ${EU_PROFILE}`);
  await pane.getByTestId('route-plan').getByRole('button', { name: 'Check access' }).click();
  await expectAtRiskReport(pane.getByTestId('check-access'));
  return pane;
}

test.describe('Check access: the access doctor in the app', () => {
  test('in a matrix cell panel: the verdict, then one line per check in order, the denied region named with its fix', async ({ page, host, emulator }) => {
    await setScenario(emulator.url, SCP_DENIES_EU_SOUTH_2);
    await checkInCellPanel(page, host.url);
  });

  test('in a playground pane’s route plan: the same report for the pane’s route', async ({ page, host, emulator }) => {
    await setScenario(emulator.url, SCP_DENIES_EU_SOUTH_2);
    await checkInPane(page, host.url);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`README screenshots of the doctor, ${colorScheme}, 1440x900`, async ({ browser, host, emulator }) => {
      await setScenario(emulator.url, SCP_DENIES_EU_SOUTH_2);
      const context = await browser.newContext({ colorScheme, viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      try {
        await checkInCellPanel(page, host.url);
        await page.mouse.move(600, 892);
        await page.screenshot({ path: readmeScreenshot(`doctor-cell-panel-${colorScheme}.png`) });
        await checkInPane(page, host.url);
        await page.mouse.move(600, 892);
        await page.screenshot({ path: readmeScreenshot(`doctor-pane-${colorScheme}.png`) });
      } finally {
        await context.close();
      }
    });
  }
});
