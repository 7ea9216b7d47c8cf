import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { AtlasApi, AtlasStreams } from '../../src-shared/contract';
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
