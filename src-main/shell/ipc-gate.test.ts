import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../core/api/dispatcher';
import type { AtlasHandlers } from '../../src-shared/contract';
import { METHOD_NAMES } from '../../src-shared/methods';
import { callChannel, createBridge } from '../../src-shared/bridge';
import { createIpcGate } from './ipc-gate';

const handlers = { findModel: async () => null, getAppInfo: async () => ({ name: 'x' }) } as unknown as AtlasHandlers;
const rendererUrl = 'file:///app/out/renderer/index.html';
const gate = createIpcGate(createDispatcher(handlers), { windowId: () => 7, rendererUrl });
const window = { id: 7, url: 'file:///app/out/renderer/index.html#/matrix' };

describe('IPC gate', () => {
  it('answers the app window with an envelope', async () => {
    expect(await gate('findModel', window, { query: 'Claude 3 Haiku' })).toEqual({ ok: true, value: null });
  });

  it('rejects an invalid argument with a named validation error', async () => {
    const reply = await gate('findModel', window, { query: '' });
    expect(reply).toMatchObject({ ok: false, error: { name: 'ValidationError', code: 'INVALID_ARGUMENT' } });
    expect(await gate('findModel', window, 'not an object')).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
  });

  it('rejects other windows and foreign frames', async () => {
    expect(await gate('getAppInfo', { id: 8, url: window.url }, undefined)).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
    expect(await gate('getAppInfo', { id: 7, url: 'https://evil.example/' }, undefined)).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
    expect(await gate('getAppInfo', { id: 7, url: 'file:///tmp/other.html' }, undefined)).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
  });

  it('answers an unknown method without throwing', async () => {
    expect(await gate('dropTables', window, {})).toMatchObject({ ok: false, error: { name: 'UnknownMethodError' } });
  });
});

describe('preload bridge', () => {
  it('exposes exactly the contract methods, each on its own channel', async () => {
    const channels: string[] = [];
    const bridge = createBridge(
      async (channel) => {
        channels.push(channel);
        return { ok: true, value: channel };
      },
      () => () => {},
    );
    expect(Object.keys(bridge.api).sort()).toEqual([...METHOD_NAMES].sort());
    for (const method of METHOD_NAMES) await (bridge.api[method] as (input: unknown) => Promise<unknown>)({});
    expect(channels).toEqual(METHOD_NAMES.map(callChannel));
  });

  it('delivers only the subscribed event type', () => {
    let emit: (event: never) => void = () => {};
    const bridge = createBridge(async () => ({ ok: true, value: null }), (listener) => {
      emit = listener as never;
      return () => {};
    });
    const seen: unknown[] = [];
    bridge.on('catalog.scanFinished', (payload) => seen.push(payload));
    emit({ type: 'catalog.progress', payload: {} } as never);
    emit({ type: 'catalog.scanFinished', payload: { scanId: 'a' } } as never);
    expect(seen).toEqual([{ scanId: 'a' }]);
  });
});
