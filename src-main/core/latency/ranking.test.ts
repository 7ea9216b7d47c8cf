import { afterEach, describe, expect, it } from 'vitest';
import { startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';

const NOVA_PRO = 'amazon.nova-pro-v1:0';
const signal = new AbortController().signal;
let setup: EmulatedLab | null = null;
afterEach(async () => {
  await setup?.close();
  setup = null;
});

describe('the ranking', () => {
  it('lists every measured route first, whatever its kind and wherever it was called from', async () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];
    setup = await startEmulatedLab({ overrides: { regions } });
    const report = await setup.run({ target: NOVA_PRO, regions, runs: 2, maxTokens: 3, autoProfile: true });
    const measured = Object.values(report.regions).flatMap((result) => ('route' in result && result.samples > 0 ? [`${result.route.invokeId} ${result.route.callRegion}`] : []));
    // Auto-profile measured profile routes too, or the test would not test what its name says.
    expect(measured.filter((key) => !key.startsWith(NOVA_PRO)).length).toBeGreaterThan(0);
    const { routes } = await setup.core.handlers.rankRoutes({ target: NOVA_PRO, from: 'us-east-1' }, { signal });
    const firstUnmeasured = routes.findIndex((route) => route.samples === 0);
    const rankedMeasured = routes.slice(0, firstUnmeasured === -1 ? routes.length : firstUnmeasured).map((route) => `${route.invokeId} ${route.callRegion}`);
    expect(rankedMeasured.sort()).toEqual([...measured].sort());
    expect(routes.slice(firstUnmeasured === -1 ? routes.length : firstUnmeasured).every((route) => route.samples === 0)).toBe(true);
    const ttfts = routes.filter((route) => route.ttftP50Ms !== null).map((route) => route.ttftP50Ms!);
    expect(ttfts).toEqual([...ttfts].sort((a, b) => a - b));
  });
});
