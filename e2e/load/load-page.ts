import { expect, type Locator, type Page } from '@playwright/test';
import { openCapacity, patchScenario, refreshQuotas } from '../capacity/capacity-page';
import { FIVE_REGIONS, HAIKU } from '../fixtures/atlas';
import { configureRun, openLatencyPage } from '../latency/latency-page';

/**
 * What the load and attribution specs share: the emulator's realistic scenario (profiles routed unevenly, quotas
 * enforced, CloudTrail events two minutes late) on a host scanning five regions, and the patches that make a short
 * spec see what a long session would: a quota one request per second can exceed, events visible at once.
 */
export const LOAD_HOST = { scenario: 'realistic', regions: FIVE_REGIONS };

export const SONNET_45_US = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/**
 * The host reads its quotas again (it keeps what it read, and the quota line of a load run is drawn from them): what a
 * user does with Refresh quotas on the Capacity page after a quota changed.
 */
export async function readQuotasAgain(page: Page, hostUrl: string, modelId: string): Promise<void> {
  await openCapacity(page, hostUrl, modelId, 'us-east-1');
  await refreshQuotas(page);
}

/** Claude 3 Haiku on demand in us-east-1 held to 60 requests a minute with a two-second burst: 2 requests a second throttle once the burst is spent. */
export async function limitHaiku(emulatorUrl: string): Promise<void> {
  await patchScenario(emulatorUrl, (scenario) => {
    const quotas = (scenario.quotas ?? {}) as { rules?: unknown[] };
    const rule = { region: 'us-east-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 60 };
    return { ...scenario, enforceQuotas: { burstSeconds: 2 }, quotas: { ...quotas, rules: [...(quotas.rules ?? []), rule] } };
  });
}

/** CloudTrail shows each call as soon as it ended (the realistic scenario waits two minutes); faster answers. */
export async function promptEvents(emulatorUrl: string): Promise<void> {
  await patchScenario(emulatorUrl, (scenario) => ({ ...scenario, cloudtrail: { delayMs: 0 }, perTokenMs: { '*': 2 } }));
}

/** The load fields of the run form, in Load mode, set by the mouse (the keyboard spec sets them by keys). */
export async function configureLoad(page: Page, options: { target: string; regions: string[]; mode: 'concurrency' | 'rate'; levels: string; seconds: number; maxTokens: number; arrivals?: 'poisson' | 'constant' }): Promise<Locator> {
  const form = page.getByRole('form', { name: 'Latency run' });
  await form.getByRole('radio', { name: /^Load/ }).check();
  await form.getByLabel('Model or profile').fill(options.target);
  await form.getByRole('button', { name: 'None' }).click();
  await form.locator('.lat-region-list summary').click();
  for (const region of options.regions) await form.getByRole('checkbox', { name: region, exact: true }).check();
  await form.locator('.lat-region-list summary').click();
  await form.getByRole('radio', { name: options.mode === 'rate' ? /^Open loop/ : /^Closed loop/ }).check();
  await form.getByLabel(options.mode === 'rate' ? 'Rate levels (req/s)' : 'Concurrency levels').fill(options.levels);
  if (options.arrivals) await form.getByLabel('Arrivals').selectOption(options.arrivals);
  await form.getByLabel('Seconds per level').fill(String(options.seconds));
  await form.getByLabel('Max tokens').fill(String(options.maxTokens));
  return form;
}

/** Starts the form's run and waits for it to end (done, partial or failed). */
export async function startAndWait(page: Page, form: Locator, timeout = 90_000): Promise<void> {
  await expect(form.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 30_000 });
  await form.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('live')).toContainText(/done|partial|failed|stopped/, { timeout });
}

/** A latency run of the US Sonnet 4.5 profile from us-east-1: every request routed, for attribution to find. */
export async function runProfileLatency(page: Page, hostUrl: string, runs = 30): Promise<void> {
  await openLatencyPage(page, hostUrl);
  const form = await configureRun(page, { target: SONNET_45_US, regions: ['us-east-1'], runs, concurrency: 4, maxTokens: 8 });
  await startAndWait(page, form);
}

/** Waits until the run's attribution is done (its passes find every event at once when CloudTrail shows them at once). */
export async function attributionDone(results: Locator): Promise<Locator> {
  const attribution = results.getByTestId('attribution');
  await expect(attribution.getByTestId('attr-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  return attribution;
}

/** The WCAG contrast of an element's text against the first ancestor that paints a background. */
export async function contrast(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
    const luminance = (color: string) => {
      const [r, g, b] = rgb(color).slice(0, 3).map((value) => value / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    let behind: Element | null = element;
    while (behind && (rgb(getComputedStyle(behind).backgroundColor)[3] === 0 || getComputedStyle(behind).backgroundColor === 'transparent')) behind = behind.parentElement;
    const [a, b] = [luminance(getComputedStyle(element).color), luminance(getComputedStyle(behind ?? document.body).backgroundColor)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

/**
 * Presses Tab until the focused element matches (at most 150 presses), as a keyboard-only user would. Its label is
 * its aria-label, else the text of the label that names it (wrapping it or pointing at it with `for`).
 */
export async function tabTo(page: Page, matches: (element: { tag: string; label: string; text: string; role: string }) => boolean, description: string): Promise<void> {
  for (let press = 0; press < 150; press++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLInputElement | null;
      const labelled = element?.labels?.[0]?.textContent ?? element?.closest('label')?.textContent ?? '';
      return { tag: element?.tagName ?? '', label: element?.getAttribute('aria-label') ?? labelled, text: element?.textContent ?? '', role: element?.getAttribute('role') ?? '' };
    });
    if (matches(focused)) return;
  }
  throw new Error(`Tab never reached ${description}`);
}
