import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LoadRunInputSchema, type LoadRouteReport } from '../../../src-shared/contract';
import { HISTORY_FILE_NAME, openHistoryDatabase, type HistoryDatabase } from '../storage/history-database';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';
import { LatencyHistory } from './history-store';

/**
 * Every measured request keeps Bedrock's request id (`x-amzn-requestid`) and its send time beside its sample: what
 * attribution matches CloudTrail's events against. A history written before these columns opens with them empty.
 */

const labs: EmulatedLab[] = [];
const databases: HistoryDatabase[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
  databases.splice(0).forEach((db) => db.close());
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The run's samples as attribution reads them, once the lab has let go of its history file. */
async function storedSamples(lab: EmulatedLab, runId: string) {
  await lab.close();
  labs.splice(labs.indexOf(lab), 1);
  const db = await openHistoryDatabase({ dataDir: lab.dataDir });
  databases.push(db);
  return new LatencyHistory(async () => db, () => 1_000_000).runSamples(runId);
}

describe('request ids in the history', () => {
  it('keeps each measured request\'s id and send time, one distinct id per sample, listed by run', async () => {
    const lab = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 5 } } });
    labs.push(lab);
    const before = Date.now();
    const report = await lab.run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 3, maxTokens: 4, warmup: 0 });
    const after = Date.now();
    expect(report.stored).toBe(true);
    const samples = await storedSamples(lab, report.id);
    expect(samples).toHaveLength(6);
    expect(new Set(samples.map((sample) => sample.requestId)).size).toBe(6);
    for (const sample of samples) {
      expect(sample).toMatchObject({ runId: report.id, invokeId: HAIKU_3, routeKind: 'on-demand', requestId: expect.stringMatching(UUID) });
      expect(['us-east-1', 'eu-west-1']).toContain(sample.region);
      const sentAt = Date.parse(sample.sentAt ?? '');
      // Causality, not timing: each request was sent while the run ran.
      expect(sentAt).toBeGreaterThanOrEqual(before - 1);
      expect(sentAt).toBeLessThanOrEqual(after + 1);
    }
    expect(samples.map((sample) => sample.sampleId)).toEqual([...samples.map((sample) => sample.sampleId)].sort((a, b) => a - b));
  });

  it('keeps the request id of a throttled request too (from the error Bedrock answered with)', async () => {
    const lab = await startEmulatedLab({
      scenario: { timeToFirstTokenMs: { '*': 5 }, throttle: [{ region: 'us-east-1', operation: 'ConverseStream', requestsPerMinute: 2 }] },
      overrides: { regions: ['us-east-1'] },
    });
    labs.push(lab);
    const report = await lab.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 5, maxTokens: 4, warmup: 0 });
    expect(report.regions['us-east-1']).toMatchObject({ samples: 2, errors: { throttled: 3 } });
    const samples = await storedSamples(lab, report.id);
    expect(samples).toHaveLength(5);
    expect(samples.every((sample) => UUID.test(sample.requestId ?? ''))).toBe(true);
    expect(new Set(samples.map((sample) => sample.requestId)).size).toBe(5);
  });

  it('lists nothing for a run it does not know', async () => {
    const db = await openHistoryDatabase({ dataDir: null });
    databases.push(db);
    expect(await new LatencyHistory(async () => db, () => 1000).runSamples('no-such-run')).toEqual([]);
  });
});

/** The lab's tables exactly as released before request ids and send times were kept. */
const SCHEMA_BEFORE_REQUEST_IDS = [
  'create sequence if not exists latency_sample_seq',
  `create table if not exists latency_runs (id varchar primary key, kind varchar, started_at timestamp, finished_at timestamp,
    target varchar, status varchar, report json)`,
  `create table if not exists latency_samples (seq bigint default nextval('latency_sample_seq'), run_id varchar, measured_at timestamp,
    target varchar, model_id varchar, route_key varchar, region varchar, invoke_id varchar, kind varchar, error_class varchar,
    ttft_ms double, e2e_ms double, itl_ms double, output_tokens integer, server_ms double, gap_ms double, reused boolean)`,
  `create table if not exists probe_samples (run_id varchar, measured_at timestamp, region varchar, connection varchar, dns_ms double,
    connect_ms double, tls_ms double, ttfb_ms double, total_ms double)`,
];

describe('a history file from before request ids', () => {
  it('opens migrated: every old run and sample still read, with no request id, and new runs (lab and load) keep theirs', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atlas-old-history-'));
    const old = await DuckDBInstance.create(join(dataDir, HISTORY_FILE_NAME));
    const connection = await old.connect();
    for (const statement of SCHEMA_BEFORE_REQUEST_IDS) await connection.run(statement);
    await connection.run(`insert into latency_runs values ('old-run', 'latency', '2026-01-05T10:00:00', '2026-01-05T10:01:00', '${HAIKU_3}', 'completed', '{"id":"old-run"}')`);
    for (let index = 0; index < 3; index++) {
      await connection.run(`insert into latency_samples (run_id, measured_at, target, model_id, route_key, region, invoke_id, kind, ttft_ms, e2e_ms, itl_ms, output_tokens, reused)
        values ('old-run', '2026-01-05T10:00:0${index}', '${HAIKU_3}', '${HAIKU_3}', 'us-east-1', 'us-east-1', '${HAIKU_3}', 'on-demand', ${100 + index}, ${200 + index}, 10, 8, true)`);
    }
    await connection.run(`insert into latency_runs values ('old-probe', 'probe', '2026-01-04T10:00:00', '2026-01-04T10:00:05', null, 'completed', '{"id":"old-probe"}')`);
    await connection.run(`insert into probe_samples values ('old-probe', '2026-01-04T10:00:00', 'us-east-1', 'cold', 1, 2, 3, 40, 50)`);
    connection.closeSync();
    old.closeSync();

    const lab = await startEmulatedLab({ dataDir, scenario: { timeToFirstTokenMs: { '*': 5 } }, overrides: { regions: ['us-east-1'] } });
    labs.push(lab);
    const { runs } = await lab.core.handlers.latencyHistory({ limit: 10 }, { signal: new AbortController().signal });
    expect(runs.map((run) => run.id)).toEqual(['old-run', 'old-probe']);
    expect(runs[0]?.regions['us-east-1']).toMatchObject({ samples: 3, ttftMs: { p50: 101, min: 100, max: 102 } });
    expect(runs[1]).toMatchObject({ kind: 'probe', regions: { 'us-east-1': { samples: 1 } } });
    const fresh = await lab.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 2, maxTokens: 4, warmup: 0 });
    expect(fresh.stored).toBe(true);
    // The load tables were added to the old file too: a load run is stored and read back with its levels.
    const load = await lab.core.streamHandlers.runLoad(LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2] }, stepRequests: 2, maxTokens: 2, warmup: 0 }), {
      signal: new AbortController().signal,
      emit: async () => {},
    });
    expect(load.stored).toBe(true);
    const view = await lab.core.handlers.loadRunLevels({ runId: load.id }, { signal: new AbortController().signal });
    expect((view.regions['us-east-1'] as LoadRouteReport).levels.map((level) => level.sent)).toEqual([2, 2]);

    const oldSamples = await storedSamples(lab, 'old-run');
    expect(oldSamples).toHaveLength(3);
    expect(oldSamples.every((sample) => sample.requestId === null && sample.sentAt === null && sample.region === 'us-east-1')).toBe(true);
    const history = new LatencyHistory(async () => databases[0]!, () => 1_000_000);
    const newSamples = await history.runSamples(fresh.id);
    expect(newSamples.map((sample) => sample.requestId)).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    // Sample numbers keep counting from the old file's sequence: no id is reused.
    expect(Math.min(...newSamples.map((sample) => sample.sampleId))).toBeGreaterThan(Math.max(...oldSamples.map((sample) => sample.sampleId)));
    expect((await history.status()).samples).toBe(9);
    const [probes] = await databases[0]!.all<{ n: bigint }>('select count(*) as n from probe_samples');
    expect(Number(probes?.n)).toBe(1);
  });
});
