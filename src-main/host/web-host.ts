import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { AtlasEvent } from '../../src-shared/events';
import type { Dispatcher } from '../core/api/dispatcher';
import type { StreamRegistry } from '../core/api/stream-registry';
import type { AtlasCore } from '../core/app/atlas-core';
import { MAX_REQUEST_BODY_BYTES } from '../../src-shared/contract/limits';
import { STREAM_ID_PATTERN } from '../../src-shared/stream-frames';
import { EventClient, streamSink } from './sse';
import { decodePath, discardBody, HttpError, readJsonBody, sendHttpError, sendJson } from './http-io';

/**
 * The browser host: the same dashboard and the same contract as the desktop app, over loopback HTTP. It binds
 * 127.0.0.1 only, demands a per-launch bearer token on every API call, and refuses requests whose Host or Origin
 * is not this server (a DNS-rebinding page cannot reach it).
 */

/**
 * `style-src 'unsafe-inline'` stays, for one reason: the matrix's TTFT overlay writes a `<style>` element
 * (src-renderer/latency/MatrixTtftOverlay.tsx), and CSP blocks inline `<style>` elements without it. React's style
 * objects do not need it (React sets `element.style` through the CSSOM, which CSP does not govern), nor does any
 * library in the renderer; moving the overlay to a constructed stylesheet (`adoptedStyleSheets`) would let it go.
 * Scripts are never inline: `script-src 'self'`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Request headers and a request body must each arrive within this long; a socket that dawdles is cut off. */
const BODY_TIMEOUT_MS = 10_000;
/** How long the one-time code of an opened browser URL stays valid. */
const ONE_TIME_CODE_MS = 60_000;
const HEARTBEAT_MS = 15_000;

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebHostOptions {
  port?: number;
  dispatcher: Dispatcher;
  subscribe: (listener: (event: AtlasEvent) => void) => () => void;
  /** Runs the contract's streams (`POST /api/stream/<name>`); without it every stream is unknown. */
  streams?: StreamRegistry;
  /** Events that bring a newly connected event client up to date (the current catalog). */
  snapshotEvents?: () => AtlasEvent[];
  /** How the user started this host (`npm start` or `bedrock-atlas web`), named on the page shown without a token. */
  launchCommand?: string;
  /** A request body must arrive within this long (a client holding a slow body is cut off). */
  bodyTimeoutMs?: number;
  /** The request's headers must arrive within this long (Node's default is 60 s, held per socket). */
  headersTimeoutMs?: number;
  /** How long a one-time code (`oneTimeUrl`) may wait to be exchanged. */
  oneTimeCodeMs?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Fixed token for tests; random per launch otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /** The one line printed at start: the URL with the token in its fragment. */
  launchUrl: string;
  /**
   * A URL to hand to another program (the browser opener): it carries a one-time code, not the token, because a
   * command line is visible to every local user. The page exchanges the code once for the token (`POST
   * /api/session`); the code then, or after a minute unused, no longer works.
   */
  oneTimeUrl(): string;
  close(): Promise<void>;
}

/** An AbortSignal that fires when the client goes away before its answer was sent. */
function signalOfClient(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The id a browser client chose for its stream, so that it can cancel it without closing the request. */
function streamIdOf(request: IncomingMessage): string | null {
  const id = request.headers['x-atlas-stream-id'];
  if (typeof id !== 'string') return null;
  if (!STREAM_ID_PATTERN.test(id)) throw new HttpError(400, 'INVALID_ARGUMENT', 'x-atlas-stream-id must be 8 to 64 letters, digits or dashes');
  return id;
}

function tokensMatch(expected: string, header: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const sseClients = new Set<ServerResponse>();
  let port = 0;
  const oneTimeCodeMs = options.oneTimeCodeMs ?? ONE_TIME_CODE_MS;
  /** Codes not yet exchanged, and when each stops working. */
  const oneTimeCodes = new Map<string, number>();

  /** `POST /api/session` `{code}` → `{token}`, once per code; the code is gone whether or not it was still valid. */
  const exchangeCode = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use POST for /api/session');
    const input = await readJsonBody(request, 1024, bodyTimeoutMs);
    const code = typeof input === 'object' && input !== null ? (input as { code?: unknown }).code : undefined;
    const expires = typeof code === 'string' ? oneTimeCodes.get(code) : undefined;
    if (typeof code === 'string') oneTimeCodes.delete(code);
    if (expires === undefined || expires < Date.now()) {
      throw new HttpError(401, 'CODE_USED', 'This one-time address was already used or has expired: open the URL printed in the terminal');
    }
    sendJson(response, 200, { ok: true, value: { token } });
  };

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((host) => `http://${host}`);

  const guard = (request: IncomingMessage) => {
    if (!allowedHosts().includes(request.headers.host ?? '')) {
      throw new HttpError(403, 'FORBIDDEN_HOST', `Host "${request.headers.host ?? ''}" is not this server`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', `Origin "${origin}" may not call this server`);
    }
  };

  const serveEvents = (response: ServerResponse) => {
    const client = new EventClient(response);
    client.comment('connected');
    // The current state first (the catalog as it is now), so a client that reconnects has missed nothing.
    const unsubscribe = options.subscribe((event) => client.send(event));
    for (const event of options.snapshotEvents?.() ?? []) client.send(event);
    sseClients.add(response);
    const heartbeat = setInterval(() => client.comment('heartbeat'), HEARTBEAT_MS);
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      sseClients.delete(response);
    });
  };

  /**
   * `POST /api/stream/<name>`: validates first (400 or 404 JSON before anything opens), then answers
   * text/event-stream with `chunk` frames and one `result` or `error`. The client closing the request cancels
   * the stream, and with it the upstream Bedrock call. A client that names its stream (`x-atlas-stream-id`) can
   * instead cancel it with `POST /api/stream-cancel` and keep reading: the stream then ends with its partial
   * result, marked cancelled.
   */
  const serveStream = async (request: IncomingMessage, response: ServerResponse, name: string) => {
    const input = await readJsonBody(request, MAX_REQUEST_BODY_BYTES, bodyTimeoutMs);
    if (!options.streams) throw new HttpError(404, 'UNKNOWN_METHOD', `Unknown stream "${name}"`);
    const id = streamIdOf(request);
    const started = options.streams.start(name, input, streamSink(response), { signal: signalOfClient(response), ...(id ? { id } : {}) });
    if (!started.ok) {
      sendJson(response, started.error.name === 'UnknownMethodError' ? 404 : 400, started);
      return;
    }
    await started.value.done;
  };

  const serveApi = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (path === '/api/session') return exchangeCode(request, response);
    if (!tokensMatch(token, request.headers.authorization)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'Missing or wrong token: open the URL printed by `bedrock-atlas web`');
    }
    if (path === '/api/events') {
      if (request.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use GET for /api/events');
      serveEvents(response);
      return;
    }
    if (request.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'API methods are called with POST');
    if (path.startsWith('/api/stream/')) return serveStream(request, response, decodePath(path.slice('/api/stream/'.length)));
    if (path === '/api/stream-cancel') {
      const { streamId } = ((await readJsonBody(request, MAX_REQUEST_BODY_BYTES, bodyTimeoutMs)) ?? {}) as { streamId?: unknown };
      const cancelled = typeof streamId === 'string' && (options.streams?.cancel(streamId) ?? false);
      return sendJson(response, 200, { ok: true, value: { cancelled } });
    }
    const method = decodePath(path.slice('/api/'.length));
    const input = await readJsonBody(request, MAX_REQUEST_BODY_BYTES, bodyTimeoutMs);
    const envelope = await options.dispatcher.dispatch(method, input, { signal: signalOfClient(response) });
    if (response.destroyed) return;
    const status = envelope.ok ? 200 : envelope.error.name === 'UnknownMethodError' ? 404 : envelope.error.name === 'ValidationError' ? 400 : 200;
    sendJson(response, status, envelope);
  };

  const serveStatic = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Static files are read with GET');
    const relative = normalize(decodePath(path === '/' ? '/index.html' : path)).replace(/^([/\\])+/, '');
    const file = join(options.rendererDir, relative);
    if (!file.startsWith(options.rendererDir + sep) || relative.split(/[/\\]/).includes('..')) {
      throw new HttpError(404, 'NOT_FOUND', 'Not found');
    }
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      throw new HttpError(404, 'NOT_FOUND', `No file ${path}`);
    }
    if (relative === 'index.html' && options.launchCommand) {
      // The token page needs the command to name before it has a token to ask the API with; it is no secret.
      const meta = `<meta name="bedrock-atlas-launch-command" content="${options.launchCommand.replace(/[^a-z -]/gi, '')}">`;
      content = Buffer.from(content.toString('utf8').replace('</head>', `${meta}</head>`));
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': content.length,
      'cache-control': relative === 'index.html' ? 'no-store' : 'public, max-age=3600',
    });
    response.end(request.method === 'HEAD' ? undefined : content);
  };

  const headersTimeoutMs = options.headersTimeoutMs ?? BODY_TIMEOUT_MS;
  const server = createServer(
    {
      // Headers get the same limit as a body; Node checks it on this interval (30 s by default), so check often.
      headersTimeout: headersTimeoutMs,
      requestTimeout: headersTimeoutMs + bodyTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
    },
    (request, response) => {
    response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    response.setHeader('x-frame-options', 'DENY');
    const handle = async () => {
      guard(request);
      let path: string;
      try {
        path = new URL(request.url ?? '/', 'http://host').pathname;
      } catch {
        throw new HttpError(400, 'BAD_PATH', 'The request path is not a valid URL path');
      }
      if (path === '/api' || path.startsWith('/api/')) await serveApi(request, response, path);
      else await serveStatic(request, response, path);
    };
    handle().catch(async (error: unknown) => {
      if (response.headersSent || response.destroyed) return void response.end();
      if (error instanceof HttpError && error.status === 413) await discardBody(request, bodyTimeoutMs);
      if (response.headersSent || response.destroyed) return;
      if (error instanceof HttpError) sendHttpError(response, error);
      else sendHttpError(response, new HttpError(500, 'INTERNAL', (error as Error).message));
    });
    },
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    token,
    launchUrl: `${url}/#token=${token}`,
    oneTimeUrl: () => {
      const code = randomBytes(24).toString('base64url');
      const now = Date.now();
      for (const [stale, expires] of oneTimeCodes) if (expires < now) oneTimeCodes.delete(stale);
      oneTimeCodes.set(code, now + oneTimeCodeMs);
      return `${url}/#code=${code}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sseClients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The browser host for one composition root: its dispatcher, streams and events, and the current state first. */
export function startHostForCore(core: AtlasCore, options: Omit<WebHostOptions, 'dispatcher' | 'streams' | 'snapshotEvents' | 'subscribe'>): Promise<WebHost> {
  return startWebHost({
    ...options,
    dispatcher: core.dispatcher,
    streams: core.streams,
    snapshotEvents: core.snapshotEvents,
    subscribe: (listener) => core.events.subscribe(listener),
  });
}
