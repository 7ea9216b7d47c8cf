import { describe, expect, it } from 'vitest';
import type { QuotaValue } from '../../../src-shared/catalog/quotas';
import type { CapacityWorkload, CurrentUsage } from '../../../src-shared/contract/capacity';
import { calculateCapacity, capacityRoute, targetRate, type CalculatorRoute } from './calculator';

/** The calculator's arithmetic, figure by figure, with quotas, burndown and token mixes whose results are known. */

const quota = (value: number, code = 'L-TEST0001', applied: number | null = value): QuotaValue => ({ applied, default: value, quotaCode: code, adjustable: true, quotaName: `quota ${code}` });
const none = { requestsPerMinute: null, tokensPerMinute: null };
const noInvocations: CurrentUsage = { status: 'no-invocations', peak: none, median: none, quotaTokensLast24h: null, averageTokensPerRequest: null };
const denied: CurrentUsage = { status: 'denied', error: { code: 'AccessDenied', message: 'no cloudwatch:GetMetricData' }, peak: none, median: none, quotaTokensLast24h: null, averageTokensPerRequest: null };
const busy = (requestsPerMinute: number, tokensPerMinute: number, quotaTokensLast24h: number): CurrentUsage => ({
  status: 'ok',
  peak: { requestsPerMinute, tokensPerMinute },
  median: { requestsPerMinute: requestsPerMinute / 2, tokensPerMinute: tokensPerMinute / 2 },
  quotaTokensLast24h,
  averageTokensPerRequest: { input: 900, output: 250, cacheRead: 0, cacheWrite: 0 },
});

/** 1,000 input, 200 written to the cache, 5,000 read from it, 300 expected out of a 4,096 max_tokens. */
const workload: CapacityWorkload = { inputTokens: 1000, outputTokens: 300, outputFrom: 'expected', maxTokens: 4096, cacheReadTokens: 5000, cacheWriteTokens: 200 };
const route = (quotas: CalculatorRoute['quotas'], extra: Partial<CalculatorRoute> = {}): CalculatorRoute => ({
  invokeId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
  routeKind: 'geo-profile',
  quotas,
  usage: noInvocations,
  prices: null,
  ...extra,
});
const at = (target: number, burndownRate = 5) => ({ targetRequestsPerMinute: target, workload, burndownRate });

describe('the capacity calculator', () => {
  it('settles input + cache write + output x burndown, never the cache reads; reserves input + cache write + max_tokens', () => {
    const result = capacityRoute(route({ tokensPerMinute: quota(1_000_000) }), at(10));
    expect(result.settledTokensPerRequest).toBe(1000 + 200 + 300 * 5);
    expect(result.reservedTokensPerRequest).toBe(1000 + 200 + 4096);
    const withoutCacheReads = capacityRoute(route({ tokensPerMinute: quota(1_000_000) }), { ...at(10), workload: { ...workload, cacheReadTokens: 0 } });
    expect(withoutCacheReads.settledTokensPerRequest).toBe(result.settledTokensPerRequest);
    const withoutCacheWrites = capacityRoute(route({ tokensPerMinute: quota(1_000_000) }), { ...at(10), workload: { ...workload, cacheWriteTokens: 0 } });
    expect(withoutCacheWrites.settledTokensPerRequest).toBe(result.settledTokensPerRequest - 200);
    expect(capacityRoute(route({}), at(10, 1)).settledTokensPerRequest).toBe(1000 + 200 + 300);
    expect(result.tokensPerMinuteAtTarget).toBe(10 * 2700);
  });

  it('binds on requests per minute when the RPM quota carries the fewest requests', () => {
    const result = capacityRoute(route({ requestsPerMinute: quota(250), tokensPerMinute: quota(1_000_000), tokensPerDay: quota(1_440_000_000) }), at(10));
    // TPM carries floor(1,000,000 / 2,700) = 370; TPD floor(1,440,000,000 / (1,440 x 2,700)) = 370; RPM 250.
    expect(result).toMatchObject({ maxRequestsPerMinute: 250, bindingLimit: 'requests-per-minute', maxInFlightByReservation: Math.floor(1_000_000 / 5296) });
  });

  it('binds on tokens per minute when the settled cost makes TPM the tightest', () => {
    const result = capacityRoute(route({ requestsPerMinute: quota(1000), tokensPerMinute: quota(1_000_000) }), at(10));
    expect(result).toMatchObject({ maxRequestsPerMinute: 370, bindingLimit: 'tokens-per-minute' });
  });

  it('binds on tokens per day, read from Service Quotas and never derived from TPM', () => {
    const result = capacityRoute(route({ requestsPerMinute: quota(1000), tokensPerMinute: quota(1_000_000), tokensPerDay: quota(100_000_000) }), at(10));
    // floor(100,000,000 / (1,440 x 2,700)) = floor(25.72) = 25
    expect(result).toMatchObject({ maxRequestsPerMinute: 25, bindingLimit: 'tokens-per-day' });
    const withoutDaily = capacityRoute(route({ requestsPerMinute: quota(1000), tokensPerMinute: quota(1_000_000) }), at(10));
    expect(withoutDaily.bindingLimit).toBe('tokens-per-minute');
    expect(withoutDaily.quotas.tokensPerDay).toBeUndefined();
  });

  it('a large max_tokens lowers the requests in flight the reservation allows, but not the requests per minute', () => {
    const quotas = { requestsPerMinute: quota(1000), tokensPerMinute: quota(1_000_000) };
    const modest = capacityRoute(route(quotas), at(10));
    const large = capacityRoute(route(quotas), { ...at(10), workload: { ...workload, maxTokens: 64_000 } });
    expect(large.maxRequestsPerMinute).toBe(modest.maxRequestsPerMinute);
    expect(large.reservedTokensPerRequest).toBe(1000 + 200 + 64_000);
    expect(modest.maxInFlightByReservation).toBe(188);
    expect(large.maxInFlightByReservation).toBe(Math.floor(1_000_000 / 65_200));
  });

  it('uses the applied value, and the default where no applied value is known', () => {
    const applied = capacityRoute(route({ requestsPerMinute: { ...quota(100), applied: 400 } }), at(10));
    expect(applied.maxRequestsPerMinute).toBe(400);
    const defaultOnly = capacityRoute(route({ requestsPerMinute: quota(100, 'L-TEST0002', null) }), at(10));
    expect(defaultOnly.maxRequestsPerMinute).toBe(100);
  });

  it('a route with no quota found has nulls, never a number, and sorts after every route with one', () => {
    const routes = calculateCapacity({
      ...at(10),
      routes: [
        route({}, { invokeId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', routeKind: 'on-demand' }),
        route({ requestsPerMinute: quota(50) }),
        route({ requestsPerMinute: quota(200) }, { invokeId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', routeKind: 'global-profile' }),
      ],
    });
    expect(routes.map((each) => [each.invokeId, each.maxRequestsPerMinute])).toEqual([
      ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 200],
      ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 50],
      ['anthropic.claude-sonnet-4-5-20250929-v1:0', null],
    ]);
    expect(routes[2]).toMatchObject({ maxInFlightByReservation: null, bindingLimit: null, headroomPercent: null, headroomLimit: null });
  });

  it('a quota of 0 carries nothing: the maximum is 0, it binds, and no headroom percentage is made up', () => {
    const result = capacityRoute(route({ requestsPerMinute: quota(0), tokensPerMinute: quota(1_000_000) }), at(10));
    expect(result).toMatchObject({ maxRequestsPerMinute: 0, bindingLimit: 'requests-per-minute', headroomPercent: null, headroomLimit: 'requests-per-minute' });
  });

  it('headroom is the least room any quota leaves for the target on top of the current peak, each in its own unit', () => {
    const quotas = { requestsPerMinute: quota(250), tokensPerMinute: quota(1_000_000), tokensPerDay: quota(1_440_000_000) };
    const result = capacityRoute(route(quotas, { usage: busy(50, 100_000, 200_000_000) }), at(100));
    // RPM: 100 x (250 - 150) / 250 = 40; TPM: 100 x (1,000,000 - 370,000) / 1,000,000 = 63;
    // TPD: 100 x (1,440,000,000 - (388,800,000 + 200,000,000)) / 1,440,000,000 = 59.1
    expect(result).toMatchObject({ headroomPercent: 40, headroomLimit: 'requests-per-minute', currentPeak: { requestsPerMinute: 50, tokensPerMinute: 100_000 } });
    const over = capacityRoute(route(quotas, { usage: busy(200, 100_000, 0) }), at(100));
    expect(over.headroomPercent).toBe(-20);
  });

  it('a route with no invocations has all its quota for the target; one whose usage could not be read has no headroom', () => {
    const quotas = { requestsPerMinute: quota(250) };
    expect(capacityRoute(route(quotas), at(100))).toMatchObject({ headroomPercent: 60, currentPeak: { requestsPerMinute: 0, tokensPerMinute: 0 } });
    expect(capacityRoute(route(quotas, { usage: denied }), at(100))).toMatchObject({ headroomPercent: null, headroomLimit: 'requests-per-minute', currentPeak: null });
  });

  it('costs 1,000 requests at the billed token mix (no burndown), and says unknown when a price it needs is missing', () => {
    const prices = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    // (1,000 x 3 + 300 x 15 + 5,000 x 0.3 + 200 x 3.75) / 1,000,000 x 1,000 = 9.75
    expect(capacityRoute(route({}, { prices }), at(10)).costPer1000Requests).toBe(9.75);
    expect(capacityRoute(route({}, { prices: { ...prices, cacheWrite: null } }), at(10)).costPer1000Requests).toBeNull();
    expect(capacityRoute(route({}, { prices: null }), at(10)).costPer1000Requests).toBeNull();
  });

  it('a concurrency with a duration is a rate: concurrency x 60,000 / duration', () => {
    expect(targetRate({ rpm: 42 })).toBe(42);
    expect(targetRate({ concurrency: 10, durationMs: 2000 })).toBe(300);
    expect(targetRate({ concurrency: 3, durationMs: 7000 })).toBeCloseTo(25.714, 3);
  });
});
