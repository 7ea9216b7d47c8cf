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
    for (const modelId of ['__proto__', 'constructor', 'toString']) {
      const reply = await setup.core.dispatcher.dispatch('getModelAccess', { modelId, regions: ['us-east-1'] });
      expect(reply).toMatchObject({ ok: false, error: { name: 'UnknownModel', code: 'UNKNOWN_MODEL' } });
    }
    expect(Object.getPrototypeOf(setup.core.catalog().peek()!.document.access ?? {})).toBe(Object.prototype);
  });
});
