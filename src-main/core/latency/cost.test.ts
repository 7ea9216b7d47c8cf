import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyRunInputSchema } from '../../../src-shared/contract';
import type { RoutePrice } from '../../../src-shared/contract/prices';
import { BUNDLED_CATALOG, projectFile } from '../../cli/project-files';
import type { ScenarioInput } from '../../emulator/scenario';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';
import { PRICE_TABLE_FILE_NAME, PRICE_TABLE_SCHEMA_VERSION, writePriceTableFile, type PriceTableFile } from '../prices/table-file';

/**
 * A latency run's cost against the emulator, priced with a bundled table whose prices the test chose: the dollars
 * are the usage Bedrock (the emulator) reported, request by request, times those prices, exactly.
 */

const labs: EmulatedLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});

const price = (region: string, perMillion: RoutePrice['perMillion'], routeKind: RoutePrice['routeKind'] = 'in-region'): RoutePrice => ({
  modelId: HAIKU_3,
  region,
  routeKind,
  tier: 'standard',
  perMillion,
  serviceCode: 'AmazonBedrock',
  skus: [`SKU-${region}-${routeKind}`],
});

/** A lab whose bundled files (the catalog, and a price table of these rows) sit in their own directory. */
async function labPricedWith(rows: RoutePrice[], scenario: ScenarioInput = {}): Promise<EmulatedLab> {
  // The Price List is denied, so the table the test chose is the one in force from start to end of the run.
  scenario = { ...scenario, pricing: { denied: true } };
  const dir = await mkdtemp(join(tmpdir(), 'atlas-priced-'));
  const catalogPath = join(dir, 'bedrock_catalog_bundled.json');
  await copyFile(projectFile(BUNDLED_CATALOG), catalogPath);
  const table: PriceTableFile = {
    schemaVersion: PRICE_TABLE_SCHEMA_VERSION,
    asOf: '2026-03-01T00:00:00Z',
    generatedAt: '2026-03-02T00:00:00Z',
    source: { kind: 'fixtures', endpoint: null, note: 'chosen by the test' },
    serviceCodes: ['AmazonBedrock'],
    catalogGeneratedAt: null,
    products: { read: rows.length, priced: rows.length, unused: 0, outOfScope: 0 },
    outOfScope: {},
    rows,
    unused: [],
  };
  await writePriceTableFile(join(dir, PRICE_TABLE_FILE_NAME), table);
  const lab = await startEmulatedLab({ bundledPath: catalogPath, scenario });
  labs.push(lab);
  return lab;
}

describe('latency run: what it costs', () => {
  it('prices a run at the Price List the emulator serves: the cost is the reported usage times those prices, exactly', async () => {
    const lab = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 5 } } });
    labs.push(lab);
    const prices = await lab.core.handlers.refreshPrices(undefined, { signal: new AbortController().signal });
    expect(prices.table).toMatchObject({ source: 'api', origin: 'the emulator' });
    const listed = prices.prices.find((row) => row.modelId === HAIKU_3 && row.region === 'us-east-1' && row.routeKind === 'in-region' && row.tier === 'standard')!;
    expect(listed.perMillion.input).not.toBeNull();
    expect(listed.perMillion.output).not.toBeNull();

    const report = await lab.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 4, warmup: 1, maxTokens: 6 });
    const route = report.cost.routes['us-east-1']!;
    expect(route).toMatchObject({ requests: 5, requestsWithoutUsage: 0 });
    expect(route.usd).toBeCloseTo((route.usage.input * listed.perMillion.input! + route.usage.output * listed.perMillion.output!) / 1e6, 15);
    expect(report.cost.priceTable).toEqual(prices.table);
  }, 20_000);

  it('estimates the dollars before the run and counts the actual cost from the usage Bedrock reported, warm-ups included, exactly', async () => {
    const lab = await labPricedWith([price('us-east-1', { input: 0.25, output: 1.25, cacheRead: null, cacheWrite: null }), price('eu-west-1', { input: 0.3, output: 1.5, cacheRead: null, cacheWrite: null })]);
    const input = { target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 3, warmup: 1, maxTokens: 8 };
    const estimate = await lab.core.handlers.estimateLatencyRun(LatencyRunInputSchema.parse(input), { signal: new AbortController().signal });
    const promptTokens = estimate.prompt.inputTokens;
    // The estimate: 4 requests per route, the prompt in, max tokens out.
    expect(estimate.routeCosts['us-east-1']!.usd).toBeCloseTo((4 * promptTokens * 0.25 + 4 * 8 * 1.25) / 1e6, 15);
    expect(estimate.routeCosts['eu-west-1']!.usd).toBeCloseTo((4 * promptTokens * 0.3 + 4 * 8 * 1.5) / 1e6, 15);
    expect(estimate.priceTable).toMatchObject({ source: 'bundled', asOf: '2026-03-01T00:00:00Z' });

    const report = await lab.run(input);
    const { cost } = report;
    // Every request (3 measured + 1 warm-up per route) reported its usage.
    expect(cost.routes['us-east-1']).toMatchObject({ requests: 4, requestsWithoutUsage: 0 });
    expect(cost.routes['eu-west-1']).toMatchObject({ requests: 4, requestsWithoutUsage: 0 });
    for (const [region, [inputPrice, outputPrice]] of [
      ['us-east-1', [0.25, 1.25]],
      ['eu-west-1', [0.3, 1.5]],
    ] as const) {
      const route = cost.routes[region]!;
      // The emulator counts the prompt as CountTokens does, and the output it streamed.
      expect(route.usage.input).toBe(4 * promptTokens);
      expect(route.usage.output).toBeGreaterThan(0);
      expect(route.usage.output).toBeLessThanOrEqual(4 * 8);
      expect(route.usd).toBeCloseTo((route.usage.input * inputPrice + route.usage.output * outputPrice) / 1e6, 15);
    }
    expect(cost.usd).toBeCloseTo(cost.routes['us-east-1']!.usd! + cost.routes['eu-west-1']!.usd!, 15);
    expect(cost.usage.input).toBe(8 * promptTokens);
    expect(cost.priceTable).toMatchObject({ source: 'bundled', asOf: '2026-03-01T00:00:00Z' });
  }, 20_000);

  it('says the cost is unknown, naming the missing price, when the table cannot price a route, and never counts it as $0', async () => {
    const lab = await labPricedWith([price('us-east-1', { input: 0.25, output: null, cacheRead: null, cacheWrite: null })]);
    const report = await lab.run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 1, warmup: 0, maxTokens: 4 });
    expect(report.cost.usd).toBeNull();
    expect(report.cost.routes['us-east-1']).toMatchObject({ usd: null, unknown: `the price table of 2026-03-01 has no output price for ${HAIKU_3} on demand from us-east-1` });
    expect(report.cost.routes['eu-west-1']).toMatchObject({ usd: null, unknown: `the price table of 2026-03-01 has no price for ${HAIKU_3} on demand from eu-west-1` });
    expect(report.cost.usage.input).toBeGreaterThan(0);
  }, 20_000);

  it('counts throttled requests apart: Bedrock reported no usage for them, so they are said, not priced', async () => {
    const lab = await labPricedWith([price('us-east-1', { input: 0.25, output: 1.25, cacheRead: null, cacheWrite: null })], {
      throttle: [{ region: 'us-east-1', operation: 'ConverseStream', requestsPerMinute: 2 }],
    });
    const report = await lab.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 5, warmup: 0, maxTokens: 4 });
    const route = report.cost.routes['us-east-1']!;
    expect(route).toMatchObject({ requests: 2, requestsWithoutUsage: 3 });
    expect(route.usd).toBeCloseTo((route.usage.input * 0.25 + route.usage.output * 1.25) / 1e6, 15);
    expect(report.cost).toMatchObject({ requests: 2, requestsWithoutUsage: 3 });
  }, 20_000);
});
