import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { FIVE_REGIONS } from '../fixtures/atlas';
import { capacityLink } from '../../src-renderer/capacity/capacity-link';

/**
 * What the capacity specs share: the emulator's realistic scenario (Claude Sonnet 4.5's geo tokens-per-minute quota
 * in us-east-1 applied at 8M over a 5M default, 24 hours of its use through `us.` with gaps and a throttled burst, a
 * price list), and a host scanning five regions.
 */
export const CAPACITY_HOST = { scenario: 'realistic', regions: FIVE_REGIONS };

export const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
export const SONNET_45_US = `us.${SONNET_45}`;
export const SONNET_45_GLOBAL = `global.${SONNET_45}`;

/** The Capacity page on one model and source region, as the cell panel's link opens it. */
export async function openCapacity(page: Page, hostUrl: string, modelId: string, from: string): Promise<void> {
  await page.goto(hostUrl);
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  await page.goto(`${new URL(hostUrl).origin}/${capacityLink(modelId, from)}`);
  await page.getByRole('heading', { name: 'Capacity', level: 1 }).waitFor();
}

const REALISTIC = readFileSync(new URL('../../src-main/emulator/scenarios/realistic.json', import.meta.url), 'utf8');

/**
 * Gives the worker's emulator its realistic scenario back (a reset would leave it empty, and later specs of the
 * worker read its quotas and usage), then has the host read its quotas again.
 */
export async function restoreRealistic(page: Page, hostUrl: string, emulatorUrl: string): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/scenario`, { method: 'PUT', body: REALISTIC });
  if (!response.ok) throw new Error(`scenario rejected: ${await response.text()}`);
  await openCapacity(page, hostUrl, SONNET_45, 'us-east-1');
  await refreshQuotas(page);
}

/**
 * Refresh quotas, waited for to its end: the button turns into Cancel while it runs (seen first, so a check made
 * before React drew the click cannot pass), and back when the host has read every region again. A refresh left
 * running would be joined by the next spec's, which then reads nothing of what that spec changed.
 */
export async function refreshQuotas(page: Page): Promise<void> {
  const quotas = page.getByTestId('cap-quotas');
  await quotas.getByRole('button', { name: 'Refresh quotas' }).click();
  await expect(quotas.getByRole('button', { name: 'Cancel refresh' })).toBeVisible({ timeout: 30_000 });
  await expect(quotas.getByRole('button', { name: 'Refresh quotas' })).toBeVisible({ timeout: 60_000 });
}

/** Changes part of the emulator's current scenario (the rest stays as it is); restoreRealistic gives it back. */
export async function patchScenario(emulatorUrl: string, patch: (scenario: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const current = (await (await fetch(`${emulatorUrl}/_emulator/scenario`)).json()) as Record<string, unknown>;
  const response = await fetch(`${emulatorUrl}/_emulator/scenario`, { method: 'PUT', body: JSON.stringify(patch(current)) });
  if (!response.ok) throw new Error(`scenario rejected: ${await response.text()}`);
}

/** Presses Tab until the focused element matches (at most 120 presses), as a keyboard-only user would. */
export async function tabTo(page: Page, matches: (element: { tag: string; label: string; text: string; role: string }) => boolean, description: string): Promise<void> {
  for (let press = 0; press < 120; press++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const labelled = element?.closest('label')?.textContent ?? '';
      return { tag: element?.tagName ?? '', label: element?.getAttribute('aria-label') ?? labelled, text: element?.textContent ?? '', role: element?.getAttribute('role') ?? '' };
    });
    if (matches(focused)) return;
  }
  throw new Error(`Tab never reached ${description}`);
}
