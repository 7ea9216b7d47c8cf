import { test as base, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type Started } from '../fixtures/processes';

/**
 * An emulator serving the realistic scenario (latencies spread like real round trips, so percentiles differ and
 * the ranking has something to rank) and a browser host over it, with five regions and a history database of
 * its own, started through the real CLI.
 */
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1'];

export const test = base.extend<object, { emulator: Started; host: Started }>({
  emulator: [
    async ({}, use) => {
      const emulator = await startCli(['emulator', '--port', '0', '--scenario', 'realistic'], /Bedrock emulator: (http:\/\/127\.0\.0\.1:\d+)/);
      await use(emulator);
      await emulator.stop();
    },
    { scope: 'worker' },
  ],
  host: [
    async ({ emulator }, use) => {
      const home = mkdtempSync(join(tmpdir(), 'atlas-e2e-latency-'));
      const host = await startCli(
        ['web', '--no-open', '--port', '0', '--endpoint-url', emulator.url, '--cache-dir', join(home, 'cache'), '--data-dir', join(home, 'data'), '--regions', REGIONS.join(',')],
        /Bedrock Atlas: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/,
        { XDG_CONFIG_HOME: join(home, 'config'), AWS_ACCESS_KEY_ID: 'AKIDE2E', AWS_SECRET_ACCESS_KEY: 'e2e-secret', AWS_REGION: 'us-east-1' },
      );
      await use(host);
      await host.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

export { expect } from '@playwright/test';

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

export async function openLatencyPage(page: Page, hostUrl: string): Promise<void> {
  await page.goto(hostUrl);
  await page.getByRole('link', { name: 'Latency' }).click();
  await page.getByRole('form', { name: 'Latency run' }).waitFor();
}

/** Target, regions (by their checkboxes), runs, concurrency and max tokens, through the form. */
export async function configureRun(page: Page, options: { target: string; regions: string[]; runs: number; concurrency: number; maxTokens: number }) {
  const form = page.getByRole('form', { name: 'Latency run' });
  await form.getByLabel('Model or profile').fill(options.target);
  await form.getByRole('button', { name: 'None' }).click();
  await form.locator('.lat-region-list summary').click();
  for (const region of options.regions) await form.getByRole('checkbox', { name: region, exact: true }).check();
  await form.getByLabel('Runs per route').fill(String(options.runs));
  await form.getByLabel('Concurrency').fill(String(options.concurrency));
  await form.getByLabel('Max tokens').fill(String(options.maxTokens));
  return form;
}
