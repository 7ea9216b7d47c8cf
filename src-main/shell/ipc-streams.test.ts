import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBridge, STREAM_ACK_CHANNEL, STREAM_CANCEL_CHANNEL, STREAM_FRAME_CHANNEL, STREAM_START_CHANNEL_PREFIX } from '../../src-shared/bridge';
import type { AtlasStreams, ConverseResult } from '../../src-shared/contract';
import type { StreamFrameMessage } from '../../src-shared/stream-frames';
import { bridgeStreams } from '../../src-renderer/api/streams';
import { LONG_PROMPT, startEmulatedCore, waitFor, type EmulatedCore } from '../testing/emulated-core';
import { parseScenario } from '../emulator/scenario';
import { createIpcGate, type IpcGate } from './ipc-gate';

/**
 * Streams over IPC without Electron: the renderer's stream client, the generated preload bridge, and the main
 * process's gate, wired as ipcRenderer and ipcMain would wire them, against the real core and emulator.
 */

const rendererUrl = 'app://bedrock-atlas/index.html';
let setup: EmulatedCore;

/** One window: its webContents as the gate sees it, and its renderer's streams. */
function openWindow(gate: IpcGate, id: number) {
  const frameListeners = new Set<(payload: unknown) => void>();
  const contents = {
    id,
    destroyed: false,
    sent: 0,
    /** The ids of the streams this window was sent frames of. */
    streamIds: new Set<string>(),
    send: (_channel: string, message: StreamFrameMessage) => {
      contents.sent++;
      contents.streamIds.add(message.streamId);
      // ipcRenderer delivers asynchronously, in order.
      setImmediate(() => frameListeners.forEach((listener) => listener(message)));
    },
    isDestroyed: () => contents.destroyed,
  };
  const sender = { id, url: `${rendererUrl}#/playground` };
  const bridge = createBridge({
    invoke: async (channel, payload) => gate.startStream(channel.slice(STREAM_START_CHANNEL_PREFIX.length), sender, contents, payload),
    send: (channel, ...args) => {
      if (channel === STREAM_CANCEL_CHANNEL) gate.cancelStream(sender, args[0]);
      if (channel === STREAM_ACK_CHANNEL) gate.ackStream(sender, args[0], args[1]);
    },
    listen: (channel, listener) => {
      if (channel !== STREAM_FRAME_CHANNEL) return () => {};
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },
  });
  return { contents, streams: bridgeStreams(bridge) as AtlasStreams, bridge, sender };
}

beforeAll(async () => {
  setup = await startEmulatedCore();
});
afterAll(() => setup?.close());
beforeEach(() => {
  setup.emulator.setScenario(parseScenario({}));
  setup.emulator.resetStats();
});

const gateFor = (windowId = 1) => createIpcGate(setup.core.dispatcher, { windowId: () => windowId, rendererUrl, streams: setup.core.streams });

describe('streams over IPC', () => {
  it('round-trips a converse stream: chunks to the window that started it, then one result', async () => {
    const window = openWindow(gateFor(1), 1);
    let text = '';
    const call = window.streams.converse({ ...LONG_PROMPT, inferenceConfig: { maxTokens: 30 } }, (chunk) => (text += chunk.text));
    const result = (await call.result) as ConverseResult;
    expect(text.length).toBeGreaterThan(0);
    expect(result.text).toBe(text);
    expect(result.route).toMatchObject({ invokeId: LONG_PROMPT.target, callRegion: 'us-east-1', kind: 'on-demand' });
    expect(result.usage?.outputTokens).toBeGreaterThan(1);
    expect(result.metrics.ttftMs).toBeGreaterThan(0);
  });

  it('refuses a bad argument before anything starts, with a named validation error', async () => {
    const window = openWindow(gateFor(1), 1);
    const call = window.streams.converse({ ...LONG_PROMPT, messages: [] }, () => {});
    await expect(call.result).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('write a prompt') });
    expect(setup.core.streams.size).toBe(0);
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('refuses a stream from another window or a foreign frame', () => {
    const gate = gateFor(1);
    const stranger = { id: 2, url: `${rendererUrl}` };
    const contents = { id: 2, send: () => {}, isDestroyed: () => false };
    expect(gate.startStream('converse', stranger, contents, { streamId: 'abcdefgh-1', input: LONG_PROMPT })).toMatchObject({ ok: false, error: { name: 'ForbiddenSender' } });
    expect(gate.startStream('converse', { id: 1, url: 'https://evil.example/' }, contents, { streamId: 'abcdefgh-2', input: LONG_PROMPT })).toMatchObject({
      ok: false,
      error: { name: 'ForbiddenSender' },
    });
  });

  it('cancels from the renderer: the upstream stream is closed at the emulator before its end', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    const window = openWindow(gateFor(1), 1);
    let chunks = 0;
    const call = window.streams.converse(LONG_PROMPT, () => chunks++);
    await waitFor(() => chunks > 0);
    call.cancel();
    call.cancel(); // a second cancel is harmless
    // The emulator counts a stream the client closed before its last token: a cancel that stopped only the IPC
    // side would let the answer run to its end and never be counted. (How soon is bench:streams' figure.)
    await waitFor(() => (setup.emulator.stats().abortedStreams['us-east-1'] ?? 0) === 1, 10_000);
    // The call ends with the answer so far, marked cancelled, not with an error.
    await expect(call.result).resolves.toMatchObject({ cancelled: true, api: 'ConverseStream' });
    await waitFor(() => setup.core.streams.size === 0);
  });

  it('cancels every stream of a window that closes or reloads, and only those', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    const gate = gateFor(1);
    const closing = openWindow(gate, 1);
    let chunks = 0;
    const first = closing.streams.converse(LONG_PROMPT, () => chunks++);
    const second = closing.streams.converse(LONG_PROMPT, () => chunks++);
    void first.result.catch(() => {});
    void second.result.catch(() => {});
    await waitFor(() => setup.core.streams.size === 2 && closing.contents.streamIds.size === 2);
    // Another window, through its own gate, cannot cancel them with their real ids...
    const other = openWindow(gateFor(2), 2);
    const ids = [...closing.contents.streamIds];
    for (const id of ids) other.bridge.cancelStream(id);
    for (const id of ids) expect(setup.core.streams.cancel(id, 'webContents:2')).toBe(false);
    // ...they go on streaming to their window, and the emulator closed none of them.
    const before = chunks;
    await waitFor(() => chunks > before + 2);
    expect(setup.core.streams.size).toBe(2);
    expect(setup.emulator.stats().abortedStreams['us-east-1'] ?? 0).toBe(0);
    closing.contents.destroyed = true;
    gate.senderGone(1);
    await waitFor(() => (setup.emulator.stats().abortedStreams['us-east-1'] ?? 0) === 2);
    await waitFor(() => setup.core.streams.size === 0);
  });

  it('sends no more frames than the window acknowledges, and merges text meanwhile without losing any', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 0 }, timeToFirstTokenMs: { '*': 0 } }));
    const gate = gateFor(1);
    const window = openWindow(gate, 1);
    // A renderer that has stopped acknowledging: the main process must hold (and merge) what it cannot send.
    const held: [string, number][] = [];
    const acknowledge = window.bridge.ackStream;
    window.bridge.ackStream = (streamId, frames) => void held.push([streamId, frames]);
    let text = '';
    const call = window.streams.converse({ ...LONG_PROMPT, inferenceConfig: { maxTokens: 500 } }, (chunk) => (text += chunk.text));
    await waitFor(() => window.contents.sent >= 32);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(window.contents.sent).toBe(32);

    window.bridge.ackStream = acknowledge;
    for (const [streamId, frames] of held) acknowledge(streamId, frames);
    const result = (await call.result) as ConverseResult;
    expect(text).toBe(result.text);
    // 32 single-token frames, then the rest merged into few: fewer frames than tokens, and nothing lost.
    expect(window.contents.sent).toBeLessThan(result.usage!.outputTokens + 1);
  });
});
