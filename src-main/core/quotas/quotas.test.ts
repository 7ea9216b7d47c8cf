import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteQuotas } from '../../../src-shared/catalog/quotas';
import type { AtlasEvent, RegionProgress } from '../../../src-shared/events';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { waitFor } from '../../testing/emulated-core';
import { AwsClientPool } from '../aws/client-pool';
import { CACHE_FILE_NAME, CatalogCache, checksumOf } from '../catalog/cache';
import type { StragglerRule } from '../catalog/discovery';
import { CatalogService } from '../catalog/service';
import { QuotasService } from './service';

/**
 * The quotas feature against the emulator's Service Quotas over real HTTP: every page, every region at once,
 * applied and default values, refused and failing regions as data, names not guessed, the section cached in the
 * catalog file, a refresh of its own, and a cancel that closes the requests.
 */

const emulator = emulatorPerFile();
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const done of cleanup.splice(0)) await done();
});

interface Setup {
  regions: readonly string[];
  dir?: string;
  stragglerRule?: StragglerRule;
  readTimeoutMs?: number;
  maxSocketsPerRegion?: number;
  now?: () => number;
}

function services({ regions, dir, stragglerRule, readTimeoutMs, maxSocketsPerRegion, now }: Setup) {
  const clients = new AwsClientPool({ endpointUrl: emulator.url, credentials, maxAttempts: 3, ...(readTimeoutMs ? { requestTimeoutMs: readTimeoutMs } : {}), ...(maxSocketsPerRegion ? { maxSocketsPerRegion } : {}) });
  const events: AtlasEvent[] = [];
  const waiters: { test: (event: AtlasEvent) => boolean; resolve: () => void }[] = [];
  const emit = (event: AtlasEvent) => {
    events.push(event);
    for (const waiter of waiters.filter(({ test }) => test(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const cache = new CatalogCache(dir ? { mode: 'file', dir, maxAgeMs: 3_600_000 } : { mode: 'memory', maxAgeMs: 3_600_000 });
  const catalog = new CatalogService({ clients, cache, bundledPath: null, regions: () => regions, emit, log: () => {} });
  const quotas = new QuotasService({ clients, catalog, regions: () => regions, maxAgeMs: () => 3_600_000, emit, log: () => {}, fetch: { regionTimeoutMs: 20_000, ...(stragglerRule ? { stragglerRule } : {}) }, ...(now ? { now } : {}) });
  cleanup.push(() => {
    quotas.cancelRefresh();
    catalog.cancelRefresh();
    clients.destroy();
  });
  const next = (test: (event: AtlasEvent) => boolean) => new Promise<void>((resolve) => waiters.push({ test, resolve }));
  const progress = () => events.flatMap((event): RegionProgress[] => (event.type === 'quotas.progress' ? [event.payload] : []));
  return { catalog, quotas, events, next, progress };
}

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
const calls = (region: string, operation: string) => emulator.stats().requests[region]?.[operation] ?? 0;
const route = (routes: RouteQuotas[], invokeId: string) => routes.find((entry) => entry.invokeId === invokeId && entry.variant === undefined);

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-quotas-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('fetching the quotas', () => {
  it('reads every page of both lists, in every region', async () => {
    given({ quotas: { pageSize: 7 } });
    const { quotas } = services({ regions: ['us-east-1', 'eu-west-1'] });
    const paged = await quotas.get();
    const pages = calls('us-east-1', 'servicequotas:ListServiceQuotas');
    expect(pages).toBeGreaterThan(10);
    expect(calls('us-east-1', 'servicequotas:ListAWSDefaultServiceQuotas')).toBe(pages);
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(pages);

    // The same section as read 100 a page: nothing was lost between pages.
    given({});
    const whole = await services({ regions: ['us-east-1', 'eu-west-1'] }).quotas.get();
    const wholePages = calls('us-east-1', 'servicequotas:ListServiceQuotas') - pages;
    expect(wholePages).toBeGreaterThan(1);
    expect(wholePages).toBeLessThan(pages / 10);
    expect(paged.regions).toEqual(Object.fromEntries(Object.entries(whole.regions).map(([region, entry]) => [region, { ...entry, fetchedAt: paged.regions[region]!.fetchedAt }])));
    expect(route(whole.regions['us-east-1']!.routes, HAIKU)?.requestsPerMinute?.quotaCode).toBeDefined();
  });

  it('shows the applied value apart from the default, and a quota of 0 as 0', async () => {
    given({
      quotas: {
        rules: [
          { region: 'us-east-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 800, default: 1000 },
          { region: 'us-east-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'tokensPerMinute', applied: 0 },
        ],
      },
    });
    const { quotas } = services({ regions: ['us-east-1', 'eu-west-1'] });
    const [haiku] = await quotas.routeQuotas(HAIKU, 'us-east-1');
    expect(haiku).toMatchObject({ invokeId: HAIKU, routeKind: 'on-demand', requestsPerMinute: { applied: 800, default: 1000 }, tokensPerMinute: { applied: 0 } });
    expect(haiku?.tokensPerMinute?.default).toBeGreaterThan(0);
    // The rule is us-east-1's: eu-west-1 keeps the recorded value, applied as default.
    const [elsewhere] = await quotas.routeQuotas(HAIKU, 'eu-west-1');
    expect(elsewhere?.requestsPerMinute?.applied).toBe(elsewhere?.requestsPerMinute?.default);
  });

  it('answers a refused and a failing region as data, marked, beside the regions that answered', async () => {
    given({ quotas: { denied: ['eu-west-3'], failing: ['ap-south-1'] } });
    const { quotas, progress } = services({ regions: ['us-east-1', 'eu-west-3', 'ap-south-1'] });
    const answer = await quotas.get();
    expect(answer.regions['us-east-1']?.status).toBe('ok');
    expect(answer.regions['eu-west-3']).toMatchObject({
      status: 'error',
      routes: [],
      error: { code: 'AccessDeniedException', errorClass: 'accessDenied', message: expect.stringContaining('allow servicequotas:ListServiceQuotas and servicequotas:ListAWSDefaultServiceQuotas') },
    });
    expect(answer.regions['ap-south-1']).toMatchObject({ status: 'error', routes: [], error: { code: 'ServiceException', message: expect.stringContaining('failed on AWS') } });
    // A failing region is retried (the client pool's 3 attempts) until one list gives up, which stops the other; a
    // refused one is not retried.
    const attempts = (region: string) => [calls(region, 'servicequotas:ListServiceQuotas'), calls(region, 'servicequotas:ListAWSDefaultServiceQuotas')];
    expect(Math.max(...attempts('ap-south-1'))).toBe(3);
    expect(Math.max(...attempts('eu-west-3'))).toBe(1);
    expect(progress().filter((event) => event.phase !== 'started').map((event) => [event.region, event.phase]).sort()).toEqual([
      ['ap-south-1', 'failed'],
      ['eu-west-3', 'failed'],
      ['us-east-1', 'done'],
    ]);
    await expect(quotas.routeQuotas(HAIKU, 'eu-west-3')).rejects.toMatchObject({ name: 'QuotasUnreadable', code: 'AccessDeniedException' });
    expect(await quotas.quotasFrom(HAIKU, 'eu-west-3')).toMatchObject({ fetchedAt: null, error: { code: 'AccessDeniedException' } });
  });

  it('retries a throttled region within the pool’s attempts, and it answers', async () => {
    given({ quotas: { throttled: [{ region: 'eu-west-1', firstN: 2 }] } });
    const answer = await services({ regions: ['eu-west-1'] }).quotas.get();
    expect(answer.regions['eu-west-1']?.status).toBe('ok');
  });

  it('keeps a region’s last known quotas when a refresh fails there, marked with when they were fetched', async () => {
    const { quotas } = services({ regions: ['us-east-1', 'eu-west-1'] });
    const first = await quotas.get();
    given({ quotas: { denied: ['eu-west-1'] } });
    const second = await quotas.refresh();
    expect(second.regions['us-east-1']?.status).toBe('ok');
    expect(second.regions['eu-west-1']).toMatchObject({ status: 'error', error: { code: 'AccessDeniedException' }, lastKnownAt: first.regions['eu-west-1']!.fetchedAt });
    expect(second.regions['eu-west-1']?.routes).toEqual(first.regions['eu-west-1']?.routes);
    expect(second.unmatched.filter((entry) => entry.region === 'eu-west-1')).toEqual(first.unmatched.filter((entry) => entry.region === 'eu-west-1'));
    // The routes stay usable, as last known.
    expect(await quotas.quotasFrom(HAIKU, 'eu-west-1')).toMatchObject({ fetchedAt: first.regions['eu-west-1']!.fetchedAt, error: { code: 'AccessDeniedException' } });
    expect(await quotas.routeQuotas(HAIKU, 'eu-west-1')).toEqual(first.regions['eu-west-1']!.routes.filter((entry) => entry.modelId === HAIKU));
  });
});

describe('names', () => {
  it('lists a name that fits two catalog models as ambiguous, and one that fits none as unmatched; neither is guessed', async () => {
    const { catalog, quotas } = services({ regions: ['us-east-1'] });
    const { document } = await catalog.get();
    // Two models the catalog names alike, both on demand in us-east-1, whatever models the emulator serves.
    const byName = new Map<string, string[]>();
    for (const model of Object.values(document.models)) {
      if (model.regions['us-east-1']?.onDemand) byName.set(`${model.providerName} ${model.modelName}`, [...(byName.get(`${model.providerName} ${model.modelName}`) ?? []), model.modelId]);
    }
    const [twinName, twins] = [...byName].find(([, ids]) => ids.length === 2)!;
    given({
      quotas: {
        extra: [
          { region: 'us-east-1', quotaCode: 'L-TWINS001', quotaName: `On-demand model inference tokens per minute for ${twinName}`, value: 123_000 },
          { region: 'us-east-1', quotaCode: 'L-NOBODY01', quotaName: 'Cross-region model inference tokens per minute for Acme Imaginary Model 9 V1', value: 456_000, adjustable: true },
          { region: 'us-east-1', quotaCode: 'L-NOTINF01', quotaName: 'Acme widgets per account', value: 3 },
        ],
      },
    });
    const answer = await quotas.get();
    const listed = answer.unmatched.filter((entry) => ['L-TWINS001', 'L-NOBODY01', 'L-NOTINF01'].includes(entry.quotaCode));
    expect(listed).toEqual([
      { region: 'us-east-1', quotaCode: 'L-NOBODY01', quotaName: 'Cross-region model inference tokens per minute for Acme Imaginary Model 9 V1', value: 456_000, reason: 'its name fits no model of the catalog' },
      { region: 'us-east-1', quotaCode: 'L-TWINS001', quotaName: `On-demand model inference tokens per minute for ${twinName}`, value: 123_000, candidates: [...twins!].sort(), reason: expect.stringContaining('not guessed') },
    ]);
    for (const modelId of twins!) expect(route(answer.regions['us-east-1']!.routes, modelId)?.tokensPerMinute?.quotaCode).not.toBe('L-TWINS001');
    // With a target, only the ambiguous quotas that name it are listed.
    const targeted = await quotas.get({ target: twins![0]! });
    expect(targeted.modelId).toBe(twins![0]);
    expect(targeted.unmatched.map((entry) => entry.quotaCode)).toContain('L-TWINS001');
    expect(targeted.unmatched.map((entry) => entry.quotaCode)).not.toContain('L-NOBODY01');
    expect(targeted.regions['us-east-1']!.routes.every((entry) => entry.modelId === twins![0])).toBe(true);
  });

  it('refuses a target that names no model, as a bad argument', async () => {
    const { quotas } = services({ regions: ['us-east-1'] });
    await expect(quotas.get({ target: 'no such model at all' })).rejects.toMatchObject({ name: 'UnknownTarget', code: 'UNKNOWN_TARGET' });
  });
});

describe('the section in the catalog document', () => {
  it('is saved in the catalog file, atomically and checksummed, and read back by the next start without asking AWS', async () => {
    const dir = await freshDir();
    const first = await services({ regions: ['us-east-1', 'eu-west-1'], dir }).quotas.get();
    const saved = JSON.parse(await readFile(join(dir, CACHE_FILE_NAME), 'utf8')) as Record<string, unknown>;
    const { checksum, ...content } = saved;
    expect(checksum).toBe(checksumOf(content as never));
    expect(content.quotas).toEqual({ fetchedAt: first.fetchedAt, regions: first.regions, unmatched: first.unmatched });
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    emulator.resetStats();
    const again = await services({ regions: ['us-east-1', 'eu-west-1'], dir }).quotas.get();
    expect(again).toEqual(first);
    expect(emulator.stats().requests).toEqual({});
  });

  it('is refreshed on its own: Service Quotas is asked again, the catalog is not scanned again', async () => {
    const dir = await freshDir();
    const { catalog, quotas, events } = services({ regions: ['us-east-1'], dir });
    const first = await quotas.get();
    const pages = calls('us-east-1', 'servicequotas:ListServiceQuotas');
    const generatedAt = (await catalog.get()).document.generatedAt;
    given({ quotas: { rules: [{ region: 'us-east-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 42 }] } });
    const refreshed = await quotas.refresh();
    expect(route(refreshed.regions['us-east-1']!.routes, HAIKU)?.requestsPerMinute?.applied).toBe(42);
    expect(Date.parse(refreshed.fetchedAt!)).toBeGreaterThanOrEqual(Date.parse(first.fetchedAt!));
    expect(calls('us-east-1', 'ListFoundationModels')).toBe(1);
    expect(calls('us-east-1', 'servicequotas:ListServiceQuotas')).toBe(2 * pages);
    const { document } = await catalog.get();
    expect(document.generatedAt).toBe(generatedAt);
    expect(document.quotas?.fetchedAt).toBe(refreshed.fetchedAt);
    expect(events.filter((event) => event.type === 'catalog.updated').length).toBeGreaterThanOrEqual(2);
    // A catalog refresh keeps the section as it was.
    await catalog.refresh();
    expect((await catalog.get()).document.quotas).toEqual(document.quotas);
  });

  it('is fetched again for a region older than the cache’s age limit, and only for it', async () => {
    let clock = Date.now();
    const { quotas } = services({ regions: ['us-east-1', 'eu-west-1'], now: () => clock });
    await quotas.get();
    const pages = calls('eu-west-1', 'servicequotas:ListServiceQuotas');
    clock += 30 * 60_000;
    await quotas.get({ regions: ['eu-west-1'] });
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(pages);
    clock += 31 * 60_000;
    await quotas.get({ regions: ['eu-west-1'] });
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(2 * pages);
    expect(calls('us-east-1', 'servicequotas:ListServiceQuotas')).toBe(pages);
  });

  it('is shared by concurrent callers: concurrent reads fetch once, concurrent refreshes fetch once more', async () => {
    const { quotas } = services({ regions: ['eu-west-1'] });
    const [a, b] = await Promise.all([quotas.get(), quotas.get()]);
    expect(b).toEqual(a);
    const once = calls('eu-west-1', 'servicequotas:ListServiceQuotas');
    given({ quotas: { rules: [{ region: 'eu-west-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 7 }] } });
    const [refreshed, again] = await Promise.all([quotas.refresh(), quotas.refresh()]);
    expect(route(refreshed.regions['eu-west-1']!.routes, HAIKU)?.requestsPerMinute?.applied).toBe(7);
    expect(again.regions).toEqual(refreshed.regions);
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(2 * once);
    // Fresh now: a read asks nothing.
    await quotas.get();
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(2 * once);
  });

  it('a refresh asked while a read is running reads again after it: what the read asked before a change is not the answer', async () => {
    const { quotas } = services({ regions: ['eu-west-1'] });
    const reading = quotas.get();
    await waitFor(() => calls('eu-west-1', 'servicequotas:ListServiceQuotas') > 0);
    const refreshing = quotas.refresh();
    await reading;
    const once = calls('eu-west-1', 'servicequotas:ListServiceQuotas');
    await refreshing;
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(2 * once);
  });

  it('answers each of several concurrent callers with its own region, however many wait behind one refresh', async () => {
    const asked = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-northeast-1'];
    const { quotas } = services({ regions: asked });
    const answers = await Promise.all(asked.map((region) => quotas.get({ regions: [region] })));
    answers.forEach((answer, index) => expect(Object.keys(answer.regions)).toEqual([asked[index]]));
    for (const region of asked) expect(answers[asked.indexOf(region)]!.regions[region]!.status).toBe('ok');
  });
});

describe('cancelling and stragglers', () => {
  it('cancels a refresh at the network: its held requests are closed, so the next one gets the region’s sockets at once', async () => {
    // Two sockets per region, and no read timeout in the test's time: were the held requests still open after the
    // cancel, the next refresh would queue behind them and never answer within the test.
    const { catalog, quotas } = services({ regions: ['us-east-1', 'eu-west-1'], maxSocketsPerRegion: 2, readTimeoutMs: 120_000 });
    await catalog.get();
    given({ hang: ['eu-west-1'] });
    const refresh = quotas.refresh();
    await waitFor(() => calls('eu-west-1', 'servicequotas:ListServiceQuotas') === 1 && calls('eu-west-1', 'servicequotas:ListAWSDefaultServiceQuotas') === 1, 10_000);
    expect(quotas.cancelRefresh()).toBe(true);
    await expect(refresh).rejects.toMatchObject({ name: 'ScanCancelledError', code: 'CANCELLED' });
    expect((await catalog.get()).document.quotas).toBeUndefined();
    expect(quotas.cancelRefresh()).toBe(false);

    given({});
    const again = await quotas.refresh(['eu-west-1']);
    expect(again.regions['eu-west-1']?.status).toBe('ok');
    // The cancelled requests were never retried: one each, then the new refresh's pages.
    expect(calls('eu-west-1', 'servicequotas:ListServiceQuotas')).toBe(calls('eu-west-1', 'servicequotas:ListAWSDefaultServiceQuotas'));
  });

  it('answers without a region that hangs, marked as still waited for, and merges it in when it answers', async () => {
    const { catalog, quotas, next, progress } = services({ regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], stragglerRule: { minGraceMs: 0, slowestMultiple: 0 }, readTimeoutMs: 2_000 });
    await catalog.get();
    given({ hang: ['ap-southeast-2'] });
    const answered = await quotas.refresh();
    expect(answered.regions['ap-southeast-2']).toMatchObject({ status: 'error', routes: [], error: { code: 'RegionTimeout', message: expect.stringContaining('still being waited for') } });
    expect(answered.regions['eu-west-1']?.status).toBe('ok');
    expect(progress().at(-1)).toMatchObject({ region: 'ap-southeast-2', phase: 'failed', completed: 3, total: 3, waiting: ['ap-southeast-2'] });

    const merged = next((event) => event.type === 'catalog.updated' && event.payload.document.quotas?.regions['ap-southeast-2']?.status === 'ok');
    given({});
    await merged;
    const section = (await catalog.get()).document.quotas!;
    expect(section.fetchedAt).toBe(answered.fetchedAt);
    expect(section.regions['eu-west-1']).toEqual(answered.regions['eu-west-1']);
    expect(section.regions['ap-southeast-2']!.routes.length).toBeGreaterThan(0);
    expect(progress().at(-1)).toMatchObject({ region: 'ap-southeast-2', phase: 'done', completed: 3, waiting: [] });
  });
});
