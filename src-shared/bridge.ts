import type { MethodInput, MethodOutput } from './contract';
import { METHOD_NAMES, type MethodName } from './methods';
import type { Envelope } from './envelope';
import type { AtlasEvent, AtlasEventSource } from './events';

/**
 * What the preload exposes as `window.atlas`: one function per contract method, generated from METHOD_NAMES, and
 * an event subscription. The IPC channel names live here so that both sides agree on them.
 */
export interface AtlasBridge {
  /** Envelopes, not thrown errors: an Error crossing the context bridge loses its name and code. */
  api: { [M in MethodName]: (input: MethodInput<M>) => Promise<Envelope<MethodOutput<M>>> };
  on: AtlasEventSource['on'];
}

export const CALL_CHANNEL_PREFIX = 'atlas:call:';
export const EVENT_CHANNEL = 'atlas:event';

export function callChannel(method: MethodName): string {
  return `${CALL_CHANNEL_PREFIX}${method}`;
}

/** The transport-neutral part of the preload: `invoke` sends on a channel and resolves with the envelope. */
export function createBridge(
  invoke: (channel: string, input: unknown) => Promise<Envelope<unknown>>,
  subscribe: (listener: (event: AtlasEvent) => void) => () => void,
): AtlasBridge {
  const api = Object.fromEntries(
    METHOD_NAMES.map((method) => [method, (input: unknown) => invoke(callChannel(method), input)]),
  ) as AtlasBridge['api'];
  const on: AtlasEventSource['on'] = (type, listener) =>
    subscribe((event) => {
      if (event.type === type) (listener as (payload: unknown) => void)(event.payload);
    });
  return { api, on };
}
