import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPartKey, partitionDate, partKey } from '../core/fleet/store/layout';
import { FLEET_SCHEMA_VERSION, RUNS_TABLE, SAMPLES_TABLE } from '../core/fleet/store/schema';
import { openHistoryDatabase, type HistoryDatabase } from '../core/storage/history-database';
import { fixtureDirectory, fixtureRuns, fleetStoreFixture, ISSUE_STORE_SHAPE, type FleetStoreShape, type FixtureStore } from './fleet-store-fixture';

/** The bench's store is the monitor's store: its layout, its columns, and TTFTs that follow where they were measured from. */

const [nearVantage, farVantage] = [ISSUE_STORE_SHAPE.vantages[0]!, ISSUE_STORE_SHAPE.vantages[9]!];
const SHAPE: FleetStoreShape = {
  vantages: [nearVantage, farVantage],
  regions: ISSUE_STORE_SHAPE.regions.filter((region) => region.name === 'us-east-1' || region.name === 'ap-southeast-2'),
  targets: ISSUE_STORE_SHAPE.targets.slice(0, 1),
  firstDay: '2026-11-01',
  days: 2,
  cycleMinutes: 360,
  samples: 4_001,
};

let root: string;
let store: FixtureStore;
let db: HistoryDatabase;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fleet-fixture-'));
  store = await fleetStoreFixture(SHAPE, { cacheRoot: root });
  db = await openHistoryDatabase({ dataDir: null });
});
afterAll(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

describe('the bench store fixture', () => {
  it('spreads the samples over one run per target and cycle, adding up to the total', () => {
    const runs = fixtureRuns(SHAPE);
    // 2 vantages × 2 days × 4 cycles a day × 1 target.
    expect(runs).toHaveLength(16);
    expect(runs.reduce((sum, run) => sum + run.samples, 0)).toBe(4_001);
    expect(new Set(runs.map((run) => run.runId)).size).toBe(16);
    expect(Math.max(...runs.map((run) => run.samples)) - Math.min(...runs.map((run) => run.samples))).toBeLessThanOrEqual(1);
  });

  it('writes every part where the store writer puts it, and nothing else but its note', async () => {
    const expected = fixtureRuns(SHAPE).flatMap((run) => [
      partKey('samples', run.vantage, partitionDate(run.startedAt), run.runId),
      partKey('runs', run.vantage, partitionDate(run.startedAt), run.runId),
    ]);
    const files = await filesUnder(store.directory);
    expect(files.filter((file) => file !== 'fixture.json').sort()).toEqual(expected.sort());
    expect(files.filter((file) => file !== 'fixture.json').every(isPartKey)).toBe(true);
  });

  it('gives each table the store schema\'s columns, in order, with their types', async () => {
    const [run] = fixtureRuns(SHAPE);
    for (const table of [SAMPLES_TABLE, RUNS_TABLE]) {
      const file = join(store.directory, ...partKey(table.name, run!.vantage, partitionDate(run!.startedAt), run!.runId).split('/'));
      const columns = await db.all<{ column_name: string; column_type: string }>('describe select * from read_parquet($1, hive_partitioning = false)', [file]);
      expect(columns.map((column) => [column.column_name, column.column_type])).toEqual(table.columns.map((column) => [column.name, column.type]));
    }
  });

  it('reads back as Hive partitions with one run per part, each vantage its own, errors without a TTFT', async () => {
    const glob = join(store.directory, 'samples', '*', '*', '*.parquet');
    const [totals] = await db.all<{ n: bigint; runs: bigint; mismatched: bigint; errors: bigint; erroneous_ttft: bigint; version: number }>(
      `select count(*) as n, count(distinct run_id) as runs, count(*) filter (where vantage <> vantage_partition) as mismatched,
         count(*) filter (where error_class is not null) as errors, count(ttft_ms) filter (where error_class is not null) as erroneous_ttft,
         max(schema_version) as version
       from (select *, regexp_extract(filename, 'vantage=([^/]+)', 1) as vantage_partition from read_parquet($1, filename = true))`,
      [glob],
    );
    expect(totals).toMatchObject({ n: 4_001n, runs: 16n, mismatched: 0n, erroneous_ttft: 0n, version: FLEET_SCHEMA_VERSION });
    expect(Number(totals!.errors)).toBeGreaterThan(0);
    expect(Number(totals!.errors)).toBeLessThan(4_001 * 0.05);
  });

  it('measures a region nearer the vantage faster, by about the round trip between them', async () => {
    const glob = join(store.directory, 'samples', '*', '*', '*.parquet');
    const medians = await db.all<{ vantage: string; region: string; p50: number }>(
      'select vantage, region, quantile_cont(ttft_ms, 0.5) as p50 from read_parquet($1, hive_partitioning = true) group by all',
      [glob],
    );
    const p50 = (vantage: string, region: string) => medians.find((row) => row.vantage === vantage && row.region === region)?.p50 ?? NaN;
    // Virginia to Virginia vs to Sydney: the round trip alone is over 200 ms.
    expect(p50(nearVantage.name, 'ap-southeast-2') - p50(nearVantage.name, 'us-east-1')).toBeGreaterThan(150);
    expect(p50(farVantage.name, 'us-east-1') - p50(farVantage.name, 'ap-southeast-2')).toBeGreaterThan(150);
  });

  it('is found again rather than generated a second time, and another shape gets another directory', async () => {
    const again = await fleetStoreFixture(SHAPE, { cacheRoot: root });
    expect(again).toMatchObject({ directory: store.directory, generated: false });
    expect(store.generated).toBe(true);
    expect(fixtureDirectory({ ...SHAPE, samples: 4_002 }, root)).not.toBe(store.directory);
  });
});
