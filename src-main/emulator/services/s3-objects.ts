import { createHash } from 'node:crypto';
import type { ServiceCall } from './service';
import type { StoredBucket, StoredObject } from './s3-store';
import { decodeAwsChunked, header, readRawBody, S3Error, verifyBody, type S3Target } from './s3-wire';

/**
 * S3's object operations: PutObject (bytes verified against every digest sent, stored whole or not at all),
 * GetObject with a byte range and ETag conditions, HeadObject, DeleteObject.
 */

/** S3 takes up to 5 GB in one PUT; the emulator keeps objects in memory and takes up to 1 GiB. */
export const MAX_OBJECT_BYTES = 1024 * 1024 * 1024;
const MAX_KEY_BYTES = 1024;

/** What an object operation needs beyond the call: S3's clock, the bucket, and the object's key. */
export interface ObjectRequest {
  call: ServiceCall;
  /** S3's clock, epoch milliseconds. */
  now: number;
  target: S3Target & { bucket: string; key: string };
  bucket: StoredBucket;
  /** A refusal for a missing key: S3 answers AccessDenied instead of NoSuchKey to a caller who may not list the bucket. */
  missingKey(): S3Error;
}

const etagOf = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/** An If-Match / If-None-Match list (`"a", "b"`, or `*`) against an ETag. */
const etagMatches = (list: string, etag: string) => list.split(',').some((entry) => entry.trim() === '*' || entry.trim().replace(/^W\//, '') === etag);

export async function putObject({ call, now, target, bucket }: ObjectRequest): Promise<void> {
  const { request, response, context, scenario } = call;
  const { key } = target;
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  const encodings = (header(request, 'content-encoding') ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  const chunked = encodings.includes('aws-chunked');
  const declared = header(request, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  if (declared === undefined || !/^\d+$/.test(declared)) throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  if (Number(declared) > MAX_OBJECT_BYTES) {
    throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: declared, MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
  }
  const ifNoneMatch = header(request, 'if-none-match');
  // A conditional write takes `If-None-Match: *` only ("upload only if the key does not exist").
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
  }
  const stallAfterBytes = scenario.s3.stallUploadAfterBytes;
  // The chunk framing adds a few bytes a chunk: room for it beyond the object's own limit.
  const raw = await readRawBody(request, response, { maxBytes: MAX_OBJECT_BYTES + 1024 * 1024, ...(stallAfterBytes !== undefined ? { stallAfterBytes } : {}) });
  // The client gave up (or was stalled until it did): nothing is stored, nobody to answer.
  if (raw.kind === 'abandoned') return;
  if (raw.kind === 'tooLarge') throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { MaxSizeAllowed: String(MAX_OBJECT_BYTES) });
  let bytes = raw.bytes;
  let trailers: Record<string, string> = {};
  if (chunked) {
    const decoded = decodeAwsChunked(raw.bytes);
    if (!decoded) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
    ({ bytes, trailers } = decoded);
  }
  if (bytes.length !== Number(declared)) {
    throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
  }
  const checksums = verifyBody(request, bytes, trailers);
  // The bucket may have gone while the body came in.
  if (context.objects.bucket(bucket.name) !== bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket.name });
  const existing = bucket.objects.get(key);
  if (ifNoneMatch !== undefined && existing) throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined) {
    if (!existing) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    if (!etagMatches(ifMatch, existing.etag)) throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
  const metadata = Object.fromEntries(
    Object.keys(request.headers)
      .filter((name) => name.startsWith('x-amz-meta-'))
      .map((name) => [name.slice('x-amz-meta-'.length), header(request, name) ?? '']),
  );
  const contentEncoding = encodings.filter((encoding) => encoding !== 'aws-chunked').join(',');
  const object: StoredObject = {
    key,
    body: bytes,
    etag: etagOf(bytes),
    lastModified: Math.floor(now / 1000) * 1000,
    contentType: header(request, 'content-type') ?? 'binary/octet-stream',
    ...(contentEncoding ? { contentEncoding } : {}),
    metadata,
    checksums,
  };
  context.objects.put(bucket, object);
  if (response.headersSent || response.destroyed) return;
  const checksumHeaders = Object.fromEntries(Object.entries(checksums).map(([algorithm, value]) => [`x-amz-checksum-${algorithm}`, value]));
  response.writeHead(200, { etag: object.etag, ...checksumHeaders, ...(Object.keys(checksums).length > 0 ? { 'x-amz-checksum-type': 'FULL_OBJECT' } : {}), 'content-length': 0 });
  response.end();
}

/** A single `bytes=` range against a size: the bytes to send, null to send all (no or unreadable range), or unsatisfiable. */
function rangeOf(text: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)$/.exec(text?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const length = Number(match[2]);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** GetObject and HeadObject: the same answer, a HEAD without its body. */
export function getObject({ call, target, bucket, missingKey }: ObjectRequest): void {
  const { request, response } = call;
  const object = bucket.objects.get(target.key);
  if (!object) throw missingKey();
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) {
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
  const described = {
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    ...Object.fromEntries(Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
  };
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, object.etag)) {
    response.writeHead(304, described);
    response.end();
    return;
  }
  const size = object.body.length;
  const range = rangeOf(header(request, 'range'), size);
  if (range === 'unsatisfiable') {
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: header(request, 'range') ?? '', ActualObjectSize: String(size) });
  }
  const checksumMode = header(request, 'x-amz-checksum-mode') === 'ENABLED' && range === null && Object.keys(object.checksums).length > 0;
  const headers: Record<string, string | number> = {
    ...described,
    'accept-ranges': 'bytes',
    'content-type': object.contentType,
    ...(object.contentEncoding ? { 'content-encoding': object.contentEncoding } : {}),
    ...(checksumMode ? Object.fromEntries(Object.entries(object.checksums).map(([algorithm, value]) => [`x-amz-checksum-${algorithm}`, value])) : {}),
    ...(checksumMode ? { 'x-amz-checksum-type': 'FULL_OBJECT' } : {}),
  };
  const body = range ? object.body.subarray(range.start, range.end + 1) : object.body;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  headers['content-length'] = body.length;
  if (response.headersSent || response.destroyed) return;
  response.writeHead(range ? 206 : 200, headers);
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

/** DeleteObject answers 204 whether or not the key was there, as S3 does. */
export function deleteObject({ call, target, bucket }: ObjectRequest): void {
  call.context.objects.delete(bucket, target.key);
  if (call.response.headersSent || call.response.destroyed) return;
  call.response.writeHead(204);
  call.response.end();
}
