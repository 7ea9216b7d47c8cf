import type { AwsClientPool } from '../../aws/client-pool';
import { classifyAwsError } from '../../aws/errors';
import { S3 } from '../../aws/services';
import type { StoreTarget } from './target';

/**
 * A store under an S3 prefix. Each part is one PutObject with the whole Parquet file as its body: S3 stores an
 * object whole or not at all (an upload cut off mid-body stores nothing), and a part's key is its run id, so an
 * upload tried again replaces its own object. The client is the pool's (credentials, `AWS_ENDPOINT_URL_S3` and
 * `--endpoint-url` resolved as for every other call); the bucket is called in `region` (the monitor's
 * AWS_REGION), which must be the bucket's own: S3 refuses a request signed for another region.
 */

export class S3StoreError extends Error {
  override readonly name = 'S3StoreError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** What to do about an S3 refusal, by S3's error code. */
const FIX: Record<string, string> = {
  AccessDenied: 'allow s3:PutObject on the store prefix to the role the monitor runs as',
  NoSuchBucket: 'create the bucket, or point the store at one that exists',
  AuthorizationHeaderMalformed: 'set AWS_REGION to the bucket\'s region',
  PermanentRedirect: 'set AWS_REGION to the bucket\'s region',
  InvalidAccessKeyId: 'check the AWS credentials the monitor runs with',
  SignatureDoesNotMatch: 'check the AWS credentials the monitor runs with',
  ExpiredToken: 'refresh the AWS credentials the monitor runs with',
};

/** S3 refuses a request whose signing time is over 15 minutes from its clock; the SDK then corrects its offset. */
const CLOCK_SKEW = 'RequestTimeTooSkewed';

export interface S3TargetOptions {
  pool: AwsClientPool;
  region: string;
  bucket: string;
  /** Empty, or ending in `/`. */
  prefix: string;
}

export function s3Target({ pool, region, bucket, prefix }: S3TargetOptions): StoreTarget {
  const describe = (key: string) => `s3://${bucket}/${prefix}${key}`;
  const putOnce = async (key: string, bytes: Buffer, signal?: AbortSignal) => {
    const [client, { PutObjectCommand }] = await Promise.all([pool.client(S3, region), import('@aws-sdk/client-s3')]);
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, Body: bytes, ContentLength: bytes.length, ContentType: 'application/vnd.apache.parquet' }),
      { abortSignal: signal },
    );
  };
  return {
    describe,
    async put(key, bytes, signal) {
      signal?.throwIfAborted();
      try {
        try {
          await putOnce(key, bytes, signal);
        } catch (error) {
          // The refusal carried S3's clock, and the SDK has corrected its own offset from it: once more, signed anew.
          if (signal?.aborted || classifyAwsError(error).name !== CLOCK_SKEW) throw error;
          await putOnce(key, bytes, signal);
        }
      } catch (error) {
        throw s3StoreError(error, describe(key), region, signal, pool.redact.bind(pool));
      }
    },
  };
}

function s3StoreError(error: unknown, where: string, region: string, signal: AbortSignal | undefined, redact: (text: string) => string): S3StoreError {
  if (signal?.aborted) {
    const reason = signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'took longer than the upload timeout' : 'was cancelled';
    return new S3StoreError(`Uploading ${where} ${reason}; nothing was stored and it stays spooled.`, 'UploadAborted');
  }
  const failure = classifyAwsError(error);
  const status = failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : '';
  const upstream = redact(failure.upstreamMessage.split('\n')[0] ?? '').slice(0, 300);
  const fix = FIX[failure.name] ?? (failure.errorClass === 'network' ? 'check the network and the S3 endpoint' : (failure.httpStatus ?? 0) >= 500 ? 'S3 failed on its side; it is retried' : null);
  return new S3StoreError(`S3 refused ${where} in ${region}: ${failure.name}${status}${fix ? `: ${fix}` : ''}. (${upstream})`, failure.name);
}
