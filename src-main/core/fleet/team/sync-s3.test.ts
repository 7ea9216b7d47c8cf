import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetSyncProgress } from '../../../../src-shared/contract/fleet';
import { AwsClientPool } from '../../aws/client-pool';
import { S3 } from '../../aws/services';
import { parseScenario, type ScenarioInput } from '../../../emulator/scenario';
import { emulatorPerFile } from '../../../testing/emulator-per-file';
import { poolPerFile } from '../../../testing/pool-per-file';
import { openHistoryDatabase, type HistoryDatabase } from '../../storage/history-database';
import { FLEET_SCHEMA_VERSION } from '../store/schema';
import { ttftByVantage } from './query';
import { s3Source } from './store-source';
import { syncStore } from './sync';
import { readableFiles, TeamCache } from './team-cache';
import { encodeParts, samplesAround, samplesKey, TEST_MODEL, type TestPart } from './testing/test-store';

/**
 * The sync against S3 through the real @aws-sdk/client-s3 and the emulator's S3 over loopback HTTP: what is listed
 * and fetched is counted by the emulator, so "only new or changed parts" is a count of GetObject calls.
 */

const emulator = emulatorPerFile();
const pool = poolPerFile(emulator, 'AKIDTEAM');
const REGION = 'us-east-1';
const BUCKET = 'team-latency';
const LOCATION = { kind: 's3' as const, bucket: BUCKET, prefix: 'fleet' };
const NOW = Date.now();

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
const s3Calls = () => Object.fromEntries(Object.entries(emulator.stats().requests[REGION] ?? {}).filter(([operation]) => operation.startsWith('s3:')));
/**
 * The S3 calls made since `mark()` (resetting the emulator's stats would clear its objects too), without the PutObject
 * calls that wrote the store.
 */
function callCounter() {
  let before: Record<string, number> = {};
  return {
    mark: () => (before = s3Calls()),
    since: () =>
      Object.fromEntries(
        Object.entries(s3Calls())
          .map(([operation, count]) => [operation, count - (before[operation] ?? 0)] as const)
          .filter(([operation, count]) => count > 0 && operation !== 's3:PutObject'),
      ),
  };
}
const calls = callCounter();

async function put(key: string, body: Uint8Array | string): Promise<void> {
  await (await pool().client(S3, REGION)).send(new PutObjectCommand({ Bucket: BUCKET, Key: `${LOCATION.prefix}/${key}`, Body: body }));
}
async function putParts(parts: TestPart[]): Promise<string[]> {
  const keys: string[] = [];
  for (const part of parts) {
    for (const [key, bytes] of await encodeParts(part)) {
      await put(key, bytes);
      keys.push(key);
    }
  }
  return keys;
}
const runs = (count: number, vantage = 'berlin', first = 0): TestPart[] =>
  Array.from({ length: count }, (_, index) => ({ vantage, runId: `run-${vantage}-${first + index}`, startedAt: NOW, samples: samplesAround('eu-central-1', 100 + 10 * (first + index)) }));

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function setup(options: { pageSize?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'team-s3-'));
  const engine: HistoryDatabase = await openHistoryDatabase({ dataDir: null });
  cleanup.push(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });
  const cache = new TeamCache(join(dir, 'cache'), `s3://${BUCKET}/fleet`);
  const sync = (extra: { signal?: AbortSignal; concurrency?: number; onProgress?: (progress: FleetSyncProgress) => void } = {}) =>
    syncStore({
      source: s3Source(LOCATION, { pool: pool(), region: REGION, pageSize: options.pageSize }),
      cache,
      engine,
      knownSchemaVersion: FLEET_SCHEMA_VERSION,
      signal: extra.signal ?? new AbortController().signal,
      ...(extra.concurrency ? { concurrency: extra.concurrency } : {}),
      ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
    });
  return { sync, engine, cache };
}

describe('syncing a team store from S3', () => {
  it('downloads every part once, then nothing when nothing changed (ListObjectsV2 only), then only a changed part', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const keys = await putParts(runs(3));
    await put('README.txt', 'not a part: never fetched');
    const { sync, engine } = await setup();
    calls.mark();

    const first = await sync();
    expect(first.result).toMatchObject({ status: 'completed', listed: 6, downloaded: 6, skipped: 0, failed: 0 });
    expect(calls.since()).toEqual({ 's3:ListObjectsV2': 1, 's3:GetObject': 6 });

    calls.mark();
    const second = await sync();
    expect(second.result).toMatchObject({ status: 'completed', listed: 6, downloaded: 0, skipped: 6, bytes: 0 });
    expect(calls.since()).toEqual({ 's3:ListObjectsV2': 1 });

    // The same run written again with other figures: a new ETag, fetched again, and read as it is now.
    const [changed] = await encodeParts({ ...runs(1)[0]!, samples: samplesAround('eu-central-1', 555) });
    await put(changed![0], changed![1]);
    calls.mark();
    const third = await sync();
    expect(third.result).toMatchObject({ downloaded: 1, skipped: 5 });
    expect(calls.since()).toEqual({ 's3:ListObjectsV2': 1, 's3:GetObject': 1 });
    expect(keys).toContain(changed![0]);
    const cells = await ttftByVantage(engine, readableFiles(third.manifest), { targets: [TEST_MODEL], since: null, includeLocal: false });
    // Runs 1 and 2 (p50 110, 120) and the rewritten run 0 (555): 15 samples.
    expect(cells).toEqual([expect.objectContaining({ vantage: 'berlin', region: 'eu-central-1', samples: 15 })]);
  });

  it('follows ListObjectsV2 across pages', async () => {
    given({ s3: { buckets: [BUCKET], pageSize: 2 } });
    await putParts(runs(3));
    const { sync } = await setup({ pageSize: 1000 });
    calls.mark();
    const pages: number[] = [];
    const { result } = await sync({ onProgress: (progress) => progress.phase === 'listing' && pages.push(progress.listed) });
    expect(result).toMatchObject({ listed: 6, downloaded: 6 });
    expect(calls.since()['s3:ListObjectsV2']).toBe(3);
    expect(pages).toEqual([0, 2, 4, 6]);
  });

  it('stops fetching when cancelled, keeps what finished, and fetches the rest next time', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await putParts(runs(3));
    const { sync } = await setup();
    calls.mark();
    const abort = new AbortController();
    const cancelled = await sync({ signal: abort.signal, concurrency: 1, onProgress: (progress) => progress.downloaded === 2 && abort.abort() });
    expect(cancelled.result).toMatchObject({ status: 'cancelled', downloaded: 2 });
    expect(calls.since()['s3:GetObject']).toBe(2);
    expect(Object.keys(cancelled.manifest.parts)).toHaveLength(2);

    calls.mark();
    const resumed = await sync();
    expect(resumed.result).toMatchObject({ status: 'completed', downloaded: 4, skipped: 2 });
    expect(calls.since()['s3:GetObject']).toBe(4);
  });

  it('names a part whose download failed and syncs the rest; the next sync fetches only that part', async () => {
    given({ s3: { buckets: [BUCKET], failing: [{ bucket: BUCKET, action: 's3:GetObject', code: 'InternalError', firstN: 1 }] } });
    await putParts(runs(2));
    const { sync } = await setup();
    const partial = await sync({ concurrency: 1 });
    expect(partial.result).toMatchObject({ status: 'partial', listed: 4, downloaded: 3, failed: 1 });
    expect(partial.result.problems).toEqual([expect.objectContaining({ kind: 'download-failed', part: expect.stringMatching(/\.parquet$/) })]);
    calls.mark();
    const next = await sync();
    expect(next.result).toMatchObject({ status: 'completed', downloaded: 1, skipped: 3 });
    expect(calls.since()['s3:GetObject']).toBe(1);
  });

  it('skips and names a part of garbage bytes, and reads the others', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await putParts(runs(1));
    const corrupt = samplesKey({ vantage: 'oregon', runId: 'torn', startedAt: NOW });
    await put(corrupt, 'PAR1 and then nothing a reader could use');
    const { sync, engine } = await setup();
    const { result, manifest } = await sync();
    expect(result.status).toBe('completed');
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'corrupt', part: corrupt, message: expect.stringContaining('not readable Parquet') })]);
    const cells = await ttftByVantage(engine, readableFiles(manifest), { targets: [TEST_MODEL], since: null, includeLocal: false });
    expect(cells.map((cell) => cell.vantage)).toEqual(['berlin']);
  });

  it('says a denied, absent or unreachable store is so, and keeps the last cache readable', async () => {
    given({ s3: { buckets: [BUCKET] } });
    await putParts(runs(1));
    const { sync, engine, cache } = await setup();
    expect((await sync()).result.status).toBe('completed');

    given({ s3: { denied: [{ bucket: BUCKET, action: 's3:ListBucket' }] } });
    const denied = await sync();
    expect(denied.result).toMatchObject({ status: 'unreachable', problems: [expect.objectContaining({ kind: 'denied', message: expect.stringContaining(`s3:ListBucket on arn:aws:s3:::${BUCKET}`) })] });

    given({ s3: { absent: [BUCKET] } });
    const absent = await sync();
    expect(absent.result).toMatchObject({ status: 'unreachable', problems: [expect.objectContaining({ kind: 'unreachable', message: expect.stringContaining(`${BUCKET} does not exist`) })] });

    // Nothing answering at all (S3 away, a wrong endpoint): the connection is refused, and said so.
    const away = new AwsClientPool({ endpointUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDAWAY', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const refused = await syncStore({ source: s3Source(LOCATION, { pool: away, region: REGION }), cache, engine, knownSchemaVersion: FLEET_SCHEMA_VERSION, signal: new AbortController().signal });
      expect(refused.result).toMatchObject({ status: 'unreachable', problems: [expect.objectContaining({ kind: 'unreachable', message: expect.stringContaining('ECONNREFUSED') })] });
    } finally {
      away.destroy();
    }

    const manifest = await cache.load();
    expect(manifest.lastSync?.status).toBe('unreachable');
    expect(manifest.lastSyncAt).not.toBeNull();
    const cells = await ttftByVantage(engine, readableFiles(manifest), { targets: [TEST_MODEL], since: null, includeLocal: false });
    expect(cells).toEqual([expect.objectContaining({ vantage: 'berlin', samples: 5, p50Ms: 100 })]);
  });
});
