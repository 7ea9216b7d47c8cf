import { afterEach, describe, expect, it } from 'vitest';
import { startEmulatedCore, waitFor, type EmulatedCore } from '../../testing/emulated-core';

/**
 * "Refreshed with it or on their own": a catalog refresh the user asks for refreshes the quota section too, once
 * there is one; a user who never read quotas is not charged Service Quotas calls by a catalog refresh.
 */

let running: EmulatedCore | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

const quotaPages = (emulated: EmulatedCore, region: string) => emulated.emulator.stats().requests[region]?.['servicequotas:ListServiceQuotas'] ?? 0;

describe('quotas refreshed with the catalog', () => {
  it('a catalog refresh asks Service Quotas again in the regions scanned once quotas have been read', async () => {
    running = await startEmulatedCore({ overrides: { regions: ['us-east-1'] } });
    const { core } = running;
    await core.handlers.getQuotas(undefined, { signal: new AbortController().signal });
    const pages = quotaPages(running, 'us-east-1');
    expect(pages).toBeGreaterThan(0);

    await core.handlers.refreshCatalog(undefined, { signal: new AbortController().signal });
    const emulated = running;
    await waitFor(() => quotaPages(emulated, 'us-east-1') >= 2 * pages);
    // Every page once more, and no more than that.
    await core.handlers.getQuotas(undefined, { signal: new AbortController().signal });
    expect(quotaPages(emulated, 'us-east-1')).toBe(2 * pages);
  });

  it('a catalog refresh asks nothing of Service Quotas while quotas were never read', async () => {
    running = await startEmulatedCore({ overrides: { regions: ['us-east-1'] } });
    await running.core.handlers.refreshCatalog(undefined, { signal: new AbortController().signal });
    await running.core.handlers.getCatalog(undefined, { signal: new AbortController().signal });
    expect(quotaPages(running, 'us-east-1')).toBe(0);
  });
});
