import { expect, test } from '../fixtures/atlas';
import { CAPACITY_HOST, openCapacity, patchScenario, refreshQuotas, restoreRealistic, SONNET_45, SONNET_45_GLOBAL, SONNET_45_US } from './capacity-page';

test.use(CAPACITY_HOST);

// The worker's emulator and host serve later specs too: give the scenario back, and the host its quotas.
test.afterEach(async ({ page, host, emulator }) => restoreRealistic(page, host.url, emulator.url));

type Scenario = Record<string, unknown> & { quotas?: Record<string, unknown>; cloudwatch?: Record<string, unknown> };

test('usage a caller may not read says "could not read" with the permission, apart from "no invocations", and headroom says why it is unknown', async ({ page, host, emulator }) => {
  await patchScenario(emulator.url, (scenario: Scenario) => ({ ...scenario, cloudwatch: { ...scenario.cloudwatch, denied: ['us-east-1'] } }));
  await openCapacity(page, host.url, SONNET_45, 'us-east-1');
  const routes = page.getByTestId('cap-usage').getByTestId('usage-route');
  await expect(routes.first()).toHaveAttribute('data-status', 'denied', { timeout: 30_000 });
  await expect(routes.first().getByTestId('usage-unreadable')).toContainText('Could not read: the caller lacks cloudwatch:GetMetricData in us-east-1.');
  await expect(page.getByTestId('cap-usage').getByTestId('no-invocations')).toHaveCount(0);
  const rows = page.getByTestId('capacity-table').getByTestId('capacity-row');
  await expect(rows.first()).toContainText('usage could not be read');
});

test('a region whose quotas are now denied says so with the reason, and shows and sizes with the quotas last read', async ({ page, host, emulator }) => {
  await openCapacity(page, host.url, SONNET_45, 'eu-west-1');
  await expect(page.getByTestId('cap-quotas').getByTestId('cap-quota-route').first()).toBeVisible({ timeout: 30_000 });
  await patchScenario(emulator.url, (scenario: Scenario) => ({ ...scenario, quotas: { ...scenario.quotas, denied: ['eu-west-1'] } }));
  await refreshQuotas(page);
  const failure = page.getByTestId('quota-region-failed');
  await expect(failure).toContainText(/Quotas could not be read in eu-west-1: AccessDenied/);
  await expect(failure.getByTestId('quota-last-known')).toContainText('Shown: the quotas last read');
  await expect(page.getByTestId('cap-quotas').getByTestId('quota-table').first()).toBeVisible();
  await expect(page.getByTestId('capacity-quotas-error')).toContainText(/could not be read \(AccessDenied.*\): the figures use the quotas last read/);
  await expect(page.getByTestId('capacity-table').getByTestId('capacity-row').first()).toContainText(/\d/);
});

test('the global profile is marked as the way out when its quota carries more than every other route', async ({ page, host, emulator }) => {
  const rule = (unit: string, applied: number) => ({ region: 'us-east-1', modelId: SONNET_45, routeKind: 'global-profile', unit, applied });
  await patchScenario(emulator.url, (scenario: Scenario) => ({
    ...scenario,
    quotas: { ...scenario.quotas, rules: [...((scenario.quotas?.rules as unknown[]) ?? []), rule('requestsPerMinute', 10_000), rule('tokensPerMinute', 40_000_000)] },
  }));
  await openCapacity(page, host.url, SONNET_45, 'us-east-1');
  await refreshQuotas(page);
  const rows = page.getByTestId('capacity-table').getByTestId('capacity-row');
  await expect(rows.first()).toHaveAttribute('data-kind', 'global-profile');
  await expect(rows.first()).toContainText(SONNET_45_GLOBAL.replace(/\./g, '.'));
  await expect(rows.first().getByTestId('way-out')).toContainText(/★ the way out: \d+(\.\d)?× the next route/);
  await expect(rows.nth(1)).toContainText(SONNET_45_US);
  await expect(rows.nth(1).getByTestId('way-out')).toHaveCount(0);
});

test('Refresh quotas shows each region as it answers, names the one it waits for, and Cancel stops it', async ({ page, host, emulator }) => {
  await openCapacity(page, host.url, SONNET_45, 'us-east-1');
  await expect(page.getByTestId('cap-quotas').getByTestId('cap-quota-route').first()).toBeVisible({ timeout: 30_000 });
  await patchScenario(emulator.url, (scenario) => ({ ...scenario, hang: ['ap-northeast-1'] }));
  const quotas = page.getByTestId('cap-quotas');
  await quotas.getByRole('button', { name: 'Refresh quotas' }).click();
  const progress = quotas.getByTestId('quota-progress');
  await expect(progress).toContainText('waiting for ap-northeast-1', { timeout: 30_000 });
  await expect(progress).toContainText(/\d\/5 regions/);
  await quotas.getByRole('button', { name: 'Cancel refresh' }).click();
  await expect(quotas.getByRole('button', { name: 'Refresh quotas' })).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveCount(0);
});
