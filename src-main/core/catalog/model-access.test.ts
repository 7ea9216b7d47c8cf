import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatedCore, type EmulatedCore } from '../../testing/emulated-core';

let setup: EmulatedCore;
beforeAll(async () => {
  setup = await startEmulatedCore();
});
afterAll(() => setup?.close());

describe('model access', () => {
  it('answers per region for a catalog model', async () => {
    const reply = await setup.core.dispatcher.dispatch('getModelAccess', { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', regions: ['us-east-1', 'eu-west-1'] });
    expect(reply).toMatchObject({ ok: true, value: { 'us-east-1': { status: 'authorized' } } });
  });

  it('treats __proto__ and constructor as unknown models, never as Object internals', async () => {
    const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
    await setup.core.dispatcher.dispatch('getModelAccess', { modelId: haiku, regions: ['us-east-1'] });
    const asked = setup.emulator.stats().requests['us-east-1']?.GetFoundationModelAvailability;
    expect(asked).toEqual(expect.any(Number));
    for (const modelId of ['__proto__', 'constructor', 'toString']) {
      const reply = await setup.core.dispatcher.dispatch('getModelAccess', { modelId, regions: ['us-east-1'] });
      expect(reply).toMatchObject({ ok: false, error: { name: 'UnknownModel', code: 'UNKNOWN_MODEL' } });
    }
    // Nothing was asked of Bedrock for them, and the stored access (there is one: Haiku's) holds only real models,
    // on a plain prototype, with nothing written onto Object.prototype.
    expect(setup.emulator.stats().requests['us-east-1']?.GetFoundationModelAvailability).toBe(asked);
    const access = setup.core.catalog().peek()!.document.access;
    expect(access).toBeDefined();
    expect(Object.keys(access!)).toEqual([haiku]);
    expect(Object.getPrototypeOf(access)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(access![haiku])).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['us-east-1']).toBeUndefined();
  });
});
