import type { MethodInput, MethodOutput, StreamInput } from './contract';
import { METHOD_NAMES, STREAM_NAMES, type MethodName, type StreamName } from './methods';
import type { Envelope } from './envelope';
import type { AtlasEvent, AtlasEventSource } from './events';
import type { StreamFrameMessage } from './stream-frames';

/**
 * What the preload exposes as `window.atlas`, generated from the contract's name lists: one function per method,
 * one starter per stream, the stream frames addressed to this window, and broadcast events. The IPC channel
 * names live here so that both sides agree on them.
 */
export interface AtlasBridge {
  /** Envelopes, not thrown errors: an Error crossing the context bridge loses its name and code. */
  api: { [M in MethodName]: (input: MethodInput<M>) => Promise<Envelope<MethodOutput<M>>> };
  /** Starts a stream under an id the caller chose (so it listens before the first frame); answers that id. */
  streams: { [S in StreamName]: (streamId: string, input: StreamInput<S>) => Promise<Envelope<{ streamId: string }>> };
  onStreamFrame(listener: (message: StreamFrameMessage) => void): () => void;
  /** One-way: cancels a stream of this window. Harmless when repeated or after the end. */
  cancelStream(streamId: string): void;
  /** One-way: this many frames of the stream were handled; the main process sends more only as they are. */
  ackStream(streamId: string, frames: number): void;
  on: AtlasEventSource['on'];
}

export const CALL_CHANNEL_PREFIX = 'atlas:call:';
export const STREAM_START_CHANNEL_PREFIX = 'atlas:stream:start:';
export const STREAM_FRAME_CHANNEL = 'atlas:stream:frame';
export const STREAM_CANCEL_CHANNEL = 'atlas:stream:cancel';
export const STREAM_ACK_CHANNEL = 'atlas:stream:ack';
export const EVENT_CHANNEL = 'atlas:event';

export function callChannel(method: MethodName): string {
  return `${CALL_CHANNEL_PREFIX}${method}`;
}

export function streamStartChannel(stream: StreamName): string {
  return `${STREAM_START_CHANNEL_PREFIX}${stream}`;
}

/** The IPC primitives the preload hands in (ipcRenderer's invoke, send and on, narrowed). */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<Envelope<unknown>>;
  send(channel: string, ...args: unknown[]): void;
  listen(channel: string, listener: (payload: unknown) => void): () => void;
}

/** The transport-neutral part of the preload. */
export function createBridge(ipc: BridgeIpc): AtlasBridge {
  const api = Object.fromEntries(METHOD_NAMES.map((method) => [method, (input: unknown) => ipc.invoke(callChannel(method), input)])) as AtlasBridge['api'];
  // The main process answers a stream's start with its id (the stream gate's envelope).
  const start = (name: StreamName) => (streamId: string, input: unknown) => ipc.invoke(streamStartChannel(name), { streamId, input }) as Promise<Envelope<{ streamId: string }>>;
  const streams = Object.fromEntries(STREAM_NAMES.map((name) => [name, start(name)])) as AtlasBridge['streams'];
  const on: AtlasEventSource['on'] = (type, listener) =>
    ipc.listen(EVENT_CHANNEL, (event) => {
      if ((event as AtlasEvent).type === type) (listener as (payload: unknown) => void)((event as AtlasEvent).payload);
    });
  return {
    api,
    streams,
    onStreamFrame: (listener) => ipc.listen(STREAM_FRAME_CHANNEL, (message) => listener(message as StreamFrameMessage)),
    cancelStream: (streamId) => ipc.send(STREAM_CANCEL_CHANNEL, streamId),
    ackStream: (streamId, frames) => ipc.send(STREAM_ACK_CHANNEL, streamId, frames),
    on,
  };
}
