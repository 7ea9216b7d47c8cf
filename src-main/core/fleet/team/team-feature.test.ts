import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatus, FleetSyncProgress } from '../../../../src-shared/contract/fleet';
import type { AtlasEvent } from '../../../../src-shared/events';
import { parseScenario } from '../../../emulator/scenario';
import { waitFor } from '../../../testing/emulated-core';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../../testing/emulated-lab';
import { AwsClientPool } from '../../aws/client-pool';
import { S3 } from '../../aws/services';
import { encodeParts, samplesAround, type TestPart } from './testing/test-store';

/**
 * Team data through the contract, as the app calls it: the Team data setting names an S3 prefix in the emulator,
 * syncFleet fetches it, and the latency methods read a chosen vantage beside this machine's own runs.
 */

const BUCKET = 'team-latency';
const signal = new AbortController().signal;
const NOW = Date.now();
let lab: EmulatedLab;
let writer: AwsClientPool;
const events: AtlasEvent[] = [];

const STORE: TestPart[] = [
  { vantage: 'berlin', runId: 'run-berlin-1', startedAt: NOW - 7_200_000, samples: [...samplesAround('us-east-1', 180), ...samplesAround('eu-west-1', 60)] },
  { vantage: 'oregon', runId: 'run-oregon-1', startedAt: NOW - 3_600_000, samples: [...samplesAround('us-east-1', 90), ...samplesAround('eu-west-1', 210, 3)] },
];

async function putStore(parts: TestPart[], prefix = 'fleet'): Promise<void> {
  const client = await writer.client(S3, 'us-east-1');
  for (const part of parts) {
    for (const [key, bytes] of await encodeParts(part)) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${key}`, Body: bytes }));
  }
}

beforeAll(async () => {
  lab = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 }, s3: { buckets: [BUCKET] } } });
  writer = new AwsClientPool({ endpointUrl: lab.emulator.url, credentials: { accessKeyId: 'AKIDWRITER', secretAccessKey: 'x' }, maxAttempts: 1 });
  lab.core.events.subscribe((event) => events.push(event));
  await putStore(STORE);
  await lab.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 3, warmup: 0, maxTokens: 8 });
});
afterAll(async () => {
  writer.destroy();
  await lab.close();
});

describe('team data through the contract', () => {
  it('starts with no store, refuses a bad one, syncs the one set, and says what it holds', async () => {
    const before = await lab.core.handlers.fleetStatus(undefined, { signal });
    expect(before).toMatchObject({ location: null, partsCached: 0, problems: [] });
    expect(before.vantages).toEqual([expect.objectContaining({ name: 'local', label: 'this machine', samples: 3, runs: 1 })]);
    await expect(lab.core.handlers.syncFleet(undefined, { signal })).rejects.toMatchObject({ code: 'TEAM_STORE_NOT_SET' });

    await expect(lab.core.handlers.updateSettings({ teamStore: 'relative/store' }, { signal })).rejects.toMatchObject({ code: 'INVALID_SETTINGS' });
    await expect(lab.core.handlers.updateSettings({ teamStore: 's3://Not_A_Bucket/x' }, { signal })).rejects.toThrow(/not an S3 bucket name/);
    await lab.core.handlers.updateSettings({ teamStore: `s3://${BUCKET}/fleet/` }, { signal });

    const result = await lab.core.handlers.syncFleet(undefined, { signal });
    expect(result).toMatchObject({ location: `s3://${BUCKET}/fleet`, status: 'completed', listed: 4, downloaded: 4 });
    const progress = events.filter((event) => event.type === 'fleet.sync.progress').map((event) => event.payload as FleetSyncProgress);
    expect(progress.at(-1)).toMatchObject({ syncId: result.syncId, phase: 'done', downloaded: 4 });
    await waitFor(() => events.some((event) => event.type === 'fleet.status' && (event.payload as FleetStatus).partsCached === 4));

    const { vantages } = await lab.core.handlers.fleetVantages(undefined, { signal });
    expect(vantages.map((vantage) => [vantage.name, vantage.samples, vantage.parts])).toEqual([
      ['local', 3, 0],
      ['berlin', 10, 1],
      ['oregon', 8, 1],
    ]);
  });

  it('gives p50/p90/p99 TTFT per vantage and region, this machine first', async () => {
    const answer = await lab.core.handlers.ttftByVantage({ target: 'Claude 3 Haiku', includeLocal: true }, { signal });
    expect(answer).toMatchObject({ modelId: HAIKU_3, since: '30d', vantages: ['local', 'berlin', 'oregon'], regions: ['eu-west-1', 'us-east-1'], problems: [] });
    expect(answer.cells.map(({ vantage, region, samples, p50Ms }) => [vantage, region, samples, vantage === 'local' ? 'measured' : p50Ms])).toEqual([
      ['local', 'us-east-1', 3, 'measured'],
      ['berlin', 'eu-west-1', 5, 60],
      ['berlin', 'us-east-1', 5, 180],
      ['oregon', 'eu-west-1', 3, 210],
      ['oregon', 'us-east-1', 5, 90],
    ]);
    const oregonUsEast = answer.cells.find((cell) => cell.vantage === 'oregon' && cell.region === 'us-east-1')!;
    // Five samples 70, 80, 90, 100, 110: quantile_cont interpolates.
    expect([oregonUsEast.p90Ms, oregonUsEast.p99Ms]).toEqual([106, 109.6]);
  });

  it('reads the history, the series, the ranking and the cell panel from a chosen vantage', async () => {
    const local = await lab.core.handlers.latencyHistory({ limit: 10 }, { signal });
    expect(local.runs).toHaveLength(1);
    expect(local.runs[0]?.vantage).toBeUndefined();
    const all = await lab.core.handlers.latencyHistory({ limit: 10, vantage: 'all' }, { signal });
    expect(all.runs.map((run) => run.vantage)).toEqual(['local', 'oregon', 'berlin']);

    const series = await lab.core.handlers.latencySeries({ target: HAIKU_3, metric: 'ttftMs', vantage: 'berlin' }, { signal });
    expect(series.points).toHaveLength(10);
    expect(new Set(series.points.map((point) => point.vantage))).toEqual(new Set(['berlin']));
    const everywhere = await lab.core.handlers.latencySeries({ target: HAIKU_3, metric: 'ttftMs', vantage: 'all', regions: ['us-east-1'] }, { signal });
    expect(new Set(everywhere.points.map((point) => point.vantage))).toEqual(new Set(['local', 'berlin', 'oregon']));

    const fromOregon = await lab.core.handlers.rankRoutes({ target: HAIKU_3, from: 'us-east-1', vantage: 'oregon' }, { signal });
    expect(fromOregon.routes.filter((route) => route.ttftP50Ms !== null).map((route) => [route.callRegion, route.ttftP50Ms])).toEqual([
      ['us-east-1', 90],
      ['eu-west-1', 210],
    ]);
    const fromBerlin = await lab.core.handlers.bestRegions({ modelId: HAIKU_3, fromRegion: 'eu-west-1', vantage: 'berlin' }, { signal });
    expect(fromBerlin.find((route) => route.callRegion === 'eu-west-1' && route.kind === 'on-demand')?.measured).toMatchObject({ ttftP50Ms: 60, samples: 5 });

    await expect(lab.core.handlers.rankRoutes({ target: HAIKU_3, from: 'us-east-1', vantage: 'paris' }, { signal })).rejects.toMatchObject({
      code: 'UNKNOWN_VANTAGE',
      message: 'No vantage "paris" in the team data. Known: all, local, berlin, oregon.',
    });
  });

  it('cancelFleetSync stops the sync where it is (the signal reaches the SDK) and keeps the cache as it was', async () => {
    await putStore([{ vantage: 'sydney', runId: 'run-sydney-1', startedAt: NOW, samples: samplesAround('us-east-1', 300) }]);
    // S3 answers nothing for a minute: a sync whose cancel did not reach the request in flight would outlast the test.
    lab.emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 5 }, s3: { slowMs: 60_000 } }));
    const lists = () => lab.emulator.stats().requests['us-east-1']?.['s3:ListObjectsV2'] ?? 0;
    const listedBefore = lists();
    const sync = lab.core.handlers.syncFleet(undefined, { signal });
    // The listing reached S3 and waits for its answer.
    await waitFor(() => lists() > listedBefore);
    expect((await lab.core.handlers.fleetStatus(undefined, { signal })).syncing).toBe(true);
    expect(await lab.core.handlers.cancelFleetSync(undefined, { signal })).toEqual({ cancelled: true });
    expect(await sync).toMatchObject({ status: 'cancelled', downloaded: 0 });
    const status = await lab.core.handlers.fleetStatus(undefined, { signal });
    expect(status).toMatchObject({ syncing: false, partsCached: 4 });
    expect(status.vantages.map((vantage) => vantage.name)).toEqual(['local', 'berlin', 'oregon']);
    expect(await lab.core.handlers.cancelFleetSync(undefined, { signal })).toEqual({ cancelled: false });
  });
});
