import type { S3Client } from '@aws-sdk/client-s3';
import { createWriteStream } from 'node:fs';
import { copyFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FleetProblem, StoreLocation } from '../../../../src-shared/contract/fleet';
import type { AwsClientPool } from '../../aws/client-pool';
import { classifyAwsError } from '../../aws/errors';
import { S3 } from '../../aws/services';

/**
 * Where a sync reads the team's store from: a directory, or an S3 prefix. Both list the parts a reader needs (the
 * samples and runs tables; probes are read by no view) and copy one part to a local file. A part's `version` is
 * what says it changed: S3's ETag, or a file's size and modification time.
 */

export interface RemotePart {
  /** The part's path under the store, `/`-separated: `samples/vantage=…/date=…/<run id>.parquet`. */
  key: string;
  version: string;
  size: number;
}

/** Why the store could not be listed or a part not fetched: the whole store's problem kind, and the message. */
export class StoreReadError extends Error {
  constructor(
    readonly kind: Extract<FleetProblem['kind'], 'unreachable' | 'denied'>,
    message: string,
  ) {
    super(message);
    this.name = 'StoreReadError';
  }
}

export interface StoreSource {
  /** The store as the user wrote it, for messages. */
  readonly description: string;
  /** Every part, page by page (S3 answers 1000 keys a page at most): `onPage` after each. */
  list(signal: AbortSignal, onPage: (found: number) => void): Promise<RemotePart[]>;
  /** Writes the part's bytes to `file` (a temporary path: the caller renames it into place); returns the bytes written. */
  fetch(part: RemotePart, file: string, signal: AbortSignal): Promise<number>;
  /** A file the part can be read from where it is, without a copy (a directory store); null when it must be fetched. */
  inPlace(part: RemotePart): string | null;
}

/** The tables a reader needs, with the layout's partition path (monitor's writer: fleet/store/layout.ts). */
const READ_PART = /^(samples|runs)\/vantage=[^/\\]+\/date=\d{4}-\d{2}-\d{2}\/[^/\\]+\.parquet$/;

export function isReadPart(key: string): boolean {
  return READ_PART.test(key);
}

/** The vantage a part belongs to, from its `vantage=` partition. */
export function vantageOfKey(key: string): string | null {
  const match = /\/vantage=([^/]+)\//.exec(key);
  return match ? decodeURIComponent(match[1]!) : null;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The sync was cancelled', 'AbortError');
}

/**
 * A directory store. `readInPlace` (the CLI's `--store DIR`) reads the parts where they are; the app copies them
 * into its cache, so a store on a network share that goes away keeps what was synced.
 */
export function directorySource(root: string, { readInPlace = false }: { readInPlace?: boolean } = {}): StoreSource {
  const walk = async (directory: string, found: RemotePart[], signal: AbortSignal): Promise<void> => {
    if (signal.aborted) throw abortError(signal);
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path, found, signal);
      else if (entry.isFile() && entry.name.endsWith('.parquet')) {
        const key = relative(root, path).split(sep).join('/');
        if (!isReadPart(key)) continue;
        const info = await stat(path);
        found.push({ key, version: `${info.size}-${Math.trunc(info.mtimeMs)}`, size: info.size });
      }
    }
  };
  return {
    description: root,
    list: async (signal, onPage) => {
      const found: RemotePart[] = [];
      try {
        await stat(root);
      } catch (error) {
        throw new StoreReadError('unreachable', `The team store ${root} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
      }
      for (const table of ['samples', 'runs']) {
        await walk(join(root, table), found, signal).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return;
          if (error.code === 'EACCES' || error.code === 'EPERM') throw new StoreReadError('denied', `The team store ${root} cannot be listed: ${error.code} on ${table}/.`);
          throw error;
        });
      }
      onPage(found.length);
      return found;
    },
    fetch: async (part, file, signal) => {
      if (signal.aborted) throw abortError(signal);
      await copyFile(join(root, ...part.key.split('/')), file);
      return part.size;
    },
    inPlace: (part) => (readInPlace ? join(root, ...part.key.split('/')) : null),
  };
}

export interface S3SourceOptions {
  pool: AwsClientPool;
  /** The region asked first; a bucket elsewhere answers with its own region (x-amz-bucket-region), which is asked then. */
  region: string;
  /** Keys per ListObjectsV2 page (S3's own maximum, 1000, unless a test asks for fewer). */
  pageSize?: number;
}

interface S3ErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

export function s3Source(location: Extract<StoreLocation, { kind: 's3' }>, options: S3SourceOptions): StoreSource {
  const prefix = location.prefix ? `${location.prefix}/` : '';
  const description = `s3://${location.bucket}/${prefix}`;
  let region = options.region;

  /**
   * One call, in the bucket's region: S3 answers a request signed for another region with the bucket's own
   * (x-amz-bucket-region on a 301 PermanentRedirect or a 400 AuthorizationHeaderMalformed), and the call is made again there.
   */
  const call = async <T>(send: (client: S3Client) => Promise<T>): Promise<T> => {
    try {
      return await send(await options.pool.client(S3, region));
    } catch (error) {
      const shape = error as S3ErrorShape;
      const bucketRegion = shape.$response?.headers?.['x-amz-bucket-region'];
      const status = shape.$metadata?.httpStatusCode;
      if ((status === 301 || status === 400) && bucketRegion && bucketRegion !== region) {
        region = bucketRegion;
        return send(await options.pool.client(S3, region));
      }
      throw error;
    }
  };

  const explain = (error: unknown, action: 'list' | 'get', key?: string): Error => {
    if ((error as Error).name === 'AbortError') return error as Error;
    const failure = classifyAwsError(error);
    const upstream = options.pool.redact(failure.upstreamMessage);
    if (failure.errorClass === 'accessDenied' || failure.errorClass === 'organizationPolicy') {
      const permission = action === 'list' ? `s3:ListBucket on arn:aws:s3:::${location.bucket}` : `s3:GetObject on arn:aws:s3:::${location.bucket}/${prefix}*`;
      return new StoreReadError('denied', `Access to ${description} was denied (${failure.name}): allow ${permission} for these credentials. (${upstream})`);
    }
    if (failure.name === 'NoSuchBucket') return new StoreReadError('unreachable', `The bucket ${location.bucket} does not exist (in ${region} or anywhere these credentials reach). (${upstream})`);
    if (action === 'get') return new Error(`${key} could not be downloaded (${failure.name}${failure.httpStatus ? `, HTTP ${failure.httpStatus}` : ''}): ${upstream}`);
    return new StoreReadError('unreachable', `The team store ${description} could not be listed (${failure.name}${failure.httpStatus ? `, HTTP ${failure.httpStatus}` : ''}): ${upstream}`);
  };

  return {
    description,
    list: async (signal, onPage) => {
      const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
      const found: RemotePart[] = [];
      let token: string | undefined;
      do {
        const page = await call((client) =>
          client.send(
            new ListObjectsV2Command({ Bucket: location.bucket, Prefix: prefix, ContinuationToken: token, ...(options.pageSize ? { MaxKeys: options.pageSize } : {}) }),
            { abortSignal: signal },
          ),
        ).catch((error: unknown) => {
          throw explain(error, 'list');
        });
        for (const object of page.Contents ?? []) {
          if (!object.Key?.startsWith(prefix)) continue;
          const key = object.Key.slice(prefix.length);
          if (!isReadPart(key)) continue;
          found.push({ key, version: object.ETag ?? `${object.Size ?? 0}-${object.LastModified?.getTime() ?? 0}`, size: object.Size ?? 0 });
        }
        onPage(found.length);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return found;
    },
    fetch: async (part, file, signal) => {
      const { GetObjectCommand } = await import('@aws-sdk/client-s3');
      try {
        const answer = await call((client) => client.send(new GetObjectCommand({ Bucket: location.bucket, Key: `${prefix}${part.key}` }), { abortSignal: signal }));
        if (!(answer.Body instanceof Readable)) throw new Error(`${part.key}: S3 answered without a body`);
        let bytes = 0;
        answer.Body.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        await pipeline(answer.Body, createWriteStream(file, { mode: 0o600 }), { signal });
        return bytes;
      } catch (error) {
        throw explain(error, 'get', part.key);
      }
    },
    inPlace: () => null,
  };
}
