import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { AtlasEvents, EventName } from '../../src-shared/events';
import type { AtlasClient, ConnectionState } from './transport';

const AtlasContext = createContext<AtlasClient | null>(null);

export function AtlasProvider({ client, children }: { client: AtlasClient; children: ReactNode }) {
  return <AtlasContext.Provider value={client}>{children}</AtlasContext.Provider>;
}

export function useAtlas(): AtlasClient {
  const client = useContext(AtlasContext);
  if (!client) throw new Error('useAtlas needs an AtlasProvider');
  return client;
}

/** Subscribes to one event type for the component's lifetime; the latest listener is always called. */
export function useAtlasEvent<E extends EventName>(event: E, listener: (payload: AtlasEvents[E]) => void): void {
  const { events } = useAtlas();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => events.on(event, (payload) => latest.current(payload)), [events, event]);
}

export function useConnectionState(): ConnectionState {
  const { connection } = useAtlas();
  return useSyncExternalStore(connection.onChange, connection.state);
}
