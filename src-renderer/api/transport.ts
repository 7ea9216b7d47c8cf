import type { AtlasApi, AtlasStreams } from '../../src-shared/contract';
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import { AtlasError, unwrapEnvelope, type Envelope } from '../../src-shared/envelope';
import { checkRequestBody } from '../../src-shared/contract/limits';
import { isEventName, type AtlasEventSource, type AtlasEvent, type EventName } from '../../src-shared/events';
import type { AtlasBridge } from '../../src-shared/bridge';
import { readServerSentEvents } from './sse';
import { bridgeStreams, httpStreams } from './streams';

/**
 * The renderer's only way to the main process. In the desktop app the preload's bridge carries calls over IPC;
 * in a browser the same contract travels over loopback HTTP to `bedrock-atlas web`, with events as Server-Sent
 * Events. Either way every method of the contract is one async function.
 */

export type ConnectionState = 'connecting' | 'open' | 'lost';

export interface AtlasClient {
  api: AtlasApi;
  streams: AtlasStreams;
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

/**
 * Exchanges the one-time code of an address the app opened itself (`#code=…`: a command line is visible to every
 * local user, so it never carries the token) for the session token, once. Synchronous because the client is
 * built synchronously; it is one small loopback request at start-up. A used or expired code gives null.
 */
function exchangeCode(code: string): string | null {
  try {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/session', false);
    request.setRequestHeader('content-type', 'application/json');
    request.send(JSON.stringify({ code }));
    if (request.status !== 200) return null;
    return (JSON.parse(request.responseText) as { value?: { token?: string } }).value?.token ?? null;
  } catch {
    return null;
  }
}

/** Takes the token from `#token=...` (or a one-time `#code=...`) once, keeps it for this tab, and removes it from the address bar. */
function takeToken(): string | null {
  const code = /(?:^#|&)code=([^&]+)/.exec(window.location.hash)?.[1];
  if (code) {
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/matrix`);
    const token = exchangeCode(decodeURIComponent(code));
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    return token ?? sessionStorage.getItem(TOKEN_KEY);
  }
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash)?.[1];
  if (match) {
    const token = decodeURIComponent(match);
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

/** A body over the contract's limit is refused here, before sending, with the limit named (the host would answer 413). */
function refuseOversized(body: string): void {
  const checked = checkRequestBody(body);
  if (!checked.ok) throw new AtlasError({ name: 'RequestTooLarge', code: 'REQUEST_TOO_LARGE', message: checked.message });
}

function connectBridge(bridge: AtlasBridge): AtlasClient {
  const api = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      async (input: unknown) => {
        refuseOversized(JSON.stringify(input ?? {}));
        return unwrapEnvelope(await (bridge.api[method] as (input: unknown) => Promise<Envelope<unknown>>)(input));
      },
    ]),
  ) as AtlasApi;
  return {
    api,
    streams: bridgeStreams(bridge),
    events: { on: bridge.on },
    transport: 'electron',
    connection: { state: () => 'open', onChange: () => () => {} },
  };
}

export interface HttpClientOptions {
  /** Where `bedrock-atlas web` listens; '' means this page's own origin. */
  baseUrl: string;
  token: string | null;
  /** Delay before the n-th reconnect of the event stream. */
  reconnectDelayMs?: (attempt: number) => number;
}

/**
 * The contract over loopback HTTP: `POST /api/<method>` with the bearer token, and `GET /api/events` read with
 * fetch streaming rather than EventSource, because EventSource cannot send the Authorization header.
 * `close()` ends the event stream and its reconnect loop.
 */
export function createHttpClient(options: HttpClientOptions): AtlasClient & { close(): void } {
  const hub = listeners();
  const stopped = new AbortController();
  const reconnectDelayMs = options.reconnectDelayMs ?? ((attempt) => Math.min(10_000, 500 * 2 ** attempt));
  let state: ConnectionState = 'connecting';
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };
  const authorization = `Bearer ${options.token ?? ''}`;

  const call = async (method: MethodName, input: unknown) => {
    const body = JSON.stringify(input ?? {});
    refuseOversized(body);
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
    } catch (error) {
      throw new AtlasError({ name: 'ConnectionLost', code: 'CONNECTION_LOST', message: `The Bedrock Atlas host is not reachable (${(error as Error).message}). Is \`bedrock-atlas web\` still running?` });
    }
    if (response.status === 401) {
      throw new AtlasError({ name: 'Unauthorized', code: 'UNAUTHORIZED', message: 'This page has no valid token: open the URL that `bedrock-atlas web` printed.' });
    }
    return unwrapEnvelope((await response.json()) as Envelope<unknown>);
  };

  const api = Object.fromEntries(METHOD_NAMES.map((method) => [method, (input: unknown) => call(method, input)])) as AtlasApi;

  const followEvents = async () => {
    for (let attempt = 0; !stopped.signal.aborted; attempt++) {
      try {
        const response = await fetch(`${options.baseUrl}/api/events`, { headers: { authorization }, signal: stopped.signal });
        // A refused token stays refused: retrying cannot help (the page says to open the printed address).
        if (response.status === 401) return setState('lost');
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        setState('open');
        attempt = 0;
        await readServerSentEvents(response.body, (type, data) => {
          if (isEventName(type)) hub.emit({ type, payload: JSON.parse(data) } as AtlasEvent);
        });
      } catch {
        // A dropped stream or an unreachable host: reconnect below with backoff.
      }
      if (stopped.signal.aborted) return;
      setState('lost');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reconnectDelayMs(attempt));
        stopped.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  void followEvents();

  return {
    api,
    streams: httpStreams(options.baseUrl, authorization),
    events: { on: hub.on },
    transport: 'web',
    connection: {
      state: () => state,
      onChange: (listener) => {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
    close: () => stopped.abort(),
  };
}

export function connectAtlas(): AtlasClient {
  return window.atlas ? connectBridge(window.atlas) : createHttpClient({ baseUrl: '', token: takeToken() });
}
