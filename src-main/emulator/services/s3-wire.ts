import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { EmulatorRequest, EmulatorResponse } from '../wire';

/**
 * S3's wire (restXml): how a path names a bucket and a key, bodies read as bytes (S3 bodies are binary), the
 * `aws-chunked` framing the SDK sends a stream in, the checksums it sends beside a body, and S3's XML errors.
 */

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Further elements of the error document, in order (`BucketName`, `Key`, `ServerTime`, …). */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

const XML_ENTITIES: Record<number, string> = { 0x3c: '&lt;', 0x3e: '&gt;', 0x26: '&amp;', 0x27: '&apos;', 0x22: '&quot;' };
/**
 * Markup characters as S3 escapes them; control characters (a key may hold them) as character references. A page of
 * a thousand keys goes through here: text with nothing to escape is returned as it is.
 */
export function escapeXml(text: string): string {
  let escaped = '';
  let copiedUpTo = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const replacement = XML_ENTITIES[code] ?? (code < 0x20 ? `&#x${code.toString(16).toUpperCase()};` : undefined);
    if (replacement === undefined) continue;
    escaped += text.slice(copiedUpTo, index) + replacement;
    copiedUpTo = index + 1;
  }
  return copiedUpTo === 0 ? text : escaped + text.slice(copiedUpTo);
}

/** Elements in order; undefined values are left out. */
export const xmlElements = (fields: Record<string, string | number | boolean | undefined>) =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function sendXml(response: EmulatorResponse, status: number, rootName: string, inner: string): void {
  if (response.headersSent || response.destroyed) return;
  const body = `${XML_DECLARATION}<${rootName} xmlns="${S3_NAMESPACE}">${inner}</${rootName}>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** S3's request id (16 hex characters) and host id, as it sends them in headers and error documents. */
export function s3RequestIds(requestId: string): { requestId: string; hostId: string } {
  return {
    requestId: requestId.replace(/-/g, '').slice(0, 16).toUpperCase(),
    hostId: createHash('sha256').update(requestId).digest('base64'),
  };
}

/** An error as S3 sends it; a HEAD's answer has the status and no body, as S3's has. */
export function sendS3Error(request: EmulatorRequest, response: EmulatorResponse, error: S3Error, requestId: string): void {
  if (response.headersSent || response.destroyed) return;
  if (request.method === 'HEAD') {
    response.writeHead(error.status, { 'content-length': 0 });
    response.end();
    return;
  }
  const ids = s3RequestIds(requestId);
  const body =
    `${XML_DECLARATION}<Error>${xmlElements({ Code: error.code, Message: error.message, ...error.details })}` +
    `${xmlElements({ RequestId: ids.requestId, HostId: ids.hostId })}</Error>`;
  response.writeHead(error.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** What a path-style request names: `/` (no bucket), `/bucket`, `/bucket/` or `/bucket/key…`. */
export interface S3Target {
  bucket: string | null;
  /** Percent-decoded; may hold `/`, `=` and empty segments. Undefined for a bucket-level request. */
  key?: string;
  query: URLSearchParams;
}

/**
 * The raw request target, never normalized by a URL parser: a key may hold `..`, `//` or `%2F`, and each is a
 * different key to S3.
 */
export function targetOf(request: EmulatorRequest): S3Target {
  const raw = request.url ?? '/';
  const queryAt = raw.indexOf('?');
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  const rest = path.replace(/^\/+/, '');
  if (rest === '') return { bucket: null, query };
  const slash = rest.indexOf('/');
  try {
    if (slash === -1 || slash === rest.length - 1) return { bucket: decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash)), query };
    return { bucket: decodeURIComponent(rest.slice(0, slash)), key: decodeURIComponent(rest.slice(slash + 1)), query };
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.", { URI: raw });
  }
}

export const header = (request: EmulatorRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

export type RawBody = { kind: 'complete'; bytes: Buffer } | { kind: 'tooLarge'; size: number } | { kind: 'abandoned' };

/**
 * The request body as bytes. With `stallAfterBytes`, reading stops for good once that many bytes have come, and the
 * answer is `abandoned` when the client gives up (closes the connection): an upload stalled mid-body. A body past
 * `maxBytes` is not kept.
 */
export function readRawBody(request: EmulatorRequest, response: EmulatorResponse, limits: { maxBytes: number; stallAfterBytes?: number }): Promise<RawBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let stalled = false;
    let settled = false;
    const settle = (body: RawBody) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      const { stallAfterBytes } = limits;
      if (stallAfterBytes !== undefined && size + chunk.length >= stallAfterBytes) {
        stalled = true;
        request.off('data', onData);
        request.pause();
        return;
      }
      size += chunk.length;
      if (size > limits.maxBytes) return settle({ kind: 'tooLarge', size });
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => {
      if (!stalled) settle({ kind: 'complete', bytes: Buffer.concat(chunks, size) });
    });
    request.once('error', () => settle({ kind: 'abandoned' }));
    response.once('close', () => settle({ kind: 'abandoned' }));
  });
}

/**
 * A body in `aws-chunked` framing (`<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n`, then trailing headers
 * such as `x-amz-checksum-crc32:…` and an empty line), as the SDK sends a stream of known length. Null when the
 * framing is broken.
 */
export function decodeAwsChunked(raw: Buffer): { bytes: Buffer; trailers: Record<string, string> } | null {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd === -1) return null;
    const sizeText = raw.toString('latin1', offset, lineEnd).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) return null;
    const size = Number.parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > raw.length || raw[offset + size] !== 0x0d || raw[offset + size + 1] !== 0x0a) return null;
    parts.push(raw.subarray(offset, offset + size));
    offset += size + 2;
  }
  const trailers: Record<string, string> = {};
  while (offset < raw.length) {
    const lineEnd = raw.indexOf('\r\n', offset);
    const line = raw.toString('latin1', offset, lineEnd === -1 ? raw.length : lineEnd);
    offset = lineEnd === -1 ? raw.length : lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { bytes: Buffer.concat(parts), trailers };
}

/** CRC-32C (Castagnoli), reflected, as S3's `x-amz-checksum-crc32c`; Node's zlib has only CRC-32. */
const CRC32C_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ 0x82f63b78 : value >>> 1;
  return value >>> 0;
});
function crc32c(bytes: Buffer): number {
  let value = 0xffffffff;
  for (const byte of bytes) value = CRC32C_TABLE[(value ^ byte) & 0xff]! ^ (value >>> 8);
  return (value ^ 0xffffffff) >>> 0;
}
const uint32Base64 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
};

/** The algorithms S3 verifies a body against, by the name in `x-amz-checksum-<name>`. */
const CHECKSUMS: Record<string, { label: string; of(bytes: Buffer): string }> = {
  crc32: { label: 'CRC32', of: (bytes) => uint32Base64(crc32(bytes)) },
  crc32c: { label: 'CRC32C', of: (bytes) => uint32Base64(crc32c(bytes)) },
  sha1: { label: 'SHA1', of: (bytes) => createHash('sha1').update(bytes).digest('base64') },
  sha256: { label: 'SHA256', of: (bytes) => createHash('sha256').update(bytes).digest('base64') },
};
/** Sent and kept, not verified: the emulator has no CRC-64/NVME. */
const KEPT_UNVERIFIED = new Set(['crc64nvme']);

/**
 * Checks a body against every digest the request carries, as S3 does before it stores anything: Content-MD5, the
 * signed payload hash, and the `x-amz-checksum-*` headers or trailers. Answers the checksums to keep.
 */
export function verifyBody(request: EmulatorRequest, bytes: Buffer, trailers: Record<string, string>): Record<string, string> {
  const contentMd5 = header(request, 'content-md5');
  if (contentMd5 !== undefined) {
    if (Buffer.from(contentMd5, 'base64').length !== 16) throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.', { 'Content-MD5': contentMd5 });
    if (createHash('md5').update(bytes).digest('base64') !== contentMd5) {
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: contentMd5 });
    }
  }
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash !== undefined && /^[0-9a-f]{64}$/i.test(payloadHash)) {
    const computed = createHash('sha256').update(bytes).digest('hex');
    if (computed !== payloadHash.toLowerCase()) {
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: payloadHash,
        S3ComputedContentSHA256: computed,
      });
    }
  }
  const kept: Record<string, string> = {};
  const sent = { ...Object.fromEntries(Object.keys(request.headers).map((name) => [name, header(request, name) ?? ''])), ...trailers };
  for (const [name, value] of Object.entries(sent)) {
    const algorithm = /^x-amz-checksum-([a-z0-9]+)$/.exec(name)?.[1];
    if (!algorithm || algorithm === 'mode' || algorithm === 'type' || algorithm === 'algorithm') continue;
    const checksum = CHECKSUMS[algorithm];
    if (!checksum) {
      if (KEPT_UNVERIFIED.has(algorithm)) kept[algorithm] = value;
      continue;
    }
    if (checksum.of(bytes) !== value) {
      throw new S3Error(400, 'BadDigest', `The ${checksum.label} you specified did not match the calculated checksum.`);
    }
    kept[algorithm] = value;
  }
  return kept;
}
