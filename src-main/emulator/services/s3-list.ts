import { compareKeys, type StoredBucket, type StoredObject } from './s3-store';
import { S3Error, xmlElements } from './s3-wire';

/**
 * ListObjectsV2 as S3 answers it: keys in ascending UTF-8 byte order under `prefix`, after `start-after` or where
 * an opaque continuation token left off; with a `delimiter`, the keys that hold it past the prefix roll up into one
 * CommonPrefixes entry each, which counts toward `max-keys` (at most 1000) like a key; `KeyCount` counts both.
 */

export const MAX_KEYS = 1000;

export interface ListInput {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  startAfter?: string;
  continuationToken?: string;
  encodeKeys: boolean;
  fetchOwner: boolean;
}

/** Where a page ended: the last key, or the last common prefix (whose keys all come before the next page). */
interface Cursor {
  after: string;
  rolledUp: boolean;
}

const encodeToken = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.after, cursor.rolledUp ? 1 : 0]), 'utf8').toString('base64');

function decodeToken(token: string): Cursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'string' && (decoded[1] === 0 || decoded[1] === 1)) {
      return { after: decoded[0], rolledUp: decoded[1] === 1 };
    }
  } catch {
    // answered below, as S3 answers a token it did not issue
  }
  throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token', ArgumentValue: token });
}

/** The query's listing parameters, refused as S3 refuses them. */
export function listInputOf(query: URLSearchParams): ListInput {
  const maxKeysText = query.get('max-keys');
  let maxKeys = MAX_KEYS;
  if (maxKeysText !== null) {
    const value = /^\d{1,10}$/.test(maxKeysText) ? Number(maxKeysText) : Number.NaN;
    if (!(value <= 2 ** 31 - 1)) {
      throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: maxKeysText });
    }
    maxKeys = Math.min(value, MAX_KEYS);
  }
  const encoding = query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') {
    throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encoding });
  }
  const startAfter = query.get('start-after');
  const continuationToken = query.get('continuation-token');
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    maxKeys,
    ...(startAfter !== null ? { startAfter } : {}),
    ...(continuationToken !== null ? { continuationToken } : {}),
    encodeKeys: encoding === 'url',
    fetchOwner: query.get('fetch-owner') === 'true',
  };
}

/** The index of the first of the sorted keys after `bound` (or, `inclusive`, at it). */
function firstFrom(keys: string[], bound: string, inclusive: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(keys[middle]!, bound);
    if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The ListBucketResult document for one page. `pageSize` (the scenario's) caps the page below what max-keys asks,
 * as S3 may answer fewer keys than asked.
 */
export function listObjectsV2(bucket: StoredBucket, sortedKeys: string[], input: ListInput, pageSize: number | undefined, ownerId: string): string {
  const cursor: Cursor | null = input.continuationToken !== undefined ? decodeToken(input.continuationToken) : input.startAfter ? { after: input.startAfter, rolledUp: false } : null;
  const limit = Math.min(input.maxKeys, pageSize ?? MAX_KEYS);
  const contents: StoredObject[] = [];
  const commonPrefixes: string[] = [];
  let last: Cursor | null = null;
  let truncated = false;
  // The keys under a prefix are one run of the sorted keys, from the first at or after the prefix.
  const from = Math.max(cursor ? firstFrom(sortedKeys, cursor.after, false) : 0, firstFrom(sortedKeys, input.prefix, true));
  for (let index = from; index < sortedKeys.length; index++) {
    const key = sortedKeys[index]!;
    if (!key.startsWith(input.prefix)) break;
    if (cursor?.rolledUp && key.startsWith(cursor.after)) continue;
    let rolledUp: string | null = null;
    if (input.delimiter !== '') {
      const at = key.indexOf(input.delimiter, input.prefix.length);
      if (at !== -1) rolledUp = key.slice(0, at + input.delimiter.length);
    }
    if (rolledUp !== null && last?.rolledUp && last.after === rolledUp) continue;
    if (contents.length + commonPrefixes.length >= limit) {
      truncated = limit > 0;
      break;
    }
    if (rolledUp !== null) {
      commonPrefixes.push(rolledUp);
      last = { after: rolledUp, rolledUp: true };
    } else {
      contents.push(bucket.objects.get(key)!);
      last = { after: key, rolledUp: false };
    }
  }
  const encode = (text: string) => (input.encodeKeys ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
  const ownerXml = `<Owner>${xmlElements({ ID: ownerId })}</Owner>`;
  const contentsXml = contents
    .map((object) => {
      const checksum = Object.keys(object.checksums)[0];
      return (
        '<Contents>' +
        xmlElements({
          Key: encode(object.key),
          LastModified: new Date(object.lastModified).toISOString(),
          ETag: object.etag,
          ...(checksum ? { ChecksumAlgorithm: checksum.toUpperCase(), ChecksumType: 'FULL_OBJECT' } : {}),
          Size: object.body.length,
        }) +
        (input.fetchOwner ? ownerXml : '') +
        xmlElements({ StorageClass: 'STANDARD' }) +
        '</Contents>'
      );
    })
    .join('');
  const prefixesXml = commonPrefixes.map((prefix) => `<CommonPrefixes>${xmlElements({ Prefix: encode(prefix) })}</CommonPrefixes>`).join('');
  return (
    xmlElements({
      Name: bucket.name,
      Prefix: encode(input.prefix),
      Delimiter: input.delimiter !== '' ? encode(input.delimiter) : undefined,
      MaxKeys: input.maxKeys,
      EncodingType: input.encodeKeys ? 'url' : undefined,
      KeyCount: contents.length + commonPrefixes.length,
      IsTruncated: truncated,
      ContinuationToken: input.continuationToken,
      NextContinuationToken: truncated && last ? encodeToken(last) : undefined,
      StartAfter: input.startAfter !== undefined ? encode(input.startAfter) : undefined,
    }) +
    contentsXml +
    prefixesXml
  );
}
