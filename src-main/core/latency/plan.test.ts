import { describe, expect, it } from 'vitest';
import { LatencyRunInputSchema } from '../../../src-shared/contract';
import type { PriceTableInfo, RoutePrice } from '../../../src-shared/contract/prices';
import type { PriceLookup } from './cost';
import { estimateRun, type RunPlan } from './plan';
import { interTokenLatency } from './measure-request';
import { summarize } from './stats';

const planOf = (routes: number): RunPlan => ({
  routes: Array.from({ length: routes }, (_, index) => ({
    key: `region-${index}`,
    route: { invokeId: 'm', callRegion: `region-${index}`, kind: 'on-demand' },
    resolved: { invokeId: 'm', callRegion: `region-${index}`, kind: 'on-demand', modelId: 'm', model: null, destinations: [] },
  })),
  unavailable: {},
});
const prompt = { size: 'small' as const, inputTokens: 40, countedBy: 'estimate' as const };
const TABLE_INFO: PriceTableInfo = { asOf: '2026-01-19T13:42:01Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } };
/** A table that prices model "m" on demand in every region at these dollars per million tokens. */
const pricing = (input: number | null, output: number | null): PriceLookup => ({
  info: TABLE_INFO,
  priceFor: (modelId, region, routeKind, tier = 'standard'): RoutePrice | null =>
    modelId === 'm' && routeKind === 'in-region' && tier === 'standard'
      ? { modelId, region, routeKind, tier, perMillion: { input, output, cacheRead: null, cacheWrite: null }, serviceCode: 'AmazonBedrock', skus: ['S'] }
      : null,
});
const cheap = pricing(0.1, 0.4);

describe('run estimate', () => {
  it('asks confirmation above 100 requests against real AWS, warm-up included', () => {
    const input = LatencyRunInputSchema.parse({ target: 'm', runs: 50, warmup: 1, maxTokens: 10 });
    expect(estimateRun(planOf(2), input, prompt, false, cheap)).toMatchObject({ requests: 100, warmupRequests: 2, needsConfirmation: true, inputTokens: 40 * 102, outputTokens: 10 * 102 });
    expect(estimateRun(planOf(2), { ...input, warmup: 0 }, prompt, false, cheap).needsConfirmation).toBe(false);
    expect(estimateRun(planOf(3), input, prompt, true, cheap).needsConfirmation).toBe(false);
  });

  it('estimates the dollars of every request, warm-ups included, at max tokens of output, per route and in all', () => {
    const input = LatencyRunInputSchema.parse({ target: 'm', runs: 10, warmup: 1, maxTokens: 100 });
    const estimate = estimateRun(planOf(2), input, prompt, false, pricing(3, 15));
    // Per route: 11 requests × (40 input tokens at $3/M + 100 output tokens at $15/M) = 11 × 0.00162 = $0.01782.
    expect(estimate.routeCosts['region-0']!.usd).toBeCloseTo(0.01782, 12);
    expect(estimate.estimatedCostUsd).toBeCloseTo(2 * 0.01782, 12);
    expect(estimate.priceTable).toEqual(TABLE_INFO);
    expect(estimate).toMatchObject({ needsConfirmation: false, confirmationReasons: [] });
  });

  it('asks confirmation above $1 even under 100 requests, and says both reasons when both hold', () => {
    // 3 routes × 31 requests × (40 × $15/M + 4096 × $75/M) ≈ $28.6 in 93 requests.
    const dear = estimateRun(planOf(3), LatencyRunInputSchema.parse({ target: 'm', runs: 30, warmup: 1, maxTokens: 4096 }), prompt, false, pricing(15, 75));
    expect(dear.requests + dear.warmupRequests).toBe(93);
    expect(dear.needsConfirmation).toBe(true);
    expect(dear.confirmationReasons).toEqual([expect.stringMatching(/^it costs up to about \$28\.\d\d, more than \$1\.00$/)]);
    const both = estimateRun(planOf(3), LatencyRunInputSchema.parse({ target: 'm', runs: 50, maxTokens: 4096 }), prompt, false, pricing(15, 75));
    expect(both.confirmationReasons).toEqual([expect.stringMatching(/sends 153 requests, more than 100/), expect.stringMatching(/costs up to about/)]);
    // The emulator costs nothing real: never asked, whatever the dollars.
    expect(estimateRun(planOf(3), LatencyRunInputSchema.parse({ target: 'm', runs: 30, maxTokens: 4096 }), prompt, true, pricing(15, 75)).needsConfirmation).toBe(false);
  });

  it('never takes an unknown price for $0: the cost is null, the missing price named, and a run against AWS asks first', () => {
    const input = LatencyRunInputSchema.parse({ target: 'm', runs: 2, warmup: 0, maxTokens: 10 });
    const noOutputPrice = estimateRun(planOf(1), input, prompt, false, pricing(0.25, null));
    expect(noOutputPrice).toMatchObject({ estimatedCostUsd: null, needsConfirmation: true });
    expect(noOutputPrice.routeCosts['region-0']).toEqual({ usd: null, unknown: 'the price table of 2026-01-19 has no output price for m on demand from region-0' });
    expect(noOutputPrice.confirmationReasons).toEqual(['its cost is unknown: the price table of 2026-01-19 has no output price for m on demand from region-0']);
    const unpriced = estimateRun(planOf(2), { ...input, target: 'x' }, prompt, false, { info: TABLE_INFO, priceFor: () => null });
    expect(unpriced.confirmationReasons).toEqual(['its cost is unknown: the price table of 2026-01-19 has no price for m on demand from region-0 (and 1 more route)']);
  });
});

describe('metrics', () => {
  it('excludes TTFT from inter-token latency and leaves it undefined below two tokens', () => {
    expect(interTokenLatency(200, 300, 11)).toBe(10);
    expect(interTokenLatency(200, 200, 1)).toBeNull();
    expect(interTokenLatency(200, 300, null)).toBeNull();
  });

  it('aggregates p50/p90/p99, mean, min, max and the sample standard deviation', () => {
    expect(summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ p50: 5.5, p90: 9.1, p99: 9.91, mean: 5.5, min: 1, max: 10, stddev: 3.03 });
    expect(summarize([7])).toEqual({ p50: 7, p90: 7, p99: 7, mean: 7, min: 7, max: 7, stddev: 0 });
    expect(summarize([])).toBeNull();
  });
});

describe('progress while the caller reads slowly', () => {
  it('lets a newer snapshot of a route replace the queued one, and keeps routes apart', async () => {
    const { latencyStreams } = await import('../../../src-shared/contract/latency');
    const progress = (key: string, done: number) => ({ key, route: { invokeId: 'm', callRegion: key, kind: 'on-demand' as const }, done, total: 10, errors: 0, p50TtftMs: null, phase: 'measuring' as const });
    const coalesce = latencyStreams.runLatency.coalesce!;
    expect(coalesce(progress('us-east-1', 1), progress('us-east-1', 2))).toEqual(progress('us-east-1', 2));
    expect(coalesce(progress('us-east-1', 1), progress('eu-west-1', 1))).toBeUndefined();
  });
});
