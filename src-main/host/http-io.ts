import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_REQUEST_BODY_BYTES, requestTooLargeMessage } from '../../src-shared/contract/limits';

/**
 * The browser host's HTTP plumbing: JSON answers, named HTTP errors, request bodies read within their size and time
 * limits (a refused one drained so its client can read the 413), and decoded path segments.
 */

/** A refused body is read and thrown away up to this much, so the client finishes sending and can read its 413. */
const DISCARD_LIMIT_BYTES = 4 * MAX_REQUEST_BODY_BYTES;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function sendHttpError(response: ServerResponse, error: HttpError): void {
  // The unread rest of a refused body would be parsed as the next request on this keep-alive socket: close it.
  if (error.status === 413 || error.status === 408) response.setHeader('connection', 'close');
  sendJson(response, error.status, { ok: false, error: { name: 'HttpError', code: error.code, message: error.message } });
}

/**
 * Reads what is left of a refused body and throws it away (up to a limit and the body time limit), so that the
 * client, still sending, gets to read the 413 instead of seeing its connection reset mid-upload.
 */
export function discardBody(request: IncomingMessage, timeoutMs: number): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    request.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT_BYTES) done();
    });
    request.once('end', done);
    request.once('close', done);
    request.once('error', done);
    request.resume();
  });
}

export const tooLarge = (bytes: number | null) => new HttpError(413, 'REQUEST_TOO_LARGE', requestTooLargeMessage(bytes));

export async function readJsonBody(request: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(declared);
  const read = (async () => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge(null);
      chunks.push(chunk as Buffer);
    }
    return chunks;
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(408, 'BODY_TIMEOUT', `The request body did not arrive within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  let chunks: Buffer[];
  try {
    chunks = await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
    // A body cut off by the time limit fails later, when its socket closes: that is expected, not an error.
    read.catch(() => {});
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'The request body is not valid JSON');
  }
}

/** A path segment, or a 400 for a malformed percent-encoding (decodeURIComponent would throw a URIError). */
export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, 'BAD_PATH', `The path ${JSON.stringify(path.slice(0, 200))} is not valid percent-encoding`);
  }
}
