import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { AtlasEvent } from '../../src-shared/events';
import type { Dispatcher } from '../core/api/dispatcher';

/**
 * The browser host: the same dashboard and the same contract as the desktop app, over loopback HTTP. It binds
 * 127.0.0.1 only, demands a per-launch bearer token on every API call, and refuses requests whose Host or Origin
 * is not this server (a DNS-rebinding page cannot reach it).
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

const MAX_BODY_BYTES = 1_000_000;
const HEARTBEAT_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
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
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function sendHttpError(response: ServerResponse, error: HttpError): void {
  // The unread rest of a refused body would be parsed as the next request on this keep-alive socket: close it.
  if (error.status === 413) response.setHeader('connection', 'close');
  sendJson(response, error.status, { ok: false, error: { name: 'HttpError', code: error.code, message: error.message } });
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    throw new HttpError(413, 'BODY_TOO_LARGE', `Request body over ${MAX_BODY_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'BODY_TOO_LARGE', `Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'The request body is not valid JSON');
  }
}

function tokensMatch(expected: string, header: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sseClients = new Set<ServerResponse>();
  let port = 0;

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

  const serveEvents = (request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    sseClients.add(response);
    const unsubscribe = options.subscribe((event) => {
      response.write(`event: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      sseClients.delete(response);
    });
  };

  const serveApi = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (!tokensMatch(token, request.headers.authorization)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'Missing or wrong token: open the URL printed by `bedrock-atlas web`');
    }
    if (path === '/api/events') {
      if (request.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use GET for /api/events');
      serveEvents(request, response);
      return;
    }
    if (request.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'API methods are called with POST');
    const method = decodeURIComponent(path.slice('/api/'.length));
    const input = await readJsonBody(request);
    const envelope = await options.dispatcher.dispatch(method, input);
    const status = envelope.ok ? 200 : envelope.error.name === 'UnknownMethodError' ? 404 : envelope.error.name === 'ValidationError' ? 400 : 200;
    sendJson(response, status, envelope);
  };

  const serveStatic = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Static files are read with GET');
    const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^([/\\])+/, '');
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
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': content.length,
      'cache-control': relative === 'index.html' ? 'no-store' : 'public, max-age=3600',
    });
    response.end(request.method === 'HEAD' ? undefined : content);
  };

  const server = createServer((request, response) => {
    response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    response.setHeader('x-frame-options', 'DENY');
    const handle = async () => {
      guard(request);
      const path = new URL(request.url ?? '/', 'http://host').pathname;
      if (path === '/api' || path.startsWith('/api/')) await serveApi(request, response, path);
      else await serveStatic(request, response, path);
    };
    handle().catch((error: unknown) => {
      if (response.headersSent) return void response.end();
      if (error instanceof HttpError) sendHttpError(response, error);
      else sendHttpError(response, new HttpError(500, 'INTERNAL', (error as Error).message));
    });
  });

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
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sseClients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
