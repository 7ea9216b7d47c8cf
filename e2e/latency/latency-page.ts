import type { Page } from '@playwright/test';
import { FIVE_REGIONS, openPage } from '../fixtures/atlas';

/**
 * What the latency specs share: the host's emulator serves the realistic scenario (latencies spread like real round
 * trips, so percentiles differ and the ranking has something to rank) and the host scans five regions.
 */
export const LATENCY_HOST = { scenario: 'realistic', regions: FIVE_REGIONS };

export async function openLatencyPage(page: Page, hostUrl: string): Promise<void> {
  await openPage(page, hostUrl, 'Latency');
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
