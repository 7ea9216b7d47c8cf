import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheMode, PricesAnswer } from '../../../src-shared/contract';
import { BUNDLED_CATALOG, projectFile } from '../../cli/project-files';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { emulatedCoreOptions } from '../../testing/emulated-core';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { bundledPricesPath } from './feature';
import { samplePriceDocuments } from './sample-documents';
import { PRICE_TABLE_FILE_NAME, readPriceTableFile } from './table-file';

/**
 * Prices end to end: a real composition root asks the emulator's Price List API over HTTP (every page of the three
 * service codes), ties the products to the catalog, keeps the table in the cache, and falls back to the bundled
 * table, or to none, saying why, when the API, the cache or the bundled file cannot be used.
 */

const emulator = emulatorPerFile();
const signal = new AbortController().signal;
const SONNET_4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const bundledTable = JSON.parse(await readFile(bundledPricesPath(projectFile(BUNDLED_CATALOG))!, 'utf8')) as { rows: unknown[]; asOf: string };

const cores: AtlasCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

type BundledPrices = 'shipped' | 'corrupt' | 'foreign-schema' | 'other-version' | 'none';

/** A directory holding the bundled catalog and, as asked, the shipped price table, a damaged one, or none. */
async function bundledDirectory(prices: BundledPrices): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-bundled-'));
  await copyFile(projectFile(BUNDLED_CATALOG), join(dir, 'bedrock_catalog_bundled.json'));
  const target = join(dir, PRICE_TABLE_FILE_NAME);
  if (prices === 'shipped') await copyFile(bundledPricesPath(projectFile(BUNDLED_CATALOG))!, target);
  if (prices === 'corrupt') await writeFile(target, (await readFile(bundledPricesPath(projectFile(BUNDLED_CATALOG))!, 'utf8')).slice(0, 5_000));
  // Valid JSON of another kind: the catalog document where the price table should be.
  if (prices === 'foreign-schema') await copyFile(projectFile(BUNDLED_CATALOG), target);
  if (prices === 'other-version') await writeFile(target, JSON.stringify({ ...bundledTable, schemaVersion: 2 }));
  return dir;
}

async function startCore(options: { scenario?: ScenarioInput; bundled?: BundledPrices; cacheMode?: CacheMode; cacheDir?: string; endpointUrl?: string } = {}): Promise<AtlasCore> {
  emulator.setScenario(parseScenario(options.scenario ?? {}));
  const dir = await bundledDirectory(options.bundled ?? 'shipped');
  const core = await createAtlasCore(
    emulatedCoreOptions(options.endpointUrl ?? emulator.url, {
      bundledPath: join(dir, 'bedrock_catalog_bundled.json'),
      overrides: { regions: ['us-east-1', 'eu-west-1'], cacheMode: options.cacheMode ?? 'none', cacheDir: options.cacheDir ?? dir },
    }),
  );
  cores.push(core);
  return core;
}

const getPrices = (core: AtlasCore, input: { target?: string; regions?: string[] } = {}) => core.handlers.getPrices(input, { signal });
const priceOf = (answer: PricesAnswer, modelId: string, region: string, routeKind: string, tier = 'standard') =>
  answer.prices.find((row) => row.modelId === modelId && row.region === region && row.routeKind === routeKind && row.tier === tier);
const getProductsCalls = () => emulator.stats().requests['us-east-1']?.['pricing:GetProducts'] ?? 0;

describe('prices from the Price List API', () => {
  it('reads every page of the three service codes and prices the catalog’s routes, Claude Sonnet 4 global from us-east-1 at $3 / $15 / $0.30 / $3.75', async () => {
    const whole = await getPrices(await startCore());
    expect(whole.table).toMatchObject({ source: 'api', origin: 'the emulator', asOf: '2026-01-19T13:42:01Z' });
    expect(whole.table.fallbackReason).toBeUndefined();
    expect(priceOf(whole, SONNET_4, 'us-east-1', 'global')?.perMillion).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });

    // Seven products a page: the same table, read over many more pages.
    emulator.resetStats();
    const paged = await getPrices(await startCore({ scenario: { pricing: { pageSize: 7 } } }));
    expect(paged.table.products).toEqual(whole.table.products);
    expect(paged.prices).toEqual(whole.prices);
    const read = whole.table.products.read;
    // Each service code's last page may be short: between ⌈read / 7⌉ and that plus two requests, every one answered.
    expect(getProductsCalls()).toBeGreaterThanOrEqual(Math.ceil(read / 7));
    expect(getProductsCalls()).toBeLessThanOrEqual(Math.ceil(read / 7) + 2);
  }, 30_000);

  it('lists a product with an unknown unit or currency and converts neither', async () => {
    const template = samplePriceDocuments('AmazonBedrock').find((document) => document.product.sku === 'HKZGRBRHTJKZ2MBM')!;
    const withDimension = (sku: string, change: (dimension: Record<string, unknown>) => void) => {
      const copy = structuredClone(template);
      copy.product.sku = sku;
      copy.product.attributes.regionCode = 'ap-south-1';
      copy.product.attributes.usagetype = 'APS3-Llama3-2-3B-input-tokens';
      const dimension = Object.values(Object.values(copy.terms.OnDemand!)[0]!.priceDimensions)[0]!;
      change(dimension);
      return copy;
    };
    const perRequest = withDimension('UNITTESTSKU00001', (dimension) => (dimension.unit = 'Requests'));
    const inRupees = withDimension('CURRENCYTESTSKU1', (dimension) => (dimension.pricePerUnit = { INR: '0.0125000000' }));
    const answer = await getPrices(await startCore({ scenario: { pricing: { extra: [perRequest, inRupees] } } }), { target: 'meta.llama3-2-3b-instruct-v1:0' });
    expect(answer.unused.filter((product) => product.sku.endsWith('SKU00001') || product.sku === 'CURRENCYTESTSKU1')).toEqual([
      expect.objectContaining({ sku: 'UNITTESTSKU00001', reason: 'unknown-unit', detail: expect.stringMatching(/^Requests/), regionCode: 'ap-south-1', modelIds: ['meta.llama3-2-3b-instruct-v1:0'] }),
      expect.objectContaining({ sku: 'CURRENCYTESTSKU1', reason: 'unknown-currency', detail: 'INR', regionCode: 'ap-south-1' }),
    ]);
    expect(answer.prices.some((row) => row.skus.includes('UNITTESTSKU00001') || row.skus.includes('CURRENCYTESTSKU1'))).toBe(false);
  }, 30_000);

  it('answers one model’s prices by any name `where` takes, and refuses a name that is no model', async () => {
    const core = await startCore();
    const answer = await getPrices(core, { target: 'claude sonnet 4', regions: ['us-east-1'] });
    expect(answer.modelId).toBe(SONNET_4);
    expect(answer.prices.length).toBeGreaterThan(0);
    expect(answer.prices.every((row) => row.modelId === SONNET_4 && row.region === 'us-east-1')).toBe(true);
    await expect(getPrices(core, { target: 'no such model anywhere' })).rejects.toMatchObject({ code: 'UNKNOWN_TARGET' });
  }, 30_000);
});

describe('prices when the API, the cache or the bundled table cannot be used', () => {
  it('denied: the bundled table answers, marked with why and its date', async () => {
    const answer = await getPrices(await startCore({ scenario: { pricing: { denied: true } } }));
    expect(answer.table).toMatchObject({ source: 'bundled', asOf: bundledTable.asOf });
    expect(answer.table.fallbackReason).toMatch(/^The Price List API could not be read \(.*not authorized to perform: pricing:GetProducts.*\); prices come from the bundled table of 2026-01-19\.$/);
    expect(answer.prices).toHaveLength(bundledTable.rows.length);
  }, 30_000);

  it('unreachable: the bundled table answers, marked', async () => {
    const answer = await getPrices(await startCore({ endpointUrl: 'http://127.0.0.1:1' }));
    expect(answer.table.source).toBe('bundled');
    expect(answer.table.fallbackReason).toMatch(/^The Price List API could not be read \(Could not connect .*ECONNREFUSED.*\); prices come from the bundled table of 2026-01-19\.$/);
  }, 60_000);

  it('a corrupt bundled file with the API denied: no table at all, every price unknown, and both reasons said', async () => {
    const answer = await getPrices(await startCore({ scenario: { pricing: { denied: true } }, bundled: 'corrupt' }));
    expect(answer.table).toMatchObject({ source: 'none', asOf: null, products: { read: 0, priced: 0, unused: 0, outOfScope: 0 } });
    expect(answer.table.fallbackReason).toMatch(/could not be read .*; the bundled price table cannot be used: .*bedrock_prices\.json is truncated or not JSON; no price table is at hand, so every price is unknown\.$/);
    expect(answer.prices).toEqual([]);
  }, 30_000);

  it('a bundled file of another schema or version is refused with the reason', async () => {
    const foreign = await getPrices(await startCore({ scenario: { pricing: { denied: true } }, bundled: 'foreign-schema' }));
    expect(foreign.table.source).toBe('none');
    expect(foreign.table.fallbackReason).toMatch(/bedrock_prices\.json is not a price table \(/);
    const newer = await getPrices(await startCore({ scenario: { pricing: { denied: true } }, bundled: 'other-version' }));
    expect(newer.table.fallbackReason).toMatch(/bedrock_prices\.json has schema version 2, this version reads 1/);
  }, 30_000);

  it('a corrupt bundled file while the API answers: the fresh table, nothing to say', async () => {
    const answer = await getPrices(await startCore({ bundled: 'corrupt' }));
    expect(answer.table.source).toBe('api');
    expect(answer.table.fallbackReason).toBeUndefined();
  }, 30_000);
});

describe('the price cache', () => {
  it('keeps the fresh table in the cache directory with its date, atomically, and the next session answers from it without asking', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'atlas-price-cache-'));
    const fresh = await getPrices(await startCore({ cacheMode: 'file', cacheDir }));
    expect(fresh.table.source).toBe('api');
    const kept = await readPriceTableFile(join(cacheDir, PRICE_TABLE_FILE_NAME));
    expect('table' in kept && kept.table).toMatchObject({ generatedAt: fresh.table.fetchedAt, asOf: fresh.table.asOf, source: { kind: 'emulator' } });
    // The write went through a temporary file renamed into place: nothing else is left beside it.
    expect((await readdir(cacheDir)).filter((name) => name.startsWith(PRICE_TABLE_FILE_NAME))).toEqual([PRICE_TABLE_FILE_NAME]);

    emulator.resetStats();
    const again = await getPrices(await startCore({ cacheMode: 'file', cacheDir }));
    expect(again.table).toMatchObject({ source: 'cache', fetchedAt: fresh.table.fetchedAt });
    expect(again.prices).toEqual(fresh.prices);
    expect(getProductsCalls()).toBe(0);
  }, 30_000);

  it('refreshPrices asks the API again even with a recent cache; a denied API then keeps the cache, marked', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'atlas-price-cache-'));
    await getPrices(await startCore({ cacheMode: 'file', cacheDir }));
    emulator.resetStats();
    const core = await startCore({ cacheMode: 'file', cacheDir });
    const refreshed = await core.handlers.refreshPrices(undefined, { signal });
    expect(refreshed.table.source).toBe('api');
    expect(getProductsCalls()).toBeGreaterThanOrEqual(3);

    const denied = await startCore({ cacheMode: 'file', cacheDir, scenario: { pricing: { denied: true } }, bundled: 'corrupt' });
    const kept = await denied.handlers.refreshPrices(undefined, { signal });
    expect(kept.table.source).toBe('cache');
    expect(kept.table.fallbackReason).toMatch(/^The Price List API could not be read .*; the bundled price table cannot be used: .*truncated or not JSON; prices come from the cached table of 2026-01-19\.$/);
  }, 30_000);
});
