import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { AtlasApi, AtlasStreams, StreamCall } from '../../src-shared/contract';
import type { AtlasEvents, EventName } from '../../src-shared/events';
import { AtlasProvider } from '../api/atlas-context';
import type { AtlasClient } from '../api/transport';

/**
 * A fake of the renderer's typed client for component tests: the methods a test gives, and every other method
 * failing with its name, so a component that calls something unexpected fails the test instead of hanging.
 * Calls are recorded by method name; `emit` sends an event (`quotas.progress`…) to the components listening.
 */
export function fakeClient(api: Partial<AtlasApi> = {}, streams: Partial<AtlasStreams> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const fakeApi = new Proxy({} as AtlasApi, {
    get: (_target, method: string) => (input: unknown) => {
      calls.push({ method, input });
      const implementation = (api as Record<string, (input: unknown) => Promise<unknown>>)[method];
      return implementation ? implementation(input) : Promise.reject(new Error(`the test's client has no ${method}`));
    },
  });
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const emit = <E extends EventName>(event: E, payload: AtlasEvents[E]) => {
    for (const listener of listeners.get(event) ?? []) (listener as (payload: AtlasEvents[E]) => void)(payload);
  };
  const client: AtlasClient = {
    api: fakeApi,
    streams: streams as AtlasStreams,
    events: {
      on: (event, listener) => {
        const set = listeners.get(event) ?? new Set();
        set.add(listener);
        listeners.set(event, set);
        return () => set.delete(listener);
      },
    },
    transport: 'web',
    connection: { state: () => 'open', onChange: () => () => {} },
  };
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AtlasProvider client={client}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{children}</QueryClientProvider>
    </AtlasProvider>
  );
  return { client, calls, wrapper, emit };
}

/**
 * A stream under the test's control, for `fakeClient(api, { runLoad: stream.open })`: the inputs it was opened with,
 * `push` a chunk, `finish` with the result, `fail` with an error; `cancelled` counts the cancels the component asked
 * for (a test then finishes with the partial result the core would send).
 */
export function controlledStream<Input, Chunk, Result>() {
  const inputs: Input[] = [];
  let onChunk: (chunk: Chunk) => void = () => {};
  let settle: { resolve(result: Result): void; reject(error: unknown): void } | null = null;
  const control = {
    inputs,
    cancelled: 0,
    open: (input: Input, chunk: (chunk: Chunk) => void): StreamCall<Result> => {
      inputs.push(input);
      onChunk = chunk;
      const result = new Promise<Result>((resolve, reject) => (settle = { resolve, reject }));
      return { result, cancel: () => void control.cancelled++ };
    },
    push: (chunk: Chunk) => onChunk(chunk),
    finish: (result: Result) => settle?.resolve(result),
    fail: (error: unknown) => settle?.reject(error),
  };
  return control;
}
