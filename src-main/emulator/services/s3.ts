import { createHash } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse } from '../wire';
import type { EmulatedService, ServiceCall } from './service';
import { listInputOf, listObjectsV2 } from './s3-list';
import { deleteObject, getObject, putObject, type ObjectRequest } from './s3-objects';
import { BUCKET_NAME, matchesS3Rule, type S3Action } from './s3-scenario';
import type { StoredBucket } from './s3-store';
import { header, readRawBody, s3RequestIds, S3Error, sendS3Error, sendXml, targetOf, xmlElements, type S3Target } from './s3-wire';

/**
 * A subset of S3 (restXml, signed `s3`, path-style addressing: `/bucket` and `/bucket/key…`), enough for the fleet
 * store and the team-data sync to run the real `@aws-sdk/client-s3` against the emulator as against S3: buckets
 * (create, head, delete, list), objects (put, get with a range, head, delete) and ListObjectsV2, with S3's errors,
 * request ids, dates and clock-skew check. Buckets and objects live in the emulator's ObjectStore (s3-store.ts); the
 * scenario's `s3` (s3-scenario.ts) denies, fails, delays and stalls requests. Anything else S3 does (multipart
 * uploads, copies, versions, tagging, ListObjects v1) answers NotImplemented.
 */

/** The operations answered, with the IAM action S3 authorizes each by. */
const ACTIONS = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  ListObjectsV2: 's3:ListBucket',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
} as const satisfies Record<string, S3Action>;
type S3Operation = keyof typeof ACTIONS;
const isAnswered = (operation: string): operation is S3Operation => Object.hasOwn(ACTIONS, operation);

/** Query parameters that are an operation's input rather than a subresource naming another operation. */
const INPUT_PARAMETERS = new Set(['x-id', 'list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner', 'versionId', 'partNumber']);

/** "The difference between the request time and the server's time is too large": S3 allows 15 minutes. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Waits `ms`, or less when the client goes away first: then true, and nobody is left to answer. */
function waitOrGone(ms: number, response: EmulatorResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      response.off('close', gone);
      resolve(false);
    }, ms);
    response.once('close', gone);
  });
}

/** The operation a method, path and query name, as S3 tells them apart; the SDK's `x-id` names the rest. */
export function s3OperationOf(request: EmulatorRequest): string {
  let target: S3Target;
  try {
    target = targetOf(request);
  } catch {
    return 'InvalidURI';
  }
  const method = request.method ?? 'GET';
  const { bucket, key, query } = target;
  const other = query.get('x-id') ?? 'Unsupported';
  if ([...query.keys()].some((name) => !INPUT_PARAMETERS.has(name) && !name.startsWith('response-'))) return other;
  if (bucket === null) return method === 'GET' ? 'ListBuckets' : other;
  if (key === undefined) {
    const bucketOperations: Record<string, string> = { PUT: 'CreateBucket', HEAD: 'HeadBucket', DELETE: 'DeleteBucket', GET: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects' };
    return bucketOperations[method] ?? other;
  }
  if (method === 'PUT') return header(request, 'x-amz-copy-source') !== undefined ? 'CopyObject' : 'PutObject';
  const objectOperations: Record<string, string> = { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' };
  return objectOperations[method] ?? other;
}

/** The request's signing time (`X-Amz-Date`, else `Date`), or null when it has none S3 could read. */
function signingTimeOf(request: EmulatorRequest): { at: number; text: string } | null {
  const amzDate = header(request, 'x-amz-date');
  if (amzDate !== undefined) {
    const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!parts) return null;
    const [, year, month, day, hour, minute, second] = parts.map(Number) as [number, number, number, number, number, number, number];
    return { at: Date.UTC(year, month - 1, day, hour, minute, second), text: amzDate };
  }
  const date = header(request, 'date');
  const at = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(at) ? null : { at, text: date! };
}

function checkRequestTime(request: EmulatorRequest, now: number): void {
  const signed = signingTimeOf(request);
  if (!signed) throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(signed.at - now) > MAX_SKEW_MS) {
    throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: signed.text,
      ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
}

/** What a request acts on, as an IAM policy names it. */
const resourceArn = (bucket: string | null, key?: string) => (bucket === null ? 'arn:aws:s3:::*' : `arn:aws:s3:::${bucket}${key !== undefined ? `/${key}` : ''}`);

function isDenied(call: ServiceCall, bucket: string | null, action: S3Action): boolean {
  const { denied } = call.scenario.s3;
  if (typeof denied === 'boolean') return denied;
  return denied.some((rule) => matchesS3Rule(rule, bucket ?? '', action));
}

function refuseIfDenied(call: ServiceCall, target: S3Target, action: S3Action): void {
  if (!isDenied(call, target.bucket, action)) return;
  const { arn } = call.scenario.identity;
  throw new S3Error(
    403,
    'AccessDenied',
    `User: ${arn} is not authorized to perform: ${action} on resource: "${resourceArn(target.bucket, target.key)}" because no identity-based policy allows the ${action} action`,
  );
}

/** The scenario's scripted failures: the first rule that matches and has failures left. */
function failIfScripted(call: ServiceCall, bucket: string | null, action: S3Action): void {
  for (const [index, rule] of call.scenario.s3.failing.entries()) {
    if (!matchesS3Rule(rule, bucket ?? '', action)) continue;
    if (rule.firstN !== undefined && call.context.state.bump(`s3:failing:${index}`) > rule.firstN) continue;
    if (rule.code === 'SlowDown') throw new S3Error(503, 'SlowDown', 'Please reduce your request rate.');
    throw new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
  }
}

function existingBucket(call: ServiceCall, name: string): StoredBucket {
  const bucket = call.context.objects.bucket(name);
  if (!bucket || call.scenario.s3.absent.includes(name)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
  return bucket;
}

/** The account's canonical user id, as S3 names an owner. */
const canonicalIdOf = (account: string) => createHash('sha256').update(`canonical:${account}`).digest('hex');

async function createBucket(call: ServiceCall, name: string, now: number): Promise<void> {
  const { request, response, region, context } = call;
  const raw = await readRawBody(request, response, { maxBytes: 64 * 1024 });
  if (raw.kind === 'abandoned') return;
  const body = raw.kind === 'complete' ? raw.bytes.toString('utf8') : '';
  if (raw.kind === 'tooLarge' || (body.trim() !== '' && !/<CreateBucketConfiguration[\s>]/.test(body))) {
    throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  }
  const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(body)?.[1] ?? '';
  // us-east-1 takes no location constraint; every other regional endpoint wants its own region named.
  if (constraint === 'us-east-1') throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: constraint });
  if (constraint !== (region === 'us-east-1' ? '' : region)) {
    const named = constraint === '' ? 'unspecified' : constraint;
    throw new S3Error(400, 'IllegalLocationConstraintException', `The ${named} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  }
  // Re-creating a bucket one owns answers 200 in us-east-1, for compatibility with S3's first API; elsewhere 409.
  if (!context.objects.createBucket(name, region, now) && region !== 'us-east-1') {
    throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
  }
  response.writeHead(200, { location: `/${name}`, 'content-length': 0 });
  response.end();
}

async function answer(call: ServiceCall, operation: S3Operation, target: S3Target, now: number): Promise<void> {
  const { response, context } = call;
  const action = ACTIONS[operation];
  failIfScripted(call, target.bucket, action);
  if (operation === 'ListBuckets') {
    refuseIfDenied(call, target, action);
    const buckets = context.objects
      .allBuckets()
      .filter((bucket) => !call.scenario.s3.absent.includes(bucket.name))
      .map((bucket) => `<Bucket>${xmlElements({ Name: bucket.name, CreationDate: new Date(bucket.created).toISOString(), BucketRegion: bucket.region })}</Bucket>`);
    sendXml(response, 200, 'ListAllMyBucketsResult', `<Owner>${xmlElements({ ID: canonicalIdOf(call.scenario.identity.account) })}</Owner><Buckets>${buckets.join('')}</Buckets>`);
    return;
  }
  const name = target.bucket!;
  if (operation === 'CreateBucket') {
    if (!BUCKET_NAME.test(name)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
    refuseIfDenied(call, target, action);
    return createBucket(call, name, now);
  }
  const bucket = existingBucket(call, name);
  refuseIfDenied(call, target, action);
  switch (operation) {
    case 'HeadBucket':
      response.writeHead(200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false', 'content-length': 0 });
      response.end();
      return;
    case 'DeleteBucket':
      if (bucket.objects.size > 0) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
      context.objects.deleteBucket(name);
      response.writeHead(204);
      response.end();
      return;
    case 'ListObjectsV2': {
      const input = listInputOf(target.query);
      const owner = canonicalIdOf(call.scenario.identity.account);
      sendXml(response, 200, 'ListBucketResult', listObjectsV2(bucket, context.objects.keys(bucket), input, call.scenario.s3.pageSize, owner));
      return;
    }
    default: {
      const objectRequest: ObjectRequest = {
        call,
        now,
        target: { ...target, bucket: name, key: target.key! },
        bucket,
        missingKey: () =>
          isDenied(call, name, 's3:ListBucket') ? new S3Error(403, 'AccessDenied', 'Access Denied') : new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: target.key! }),
      };
      if (operation === 'PutObject') return putObject(objectRequest);
      if (operation === 'DeleteObject') return deleteObject(objectRequest);
      return getObject(objectRequest);
    }
  }
}

export const s3Service: EmulatedService = {
  signingName: 's3',
  protocol: 'restXml',
  operationOf: s3OperationOf,
  async answer(call) {
    const { request, response, context, requestId, operation } = call;
    const settings = call.scenario.s3;
    const ids = s3RequestIds(requestId);
    // S3 names its request id x-amz-request-id (the SDK reads x-amzn-requestid first, which S3 never sends).
    response.removeHeader('x-amzn-requestid');
    response.setHeader('x-amz-request-id', ids.requestId);
    response.setHeader('x-amz-id-2', ids.hostId);
    response.setHeader('server', 'AmazonS3');
    try {
      if (settings.slowMs > 0 && (await waitOrGone(settings.slowMs, response))) return;
      const now = context.now() + settings.clockSkewMs;
      // Every answer is dated by S3's clock: the SDK corrects its clock offset from it.
      response.setHeader('date', new Date(now).toUTCString());
      checkRequestTime(request, now);
      const target = targetOf(request);
      if (!isAnswered(operation)) throw new S3Error(501, 'NotImplemented', `A header you provided implies functionality that is not implemented (the emulator's S3 does not answer ${operation})`);
      await answer(call, operation, target, now);
    } catch (error) {
      const failure = error instanceof S3Error ? error : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      sendS3Error(request, response, failure, requestId);
    }
  },
};
