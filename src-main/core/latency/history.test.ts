import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LatencyRunInputSchema } from '../../../src-shared/contract';
import { HISTORY_FILE_NAME, openHistoryDatabase, type HistoryDatabase } from '../storage/history-database';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';
import { LatencyHistory, sinceInstant, type SampleRow } from './history-store';

const signal = new AbortController().signal;
const labs: EmulatedLab[] = [];
const databases: HistoryDatabase[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
  databases.splice(0).forEach((db) => db.close());
});
const lab = async (options: Parameters<typeof startEmulatedLab>[0] = {}) => {
  const started = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 5 }, ...options.scenario }, ...options });
  labs.push(started);
  return started;
};
const FAST = { target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 3, maxTokens: 4 };

function sample(index: number, overrides: Partial<SampleRow> = {}): SampleRow {
  return {
    runId: 'run-1', at: Date.parse('2026-11-20T00:00:00Z') + index, target: 'm', modelId: 'm', routeKey: 'us-east-1', region: 'us-east-1',
    invokeId: 'm', kind: 'on-demand', errorClass: null, ttftMs: index, e2eMs: index * 2, interTokenMs: 10, outputTokens: 20,
    serverLatencyMs: null, largestGapMs: null, reusedSocket: true, requestId: `request-${index}`, sentAt: Date.parse('2026-11-20T00:00:00Z') + index - 1, ...overrides,
  };
}

describe('latency history', () => {
  it('stores raw samples and answers history by target, region and time, newest first', async () => {
    const { run, core } = await lab();
    const first = await run(FAST);
    const second = await run({ ...FAST, regions: ['eu-west-1'] });
    const { runs } = await core.handlers.latencyHistory({ limit: 10 }, { signal });
    expect(runs.map((entry) => entry.id)).toEqual([second.id, first.id]);
    expect(runs[1]?.regions['us-east-1']).toMatchObject({ samples: 3, ttftMs: { p50: expect.any(Number) } });
    expect(runs[1]?.regions['us-east-1']?.ttftMs?.p50).toBeCloseTo((first.regions['us-east-1'] as { ttftMs: { p50: number } }).ttftMs.p50, 1);
    const inUsEast = await core.handlers.latencyHistory({ regions: ['us-east-1'], limit: 10 }, { signal });
    expect(inUsEast.runs.map((entry) => entry.id)).toEqual([first.id]);
    expect(Object.keys(inUsEast.runs[0]?.regions ?? {})).toEqual(['us-east-1']);
    expect((await core.handlers.latencyHistory({ target: 'amazon.nova-micro-v1:0', limit: 10 }, { signal })).runs).toEqual([]);
    expect((await core.handlers.latencyHistory({ target: HAIKU_3, since: '1h', limit: 10 }, { signal })).runs).toHaveLength(2);
    expect((await core.handlers.latencyHistory({ since: '2999-01-01', limit: 10 }, { signal })).runs).toEqual([]);
    const { points } = await core.handlers.latencySeries({ target: HAIKU_3, metric: 'ttftMs' }, { signal });
    expect(points).toHaveLength(9);
    expect(await core.handlers.historyStatus(undefined, { signal })).toMatchObject({ state: 'open', samples: 9, limit: 1_000_000, warnings: [] });
  });

  it('keeps the newest samples beyond the limit', async () => {
    const db = await openHistoryDatabase({ dataDir: null });
    databases.push(db);
    const history = new LatencyHistory(async () => db, () => 1000);
    history.addSamples(Array.from({ length: 1500 }, (_, index) => sample(index)));
    expect(await history.saveRun({ id: 'run-1', kind: 'latency', startedAt: '2026-11-20T00:00:00Z', finishedAt: null, target: 'm', status: 'completed', report: {} })).toBe(true);
    const [row] = await db.all<{ n: bigint; oldest: number }>('select count(*) as n, min(ttft_ms) as oldest from latency_samples');
    expect(row).toBeDefined();
    expect(Number(row!.n)).toBe(1000);
    expect(row!.oldest).toBe(500);
  });

  it('exports samples as CSV, JSON and Parquet', async () => {
    const { run, core } = await lab();
    const report = await run(FAST);
    const csv = await core.handlers.exportLatency({ format: 'csv', runId: report.id }, { signal });
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').trim().split('\n');
    expect(csv).toMatchObject({ fileName: 'latency-samples.csv', mimeType: 'text/csv' });
    expect(lines[0]).toMatch(/^run_id,measured_at,target,model_id,route_key,region,invoke_id/);
    expect(lines).toHaveLength(7);
    const json = await core.handlers.exportLatency({ format: 'json', target: HAIKU_3 }, { signal });
    expect(JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8'))).toHaveLength(6);
    const parquet = await core.handlers.exportLatency({ format: 'parquet' }, { signal });
    const bytes = Buffer.from(parquet.base64, 'base64');
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const file = join(await mkdtemp(join(tmpdir(), 'atlas-parquet-')), 'x.parquet');
    await writeFile(file, bytes);
    const reader = await (await (await DuckDBInstance.create(':memory:')).connect()).runAndReadAll(`select count(*)::integer as n from '${file}'`);
    expect(reader.getRowObjectsJS()).toEqual([{ n: 6 }]);
  });

  it('ranks routes by measured p50 TTFT and feeds the catalog bestRegions', async () => {
    const { run, core } = await lab({ scenario: { timeToFirstTokenMs: { 'us-east-1': 60, 'eu-west-1': 10, '*': 30 } }, overrides: { regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] } });
    await run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 3, maxTokens: 3 });
    const { routes } = await core.handlers.rankRoutes({ target: HAIKU_3, from: 'us-east-1' }, { signal });
    expect(routes.slice(0, 2).map((route) => route.callRegion)).toEqual(['eu-west-1', 'us-east-1']);
    expect(routes[0]).toMatchObject({ samples: 3, measuredAt: expect.stringMatching(/^\d{4}-/), reason: expect.stringMatching(/^p50 TTFT \d+ ms over 3 samples, measured just now/) });
    expect(routes.at(-1)).toMatchObject({ callRegion: 'ap-northeast-1', ttftP50Ms: null, samples: 0, reason: expect.stringMatching(/^Not measured yet/) });
    const best = await core.handlers.bestRegions({ modelId: HAIKU_3, fromRegion: 'us-east-1' }, { signal });
    expect(best.find((route) => route.callRegion === 'eu-west-1')?.measured).toMatchObject({ samples: 3, ttftP50Ms: expect.any(Number) });
    expect(best.find((route) => route.callRegion === 'ap-northeast-1')?.measured).toBeUndefined();
  });

  it('binds every value: a quote or a NUL in a target is a value to match, never SQL', async () => {
    const db = await openHistoryDatabase({ dataDir: null });
    databases.push(db);
    const history = new LatencyHistory(async () => db, () => 1000);
    const hostile = "m' or '1'='1\u0000; drop table latency_runs; --";
    history.addSamples([sample(1, { target: hostile, modelId: hostile, invokeId: hostile }), sample(2)]);
    expect(await history.saveRun({ id: 'run-1', kind: 'latency', startedAt: '2026-11-20T00:00:00Z', finishedAt: null, target: hostile, status: 'completed', report: {} })).toBe(true);
    expect((await history.runs({ target: hostile, limit: 10 })).map((run) => run.target)).toEqual([hostile]);
    expect(await history.runs({ target: "x' or '1'='1", limit: 10 })).toEqual([]);
    expect(await history.series({ target: hostile, metric: 'ttftMs' })).toHaveLength(1);
    const csv = await history.export({ format: 'csv', target: hostile });
    expect(Buffer.from(csv.base64, 'base64').toString('utf8').trim().split('\n')).toHaveLength(2);
  });

  it('shows no sample without its run: a run and its samples are stored together or not at all', async () => {
    const db = await openHistoryDatabase({ dataDir: null });
    databases.push(db);
    const history = new LatencyHistory(async () => db, () => 1000);
    await history.status(); // creates the tables
    // Samples left by a process killed before its run row existed (the old, two-statement write).
    await db.run(`insert into latency_samples (run_id, measured_at, target, model_id, route_key, region, invoke_id, kind, ttft_ms)
      values ('orphan', '2026-11-20T00:00:00Z', 'm', 'm', 'us-east-1', 'us-east-1', 'm', 'on-demand', 5)`);
    expect(await history.series({ target: 'm', metric: 'ttftMs' })).toEqual([]);
    expect((await history.status()).samples).toBe(0);
    expect(await history.measured('m', 0)).toEqual([]);
    expect(Buffer.from((await history.export({ format: 'csv' })).base64, 'base64').toString('utf8').trim().split('\n')).toHaveLength(1);
  });

  it('reports a run as stored only when its commit succeeded', async () => {
    const db = await openHistoryDatabase({ dataDir: null });
    databases.push(db);
    const logged: string[] = [];
    const failingCommit = { ...db, transaction: () => Promise.reject(new Error('IO Error: disk full')) };
    const history = new LatencyHistory(async () => failingCommit, () => 1000, (line) => logged.push(line));
    history.addSamples([sample(1), sample(2)]);
    expect(await history.saveRun({ id: 'run-1', kind: 'latency', startedAt: '2026-11-20T00:00:00Z', finishedAt: null, target: 'm', status: 'completed', report: {} })).toBe(false);
    expect(logged).toEqual([expect.stringMatching(/run run-1 and its 2 samples could not be stored \(IO Error: disk full\)/)]);
    expect(history.pending()).toBe(0);
  });

  it('refuses a window that is no date instead of failing inside', () => {
    expect(() => sinceInstant('99999999999999999999d')).toThrow(/more than 100 years/);
    expect(() => sinceInstant('2026-13-45')).toThrow(/is not a date/);
  });

  it('reads a duration or an ISO date as the start of a window', () => {
    const now = Date.parse('2026-11-23T00:00:00Z');
    expect(sinceInstant('7d', now)?.toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(sinceInstant('30m', now)?.toISOString()).toBe('2026-11-22T23:30:00.000Z');
    expect(sinceInstant('2026-01-02', now)?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });
});

describe('latency history that cannot be kept', () => {
  it('runs with history off when the data directory is unwritable, and says so', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'atlas-lab-')), 'file');
    await writeFile(file, '');
    const { run, core } = await lab({ dataDir: join(file, 'data') });
    const report = await run(FAST);
    expect(report.stored).toBe(false);
    expect((report.regions['us-east-1'] as { samples: number }).samples).toBe(3);
    expect(await core.handlers.historyStatus(undefined, { signal })).toMatchObject({ state: 'off', warnings: [expect.stringMatching(/not writable .* Runs still work/)] });
  });

  it('moves a corrupt database aside and stores the run in a fresh one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atlas-lab-'));
    await writeFile(join(dataDir, HISTORY_FILE_NAME), 'not a database '.repeat(500));
    const { run, core } = await lab({ dataDir });
    const report = await run(FAST);
    expect(report.stored).toBe(true);
    expect((await readdir(dataDir)).some((name) => name.startsWith(`${HISTORY_FILE_NAME}.corrupt-`))).toBe(true);
    expect((await core.handlers.historyStatus(undefined, { signal })).warnings[0]).toMatch(/could not be read .* moved to .* Nothing else was lost/);
  });

  it('runs with history off while another process holds the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atlas-lab-'));
    const path = join(dataDir, HISTORY_FILE_NAME);
    const holder = await holdDatabase(path);
    try {
      const { run, core } = await lab({ dataDir });
      const report = await run(FAST);
      expect(report).toMatchObject({ status: 'completed', stored: false });
      expect(await core.handlers.historyStatus(undefined, { signal })).toMatchObject({ state: 'off', warnings: [expect.stringMatching(/stayed in use by another process .* A running Bedrock Atlas lets go of it between writes/)] });
      await expect(core.handlers.exportLatency({ format: 'csv' }, { signal })).rejects.toThrow(/Nothing to export: History is off/);
    } finally {
      holder.kill();
    }
    expect(await readFile(path)).toBeTruthy();
  });
});

const OPEN_DUCKDB = (path: string, then: string) =>
  `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(path)}).then(i=>(globalThis.held=i).connect()).then(${then})`;

/**
 * Another process holding the file. DuckDB's lock on a just-created file is not always in place when its connect
 * resolves (seen intermittently under Node 22 and 20), so the lock is checked from a third process, and the holder
 * started again until it holds.
 */
async function holdDatabase(path: string): Promise<ChildProcess> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const holder = spawn(process.execPath, ['-e', OPEN_DUCKDB(path, `()=>{console.log('held');setInterval(()=>{},1000)}`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const probe = spawnSync(process.execPath, ['-e', OPEN_DUCKDB(path, `()=>process.exit(3),()=>process.exit(0)`)]);
    if (probe.status === 0) return holder;
    holder.kill();
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  throw new Error(`could not hold ${path} from another process`);
}

describe('latency history and settings', () => {
  it('moves to a new data directory when dataDir changes, and keeps feeding bestRegions after a catalog rebuild', async () => {
    const { run, core, dataDir } = await lab();
    await run(FAST);
    const moved = await mkdtemp(join(tmpdir(), 'atlas-lab-moved-'));
    await core.handlers.updateSettings({ dataDir: moved }, { signal });
    expect(await core.handlers.historyStatus(undefined, { signal })).toMatchObject({ path: join(moved, HISTORY_FILE_NAME), samples: 0 });
    await run(FAST);
    await core.handlers.updateSettings({ maxAgeHours: 5 }, { signal });
    const best = await core.handlers.bestRegions({ modelId: HAIKU_3, fromRegion: 'us-east-1' }, { signal });
    expect(best.find((route) => route.callRegion === 'us-east-1')?.measured).toMatchObject({ samples: 3 });
    expect(dataDir).not.toBe(moved);
  });

  it('counts the prompt with CountTokens where the model offers it', async () => {
    const { core } = await lab();
    const estimate = await core.handlers.estimateLatencyRun(
      LatencyRunInputSchema.parse({ target: 'anthropic.claude-haiku-4-5', regions: ['us-east-1'], promptSize: 'large' }),
      { signal },
    );
    expect(estimate.prompt).toMatchObject({ size: 'large', countedBy: 'CountTokens' });
    expect(estimate.prompt.inputTokens).toBeGreaterThan(1900);
  });
});
