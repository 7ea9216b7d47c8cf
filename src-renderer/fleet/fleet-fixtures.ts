import type { FleetStatus, FleetSyncResult, FleetVantage, TtftByVantage, VantageRegionTtft } from '../../src-shared/contract/fleet';

/** Team data for the component tests: a status with no store, one synced from three vantages, and a by-vantage answer. */

export const LOCAL: FleetVantage = { name: 'local', label: 'this machine', samples: 48, runs: 3, firstAt: '2026-11-20T09:00:00.000Z', lastAt: '2026-12-06T20:00:00.000Z', parts: 0 };

const vantage = (name: string, samples: number): FleetVantage => ({ name, label: name, samples, runs: samples / 8, firstAt: '2026-11-07T00:00:00.000Z', lastAt: '2026-12-06T23:55:00.000Z', parts: samples / 8 });

export const NO_STORE: FleetStatus = {
  location: null,
  kind: null,
  syncing: false,
  lastSyncAt: null,
  lastSync: null,
  partsCached: 0,
  bytesCached: 0,
  cacheDir: null,
  vantages: [LOCAL],
  schemaVersion: 1,
  problems: [],
};

export const LAST_SYNC: FleetSyncResult = {
  syncId: 's1',
  location: 's3://team-latency/atlas',
  status: 'completed',
  startedAt: '2026-12-07T02:00:00.000Z',
  finishedAt: '2026-12-07T02:00:03.000Z',
  listed: 120,
  downloaded: 12,
  skipped: 108,
  failed: 0,
  bytes: 2_400_000,
  removed: 0,
  problems: [],
};

export const SYNCED: FleetStatus = {
  ...NO_STORE,
  location: 's3://team-latency/atlas',
  kind: 's3',
  lastSyncAt: LAST_SYNC.finishedAt,
  lastSync: LAST_SYNC,
  partsCached: 120,
  bytesCached: 24_000_000,
  cacheDir: '/home/ana/.cache/bedrock-atlas/fleet',
  vantages: [LOCAL, vantage('berlin-office', 320), vantage('ecs-us-west-2', 640), vantage('vpc-ap-southeast-2', 480)],
};

const cell = (vantageName: string, region: string, p50Ms: number, samples = 40): VantageRegionTtft => ({ vantage: vantageName, region, samples, p50Ms, p90Ms: p50Ms * 1.3, p99Ms: p50Ms * 1.8 });

/** Three regions from four places: us-west-2 is near from ECS us-west-2 (212 ms) and far from Sydney (598 ms). */
export const BY_VANTAGE: TtftByVantage = {
  target: 'anthropic.claude-3-haiku-20240307-v1:0',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  since: '30d',
  vantages: ['local', 'berlin-office', 'ecs-us-west-2', 'vpc-ap-southeast-2'],
  regions: ['eu-central-1', 'us-east-1', 'us-west-2'],
  cells: [
    cell('local', 'us-east-1', 402.4, 24),
    cell('berlin-office', 'eu-central-1', 231.6),
    cell('berlin-office', 'us-east-1', 389),
    cell('berlin-office', 'us-west-2', 512),
    cell('ecs-us-west-2', 'us-east-1', 301),
    cell('ecs-us-west-2', 'us-west-2', 212.2),
    cell('vpc-ap-southeast-2', 'us-west-2', 598.7, 1),
  ],
  problems: [],
};
