import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TtftByVantageQuerySchema, type FleetSyncResult } from '../../src-shared/contract/fleet';
import type { CallContext } from '../../src-shared/contract';
import { awsFeature } from '../core/app/aws-feature';
import { createAtlasCore, type AtlasCore } from '../core/app/atlas-core';
import { S3 } from '../core/aws/services';
import type { FleetCycle } from '../core/fleet/cycle';
import { ParquetEncoder } from '../core/fleet/store/parquet-writer';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { parseScenario } from '../emulator/scenario';
import { emulatedCoreOptions } from '../testing/emulated-core';
import { startOtlpReceiver } from '../testing/otlp-receiver';
import { fleetStoreFixture, ISSUE_STORE_SHAPE } from './fleet-store-fixture';
import { measureOtlpCostPerRequest } from './otlp';
import { cycle, median, sampleAt } from './samples';

/**
 * npm run bench:fleet [-- --only store,sync,memory,otlp] — the fleet's targets (issue 19, "Proof"):
 * 1. a team store of 10 vantage points × 30 days, 10 million samples in Parquet (fleet-store-fixture.ts: the store's
 *    layout and schema, a cycle an hour per vantage, one run per target, kept between runs): the app syncs it into
 *    its cache as it does (every part copied and read once), then the team view's query, p50/p90/p99 TTFT by
 *    vantage × region for one target (`ttftByVantage`, the method the UI calls), median of 5 after a first run;
 * 2. the app's incremental sync of 1 000 new parts from the emulator's S3 (real `@aws-sdk/client-s3` over loopback,
 *    1 000 parts already cached beside them), then a sync with nothing new;
 * 3. the monitor's resident memory over 1 000 cycles against the emulator, in a child process (fleet-monitor-child.ts);
 * 4. OTLP export's cost per recorded request (otlp.ts).
 * The emulator runs in this process (startEmulator), so its work shares the event loop with the sync it serves.
 * Prints the figures and the machine's load; no test asserts on them.
 */

type Row = [metric: string, measured: string, target: string, verdict: string];
const rows: Row[] = [];
const report = (metric: string, measured: string, target: string, ok: boolean | null) => rows.push([metric, measured, target, ok === null ? '' : ok ? 'ok' : 'MISSED']);
const loads: string[] = [];
const noteLoad = (phase: string) => loads.push(`${phase} ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
const progress = (line: string) => process.stderr.write(`[bench:fleet] ${line}\n`);

const onlyArgument = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length);
const parts = new Set((onlyArgument ?? 'store,sync,memory,otlp').split(','));
const MONITOR_CYCLES = Number(process.env.BENCH_FLEET_CYCLES ?? 1000);
const QUERY_RUNS = 5;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const context = (): CallContext => ({ signal: new AbortController().signal });
const ms = (value: number) => `${value < 1000 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US').replace(/,/g, ' ')} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

async function openCore(emulator: RunningEmulator, teamStore: string): Promise<{ core: AtlasCore; close(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'atlas-bench-fleet-app-'));
  const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: ['us-east-1'], dataDir, teamStore } }));
  return {
    core,
    close: async () => {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One sync as the app runs it, timed to its answer. The app then recomputes the status it shows (every vantage's
 * counts, read from the parts) and emits it as `fleet.status`: that is waited for too, untimed, so it never runs
 * into the next measurement.
 */
async function timedSync(core: AtlasCore): Promise<{ result: FleetSyncResult; ms: number }> {
  let statusShown = () => {};
  const shown = new Promise<void>((resolve) => (statusShown = resolve));
  const unsubscribe = core.events.subscribe((event) => {
    if (event.type === 'fleet.status') statusShown();
  });
  try {
    const started = performance.now();
    const result = await core.handlers.syncFleet(undefined, context());
    const ms = performance.now() - started;
    await shown;
    return { result, ms };
  } finally {
    unsubscribe();
  }
}

/** 1. The 10-million-sample store: the app's sync, then the team view's query. */
async function storeQuery(emulator: RunningEmulator): Promise<void> {
  noteLoad('store');
  const shape = ISSUE_STORE_SHAPE;
  const store = await fleetStoreFixture(shape, { onProgress: (done, total) => progress(`generating the store: ${done}/${total} runs`) });
  report(
    `store: ${shape.vantages.length} vantages × ${shape.days} days, a cycle every ${shape.cycleMinutes} min of ${shape.targets.length} targets × ${shape.regions.length} regions`,
    `${store.samples.toLocaleString('en-US')} samples in ${store.parts} samples parts (+ ${store.parts} runs parts), ${store.generated ? `generated in ${seconds(store.generateMs)}` : 'from the bench cache'} (${store.directory})`,
    '',
    null,
  );
  const app = await openCore(emulator, store.directory);
  try {
    progress('syncing the store into the app\'s cache');
    const first = await timedSync(app.core);
    report(
      'first sync into the app\'s cache (every part copied and read whole once)',
      `${seconds(first.ms)}: ${first.result.downloaded} parts, ${(first.result.bytes / 1e6).toFixed(0)} MB, status ${first.result.status}`,
      '',
      null,
    );
    const again = await timedSync(app.core);
    report('the same store synced again, nothing new', `${ms(again.ms)}: ${again.result.listed} listed, ${again.result.skipped} unchanged`, '', null);

    const input = TtftByVantageQuerySchema.parse({ target: HAIKU, since: shape.firstDay });
    const times: number[] = [];
    let cells = 0;
    let samples = 0;
    for (let run = 0; run <= QUERY_RUNS; run++) {
      const started = performance.now();
      const answer = await app.core.handlers.ttftByVantage(input, context());
      times.push(performance.now() - started);
      cells = answer.cells.length;
      samples = answer.cells.reduce((sum, cell) => sum + cell.samples, 0);
    }
    const [coldMs, ...warm] = times;
    const middle = median(warm);
    report(
      `p50/p90/p99 TTFT by vantage × region for one target (ttftByVantage, median of ${QUERY_RUNS})`,
      `${ms(middle)} (first ${ms(coldMs ?? NaN)}, fastest ${ms(Math.min(...warm))}); ${cells} cells over ${samples.toLocaleString('en-US')} successful samples`,
      '≤ 1 s',
      middle <= 1000,
    );
  } finally {
    await app.close();
  }
}

/**
 * A small monitor cycle as the store sink receives it: 3 runs of one target in 2 regions (one cold request), from
 * one of 3 vantages, ten minutes after the one before.
 */
function benchCycle(index: number): FleetCycle {
  const runId = `bench-sync-${String(index).padStart(5, '0')}`;
  const startedAt = Date.parse('2026-11-20T00:00:00Z') + index * 600_000;
  const samples = Array.from({ length: 6 }, (_, row) => {
    const region = cycle(['us-east-1', 'eu-west-1'], row);
    const ttftMs = 300 + ((index * 7 + row * 13) % 120);
    return {
      runId,
      at: startedAt + row * 1500 + ttftMs + 400,
      target: HAIKU,
      modelId: HAIKU,
      routeKey: region,
      region,
      invokeId: HAIKU,
      kind: 'on-demand',
      errorClass: null,
      ttftMs,
      e2eMs: ttftMs + 400,
      interTokenMs: 12,
      outputTokens: 34,
      serverLatencyMs: ttftMs + 350,
      largestGapMs: 30,
      reusedSocket: row >= 2,
      requestId: `${runId}-${row}`,
      sentAt: startedAt + row * 1500,
    };
  });
  const finishedAt = startedAt + 6 * 1500;
  return {
    runId,
    vantage: cycle(['ecs-us-east-1', 'vpc-ap-southeast-2', 'office-berlin'], index),
    startedAt,
    finishedAt,
    run: { id: runId, kind: 'latency', startedAt: new Date(startedAt).toISOString(), finishedAt: new Date(finishedAt).toISOString(), target: HAIKU, status: 'completed', report: { runs: 3 } },
    samples,
    probes: [],
  };
}

/** 2. Incremental sync from the emulator's S3. */
async function s3Sync(emulator: RunningEmulator): Promise<void> {
  noteLoad('sync');
  const bucket = 'bench-team-store';
  const prefix = 'fleet';
  const app = await openCore(emulator, `s3://${bucket}/${prefix}`);
  const scratch = await mkdtemp(join(tmpdir(), 'atlas-bench-fleet-encode-'));
  const encoder = new ParquetEncoder(scratch);
  try {
    const client = await app.core.exportsOf(awsFeature).client(S3, 'us-east-1');
    const { CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const { default: pLimit } = await import('p-limit');
    const limit = pLimit(16);
    /** Cycles `first`… as the store writer encodes them, uploaded: each one a samples part and a runs part. */
    const upload = async (first: number, count: number): Promise<number> => {
      let objects = 0;
      const uploads: Promise<unknown>[] = [];
      for (let index = first; index < first + count; index++) {
        for (const part of await encoder.encode(benchCycle(index))) {
          objects++;
          uploads.push(limit(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${part.key}`, Body: part.bytes }))));
        }
      }
      await Promise.all(uploads);
      return objects;
    };
    progress('uploading 1 000 parts, and syncing them');
    const older = await upload(0, 500);
    const warm = await timedSync(app.core);
    if (warm.result.downloaded !== older) throw new Error(`the first sync fetched ${warm.result.downloaded} of ${older} parts (${warm.result.status})`);
    progress('uploading 1 000 new parts');
    const added = await upload(500, 500);
    const incremental = await timedSync(app.core);
    report(
      `incremental sync from the emulator's S3: ${added} new parts beside ${older} cached`,
      `${seconds(incremental.ms)}: ${incremental.result.downloaded} downloaded, ${incremental.result.skipped} unchanged, ${incremental.result.listed} listed, status ${incremental.result.status}`,
      '≤ 10 s',
      incremental.ms <= 10_000 && incremental.result.downloaded === added,
    );
    const nothing: number[] = [];
    let last = incremental.result;
    for (let run = 0; run < 5; run++) {
      const { result, ms: took } = await timedSync(app.core);
      nothing.push(took);
      last = result;
    }
    const middle = median(nothing);
    report(
      'sync with nothing new (median of 5)',
      `${ms(middle)} (slowest ${ms(Math.max(...nothing))}): ${last.listed} listed (${Math.ceil(last.listed / 1000)} pages), ${last.downloaded} downloaded`,
      '≤ 300 ms',
      middle <= 300 && last.downloaded === 0,
    );
  } finally {
    await encoder.close();
    await rm(scratch, { recursive: true, force: true });
    await app.close();
  }
}

interface MemorySample {
  cycle: number;
  rss: number;
  heapUsed: number;
}
interface MonitorOutcome {
  done: number;
  sinks: { name: string; written: number; pending: number; dropped: number; lastError: string | null }[];
  problems: string[];
  problemCount: number;
  sinkLines: string[];
  sinkLineCount: number;
  gc: boolean;
}

/** 3. The monitor's RSS over its cycles, in a child process with --expose-gc. */
async function monitorMemory(emulator: RunningEmulator): Promise<void> {
  noteLoad('memory');
  const receiver = await startOtlpReceiver();
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./fleet-monitor-child.ts', import.meta.url)), emulator.url, String(MONITOR_CYCLES), '100'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: '1000' } },
  );
  const samples: MemorySample[] = [];
  let outcome: MonitorOutcome | null = null;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const parsed = JSON.parse(buffered.slice(0, newline)) as MemorySample | MonitorOutcome;
      buffered = buffered.slice(newline + 1);
      if ('rss' in parsed) {
        samples.push(parsed);
        progress(`monitor: cycle ${parsed.cycle}, RSS ${(parsed.rss / 1e6).toFixed(1)} MB`);
      } else outcome = parsed;
    }
  });
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const wall = performance.now() - started;
  const exported = receiver.latest('gen_ai.client.operation.duration')?.dataPoints.reduce((sum, point) => sum + (point.count ?? 0), 0) ?? 0;
  await receiver.close();
  const final = outcome as MonitorOutcome | null;
  if (code !== 0 || !final) throw new Error(`the monitor's process exited with ${code} before it reported`);
  const warm = samples.filter((sample) => sample.cycle >= 100);
  const rss = warm.map((sample) => sample.rss / 1e6);
  const first = sampleAt(rss, 0, 'the RSS after cycle 100');
  const drift = sampleAt(rss, rss.length - 1, 'the last RSS') - first;
  // As bench:playground counts "within ±20 MB": the whole spread of the samples, highest to lowest.
  const spread = Math.max(...rss) - Math.min(...rss);
  const heap = warm.map((sample) => sample.heapUsed / 1e6);
  report(
    `monitor, ${final.done} cycles in ${seconds(wall)} (4 requests each, store + OTLP sinks): RSS after cycle 100, every 100 to ${final.done}${final.gc ? ', after a GC' : ''}`,
    `min ${Math.min(...rss).toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB (spread ${spread.toFixed(1)} MB), cycle 100 → ${final.done} ${drift >= 0 ? '+' : ''}${drift.toFixed(1)} MB (heap ${sampleAt(heap, 0, 'heap').toFixed(1)} → ${sampleAt(heap, heap.length - 1, 'heap').toFixed(1)} MB)`,
    'spread ≤ 20 MB',
    spread <= 20,
  );
  const sinks = final.sinks.map((sink) => `${sink.name.split(' ')[0]} ${sink.written} written, ${sink.pending} pending, ${sink.dropped} dropped`).join('; ');
  const notOk = final.problemCount === 0 ? 'every cycle ok' : `${final.problemCount} cycles not ok (first: ${final.problems[0]?.slice(0, 160)})`;
  report('  what the sinks did', `${sinks}; the receiver counted ${exported} requests; ${notOk}; ${final.sinkLineCount} sink log line(s): ${final.sinkLines.map((line) => line.slice(0, 120)).join(' | ')}`, '', null);
}

/** 4. OTLP export's cost per request. */
async function otlpCost(): Promise<void> {
  noteLoad('otlp');
  const cost = await measureOtlpCostPerRequest();
  const perRequest = Math.max(cost.recordMicrosPerRequest, cost.recordWallMicrosPerRequest) / 1000;
  report(
    `OTLP export: cost per recorded request (${cost.requests.toLocaleString('en-US')} requests, exports running meanwhile; otlp.ts)`,
    `${(cost.recordMicrosPerRequest / 1000).toFixed(4)} ms of CPU in record (${(cost.recordWallMicrosPerRequest / 1000).toFixed(4)} ms wall); ${(cost.cpuMicrosPerRequest / 1000).toFixed(4)} ms of process CPU with the exports; ${cost.exportsSucceeded} exports, ${cost.exportsFailed} failed, ${cost.receivedRequests.toLocaleString('en-US')} requests received`,
    '≤ 0.1 ms',
    perRequest <= 0.1,
  );
}

const emulator = await startEmulator({ scenario: parseScenario({ timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } }) });
try {
  if (parts.has('store')) await storeQuery(emulator);
  if (parts.has('sync')) await s3Sync(emulator);
  if (parts.has('memory')) await monitorMemory(emulator);
  if (parts.has('otlp')) await otlpCost();
} finally {
  await emulator.close();
}

noteLoad('end');
console.log(`load average (1, 5, 15 min) at each part: ${loads.join('; ')} on ${availableParallelism()} cores`);
const table: Row[] = [['metric', 'measured', 'target', ''], ...rows];
const widths = [0, 1, 2, 3].map((column) => Math.max(...table.map((row) => row[column]?.length ?? 0)));
for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
process.exitCode = rows.some((row) => row[3] === 'MISSED') ? 1 : 0;
