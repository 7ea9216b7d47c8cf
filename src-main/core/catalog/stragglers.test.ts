import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import type { AtlasEvent, RegionProgress } from '../../../src-shared/events';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { AwsClientPool } from '../aws/client-pool';
import { CACHE_FILE_NAME, CatalogCache } from './cache';
import { CatalogService } from './service';
import { scanCuttingOffStragglers, STRAGGLER_RULE, type StragglerRule } from './discovery';
import { waitFor } from '../../testing/emulated-core';

/**
 * A scan that one slow or hanging region cannot hold, retries that fit a throttled region, and what a failed region
 * records. The hanging region's request is answered later by lifting the `hang` scenario: the client's read timeout
 * ends the hung attempt and its retry gets through, as a real region that recovers would.
 */

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const QUICK: StragglerRule = { minGraceMs: 300, slowestMultiple: 3 };
/** Cut off as soon as only stragglers are left: the order of events decides, not how long the others took. */
const AT_ONCE: StragglerRule = { minGraceMs: 0, slowestMultiple: 0 };
let emulator: RunningEmulator;
let dir: string;
const cleanup: (() => void)[] = [];

function clients(options: Partial<ConstructorParameters<typeof AwsClientPool>[0]> = {}) {
  const pool = new AwsClientPool({ endpointUrl: emulator.url, credentials, maxAttempts: 3, ...options });
  cleanup.push(() => pool.destroy());
  return pool;
}

interface Setup {
  regions: readonly string[];
  stragglerRule?: StragglerRule;
  regionTimeoutMs?: number;
  /** The control plane's read timeout: how soon a hung attempt is retried. */
  readTimeoutMs?: number;
  now?: () => number;
}

function service({ regions, stragglerRule = QUICK, regionTimeoutMs = 20_000, readTimeoutMs = 15_000, now }: Setup) {
  const events: AtlasEvent[] = [];
  const waiters: { test: (event: AtlasEvent) => boolean; resolve: (event: AtlasEvent) => void }[] = [];
  const catalog = new CatalogService({
    clients: clients({ requestTimeoutMs: readTimeoutMs }),
    cache: new CatalogCache({ mode: 'file', dir, maxAgeMs: 3_600_000 }),
    bundledPath: null,
    regions: () => regions,
    emit: (event) => {
      events.push(event);
      for (const waiter of waiters.filter(({ test }) => test(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    },
    log: () => {},
    scan: { regionTimeoutMs, stragglerRule },
    now,
  });
  cleanup.push(() => catalog.cancelRefresh());
  const next = (test: (event: AtlasEvent) => boolean) => new Promise<AtlasEvent>((resolve) => waiters.push({ test, resolve }));
  const progressOf = (region: string) =>
    events.flatMap((event) => (event.type === 'catalog.progress' && event.payload.region === region ? [event.payload] : []));
  return { catalog, events, next, progressOf };
}

function scenario(input: ScenarioInput) {
  emulator.setScenario(parseScenario(input));
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const done of cleanup.splice(0)) done();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freshDir() {
  dir = await mkdtemp(join(tmpdir(), 'atlas-stragglers-'));
}

describe('a straggler cannot hold the scan', () => {
  it('answers without a hanging region, then merges it in when it arrives, without a second scan', async () => {
    await freshDir();
    scenario({ hang: ['ap-southeast-2'] });
    // The hung attempt ends by its read timeout (2 s) and is retried; the scan answers before, at the cut-off.
    const { catalog, events, next, progressOf } = service({ regions: ['ap-southeast-2', 'eu-west-1', 'us-east-1'], readTimeoutMs: 2_000, stragglerRule: AT_ONCE });
    const first = await catalog.refresh();
    expect(first.document.regions['ap-southeast-2']).toMatchObject({
      status: 'error',
      error: { code: 'RegionTimeout', message: expect.stringMatching(/^ap-southeast-2 has not answered after .*still being waited for/) },
    });
    expect(first.document.regions['ap-southeast-2']?.failedAt).toBe(first.document.generatedAt);
    expect(first.document.regions['eu-west-1']?.status).toBe('ok');
    const cut = progressOf('ap-southeast-2').at(-1)!;
    expect(cut).toMatchObject({ phase: 'failed', completed: 3, total: 3, waiting: ['ap-southeast-2'] });
    const finished = events.filter((event) => event.type === 'catalog.scanFinished');
    expect(finished.map((event) => event.payload)).toMatchObject([{ okRegions: 2, failedRegions: 1 }]);

    const filledIn = next((event) => event.type === 'catalog.updated' && event.payload.document.regions['ap-southeast-2']?.status === 'ok');
    const refinished = next((event) => event.type === 'catalog.scanFinished' && event.payload.okRegions === 3);
    scenario({});
    const updated = await filledIn;
    await refinished;
    const late = progressOf('ap-southeast-2').at(-1)!;
    expect(late).toMatchObject({ phase: 'done', completed: 3, waiting: [], scanId: cut.scanId });
    if (updated.type !== 'catalog.updated') throw new Error('unreachable');
    expect(updated.payload.document.models['amazon.nova-2-lite-v1:0']?.regions['ap-southeast-2']).toBeDefined();
    expect(updated.payload.document.regions['eu-west-1']).toEqual(first.document.regions['eu-west-1']);
    expect((await catalog.get()).document).toBe(updated.payload.document);
    const saved = JSON.parse(await readFile(join(dir, CACHE_FILE_NAME), 'utf8'));
    expect(saved.regions['ap-southeast-2'].status).toBe('ok');
    // Only the hanging region was asked again (its retries), not a second scan.
    expect(emulator.stats().requests['eu-west-1']?.ListFoundationModels).toBe(1);
    expect(emulator.stats().requests['ap-southeast-2']?.ListFoundationModels).toBeGreaterThanOrEqual(2);
  });

  it('gives a straggler 3x the slowest answered region when that is longer than the minimum', async () => {
    scenario({ hang: ['ap-southeast-2'], controlPlaneLatencyMs: { 'eu-west-1': 150 } });
    const { scans, stragglers } = await scanCuttingOffStragglers(['ap-southeast-2', 'eu-west-1', 'us-east-1'], {
      clients: clients(),
      stragglerRule: { minGraceMs: 50, slowestMultiple: 3 },
    });
    const slowest = scans.find((scan) => scan.region === 'eu-west-1')!.durationMs;
    const straggler = scans.find((scan) => scan.region === 'ap-southeast-2')!;
    expect(straggler.durationMs).toBeGreaterThanOrEqual(3 * slowest - 2);
    expect([...stragglers.keys()]).toEqual(['ap-southeast-2']);
  });

  it('cuts off several stragglers at once when few are left (one region in ten)', async () => {
    const regions = COMMERCIAL_REGIONS.filter((region) => region !== 'me-south-1' && region !== 'me-central-1').slice(0, 20);
    const hung = [regions[3], regions[17]].flatMap((region) => (region ? [region] : []));
    expect(hung).toHaveLength(2);
    scenario({ hang: hung });
    const { scans, stragglers } = await scanCuttingOffStragglers(regions, { clients: clients(), stragglerRule: QUICK, regionTimeoutMs: 20_000 });
    expect([...stragglers.keys()].sort()).toEqual([...hung].sort());
    expect(scans.filter((scan) => !scan.ok).map((scan) => scan.region).sort()).toEqual([...hung].sort());
  });

  it('records the final failure of a straggler that never answers, and stops naming it as waited for', async () => {
    await freshDir();
    scenario({ hang: ['ap-southeast-2'] });
    // Cut off once eu-west-1 has answered, then given up on at the region timeout, with no answer ever.
    const { catalog, next, progressOf } = service({ regions: ['ap-southeast-2', 'eu-west-1'], regionTimeoutMs: 4_000, stragglerRule: AT_ONCE });
    const timedOut = next((event) => event.type === 'catalog.updated' && /did not answer in time/.test(event.payload.document.regions['ap-southeast-2']?.error?.message ?? ''));
    const first = await catalog.refresh();
    expect(first.document.regions['ap-southeast-2']?.error?.message).toMatch(/still being waited for/);
    await timedOut;
    expect(progressOf('ap-southeast-2').at(-1)).toMatchObject({ phase: 'failed', waiting: [], error: { code: 'RegionTimeout' } });
  });

  it('stops waiting for stragglers when the refresh is cancelled', async () => {
    await freshDir();
    scenario({ hang: ['ap-southeast-2'] });
    // No read timeout in the test's time: only a cancel can close the hung request.
    const { catalog, events } = service({ regions: ['ap-southeast-2', 'eu-west-1'], stragglerRule: AT_ONCE });
    await catalog.refresh();
    expect(emulator.stats().inFlightRequests['ap-southeast-2']).toBeGreaterThan(0);
    const updates = events.filter((event) => event.type === 'catalog.updated').length;
    expect(catalog.cancelRefresh()).toBe(true);
    // The straggler's requests are closed at the emulator, and never retried, even once the region would answer.
    await waitFor(() => emulator.stats().inFlightRequests['ap-southeast-2'] === 0, 10_000);
    const asked = emulator.stats().requests['ap-southeast-2'];
    scenario({});
    await catalog.refresh(['eu-west-1']);
    expect(emulator.stats().requests['ap-southeast-2']).toEqual(asked);
    expect(events.filter((event) => event.type === 'catalog.updated')).toHaveLength(updates + 1);
    expect(catalog.cancelRefresh()).toBe(false);
  });

  it('drops a straggler that a later refresh asked again', async () => {
    await freshDir();
    scenario({ hang: ['ap-southeast-2'] });
    const { catalog, events, progressOf } = service({ regions: ['ap-southeast-2', 'eu-west-1'], readTimeoutMs: 600 });
    await catalog.refresh();
    const second = catalog.refresh(['eu-west-1', 'ap-southeast-2']);
    scenario({});
    const snapshot = await second;
    expect(snapshot.document.regions['ap-southeast-2']?.status).toBe('ok');
    // The first scan's straggler lands after this (its retry answered at the emulator, nothing of it still held
    // there) and must not be merged or announced.
    await waitFor(() => (emulator.stats().requests['ap-southeast-2']?.ListFoundationModels ?? 0) >= 3 && emulator.stats().inFlightRequests['ap-southeast-2'] === 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const scanIds = new Set(progressOf('ap-southeast-2').map((event: RegionProgress) => event.scanId));
    expect(scanIds.size).toBe(2);
    const updates = events.filter((event) => event.type === 'catalog.updated');
    expect(updates).toHaveLength(2);
  });
});

describe('throttled regions', () => {
  it('finish a full scan after exactly the throttled attempts, with no straggler cut-off', async () => {
    await freshDir();
    scenario({
      throttle: [
        { region: 'eu-west-1', operation: 'ListFoundationModels', firstN: 2 },
        { region: 'ap-northeast-1', operation: 'ListInferenceProfiles', firstN: 1 },
      ],
    });
    const { catalog } = service({ regions: COMMERCIAL_REGIONS, stragglerRule: STRAGGLER_RULE });
    const { document } = await catalog.refresh();
    const failed = Object.entries(document.regions).filter(([, status]) => status.status === 'error').map(([region]) => region);
    expect(failed.sort()).toEqual(['me-central-1', 'me-south-1']);
    const requests = emulator.stats().requests;
    expect(requests['eu-west-1']?.ListFoundationModels).toBe(3);
    expect(requests['ap-northeast-1']?.ListFoundationModels).toBe(1);
    expect(requests['us-east-1']?.ListFoundationModels).toBe(1);
  });
});

describe('a failed region in the document', () => {
  it('records when it failed and why, and keeps what was last known with its date', async () => {
    await freshDir();
    let clock = Date.parse('2026-11-23T10:00:00.000Z');
    // The default grace: a region retrying its 503s must fail on its own, not be cut off as a straggler.
    const { catalog } = service({ regions: ['eu-west-1', 'us-east-1', 'me-south-1'], stragglerRule: STRAGGLER_RULE, now: () => clock });
    const first = await catalog.refresh();
    expect(first.document.regions['eu-west-1']).toMatchObject({ status: 'ok', fetchedAt: '2026-11-23T10:00:00.000Z' });
    expect(first.document.regions['me-south-1']).toEqual({
      status: 'error',
      error: { code: 'UnrecognizedClientException', errorClass: 'credentials', message: expect.stringMatching(/not enabled for the account/) },
      durationMs: expect.any(Number),
      failedAt: '2026-11-23T10:00:00.000Z',
    });
    const euWest = first.document.regions['eu-west-1'];
    expect(euWest).toBeDefined();
    const { modelCount, profileCount } = euWest!;

    scenario({ failures: [{ region: 'eu-west-1', status: 503, firstN: 100 }] });
    clock = Date.parse('2026-11-23T11:00:00.000Z');
    const second = await catalog.refresh();
    expect(second.document.regions['eu-west-1']).toEqual({
      status: 'error',
      error: { code: 'ServiceUnavailableException', errorClass: 'other', message: expect.any(String) },
      durationMs: expect.any(Number),
      failedAt: '2026-11-23T11:00:00.000Z',
      lastKnownAt: '2026-11-23T10:00:00.000Z',
      modelCount,
      profileCount,
    });
    expect(second.document.models['amazon.nova-2-lite-v1:0']?.regions['eu-west-1']).toBeDefined();

    clock = Date.parse('2026-11-23T12:00:00.000Z');
    const third = await catalog.refresh();
    expect(third.document.regions['eu-west-1']).toMatchObject({ failedAt: '2026-11-23T12:00:00.000Z', lastKnownAt: '2026-11-23T10:00:00.000Z', modelCount });
  });
});
