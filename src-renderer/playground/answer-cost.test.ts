import { describe, expect, it } from 'vitest';
import type { ConverseResult, RoutePrice } from '../../src-shared/contract';
import { answerCost, priceTierOf, totalCost } from './answer-cost';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const result = (patch: Partial<ConverseResult> = {}): ConverseResult => ({
  text: 'Hello',
  stopReason: 'end_turn',
  usage: { inputTokens: 1_000_000, outputTokens: 100_000, totalTokens: 1_100_000, cacheReadInputTokens: 500_000 },
  metrics: { ttftMs: 40, e2eMs: 90, outputTokensPerSecond: 40, serverLatencyMs: 80 },
  route: { invokeId: `us.${HAIKU}`, callRegion: 'us-east-1', kind: 'geo-profile' },
  served: {},
  api: 'ConverseStream',
  ...patch,
});

const price = (routeKind: RoutePrice['routeKind'], tier: RoutePrice['tier'], perMillion: RoutePrice['perMillion'], region = 'us-east-1'): RoutePrice => ({ modelId: HAIKU, region, routeKind, tier, perMillion, serviceCode: 'AmazonBedrock', skus: [] });

describe('answerCost', () => {
  it('prices the tokens at the route’s own kind, region and tier: a geo profile called from us-east-1 at its geo price', () => {
    const prices = [
      price('in-region', 'standard', { input: 9, output: 9, cacheRead: 9, cacheWrite: 9 }),
      price('geo', 'standard', { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 }),
      price('geo', 'standard', { input: 7, output: 7, cacheRead: 7, cacheWrite: 7 }, 'us-west-2'),
    ];
    // 1M input × $0.25 + 0.1M output × $1.25 + 0.5M cache read × $0.03.
    expect(answerCost(result(), prices)).toBeCloseTo(0.25 + 0.125 + 0.015, 10);
  });

  it('the tier the response says was served: priority and flex are priced apart, an optimized call at the latency-optimized price', () => {
    expect(priceTierOf(result({ served: { serviceTier: 'priority' } }))).toBe('priority');
    expect(priceTierOf(result({ served: { serviceTier: 'default' } }))).toBe('standard');
    expect(priceTierOf(result({ served: { latency: 'optimized' } }))).toBe('latency-optimized');
    // No priority price in the list: unknown, not the standard price.
    expect(answerCost(result({ served: { serviceTier: 'priority' } }), [price('geo', 'standard', { input: 1, output: 1, cacheRead: 1, cacheWrite: 1 })])).toBeNull();
  });

  it('unknown when the route has no price, a needed price is null, or Bedrock reported no usage; never 0', () => {
    expect(answerCost(result(), [])).toBeNull();
    expect(answerCost(result(), [price('geo', 'standard', { input: 0.25, output: 1.25, cacheRead: null, cacheWrite: null })])).toBeNull();
    expect(answerCost(result({ usage: null }), [price('geo', 'standard', { input: 1, output: 1, cacheRead: 1, cacheWrite: 1 })])).toBeNull();
  });

  it('a total with an unknown part is unknown', () => {
    expect(totalCost([0.5, 0.25])).toBe(0.75);
    expect(totalCost([0.5, null])).toBeNull();
    expect(totalCost([])).toBe(0);
  });
});
