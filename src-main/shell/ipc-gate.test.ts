import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../core/api/dispatcher';
import type { AtlasHandlers } from '../../src-shared/contract';
import { METHOD_NAMES, STREAM_NAMES } from '../../src-shared/methods';
import { callChannel, createBridge, EVENT_CHANNEL, streamStartChannel, type BridgeIpc } from '../../src-shared/bridge';
import { createIpcGate, isTrustedRendererUrl } from './ipc-gate';

const handlers = { findModel: async () => null, getAppInfo: async () => ({ name: 'x' }) } as unknown as AtlasHandlers;
const rendererUrl = 'app://bedrock-atlas/index.html';
const gate = createIpcGate(createDispatcher(handlers), { windowId: () => 7, rendererUrl });
const window = { id: 7, url: 'app://bedrock-atlas/index.html#/matrix' };

describe('IPC gate', () => {
  it('answers the app window with an envelope', async () => {
    expect(await gate.call('findModel', window, { query: 'Claude 3 Haiku' })).toEqual({ ok: true, value: null });
  });

  it('rejects an invalid argument with a named validation error', async () => {
    const reply = await gate.call('findModel', window, { query: '' });
    expect(reply).toMatchObject({ ok: false, error: { name: 'ValidationError', code: 'INVALID_ARGUMENT' } });
    expect(await gate.call('findModel', window, 'not an object')).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
  });

  it('rejects other windows and foreign frames', async () => {
    expect(await gate.call('getAppInfo', { id: 8, url: window.url }, undefined)).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
    expect(await gate.call('getAppInfo', { id: 7, url: 'https://evil.example/' }, undefined)).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
    expect(await gate.call('getAppInfo', { id: 7, url: 'app://other-host/index.html' }, undefined)).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
  });

  it('trusts file and dev-server renderers by path and origin', () => {
    expect(isTrustedRendererUrl('file:///app/out/renderer/index.html#/x', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(isTrustedRendererUrl('file:///tmp/other.html', 'file:///app/out/renderer/index.html')).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedRendererUrl('not a url', rendererUrl)).toBe(false);
  });

  it('answers an unknown method without throwing', async () => {
    expect(await gate.call('dropTables', window, {})).toMatchObject({ ok: false, error: { name: 'UnknownMethodError' } });
  });

  it('aborts the calls of a window that goes away', async () => {
    let seen: AbortSignal | null = null;
    const slow = createIpcGate(
      createDispatcher({ ...handlers, findModel: (_input: unknown, { signal }: { signal: AbortSignal }) => ((seen = signal), new Promise(() => {})) } as unknown as AtlasHandlers),
      { windowId: () => 7, rendererUrl },
    );
    void slow.call('findModel', window, { query: 'x' });
    await Promise.resolve();
    expect(seen!.aborted).toBe(false);
    slow.senderGone(7);
    expect(seen!.aborted).toBe(true);
  });
});

describe('preload bridge', () => {
  const recordingIpc = (channels: string[]): BridgeIpc => ({
    invoke: async (channel) => {
      channels.push(channel);
      return { ok: true, value: channel };
    },
    send: () => {},
    listen: () => () => {},
  });

  it('exposes exactly the contract methods and streams, each on its own channel', async () => {
    const channels: string[] = [];
    const bridge = createBridge(recordingIpc(channels));
    expect(Object.keys(bridge.api).sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.keys(bridge.streams).sort()).toEqual([...STREAM_NAMES].sort());
    for (const method of METHOD_NAMES) await (bridge.api[method] as (input: unknown) => Promise<unknown>)({});
    for (const name of STREAM_NAMES) await (bridge.streams[name] as (id: string, input: unknown) => Promise<unknown>)('stream-id-1', {});
    expect(channels).toEqual([...METHOD_NAMES.map(callChannel), ...STREAM_NAMES.map(streamStartChannel)]);
  });

  it('delivers only the subscribed event type', () => {
    let emit: (payload: unknown) => void = () => {};
    const bridge = createBridge({
      ...recordingIpc([]),
      listen: (channel, listener) => {
        if (channel === EVENT_CHANNEL) emit = listener;
        return () => {};
      },
    });
    const seen: unknown[] = [];
    bridge.on('catalog.scanFinished', (payload) => seen.push(payload));
    emit({ type: 'catalog.progress', payload: {} });
    emit({ type: 'catalog.scanFinished', payload: { scanId: 'a' } });
    expect(seen).toEqual([{ scanId: 'a' }]);
  });
});
