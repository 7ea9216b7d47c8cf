import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { AwsClientPool } from '../../aws/client-pool';
import { parseScenario, type ScenarioInput } from '../../../emulator/scenario';
import { emulatorPerFile } from '../../../testing/emulator-per-file';
import { poolPerFile } from '../../../testing/pool-per-file';
import { createStoreSink, type StoreSinkOptions } from './store-sink';
import { fleetCycle } from './testing/cycles';
import { duckdbQuery } from './testing/duckdb-query';

/**
 * The store under an S3 prefix, through the real @aws-sdk/client-s3 from the app's pool against the emulator's
 * S3: what is stored is read back from the emulator's bytes with DuckDB; every fault is one of the emulator's.
 */

const emulator = emulatorPerFile();
const pool = poolPerFile(emulator, 'AKIDSTORE');
const BUCKET = 'team-store';
const LOCATION = `s3://${BUCKET}/fleet/v1`;
const START = Date.parse('2026-12-07T08:00:00Z');

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
const putCount = () => Object.values(emulator.stats().requests).reduce((sum, operations) => sum + (operations['s3:PutObject'] ?? 0), 0);
const keys = () => emulator.s3Objects().map((object) => `${object.bucket}/${object.key}`).sort();
const spoolDir = () => join(mkdtempSync(join(tmpdir(), 'fleet-s3-')), 'fleet-spool');

function sink(options: Partial<StoreSinkOptions> = {}) {
  const lines: string[] = [];
  const created = createStoreSink({ location: LOCATION, pool: pool(), region: 'us-east-1', spoolDir: spoolDir(), log: (line) => lines.push(line), ...options });
  return { sink: created, lines };
}

/** The emulator's objects laid out as files, so DuckDB reads the store as a user would a synced copy. */
async function downloadStore(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'fleet-s3-copy-'));
  for (const object of emulator.s3Objects()) {
    const path = join(root, ...object.key.replace(/^fleet\/v1\//, '').split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, object.body);
  }
  return root;
}

const partKeys = (runId: string, date = '2026-12-07') => [
  `${BUCKET}/fleet/v1/runs/vantage=berlin/date=${date}/${runId}.parquet`,
  `${BUCKET}/fleet/v1/samples/vantage=berlin/date=${date}/${runId}.parquet`,
];

describe('the store under an S3 prefix', () => {
  it('puts each part whole under <prefix>/<table>/vantage=…/date=…/<run id>.parquet, as Parquet DuckDB reads', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const { sink: store } = sink();
    await store.write(fleetCycle({ runId: 'run-s3-1', vantage: 'berlin', startedAt: START, samples: [{ ttftMs: 120 }, { ttftMs: 180, region: 'eu-central-1' }] }));
    expect(store.status()).toEqual({ name: `store s3://${BUCKET}/fleet/v1/`, written: 1, pending: 0, dropped: 0, lastError: null });
    expect(keys()).toEqual(partKeys('run-s3-1'));
    expect(putCount()).toBe(2);
    expect(emulator.s3Objects().every((object) => object.contentType === 'application/vnd.apache.parquet')).toBe(true);
    const root = await downloadStore();
    expect(
      await duckdbQuery(`select run_id, region, ttft_ms, vantage, strftime("date", '%Y-%m-%d') as day from read_parquet($1, hive_partitioning = true) order by ttft_ms`, [
        join(root, 'samples', '**', '*.parquet'),
      ]),
    ).toEqual([
      { run_id: 'run-s3-1', region: 'us-east-1', ttft_ms: 120, vantage: 'berlin', day: '2026-12-07' },
      { run_id: 'run-s3-1', region: 'eu-central-1', ttft_ms: 180, vantage: 'berlin', day: '2026-12-07' },
    ]);
    await store.close();
  });

  it('a retried upload replaces its own object; another monitor of the same vantage name adds its own', async () => {
    given({ s3: { buckets: [BUCKET] } });
    const { sink: first } = sink();
    const { sink: second } = sink();
    await first.write(fleetCycle({ runId: 'same-vantage-a', vantage: 'berlin', startedAt: START, samples: [{ ttftMs: 1 }] }));
    await second.write(fleetCycle({ runId: 'same-vantage-b', vantage: 'berlin', startedAt: START, samples: [{ ttftMs: 2 }] }));
    await first.write(fleetCycle({ runId: 'same-vantage-a', vantage: 'berlin', startedAt: START, samples: [{ ttftMs: 3 }] }));
    expect(keys()).toEqual([...partKeys('same-vantage-a'), ...partKeys('same-vantage-b')].sort());
    const root = await downloadStore();
    expect(await duckdbQuery('select run_id, ttft_ms from read_parquet($1) order by run_id', [join(root, 'samples', '**', '*.parquet')])).toEqual([
      { run_id: 'same-vantage-a', ttft_ms: 3 },
      { run_id: 'same-vantage-b', ttft_ms: 2 },
    ]);
    await Promise.all([first.close(), second.close()]);
  });

  it.each([
    ['denied', { denied: [{ bucket: BUCKET, action: 's3:PutObject' as const }] }, /AccessDenied \(HTTP 403\): allow s3:PutObject on the store prefix/],
    ['absent', { absent: [BUCKET] }, /NoSuchBucket \(HTTP 404\): create the bucket/],
    ['failing', { failing: [{ bucket: BUCKET, action: 's3:PutObject' as const }] }, /InternalError \(HTTP 500\): S3 failed on its side/],
  ])('S3 %s: each cycle is spooled, the status says why, and all are sent in order once S3 is back', async (_, fault, reason) => {
    given({ s3: { buckets: [BUCKET], ...fault } });
    const { sink: store, lines } = sink();
    await store.write(fleetCycle({ runId: 'away-1', vantage: 'berlin', startedAt: START }));
    await store.write(fleetCycle({ runId: 'away-2', vantage: 'berlin', startedAt: START + 60_000 }));
    // One refused PutObject per write: the oldest spooled cycle is tried first, and the rest wait behind it.
    expect(putCount()).toBe(2);
    expect(store.status()).toMatchObject({ written: 0, pending: 2, dropped: 0, lastError: expect.stringMatching(reason) });
    expect(store.status().lastError).toMatch(/s3:\/\/team-store\/fleet\/v1\/samples\/vantage=berlin\/date=2026-12-07\/away-1\.parquet.*2 cycle\(s\) wait in the spool/);
    expect(lines).toHaveLength(2);
    expect(keys()).toEqual([]);

    given({ s3: { buckets: [BUCKET] } });
    await store.write(fleetCycle({ runId: 'back-3', vantage: 'berlin', startedAt: START + 120_000 }));
    expect(store.status()).toEqual({ name: `store s3://${BUCKET}/fleet/v1/`, written: 3, pending: 0, dropped: 0, lastError: null });
    expect(putCount()).toBe(2 + 3 * 2);
    expect(keys()).toEqual([...partKeys('away-1'), ...partKeys('away-2'), ...partKeys('back-3')].sort());
    expect(lines.at(-1)).toBe('Team store: sent 3 spooled cycle(s); the spool is empty.');
    await store.close();
  });

  it('an upload stalled mid-body is abandoned at the upload timeout: nothing stored, the cycle spooled, then sent', async () => {
    given({ s3: { buckets: [BUCKET], stallUploadAfterBytes: 512 } });
    const { sink: store } = sink({ uploadTimeoutMs: 500 });
    const samples = Array.from({ length: 400 }, (_, index) => ({ ttftMs: 100 + index * 1.37, atOffsetMs: index }));
    await store.write(fleetCycle({ runId: 'stalled-1', vantage: 'berlin', startedAt: START, samples }));
    expect(store.status()).toMatchObject({ written: 0, pending: 1, lastError: expect.stringMatching(/took longer than the upload timeout; nothing was stored and it stays spooled/) });
    expect(emulator.s3Objects()).toEqual([]);

    given({ s3: { buckets: [BUCKET] } });
    await store.flush();
    expect(store.status()).toMatchObject({ written: 1, pending: 0, lastError: null });
    const root = await downloadStore();
    expect(await duckdbQuery('select count(*) as n from read_parquet($1)', [join(root, 'samples', '**', '*.parquet')])).toEqual([{ n: 400n }]);
    await store.close();
  });

  it('flush is bounded by its signal: cancelled mid-upload, it stores nothing and keeps the spool', async () => {
    given({ s3: { buckets: [BUCKET], denied: true } });
    const { sink: store } = sink({ uploadTimeoutMs: 600_000 });
    await store.write(fleetCycle({ runId: 'held-1', vantage: 'berlin', startedAt: START }));
    await store.write(fleetCycle({ runId: 'held-2', vantage: 'berlin', startedAt: START + 60_000 }));
    given({ s3: { buckets: [BUCKET], slowMs: 600_000 } });
    const cancel = new AbortController();
    const flushing = store.flush(cancel.signal);
    await vi.waitFor(() => expect(putCount()).toBe(3));
    cancel.abort();
    await flushing;
    expect(store.status()).toMatchObject({ written: 0, pending: 2, lastError: expect.stringMatching(/held-1\.parquet was cancelled; nothing was stored and it stays spooled/) });
    expect(emulator.s3Objects()).toEqual([]);
    await store.close();
  });

  it('clock skew: S3 refuses the first signature 20 minutes off its clock, and the part is signed again on its time and stored', async () => {
    given({ s3: { buckets: [BUCKET], clockSkewMs: 20 * 60 * 1000 } });
    // A pool of its own: the skew correction stays in its clients, not the file's.
    const skewed = new AwsClientPool({ endpointUrl: emulator.url, credentials: { accessKeyId: 'AKIDSKEW', secretAccessKey: 'secret' }, maxAttempts: 1 });
    try {
      const { sink: store } = sink({ pool: skewed });
      await store.write(fleetCycle({ runId: 'skewed-1', vantage: 'berlin', startedAt: START }));
      expect(store.status()).toMatchObject({ written: 1, pending: 0, lastError: null });
      // The first PutObject refused (RequestTimeTooSkewed), then both parts signed on S3's time.
      expect(putCount()).toBe(3);
      expect(keys()).toEqual(partKeys('skewed-1'));
      await store.close();
    } finally {
      skewed.destroy();
    }
  });

  it('kill -9 mid-upload: nothing stored, and the next process sends the spooled cycle whole', async () => {
    given({ s3: { buckets: [BUCKET], stallUploadAfterBytes: 256 } });
    const spool = spoolDir();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/write-cycles-child.ts', import.meta.url))], {
      env: { ...process.env, STORE: LOCATION, SPOOL_DIR: spool, EMULATOR_URL: emulator.url, CYCLES: '1', SAMPLES: '300' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
    // The upload has begun and stalls mid-body: the process dies there.
    await vi.waitFor(() => expect(putCount()).toBe(1), { timeout: 20_000 });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stdout).toMatch(/^writing killed-\d+-0\n$/);
    expect(emulator.s3Objects()).toEqual([]);

    given({ s3: { buckets: [BUCKET] } });
    const { sink: next } = sink({ spoolDir: spool });
    expect(next.status()).toMatchObject({ pending: 1, written: 0 });
    await next.flush();
    expect(next.status()).toMatchObject({ pending: 0, written: 1, dropped: 0 });
    const root = await downloadStore();
    expect(await duckdbQuery('select count(*) as n from read_parquet($1)', [join(root, 'samples', '**', '*.parquet')])).toEqual([{ n: 300n }]);
    expect(await duckdbQuery('select sample_count from read_parquet($1)', [join(root, 'runs', '**', '*.parquet')])).toEqual([{ sample_count: 300 }]);
    await next.close();
  });

  it('refuses to be made without a pool or for a bad location, before any cycle', () => {
    expect(() => createStoreSink({ location: LOCATION, region: 'us-east-1', spoolDir: spoolDir() })).toThrow(/needs the AWS client pool/);
    expect(() => createStoreSink({ location: 's3://Bad_Bucket/x', pool: pool(), region: 'us-east-1', spoolDir: spoolDir() })).toThrow(/not an S3 bucket name/);
    expect(() => createStoreSink({ location: 'https://example.com/store', pool: pool(), region: 'us-east-1', spoolDir: spoolDir() })).toThrow(/https:\/\/ URL/);
  });
});
