import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { cellRoute, getModel, bestRegions } from '../../../src-shared/catalog/queries';
import type { AtlasEvent } from '../../../src-shared/events';
import { loadEmulatorData } from '../../emulator/bedrock-data';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario } from '../../emulator/scenario';
import { AwsClientPool } from '../aws/client-pool';
import { CACHE_FILE_NAME, CatalogCache, checksumOf, defaultCacheDir } from './cache';
import { CatalogService } from './service';
import { scanRegions } from './discovery';
import { waitFor } from '../../testing/emulated-core';

const BUNDLED = fileURLToPath(new URL('../../../bundled/bedrock_catalog_bundled.json', import.meta.url));
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const data = loadEmulatorData();
let emulator: RunningEmulator;
let dir: string;
const cleanup: (() => void)[] = [];

function clients(options: Partial<ConstructorParameters<typeof AwsClientPool>[0]> = {}) {
  const pool = new AwsClientPool({ endpointUrl: emulator.url, credentials, maxAttempts: 3, ...options });
  cleanup.push(() => pool.destroy());
  return pool;
}

function service(
  options: { regions?: readonly string[]; cacheMode?: 'file' | 'memory' | 'none'; cacheDir?: string; bundled?: boolean; pool?: AwsClientPool; regionTimeoutMs?: number; maxAgeMs?: number } = {},
) {
  const events: AtlasEvent[] = [];
  const logs: string[] = [];
  const cache = new CatalogCache({ mode: options.cacheMode ?? 'file', dir: options.cacheDir ?? dir, maxAgeMs: options.maxAgeMs ?? 3_600_000, log: (line) => logs.push(line) });
  const catalog = new CatalogService({
    clients: options.pool ?? clients(),
    cache,
    bundledPath: options.bundled === false ? null : BUNDLED,
    regions: () => options.regions ?? COMMERCIAL_REGIONS,
    emit: (event) => events.push(event),
    log: (line) => logs.push(line),
    scan: { regionTimeoutMs: options.regionTimeoutMs ?? 5_000 },
  });
  return { catalog, events, logs, cache };
}

beforeAll(async () => {
  emulator = await startEmulator({ data });
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const done of cleanup.splice(0)) done();
  if (dir) await rm(dir, { recursive: true, force: true });
});
async function freshDir() {
  dir = await mkdtemp(join(tmpdir(), 'atlas-catalog-'));
  return dir;
}

describe('discovery', () => {
  it('scans every region at once and records the ones that fail', async () => {
    await freshDir();
    const { catalog, events } = service();
    const { document, meta } = await catalog.get();
    expect(meta.source).toBe('api');
    expect(meta.simulated).toBe(true);
    for (const [region, regionData] of data.regions) {
      expect(document.regions[region]).toMatchObject({ status: 'ok', modelCount: regionData.models.length, profileCount: regionData.profiles.length });
    }
    expect(document.regions['me-south-1']).toMatchObject({ status: 'error', error: { code: 'UnrecognizedClientException' } });
    expect(document.regions['me-south-1']?.error?.message).toMatch(/not enabled for the account/);
    const progress = events.filter((event) => event.type === 'catalog.progress');
    expect(progress.filter((event) => event.payload.phase === 'started')).toHaveLength(33);
    expect(progress.filter((event) => event.payload.phase === 'failed')).toHaveLength(2);
    expect(progress.at(-1)!.payload).toMatchObject({ completed: 33, total: 33 });
  });

  it('keeps the real data quirks: profile-only models, context-window ids, missing streaming flags, routes', async () => {
    await freshDir();
    const { document } = await service({ regions: ['us-east-1', 'us-west-1', 'eu-west-2'] }).catalog.get();
    expect(document.models['amazon.nova-premier-v1:0:8k']?.regions['us-east-1']).toEqual({ onDemand: false, provisioned: false, profiles: [] });
    expect(Object.values(document.models).some((model) => model.streaming === null)).toBe(true);
    const novaLite = cellRoute(document, 'amazon.nova-2-lite-v1:0', 'us-east-1');
    expect(novaLite).toMatchObject({ primary: 'geo-profile', profileOnly: true, geoProfiles: ['us.amazon.nova-2-lite-v1:0'], globalProfiles: ['global.amazon.nova-2-lite-v1:0'] });
    expect(document.profiles['us.amazon.nova-2-lite-v1:0']?.routes['us-west-1']?.sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2']);
    expect(document.profiles['global.amazon.nova-2-lite-v1:0']).toMatchObject({ scope: 'global', global: true });
    expect(document.profiles['global.amazon.nova-2-lite-v1:0']?.routes['eu-west-2']).toEqual(['eu-west-2']);
    expect(cellRoute(document, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1').primary).toBe('on-demand');
  });

  it('rides out a throttling storm with backoff', async () => {
    await freshDir();
    emulator.setScenario(parseScenario({ throttle: [{ region: '*', operation: 'ListFoundationModels', firstN: 2 }] }));
    const { document } = await service({ regions: ['eu-west-1', 'eu-central-1', 'us-east-2'], regionTimeoutMs: 20_000 }).catalog.get();
    expect(Object.values(document.regions).every((region) => region.status === 'ok')).toBe(true);
    expect(emulator.stats().requests['eu-west-1']?.ListFoundationModels).toBe(3);
  });

  it('gives up on a region that hangs, and finishes the others', async () => {
    await freshDir();
    emulator.setScenario(parseScenario({ hang: ['ap-southeast-2'] }));
    // The hanging region never answers: the scan ends only because it gave up on it (RegionTimeout), not on an answer.
    const { document } = await service({ regions: ['ap-southeast-2', 'eu-west-1'], regionTimeoutMs: 600 }).catalog.get();
    expect(document.regions['ap-southeast-2']).toMatchObject({ status: 'error', error: { code: 'RegionTimeout' } });
    expect(document.regions['eu-west-1']?.status).toBe('ok');
  });

  it('never retries a region the account has not enabled', async () => {
    await freshDir();
    await service({ regions: ['me-central-1'], bundled: true }).catalog.get();
    expect(emulator.stats().requests['me-central-1']?.ListFoundationModels).toBe(1);
  });

  it('shares one scan between concurrent refreshes, and can cancel it', async () => {
    await freshDir();
    emulator.setScenario(parseScenario({ controlPlaneLatencyMs: { '*': 150 } }));
    const { catalog } = service({ regions: ['eu-west-1', 'us-east-1'] });
    const [first, second] = await Promise.all([catalog.refresh(), catalog.refresh()]);
    expect(first.document).toBe(second.document);
    expect(emulator.stats().requests['eu-west-1']?.ListFoundationModels).toBe(1);

    // Cancelled while its requests are at the emulator (held there 150 ms).
    const cancelled = catalog.refresh();
    await waitFor(() => emulator.stats().requests['eu-west-1']?.ListFoundationModels === 2, 10_000);
    expect(catalog.cancelRefresh()).toBe(true);
    await expect(cancelled).rejects.toMatchObject({ name: 'ScanCancelledError' });
    expect(catalog.cancelRefresh()).toBe(false);
  });

  it('scans every region at once, each with its own limit: all 66 list calls are in flight together', { timeout: 70_000 }, async () => {
    // Every region hangs: no call is ever answered, so the emulator's request count is the number in flight at once.
    // A global worker pool (fast regions queued behind slow ones) would hold it at the pool's size. An emulator of its
    // own: a call the test before cancelled can still be on its way to the shared one when the stats are reset, and
    // on a loaded machine it was counted here (us-east-1 seen twice).
    const own = await startEmulator({ data, scenario: parseScenario({ hang: COMMERCIAL_REGIONS }) });
    cleanup.push(() => void own.close());
    const abort = new AbortController();
    // No socket timeout or retry within the wait: on a loaded machine a hung call timed out and retried would count twice.
    const pool = clients({ endpointUrl: own.url, requestTimeoutMs: 300_000, maxAttempts: 1 });
    const scan = scanRegions(COMMERCIAL_REGIONS, { clients: pool, signal: abort.signal, regionTimeoutMs: 300_000 });
    // Held from the start, so a failed wait below never leaves the scan's rejection unhandled.
    const outcome = scan.then(() => null, (error: unknown) => error);
    const inFlight = () => Object.values(own.stats().requests).reduce((sum, operations) => sum + (operations.ListFoundationModels ?? 0) + (operations.ListInferenceProfiles ?? 0), 0);
    try {
      // Generous: 33 SDK clients made at once on a loaded machine take their time; the count is what is asserted.
      await waitFor(() => inFlight() >= 2 * COMMERCIAL_REGIONS.length, 50_000);
      // Each region has exactly its two calls out (ListFoundationModels and the first ListInferenceProfiles page).
      for (const region of COMMERCIAL_REGIONS) expect(own.stats().requests[region], region).toEqual({ ListFoundationModels: 1, ListInferenceProfiles: 1 });
    } finally {
      // Never leave the hung calls to the next test, whatever happened here.
      abort.abort();
    }
    expect(await outcome).toMatchObject({ name: 'ScanCancelledError' });
  });

  it('holds each region to its own limit of calls in flight', async () => {
    // Each answer is held 100 ms at the emulator, so a region's two calls, queued together, would overlap there
    // without the limit (that they do overlap with a limit of 2 is the test above).
    emulator.setScenario(parseScenario({ controlPlaneLatencyMs: { '*': 100 } }));
    const scans = await scanRegions(['eu-west-1', 'us-east-1'], { clients: clients(), perRegionConcurrency: 1 });
    expect(scans.every((scan) => scan.ok)).toBe(true);
    expect(emulator.stats().peakConcurrentRequests).toEqual({ 'eu-west-1': 1, 'us-east-1': 1 });
  });
});

describe('waterfall and cache', () => {
  it('serves the second start from the cache file, checksummed', async () => {
    await freshDir();
    await service({ regions: ['eu-west-1'] }).catalog.get();
    const stored = JSON.parse(await readFile(join(dir, CACHE_FILE_NAME), 'utf8'));
    const { checksum, ...content } = stored;
    expect(checksum).toBe(checksumOf(content));
    emulator.resetStats();
    const second = await service({ regions: ['eu-west-1'] }).catalog.get();
    expect(second.meta.source).toBe('cache');
    expect(emulator.stats().requests).toEqual({});
  });

  it.each([
    ['truncated', (text: string) => text.slice(0, text.length / 2), /truncated or not JSON/],
    ['tampered', (text: string) => text.replace('"eu-west-1"', '"eu-west-9"'), /fails its checksum/],
    ['foreign', (text: string) => text.replace('"schemaVersion":1', '"schemaVersion":99'), /schema version 99/],
    ['not a catalog', () => '[1,2,3]', /schema version undefined/],
  ])('ignores a %s cache file with a warning and replaces it', async (_kind, damage, warning) => {
    await freshDir();
    await service({ regions: ['eu-west-1'] }).catalog.get();
    const path = join(dir, CACHE_FILE_NAME);
    await writeFile(path, damage(await readFile(path, 'utf8')));
    const reloaded = await service({ regions: ['eu-west-1'] }).catalog.get();
    expect(reloaded.meta.source).toBe('api');
    expect(reloaded.meta.warnings.join()).toMatch(warning);
    const repaired = JSON.parse(await readFile(path, 'utf8'));
    expect(repaired.schemaVersion).toBe(1);
  });

  it('refetches a cache file that is too old', async () => {
    await freshDir();
    await service({ regions: ['eu-west-1'] }).catalog.get();
    const reloaded = await service({ regions: ['eu-west-1'], maxAgeMs: -1 }).catalog.get();
    expect(reloaded.meta.source).toBe('api');
    expect(reloaded.meta.warnings.join()).toMatch(/older than/);
  });

  it('degrades to memory when the cache directory is not writable', async () => {
    await freshDir();
    // A directory below a plain file cannot be created, even by root.
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a directory');
    const { catalog, cache } = service({ regions: ['eu-west-1'], cacheDir: join(blocker, 'cache') });
    const snapshot = await catalog.get();
    expect(snapshot.meta.source).toBe('api');
    expect(cache.mode).toBe('memory');
    expect(snapshot.meta.warnings.join()).toMatch(/not writable/);
  });

  it('memory and none modes never touch the disk', async () => {
    await freshDir();
    for (const mode of ['memory', 'none'] as const) {
      const { catalog } = service({ regions: ['eu-west-1'], cacheMode: mode, cacheDir: join(dir, mode) });
      await catalog.get();
      await expect(readFile(join(dir, mode, CACHE_FILE_NAME))).rejects.toThrow(/ENOENT/);
    }
  });

  it('falls back to the bundled catalog, with its date, when every region is down', async () => {
    await freshDir();
    emulator.setScenario(parseScenario({ notEnabled: [...COMMERCIAL_REGIONS] }));
    const snapshot = await service({ regions: ['us-east-1', 'eu-west-1'] }).catalog.get();
    expect(snapshot.meta.source).toBe('bundled');
    expect(snapshot.document.generatedAt).toMatch(/^2026-08-21/);
    expect(snapshot.meta.warnings.join()).toMatch(/bundled catalog from 2026-08-21/);
    expect(Object.keys(snapshot.document.models).length).toBeGreaterThan(100);
  });

  it('says what failed at each step when nothing is left', async () => {
    await freshDir();
    emulator.setScenario(parseScenario({ notEnabled: ['us-east-1'] }));
    await expect(service({ regions: ['us-east-1'], bundled: false }).catalog.get()).rejects.toMatchObject({
      name: 'CatalogUnavailable',
      message: expect.stringMatching(/cache: empty \| api: .*UnrecognizedClientException.* \| bundled: disabled/),
    });
  });

  it('names the fix for missing credentials, and still shows the bundled catalog', async () => {
    await freshDir();
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = '';
    process.env.AWS_SECRET_ACCESS_KEY = '';
    process.env.AWS_CONFIG_FILE = join(dir, 'none-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none-credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    delete process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
    delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    try {
      const pool = new AwsClientPool({ endpointUrl: emulator.url, allowPlaceholderCredentials: false, maxAttempts: 1 });
      cleanup.push(() => pool.destroy());
      const snapshot = await service({ regions: ['eu-west-1'], pool }).catalog.get();
      expect(snapshot.meta.source).toBe('bundled');
      expect(snapshot.meta.warnings.join()).toMatch(/No AWS credentials found\. Set AWS_PROFILE/);
    } finally {
      process.env = saved;
    }
  });

  it('explains expired session tokens per region', async () => {
    await freshDir();
    const pool = clients({ credentials: { accessKeyId: 'ASIAEXPIRED', secretAccessKey: 'x', sessionToken: 'y' } });
    const snapshot = await service({ regions: ['eu-west-1'], pool }).catalog.get();
    expect(snapshot.meta.source).toBe('bundled');
    expect(snapshot.meta.warnings.join()).toMatch(/session token has expired.*aws sso login/);
  });

  it('keeps what it knew about a region that fails on refresh, marked failed', async () => {
    await freshDir();
    const { catalog } = service({ regions: ['eu-west-1', 'us-east-1'] });
    await catalog.get();
    emulator.setScenario(parseScenario({ failures: [{ region: 'eu-west-1', status: 503, firstN: 10 }] }));
    const refreshed = await catalog.refresh();
    expect(refreshed.document.regions['eu-west-1']).toMatchObject({ status: 'error', error: { code: 'ServiceUnavailableException' } });
    expect(refreshed.document.models['amazon.nova-2-lite-v1:0']?.regions['eu-west-1']).toBeDefined();
  });
});

describe('queries and access', () => {
  it('finds models by forgiving names and ranks routes', async () => {
    await freshDir();
    const { catalog } = service({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'] });
    const { document } = await catalog.get();
    expect(getModel(document, 'Claude 3 Haiku')?.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(getModel(document, 'claude-3-haiku')?.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(getModel(document, 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')?.modelId).toBe('amazon.nova-lite-v1:0');
    expect(getModel(document, 'no such model')).toBeNull();
    const routes = bestRegions(document, 'amazon.nova-2-lite-v1:0', 'us-east-1');
    expect(routes[0]).toMatchObject({ invokeId: 'us.amazon.nova-2-lite-v1:0', kind: 'geo-profile', callRegion: 'us-east-1' });
    expect(routes.some((route) => route.kind === 'global-profile')).toBe(true);
    const best = await catalog.bestRegions('Claude 3 Haiku', 'us-east-1');
    expect(best.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(best.routes[0]).toMatchObject({ kind: 'on-demand', rank: 1 });
  });

  it('fetches model access lazily and caches it with the catalog', async () => {
    await freshDir();
    emulator.setScenario(
      parseScenario({ accessDenied: [{ region: 'eu-west-1', modelId: 'amazon.nova-2-lite-v1:0' }], agreementPending: [{ region: 'us-east-1', modelId: 'amazon.nova-2-lite-v1:0' }] }),
    );
    const { catalog } = service({ regions: ['eu-west-1', 'us-east-1'] });
    const access = await catalog.modelAccess('amazon.nova-2-lite-v1:0', ['eu-west-1', 'us-east-1']);
    expect(access['eu-west-1']?.status).toBe('not_authorized');
    expect(access['us-east-1']?.status).toBe('agreement_pending');
    const calls = emulator.stats().requests['eu-west-1']?.GetFoundationModelAvailability;
    expect(calls).toEqual(expect.any(Number));
    await catalog.modelAccess('amazon.nova-2-lite-v1:0', ['eu-west-1']);
    expect(emulator.stats().requests['eu-west-1']?.GetFoundationModelAvailability).toBe(calls);
    const stored = JSON.parse(await readFile(join(dir, CACHE_FILE_NAME), 'utf8'));
    expect(stored.access['amazon.nova-2-lite-v1:0']['eu-west-1'].status).toBe('not_authorized');
  });

  it('puts the cache in the OS cache directory', () => {
    expect(defaultCacheDir('linux', { XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe('/x/cache/bedrock-atlas');
    expect(defaultCacheDir('linux', {}, '/home/u')).toBe('/home/u/.cache/bedrock-atlas');
    expect(defaultCacheDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Caches/bedrock-atlas');
    expect(defaultCacheDir('win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u')).toMatch(/bedrock-atlas.cache$/);
  });
});
