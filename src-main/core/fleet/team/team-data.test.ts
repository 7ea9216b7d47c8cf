import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetSyncProgress } from '../../../../src-shared/contract/fleet';
import type { AtlasEvent } from '../../../../src-shared/events';
import { AwsClientPool } from '../../aws/client-pool';
import { openHistoryDatabase, type HistoryDatabase } from '../../storage/history-database';
import { ParquetEncoder } from '../store/parquet-writer';
import { directoryTarget } from '../store/local-target';
import { fleetCycle } from '../store/testing/cycles';
import { ttftByVantage } from './query';
import { TeamData, UnknownVantageError } from './team-data';
import { waitFor } from '../../../testing/emulated-core';
import { samplesAround, samplesKey, TEST_MODEL, writeDirectoryParts } from './testing/test-store';

const DAY = 86_400_000;
const NOW = Date.now();

interface Harness {
  team: TeamData;
  store: string;
  events: AtlasEvent[];
  setLocation(location: string | null): void;
}

const open: { team: TeamData; history: HistoryDatabase; pool: AwsClientPool; dir: string }[] = [];
afterEach(async () => {
  for (const { team, history, pool, dir } of open.splice(0)) {
    await team.close();
    await history.close();
    pool.destroy();
    await rm(dir, { recursive: true, force: true });
  }
});

async function harness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'team-data-'));
  const store = join(dir, 'store');
  const history = await openHistoryDatabase({ dataDir: join(dir, 'data') });
  const pool = new AwsClientPool({ endpointUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
  const events: AtlasEvent[] = [];
  let location: string | null = store;
  const team = new TeamData({
    location: () => location,
    dataDir: () => join(dir, 'data'),
    pool,
    history: { database: async () => history },
    region: () => 'us-east-1',
    emit: (event) => events.push(event),
  });
  open.push({ team, history, pool, dir });
  return { team, store, events, setLocation: (next) => (location = next) };
}

describe('team data from a directory store', () => {
  it('syncs every part, then only new or changed ones, and reads p50 TTFT per vantage and region', async () => {
    const { team, store, events } = await harness();
    await writeDirectoryParts(store, [
      { vantage: 'berlin', runId: 'run-b1', startedAt: NOW - DAY, samples: [...samplesAround('eu-central-1', 120), ...samplesAround('us-east-1', 300)] },
      { vantage: 'oregon', runId: 'run-o1', startedAt: NOW - DAY, samples: [...samplesAround('eu-central-1', 260), ...samplesAround('us-east-1', 90, 3)] },
    ]);
    const first = await team.sync();
    expect(first).toMatchObject({ status: 'completed', listed: 4, downloaded: 4, skipped: 0, failed: 0 });
    const progress = events.filter((event) => event.type === 'fleet.sync.progress').map((event) => event.payload as FleetSyncProgress);
    expect(progress[0]?.phase).toBe('listing');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', downloaded: 4 });

    const { engine, parts, scope } = await team.scope('all');
    const cells = await ttftByVantage(engine, parts, { targets: [TEST_MODEL], since: null, includeLocal: scope.includeLocal });
    expect(cells.map(({ vantage, region, samples, p50Ms }) => ({ vantage, region, samples, p50Ms }))).toEqual([
      { vantage: 'berlin', region: 'eu-central-1', samples: 5, p50Ms: 120 },
      { vantage: 'berlin', region: 'us-east-1', samples: 5, p50Ms: 300 },
      { vantage: 'oregon', region: 'eu-central-1', samples: 5, p50Ms: 260 },
      { vantage: 'oregon', region: 'us-east-1', samples: 3, p50Ms: 90 },
    ]);

    const again = await team.sync();
    expect(again).toMatchObject({ status: 'completed', listed: 4, downloaded: 0, skipped: 4 });

    await writeDirectoryParts(store, [{ vantage: 'sydney', runId: 'run-s1', startedAt: NOW, samples: samplesAround('ap-southeast-2', 40) }]);
    const third = await team.sync();
    expect(third).toMatchObject({ listed: 6, downloaded: 2, skipped: 4 });
    const status = await team.status();
    expect(status.vantages.map((vantage) => [vantage.name, vantage.samples, vantage.parts])).toEqual([
      ['local', 0, 0],
      ['berlin', 10, 1],
      ['oregon', 8, 1],
      ['sydney', 5, 1],
    ]);
    expect(status).toMatchObject({ partsCached: 6, problems: [] });
    expect(events.filter((event) => event.type === 'fleet.status')).not.toHaveLength(0);
  });

  it('skips and names a corrupt part, and reads a newer schema\'s part for the columns it knows, flagged', async () => {
    const { team, store } = await harness();
    await writeDirectoryParts(store, [
      { vantage: 'berlin', runId: 'run-b1', startedAt: NOW, samples: samplesAround('eu-central-1', 120) },
      { vantage: 'future', runId: 'run-f1', startedAt: NOW, samples: samplesAround('eu-central-1', 70), schemaVersion: 99, extraColumns: { gpu_temperature: 'hot' } },
    ]);
    const corruptKey = samplesKey({ vantage: 'oregon', runId: 'run-o1', startedAt: NOW });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(store, 'samples', 'vantage=oregon', `date=${new Date(NOW).toISOString().slice(0, 10)}`), { recursive: true });
    await writeFile(join(store, ...corruptKey.split('/')), 'these are not parquet bytes');

    const result = await team.sync();
    expect(result.status).toBe('completed');
    const status = await team.status();
    expect(status.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'corrupt', part: corruptKey }),
        expect.objectContaining({ kind: 'newer-schema', part: samplesKey({ vantage: 'future', runId: 'run-f1', startedAt: NOW }), message: expect.stringContaining('newer Bedrock Atlas') }),
      ]),
    );
    const { engine, parts, scope } = await team.scope('all');
    const cells = await ttftByVantage(engine, parts, { targets: [TEST_MODEL], since: null, includeLocal: scope.includeLocal });
    expect(cells.map((cell) => [cell.vantage, cell.p50Ms])).toEqual([
      ['berlin', 120],
      ['future', 70],
    ]);
    // The corrupt part is not fetched again until the store holds a new version of it.
    expect(await team.sync()).toMatchObject({ downloaded: 0, skipped: 5 });
  });

  it('keeps the last cache readable when the store goes away, and says so', async () => {
    const { team, store } = await harness();
    await writeDirectoryParts(store, [{ vantage: 'berlin', runId: 'run-b1', startedAt: NOW, samples: samplesAround('eu-central-1', 120) }]);
    expect((await team.sync()).status).toBe('completed');
    await rm(store, { recursive: true, force: true });

    const result = await team.sync();
    expect(result.status).toBe('unreachable');
    const status = await team.status();
    expect(status.problems).toEqual([expect.objectContaining({ kind: 'unreachable', message: expect.stringContaining('stays readable') })]);
    expect(status.partsCached).toBe(2);
    expect(status.vantages.find((vantage) => vantage.name === 'berlin')?.samples).toBe(5);
  });

  it('skips and names a part that fails under a query (a file read in place gone since the sync), and answers from the rest', async () => {
    const { team, store } = await harness();
    team.readDirectoryInPlace();
    const keys = await writeDirectoryParts(store, [
      { vantage: 'berlin', runId: 'run-b1', startedAt: NOW, samples: samplesAround('eu-central-1', 120) },
      { vantage: 'oregon', runId: 'run-o1', startedAt: NOW, samples: samplesAround('eu-central-1', 260) },
    ]);
    expect(await team.sync()).toMatchObject({ status: 'completed', downloaded: 4, bytes: 0 });
    const gone = keys.find((key) => key.startsWith('samples/vantage=oregon'))!;
    await rm(join(store, ...gone.split('/')));

    const cells = await team.query('all', (engine, parts, scope) => ttftByVantage(engine, parts, { targets: [TEST_MODEL], since: null, includeLocal: scope.includeLocal }));
    expect(cells.map((cell) => cell.vantage)).toEqual(['berlin']);
    expect((await team.status()).problems).toEqual([expect.objectContaining({ kind: 'corrupt', part: gone, message: expect.stringContaining('could not be read') })]);
  });

  it('reads a partition of many parts from one compacted file, rewritten when a part arrives, and part by part when that file fails', async () => {
    const { team, store, events } = await harness();
    // Each sync ends with a status read in the background (a query over the parts): waited for, so it never meets
    // the file this test damages below.
    const statusesAfter = async (syncs: number) => waitFor(() => events.filter((event) => event.type === 'fleet.status').length >= syncs);
    // Three runs of one vantage on one day: one partition of three parts.
    await writeDirectoryParts(
      store,
      [100, 200, 300].map((median, index) => ({ vantage: 'berlin', runId: `run-${index}`, startedAt: NOW - DAY, samples: samplesAround('eu-central-1', median, 1) })),
    );
    await team.sync();
    await statusesAfter(1);
    const read = async () => {
      const { engine, parts, scope } = await team.scope('all');
      const cells = await ttftByVantage(engine, parts, { targets: [TEST_MODEL], since: null, includeLocal: scope.includeLocal });
      return { files: parts.samples, cells: cells.map(({ vantage, samples, p50Ms }) => ({ vantage, samples, p50Ms })) };
    };
    const compacted = await read();
    expect(compacted.files).toHaveLength(1);
    const compactedFile = /compacted[\\/]samples[\\/]vantage=berlin[\\/]date=\d{4}-\d{2}-\d{2}[\\/]compacted-[0-9a-f]{12}\.parquet$/;
    expect(compacted.files[0]).toMatch(compactedFile);
    expect(compacted.cells).toEqual([{ vantage: 'berlin', samples: 3, p50Ms: 200 }]);

    // A fourth run in the same partition: the compacted file is rewritten to hold it too.
    await writeDirectoryParts(store, [{ vantage: 'berlin', runId: 'run-3', startedAt: NOW - DAY, samples: samplesAround('eu-central-1', 400, 1) }]);
    await team.sync();
    await statusesAfter(2);
    const rewritten = await read();
    expect(rewritten.files).toHaveLength(1);
    expect(rewritten.files[0]).toMatch(compactedFile);
    expect(rewritten.files[0]).not.toBe(compacted.files[0]);
    expect(existsSync(compacted.files[0]!)).toBe(false);
    expect(rewritten.cells).toEqual([{ vantage: 'berlin', samples: 4, p50Ms: 250 }]);

    // The compacted file damaged after the sync: the query sets it aside and reads the four parts.
    await writeFile(rewritten.files[0]!, 'PAR1 not parquet any more');
    expect((await team.scope('all')).parts.samples).toHaveLength(1);
    const answered = await team.query('all', (queryEngine, queryParts, queryScope) => ttftByVantage(queryEngine, queryParts, { targets: [TEST_MODEL], since: null, includeLocal: queryScope.includeLocal }));
    expect(answered.map(({ samples, p50Ms }) => ({ samples, p50Ms }))).toEqual([{ samples: 4, p50Ms: 250 }]);
    expect((await team.scope('all')).parts.samples).toHaveLength(4);
  });

  it('refuses a vantage no part holds, naming the known ones', async () => {
    const { team, store } = await harness();
    await writeDirectoryParts(store, [{ vantage: 'berlin', runId: 'run-b1', startedAt: NOW, samples: samplesAround('eu-central-1', 120) }]);
    await team.sync();
    const refusal = await team.checkVantage('paris').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnknownVantageError);
    expect((refusal as Error).message).toBe('No vantage "paris" in the team data. Known: all, local, berlin.');
    const runs = await team.runs({ limit: 10 }, 'berlin');
    expect(runs).toEqual([expect.objectContaining({ id: 'run-b1', vantage: 'berlin', regions: { 'eu-central-1': expect.objectContaining({ samples: 5 }) } })]);
    const series = await team.series({ target: TEST_MODEL, metric: 'ttftMs' }, 'berlin');
    expect(series).toHaveLength(5);
    expect(new Set(series.map((point) => point.vantage))).toEqual(new Set(['berlin']));
  });
});

describe('what the monitor\'s own writer wrote', () => {
  it('is read as written: its samples and runs by vantage, its probes left in the store', async () => {
    const { team, store } = await harness();
    const scratch = await mkdtemp(join(tmpdir(), 'team-writer-'));
    const encoder = new ParquetEncoder(scratch);
    const target = directoryTarget(store);
    const cycles = [
      fleetCycle({ runId: 'cycle-fra-1', vantage: 'eu-central-1-ecs', startedAt: NOW - 2 * DAY, probes: 2, samples: [{ ttftMs: 300 }, { ttftMs: 320 }, { ttftMs: 340 }] }),
      fleetCycle({ runId: 'cycle-pdx-1', vantage: 'us-west-2-lambda', startedAt: NOW - DAY, samples: [{ ttftMs: 80 }, { ttftMs: 100 }, { errorClass: 'throttled' }] }),
    ];
    try {
      for (const cycle of cycles) for (const part of await encoder.encode(cycle)) await target.put(part.key, part.bytes);
    } finally {
      await encoder.close();
      await rm(scratch, { recursive: true, force: true });
    }
    // Five parts in the store; the probes part is read by no view, so four are listed.
    expect(await team.sync()).toMatchObject({ status: 'completed', listed: 4, downloaded: 4 });
    const { engine, parts, scope } = await team.scope('all');
    const cells = await ttftByVantage(engine, parts, { targets: ['amazon.nova-lite-v1:0'], since: null, includeLocal: scope.includeLocal });
    expect(cells.map(({ vantage, samples, p50Ms }) => [vantage, samples, p50Ms])).toEqual([
      ['eu-central-1-ecs', 3, 320],
      ['us-west-2-lambda', 2, 90],
    ]);
    const runs = await team.runs({ limit: 10 }, 'all');
    expect(runs.map((run) => [run.id, run.vantage, run.status, run.target])).toEqual([
      ['cycle-pdx-1', 'us-west-2-lambda', 'completed', 'amazon.nova-lite-v1:0'],
      ['cycle-fra-1', 'eu-central-1-ecs', 'completed', 'amazon.nova-lite-v1:0'],
    ]);
    expect((await team.status()).vantages.map((vantage) => [vantage.name, vantage.samples, vantage.runs])).toEqual([
      ['local', 0, 0],
      ['eu-central-1-ecs', 3, 1],
      ['us-west-2-lambda', 3, 1],
    ]);
  });
});
