import type { AtlasApi } from '../../src-shared/contract';
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import { AtlasError, unwrapEnvelope, type Envelope } from '../../src-shared/envelope';
import { EVENT_NAMES, type AtlasEventSource, type AtlasEvent, type EventName } from '../../src-shared/events';
import type { AtlasBridge } from '../../src-shared/bridge';

/**
 * The renderer's only way to the main process. In the desktop app the preload's bridge carries calls over IPC;
 * in a browser the same contract travels over loopback HTTP to `bedrock-atlas web`, with events as Server-Sent
 * Events. Either way every method of the contract is one async function.
 */

export type ConnectionState = 'connecting' | 'open' | 'lost';

export interface AtlasClient {
  api: AtlasApi;
  events: AtlasEventSource;
  transport: 'electron' | 'web';
  /** The event stream's state (the desktop bridge is always open). */
  connection: { state(): ConnectionState; onChange(listener: (state: ConnectionState) => void): () => void };
}

declare global {
  interface Window {
    atlas?: AtlasBridge;
  }
}

const TOKEN_KEY = 'bedrock-atlas-token';

/** Takes the token from `#token=...` once, keeps it for this tab, and removes it from the address bar. */
function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/matrix`);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function listeners() {
  const byEvent = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    emit(event: AtlasEvent) {
      for (const listener of byEvent.get(event.type) ?? []) listener(event.payload);
    },
    on: ((event: EventName, listener: (payload: unknown) => void) => {
      const set = byEvent.get(event) ?? new Set();
      set.add(listener);
      byEvent.set(event, set);
      return () => set.delete(listener);
    }) as AtlasEventSource['on'],
  };
}

function connectBridge(bridge: AtlasBridge): AtlasClient {
  const api = Object.fromEntries(
    METHOD_NAMES.map((method) => [method, async (input: unknown) => unwrapEnvelope(await (bridge.api[method] as (input: unknown) => Promise<Envelope<unknown>>)(input))]),
  ) as AtlasApi;
  return {
    api,
    events: { on: bridge.on },
    transport: 'electron',
    connection: { state: () => 'open', onChange: () => () => {} },
  };
}

function connectHttp(): AtlasClient {
  const token = takeToken();
  const hub = listeners();
  let state: ConnectionState = 'connecting';
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` };

  const call = async (method: MethodName, input: unknown) => {
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    } catch (error) {
      throw new AtlasError({ name: 'ConnectionLost', message: `The Bedrock Atlas host is not reachable (${(error as Error).message}). Is \`bedrock-atlas web\` still running?` });
    }
    if (response.status === 401) {
      throw new AtlasError({ name: 'Unauthorized', code: 'UNAUTHORIZED', message: 'This page has no valid token: open the URL that `bedrock-atlas web` printed.' });
    }
    return unwrapEnvelope((await response.json()) as Envelope<unknown>);
  };

  const api = Object.fromEntries(METHOD_NAMES.map((method) => [method, (input: unknown) => call(method, input)])) as AtlasApi;

  const readEvents = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch('/api/events', { headers: { authorization: headers.authorization } });
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        setState('open');
        attempt = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const type = /^event: (.+)$/m.exec(frame)?.[1] as EventName | undefined;
            const data = /^data: (.+)$/m.exec(frame)?.[1];
            if (type && data && EVENT_NAMES.includes(type)) hub.emit({ type, payload: JSON.parse(data) } as AtlasEvent);
          }
        }
      } catch {
        // fall through to reconnect
      }
      setState('lost');
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt)));
    }
  };
  void readEvents();

  return {
    api,
    events: { on: hub.on },
    transport: 'web',
    connection: {
      state: () => state,
      onChange: (listener) => {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
  };
}

export function connectAtlas(): AtlasClient {
  return window.atlas ? connectBridge(window.atlas) : connectHttp();
}
