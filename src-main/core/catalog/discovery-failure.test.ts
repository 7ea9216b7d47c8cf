import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../emulator/scenario';
import { startEmulatedCore, type EmulatedCore } from '../../testing/emulated-core';

let setup: EmulatedCore;
beforeAll(async () => {
  setup = await startEmulatedCore();
});
afterAll(() => setup?.close());

const signal = new AbortController().signal;

describe('a discovery that answers in no region', () => {
  it('keeps the data it had and says why in the snapshot, until a refresh succeeds', async () => {
    const before = await setup.core.handlers.getCatalog(undefined, { signal });
    expect(before.meta.discoveryFailure).toBeUndefined();
    setup.emulator.setScenario(parseScenario({ notEnabled: ['us-east-1', 'eu-west-1'] }));
    const failed = await setup.core.handlers.refreshCatalog(undefined, { signal });
    expect(failed.document.generatedAt).toBe(before.document.generatedAt);
    expect(failed.meta.discoveryFailure?.reasons.join('\n')).toMatch(/us-east-1: UnrecognizedClientException/);
    // A page loaded now (a reconnect, a reload) is told the same.
    expect(setup.core.catalog().peek()?.meta.discoveryFailure).toEqual(failed.meta.discoveryFailure);
    setup.emulator.setScenario(parseScenario({}));
    const recovered = await setup.core.handlers.refreshCatalog(undefined, { signal });
    expect(recovered.meta.discoveryFailure).toBeUndefined();
  });
});
