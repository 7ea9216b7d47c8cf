import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it, vi } from 'vitest';
import { AwsClientPool } from '../../core/aws/client-pool';
import { classifyAwsError } from '../../core/aws/errors';
import { S3 } from '../../core/aws/services';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { poolPerFile } from '../../testing/pool-per-file';
import { rejection } from '../emulator-harness';
import { parseScenario, ScenarioError, type ScenarioInput } from '../scenario';

/**
 * The emulator's S3 through the real `@aws-sdk/client-s3`, made by the app's pool (path-style under the endpoint
 * override), over loopback HTTP: what the fleet store writes and the team-data sync reads must behave as on S3.
 */

const emulator = emulatorPerFile();
const pool = poolPerFile(emulator, 'AKIDS3');
const REGION = 'eu-west-1';
const BUCKET = 'team-store';
const PART = 'samples/vantage=eu/date=2026-12-07/abc.parquet';

const s3 = (region = REGION): Promise<S3Client> => pool().client(S3, region);
const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;
const s3Calls = (region = REGION) => Object.fromEntries(Object.entries(emulator.stats().requests[region] ?? {}).filter(([operation]) => operation.startsWith('s3:')));

async function put(key: string, body: Uint8Array | string, bucket = BUCKET) {
  return (await s3()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}
async function read(key: string, bucket = BUCKET): Promise<Buffer> {
  const answer = await (await s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}
/** Whether a call has settled yet, read without waiting for it. */
function watch(call: Promise<unknown>): { settled: () => boolean; outcome: ReturnType<typeof rejection> } {
  let settled = false;
  const outcome = rejection(call.finally(() => (settled = true)));
  return { settled: () => settled, outcome };
}
/** Round trips to the emulator that S3's scenario does not touch: what an answered upload would have finished before. */
async function otherRoundTrips(count: number) {
  for (let trip = 0; trip < count; trip++) await (await fetch(`${emulator.url}/_emulator/stats`)).json();
}

/** Another pool on the same emulator, for what must not share the file pool's clients (a clock offset, retries). */
function freshPool(maxAttempts: number): AwsClientPool {
  return new AwsClientPool({ endpointUrl: emulator.url, credentials: { accessKeyId: 'AKIDS3FRESH', secretAccessKey: 'secret' }, maxAttempts });
}

describe('buckets', () => {
  it('are created with CreateBucket, then hold objects; a second CreateBucket outside us-east-1 says the caller owns it already', async () => {
    const client = await s3();
    expect((await rejection(put(PART, 'x'))).name).toBe('NoSuchBucket');
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await put(PART, 'x');
    const again = await rejection(client.send(new CreateBucketCommand({ Bucket: BUCKET })));
    expect(again.name).toBe('BucketAlreadyOwnedByYou');
    expect(again.$metadata?.httpStatusCode).toBe(409);
    expect(s3Calls()).toEqual({ 's3:PutObject': 2, 's3:CreateBucket': 2 });
  });

  it('in us-east-1, re-creating a bucket one owns answers 200, as S3 does for compatibility', async () => {
    const client = await s3('us-east-1');
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    expect((await client.send(new HeadBucketCommand({ Bucket: BUCKET }))).BucketRegion).toBe('us-east-1');
  });

  it('refuses names S3 refuses', async () => {
    const refused = await rejection((await s3()).send(new CreateBucketCommand({ Bucket: 'Team_Store' })));
    expect(refused.name).toBe('InvalidBucketName');
  });

  it("from the scenario's s3.buckets exist at once, outlive a change of scenario, and are gone after a reset", async () => {
    given({ s3: { buckets: [BUCKET] } });
    await put(PART, 'kept');
    given({ name: 'another scenario' });
    expect((await read(PART)).toString()).toBe('kept');
    expect(emulator.s3Objects().map(({ bucket, key }) => `${bucket}/${key}`)).toEqual([`${BUCKET}/${PART}`]);
    emulator.resetStats();
    expect(emulator.s3Objects()).toEqual([]);
    expect((await rejection(read(PART))).name).toBe('NoSuchBucket');
  });

  it('list, and delete only when empty', async () => {
    given({ s3: { buckets: ['b-two', BUCKET] } });
    const client = await s3();
    expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toEqual(['b-two', BUCKET]);
    await put('k', 'v', 'b-two');
    expect((await rejection(client.send(new DeleteBucketCommand({ Bucket: 'b-two' })))).name).toBe('BucketNotEmpty');
    await client.send(new DeleteObjectCommand({ Bucket: 'b-two', Key: 'k' }));
    await client.send(new DeleteBucketCommand({ Bucket: 'b-two' }));
    expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toEqual([BUCKET]);
  });
});

describe('objects', () => {
  it('come back byte for byte (every byte value), with the MD5 of the body as ETag, under a key with "/" and "="', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const bytes = Buffer.from(Array.from({ length: 256 * 3 }, (_, index) => (index * 7) % 256));
    const written = await put(PART, bytes);
    expect(written.ETag).toBe(md5(bytes));
    expect(await read(PART)).toEqual(bytes);
    const head = await (await s3()).send(new HeadObjectCommand({ Bucket: BUCKET, Key: PART }));
    expect({ etag: head.ETag, length: head.ContentLength, modified: head.LastModified instanceof Date }).toEqual({ etag: md5(bytes), length: bytes.length, modified: true });
    const [stored] = emulator.s3Objects();
    expect({ key: stored?.key, etag: stored?.etag, body: stored?.body }).toEqual({ key: PART, etag: md5(bytes), body: bytes });
    expect(s3Calls()).toEqual({ 's3:PutObject': 1, 's3:GetObject': 1, 's3:HeadObject': 1 });
  });

  it('keys that a URL parser would rewrite stay as they are: spaces, "+", "%", "..", "//", non-ASCII', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const keys = ['a b+c%20d.parquet', 'x/../y', 'double//slash', 'ünïcødé/ファイル', 'question?hash#'];
    for (const key of keys) await put(key, key);
    for (const key of keys) expect((await read(key)).toString()).toBe(key);
    expect(emulator.s3Objects().map((object) => object.key).sort()).toEqual([...keys].sort());
  });

  it('a replaced object has the new bytes and a new ETag, and is listed once', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const first = await put(PART, 'first version');
    const second = await put(PART, 'second, longer version');
    expect(second.ETag).not.toBe(first.ETag);
    expect(second.ETag).toBe(md5(Buffer.from('second, longer version')));
    expect((await read(PART)).toString()).toBe('second, longer version');
    const listed = await (await s3()).send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents?.map(({ Key, ETag, Size }) => ({ Key, ETag, Size }))).toEqual([{ Key: PART, ETag: second.ETag, Size: 22 }]);
  });

  it('a stream body, sent aws-chunked with its CRC32 in a trailer, is stored decoded', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const parts = [Buffer.from('PAR1'), Buffer.alloc(70_000, 0xab), Buffer.from('PAR1')];
    const whole = Buffer.concat(parts);
    await (await s3()).send(new PutObjectCommand({ Bucket: BUCKET, Key: PART, Body: Readable.from(parts), ContentLength: whole.length }));
    expect(await read(PART)).toEqual(whole);
  });

  it('a body that does not match its checksum or Content-MD5 is refused with BadDigest, and nothing is stored', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const client = await s3();
    const wrongCrc = await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'crc', Body: 'hello', ChecksumCRC32: 'AAAAAA==' })));
    expect(wrongCrc.name).toBe('BadDigest');
    const wrongMd5 = await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5', Body: 'hello', ContentMD5: createHash('md5').update('other').digest('base64') })));
    expect(wrongMd5.name).toBe('BadDigest');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5', Body: 'hello', ContentMD5: createHash('md5').update('hello').digest('base64') }));
    expect(emulator.s3Objects().map((object) => object.key)).toEqual(['md5']);
  });

  it('a 5 MB body (sent with Expect: 100-continue) round-trips whole', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const bytes = Buffer.alloc(5 * 1024 * 1024);
    for (let index = 0; index < bytes.length; index += 4) bytes.writeUInt32LE((index * 2654435761) >>> 0, index);
    expect((await put(PART, bytes)).ETag).toBe(md5(bytes));
    expect(md5(await read(PART))).toBe(md5(bytes));
  });

  it('a range comes back as 206 with its Content-Range; a range past the end is InvalidRange', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await put(PART, '0123456789');
    const client = await s3();
    const ranged = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: PART, Range: 'bytes=2-5' }));
    expect({ body: await ranged.Body!.transformToString(), range: ranged.ContentRange, length: ranged.ContentLength }).toEqual({ body: '2345', range: 'bytes 2-5/10', length: 4 });
    expect((await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: PART, Range: 'bytes=10-' })))).name).toBe('InvalidRange');
  });

  it('a conditional write (If-None-Match: *) never replaces an object that exists', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const client = await s3();
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: PART, Body: 'first', IfNoneMatch: '*' }));
    const second = await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: PART, Body: 'second', IfNoneMatch: '*' })));
    expect({ name: second.name, status: second.$metadata?.httpStatusCode }).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect((await read(PART)).toString()).toBe('first');
  });

  it('a connection that drops mid-body stores nothing, and the previous version of the object stays', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await put(PART, 'complete first version');
    const signedAt = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const torn = httpRequest(`${emulator.url}/${BUCKET}/${PART}`, {
      method: 'PUT',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDS3/${signedAt.slice(0, 8)}/${REGION}/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
        'x-amz-date': signedAt,
        'content-length': 1000,
      },
    });
    torn.on('error', () => {});
    torn.write(Buffer.alloc(500, 7));
    await vi.waitFor(() => expect(s3Calls()['s3:PutObject']).toBe(2));
    torn.destroy();
    // On loopback the drop reaches the emulator before the next request, which is sent after it.
    expect((await read(PART)).toString()).toBe('complete first version');
    expect(emulator.s3Objects().map((object) => object.body.toString())).toEqual(['complete first version']);
  });

  it('a deleted object is NoSuchKey to GetObject and 404 to HeadObject', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await put(PART, 'x');
    const client = await s3();
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: PART }));
    const get = await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: PART })));
    expect({ name: get.name, status: get.$metadata?.httpStatusCode }).toEqual({ name: 'NoSuchKey', status: 404 });
    const head = await rejection(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: PART })));
    expect(head.$metadata?.httpStatusCode).toBe(404);
  });
});

describe('ListObjectsV2', () => {
  const listAll = async (input: { Prefix?: string; Delimiter?: string; StartAfter?: string } = {}) => {
    const pages: ListObjectsV2CommandOutput[] = [];
    for await (const page of paginateListObjectsV2({ client: await s3() }, { Bucket: BUCKET, ...input })) pages.push(page);
    return pages;
  };

  it('pages through every key once, in UTF-8 byte order, with the scenario capping each page at 2', async () => {
    // U+FFFD sorts before U+1F600 in UTF-8 bytes, after it in JavaScript's UTF-16 order.
    const keys = ['b', 'a/1', '\u{1F600}', 'a/2', '\uFFFD', 'c'];
    given({ s3: { buckets: [BUCKET], pageSize: 2 } });
    for (const key of keys) await put(key, key);
    const pages = await listAll();
    expect(pages.map((page) => page.Contents?.map((object) => object.Key))).toEqual([['a/1', 'a/2'], ['b', 'c'], ['\uFFFD', '\u{1F600}']]);
    expect(pages.map((page) => [page.KeyCount, page.IsTruncated, page.MaxKeys])).toEqual([
      [2, true, 1000],
      [2, true, 1000],
      [2, false, 1000],
    ]);
    expect(pages[0]!.Contents![0]).toMatchObject({ ETag: md5(Buffer.from('a/1')), Size: 3, StorageClass: 'STANDARD' });
    expect(pages[0]!.Contents![0]!.LastModified).toBeInstanceOf(Date);
    expect(s3Calls()['s3:ListObjectsV2']).toBe(3);
  });

  it('with a delimiter, rolls keys up into CommonPrefixes that count toward a page and never repeat across pages', async () => {
    given({ s3: { buckets: [BUCKET], pageSize: 2 } });
    const keys = [
      'runs/vantage=eu/date=2026-12-07/r1.parquet',
      'samples/vantage=ap/date=2026-12-07/r3.parquet',
      'samples/vantage=eu/date=2026-12-06/r0.parquet',
      'samples/vantage=eu/date=2026-12-07/r1.parquet',
      'samples/vantage=us/date=2026-12-07/r2.parquet',
      'samples/README',
    ];
    for (const key of keys) await put(key, 'x');
    const pages = await listAll({ Prefix: 'samples/', Delimiter: '/' });
    expect(pages.map((page) => [...(page.CommonPrefixes ?? []).map((entry) => entry.Prefix), ...(page.Contents ?? []).map((object) => object.Key)])).toEqual([
      ['samples/vantage=ap/', 'samples/README'],
      ['samples/vantage=eu/', 'samples/vantage=us/'],
    ]);
    const dates = await listAll({ Prefix: 'samples/vantage=eu/', Delimiter: '/' });
    expect(dates.flatMap((page) => (page.CommonPrefixes ?? []).map((entry) => entry.Prefix))).toEqual(['samples/vantage=eu/date=2026-12-06/', 'samples/vantage=eu/date=2026-12-07/']);
  });

  it('starts after StartAfter, caps max-keys at 1000, and refuses a bad max-keys or a token it did not issue', async () => {
    given({ s3: { buckets: [BUCKET] } });
    for (const key of ['a', 'b', 'c']) await put(key, key);
    const client = await s3();
    const after = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, StartAfter: 'a', MaxKeys: 5000 }));
    expect({ keys: after.Contents?.map((object) => object.Key), maxKeys: after.MaxKeys, startAfter: after.StartAfter }).toEqual({ keys: ['b', 'c'], maxKeys: 1000, startAfter: 'a' });
    const one = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 1 }));
    expect({ keys: one.Contents?.map((object) => object.Key), truncated: one.IsTruncated }).toEqual({ keys: ['a'], truncated: true });
    const next = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 1, ContinuationToken: one.NextContinuationToken }));
    expect({ keys: next.Contents?.map((object) => object.Key), token: next.ContinuationToken }).toEqual({ keys: ['b'], token: one.NextContinuationToken });
    const badMaxKeys = await rejection(client.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: -1 })));
    expect({ name: badMaxKeys.name, status: badMaxKeys.$metadata?.httpStatusCode }).toEqual({ name: 'InvalidArgument', status: 400 });
    expect((await rejection(client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'not-a-token' })))).name).toBe('InvalidArgument');
  });

  it('an empty prefix range answers no keys, not truncated', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await put('a', 'a');
    const empty = await (await s3()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'zzz' }));
    expect({ count: empty.KeyCount, truncated: empty.IsTruncated, contents: empty.Contents }).toEqual({ count: 0, truncated: false, contents: undefined });
  });
});

describe('faults from the scenario', () => {
  it('absent: NoSuchBucket, classified as AWS tells it, and the objects are back when the bucket is', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await put(PART, 'x');
    given({ s3: { absent: [BUCKET] } });
    const absent = await rejection(read(PART));
    expect({ name: absent.name, status: absent.$metadata?.httpStatusCode }).toEqual({ name: 'NoSuchBucket', status: 404 });
    expect(classifyAwsError(absent)).toMatchObject({ name: 'NoSuchBucket', httpStatus: 404, fault: 'client', requestId: expect.stringMatching(/^[0-9A-F]{16}$/) });
    given({});
    expect((await read(PART)).toString()).toBe('x');
  });

  it('denied: AccessDenied for the listed bucket and action only, classified accessDenied', async () => {
    given({ s3: { buckets: [BUCKET, 'other-store'], denied: [{ bucket: BUCKET, action: 's3:PutObject' }] } });
    const denied = await rejection(put(PART, 'x'));
    expect({ name: denied.name, status: denied.$metadata?.httpStatusCode }).toEqual({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('s3:PutObject on resource: "arn:aws:s3:::team-store/samples/vantage=eu/date=2026-12-07/abc.parquet"');
    expect(classifyAwsError(denied).errorClass).toBe('accessDenied');
    await put(PART, 'x', 'other-store');
    await (await s3()).send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(emulator.s3Objects().map(({ bucket }) => bucket)).toEqual(['other-store']);
  });

  it('denied everything: a missing key is AccessDenied too (no s3:ListBucket), never NoSuchKey', async () => {
    given({ s3: { buckets: [BUCKET] } });
    given({ s3: { denied: [{ action: 's3:ListBucket' }] } });
    expect((await rejection(read('missing'))).name).toBe('AccessDenied');
    given({ s3: { denied: true } });
    const head = await rejection((await s3()).send(new HeadBucketCommand({ Bucket: BUCKET })));
    expect(head.$metadata?.httpStatusCode).toBe(403);
  });

  it('failing: InternalError for the first N requests, which a retrying client gets past; SlowDown is a throttle', async () => {
    given({ s3: { buckets: [BUCKET], failing: [{ action: 's3:PutObject', code: 'InternalError', firstN: 1 }] } });
    const failed = await rejection(put(PART, 'x'));
    expect({ name: failed.name, status: failed.$metadata?.httpStatusCode }).toEqual({ name: 'InternalError', status: 500 });
    expect(classifyAwsError(failed)).toMatchObject({ errorClass: 'other', fault: 'server', httpStatus: 500 });
    await put(PART, 'x');
    given({ s3: { failing: [{ code: 'SlowDown', firstN: 2 }] } });
    const retrying = freshPool(3);
    try {
      const client = await retrying.client(S3, REGION);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: PART, Body: 'y' }));
    } finally {
      retrying.destroy();
    }
    expect(s3Calls()['s3:PutObject']).toBe(2 + 3);
    given({ s3: { failing: [{ code: 'SlowDown' }] } });
    const slowDown = await rejection(read(PART));
    expect({ name: slowDown.name, status: slowDown.$metadata?.httpStatusCode, errorClass: classifyAwsError(slowDown).errorClass }).toEqual({ name: 'SlowDown', status: 503, errorClass: 'throttled' });
  });

  it('clock skew: S3 refuses a request signed 20 minutes off its clock, the SDK corrects its offset from the answer and retries', async () => {
    given({ s3: { buckets: [BUCKET], clockSkewMs: 20 * 60 * 1000 } });
    const single = freshPool(1);
    const retrying = freshPool(2);
    try {
      const once = await single.client(S3, REGION);
      const skewed = await rejection(once.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'first', Body: 'x' })));
      expect({ name: skewed.name, status: skewed.$metadata?.httpStatusCode }).toEqual({ name: 'RequestTimeTooSkewed', status: 403 });
      expect(classifyAwsError(skewed).errorClass).toBe('credentials');
      // The refusal carried S3's time: the same client's next call is signed on it.
      await once.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'first', Body: 'x' }));
      expect(s3Calls()['s3:PutObject']).toBe(2);
      const client = await retrying.client(S3, REGION);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'second', Body: 'y' }));
      expect(s3Calls()['s3:PutObject']).toBe(4);
    } finally {
      single.destroy();
      retrying.destroy();
    }
    expect(emulator.s3Objects().map((object) => object.key)).toEqual(['first', 'second']);
  });

  it('a stalled upload, cancelled by its AbortSignal, leaves no object, and the next upload goes through', async () => {
    given({ s3: { buckets: [BUCKET], stallUploadAfterBytes: 64 * 1024 } });
    const cancel = new AbortController();
    const body = Buffer.alloc(256 * 1024, 1);
    const upload = watch((await s3()).send(new PutObjectCommand({ Bucket: BUCKET, Key: PART, Body: body }), { abortSignal: cancel.signal }));
    await vi.waitFor(() => expect(s3Calls()['s3:PutObject']).toBe(1));
    await otherRoundTrips(20);
    expect(upload.settled()).toBe(false);
    cancel.abort();
    expect((await upload.outcome).name).toBe('AbortError');
    expect(emulator.s3Objects()).toEqual([]);
    given({});
    expect((await put(PART, body)).ETag).toBe(md5(body));
    expect(emulator.s3Objects().map((object) => object.size)).toEqual([body.length]);
  });

  it('a slow S3 answer can be cancelled: the call ends with AbortError and nothing is stored', async () => {
    given({ s3: { buckets: [BUCKET], slowMs: 600_000 } });
    const cancel = new AbortController();
    const upload = watch((await s3()).send(new PutObjectCommand({ Bucket: BUCKET, Key: PART, Body: 'x' }), { abortSignal: cancel.signal }));
    await vi.waitFor(() => expect(s3Calls()['s3:PutObject']).toBe(1));
    await otherRoundTrips(20);
    expect(upload.settled()).toBe(false);
    cancel.abort();
    expect((await upload.outcome).name).toBe('AbortError');
    expect(emulator.s3Objects()).toEqual([]);
  });

  it('the scenario is strict: unknown fields, bad bucket names and unknown actions are refused by name', () => {
    expect(() => parseScenario({ s3: { bucket: ['x'] } })).toThrow(ScenarioError);
    expect(() => parseScenario({ s3: { buckets: ['Not_A_Bucket'] } })).toThrow(/s3\.buckets\.0/);
    expect(() => parseScenario({ s3: { denied: [{ action: 's3:Everything' }] } })).toThrow(/s3\.denied/);
    expect(() => parseScenario({ s3: { failing: [{ code: 'Teapot' }] } })).toThrow(/s3\.failing\.0\.code/);
    expect(parseScenario({ s3: { failing: [{ firstN: 2 }] } }).s3.failing).toEqual([{ bucket: '*', action: '*', code: 'InternalError', firstN: 2 }]);
  });
});
