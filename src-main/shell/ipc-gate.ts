import type { Dispatcher } from '../core/api/dispatcher';
import type { FrameSink } from '../core/api/chunk-pump';
import type { StreamRegistry } from '../core/api/stream-registry';
import type { Envelope } from '../../src-shared/envelope';
import { STREAM_ID_PATTERN, type StreamFrame, type StreamFrameMessage } from '../../src-shared/stream-frames';
import { checkRequestBody } from '../../src-shared/contract/limits';

/**
 * The IPC side of the one gate: only the app's own window may call or stream; the dispatcher and the stream
 * registry validate arguments. A stream's frames go only to the webContents that started it, tagged with its
 * id, and no faster than that window acknowledges them. A window that closes or reloads cancels its calls and
 * streams. Kept free of Electron imports so it is tested under plain Node.
 */
export interface IpcSender {
  /** The webContents id of the frame's owner. */
  id: number;
  /** The URL of the frame that sent the message. */
  url: string;
}

/** The webContents a stream answers to (Electron's `event.sender`, narrowed). */
export interface StreamReceiver {
  id: number;
  send(channel: string, message: StreamFrameMessage): void;
  isDestroyed(): boolean;
}

export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  try {
    const frame = new URL(url);
    const expected = new URL(rendererUrl);
    if (expected.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === expected.pathname;
    // Compared by parts: a custom scheme such as app:// has the opaque origin "null".
    return frame.protocol === expected.protocol && frame.host === expected.host;
  } catch {
    return false;
  }
}

/** Frames a window may hold unacknowledged before its stream counts as busy (and text chunks start merging). */
const UNACKED_FRAMES = 32;

const forbidden = (sender: IpcSender): Envelope<never> => ({
  ok: false,
  error: { name: 'ForbiddenSender', code: 'FORBIDDEN_SENDER', message: `IPC from ${sender.url || 'an unknown frame'} is not accepted` },
});

/**
 * The same body limit as the browser host's: an argument is measured as the JSON it would be on the wire. Structured
 * clone has no such limit, so without this a window could hand the core more than any transport admits.
 */
function oversized(input: unknown): Envelope<never> | null {
  let body: string;
  try {
    body = JSON.stringify(input ?? null) ?? 'null';
  } catch {
    return null; // not JSON (a cycle, a BigInt): the schema refuses it with a better message
  }
  const checked = checkRequestBody(body);
  return checked.ok ? null : { ok: false, error: { name: 'RequestTooLarge', code: 'REQUEST_TOO_LARGE', message: checked.message } };
}

export interface IpcGateOptions {
  windowId: () => number | null;
  rendererUrl: string;
  streams?: StreamRegistry;
  frameChannel?: string;
}

export function createIpcGate(dispatcher: Dispatcher, options: IpcGateOptions) {
  const trusted = (sender: IpcSender) => sender.id === options.windowId() && isTrustedRendererUrl(sender.url, options.rendererUrl);
  /** Aborts the calls of one window when it goes away. */
  const callAborts = new Map<number, AbortController>();
  /** Per stream: frames sent and not yet acknowledged, and who waits for room. */
  const credit = new Map<string, { unacked: number; drained: Set<() => void> }>();
  const owner = (id: number) => `webContents:${id}`;

  const call = async (method: string, sender: IpcSender, input: unknown): Promise<Envelope<unknown>> => {
    if (!trusted(sender)) return forbidden(sender);
    const refused = oversized(input);
    if (refused) return refused;
    let abort = callAborts.get(sender.id);
    if (!abort) callAborts.set(sender.id, (abort = new AbortController()));
    return dispatcher.dispatch(method, input, { signal: abort.signal });
  };

  const sinkFor = (receiver: StreamReceiver, streamId: string): FrameSink => {
    const state = { unacked: 0, drained: new Set<() => void>() };
    credit.set(streamId, state);
    return {
      write: (frame: StreamFrame) => {
        if (receiver.isDestroyed()) return true;
        receiver.send(options.frameChannel ?? 'atlas:stream:frame', { streamId, frame });
        state.unacked++;
        if (frame.type !== 'chunk') credit.delete(streamId);
        return state.unacked < UNACKED_FRAMES;
      },
      onDrain: (listener) => {
        state.drained.add(listener);
        return () => state.drained.delete(listener);
      },
      get closed() {
        return receiver.isDestroyed();
      },
    };
  };

  const startStream = (name: string, sender: IpcSender, receiver: StreamReceiver, payload: unknown): Envelope<{ streamId: string }> => {
    if (!trusted(sender)) return forbidden(sender);
    if (!options.streams) return { ok: false, error: { name: 'UnknownMethodError', code: 'UNKNOWN_METHOD', message: `Unknown stream "${name}"` } };
    const { streamId, input } = (typeof payload === 'object' && payload !== null ? payload : {}) as { streamId?: unknown; input?: unknown };
    const refused = oversized(input);
    if (refused) return refused;
    if (typeof streamId !== 'string' || !STREAM_ID_PATTERN.test(streamId) || credit.has(streamId)) {
      return { ok: false, error: { name: 'ValidationError', code: 'INVALID_ARGUMENT', message: 'A stream needs a new id of 8 to 64 letters, digits or dashes' } };
    }
    const started = options.streams.start(name, input, sinkFor(receiver, streamId), { owner: owner(sender.id), id: streamId });
    if (!started.ok) {
      credit.delete(streamId);
      return started;
    }
    void started.value.done.finally(() => credit.delete(streamId));
    return { ok: true, value: { streamId } };
  };

  const cancelStream = (sender: IpcSender, streamId: unknown): void => {
    if (!trusted(sender) || typeof streamId !== 'string') return;
    options.streams?.cancel(streamId, owner(sender.id));
  };

  const ackStream = (sender: IpcSender, streamId: unknown, frames: unknown): void => {
    if (!trusted(sender) || typeof streamId !== 'string' || !Number.isInteger(frames) || (frames as number) < 1) return;
    const state = credit.get(streamId);
    if (!state) return;
    const wasBusy = state.unacked >= UNACKED_FRAMES;
    state.unacked = Math.max(0, state.unacked - (frames as number));
    if (wasBusy && state.unacked < UNACKED_FRAMES) for (const listener of [...state.drained]) listener();
  };

  /** The window closed or started loading another page: everything it started is cancelled. */
  const senderGone = (senderId: number): void => {
    callAborts.get(senderId)?.abort();
    callAborts.delete(senderId);
    options.streams?.cancelOwner(owner(senderId));
  };

  return { call, startStream, cancelStream, ackStream, senderGone };
}

export type IpcGate = ReturnType<typeof createIpcGate>;
