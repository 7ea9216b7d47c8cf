import { describe, expect, it } from 'vitest';
import { headroomOf, perMinuteFigures, pointsOf, totalsOf, type RouteSeries } from './figures';
import { timeWindow } from './metrics';

/** A route's figures from its datapoints, gaps included: what CloudWatch did not answer stays unknown. */

const NOW = Date.parse('2026-05-04T12:30:20Z');
const window = timeWindow('24h', NOW);
const minute = (minutesAgo: number) => window.end.getTime() - (minutesAgo + 1) * 60_000;
const series = (entries: Partial<Record<'invocations' | 'inputTokens' | 'outputTokens' | 'cacheWriteTokens' | 'cacheReadTokens' | 'estimatedQuotaTokens' | 'throttles', [number, number][]>>): RouteSeries =>
  new Map(Object.entries(entries).map(([key, points]) => [key as never, new Map(points.map(([ago, value]) => [minute(ago), value]))]));

describe('usage figures', () => {
  it('the 24 h window is 1,440 one-minute periods ending with the minute now running', () => {
    expect(window).toMatchObject({ periodSeconds: 60, periods: 1440 });
    expect(window.end.toISOString()).toBe('2026-05-04T12:31:00.000Z');
    expect(window.start.toISOString()).toBe('2026-05-03T12:31:00.000Z');
    const fortnight = timeWindow('14d', NOW);
    expect(fortnight).toMatchObject({ periodSeconds: 3600, periods: 336 });
    expect(fortnight.end.toISOString()).toBe('2026-05-04T13:00:00.000Z');
  });

  it('a period without a datapoint is a gap (null), not a zero, and is left out of the peak, p99 and median', () => {
    const points = pointsOf(series({ invocations: [[0, 10], [1, 30], [5, 20]], inputTokens: [[0, 1000], [1, 3000], [5, 2000]], outputTokens: [[0, 100], [1, 300], [5, 200]] }), window, 5);
    expect(points).toHaveLength(1440);
    expect(points.at(-1)).toMatchObject({ at: '2026-05-04T12:30:00.000Z', invocations: 10, quotaTokens: 1000 + 100 * 5 });
    expect(points.at(-3)).toMatchObject({ invocations: null, inputTokens: null, quotaTokens: null });
    const figures = perMinuteFigures(points, 60);
    // Three minutes with data: 10, 20, 30. The 1,437 gaps would make the median 0 if they counted.
    expect(figures.peak).toEqual({ requestsPerMinute: 30, tokensPerMinute: 3000 + 300 * 5 });
    expect(figures.median).toEqual({ requestsPerMinute: 20, tokensPerMinute: 2000 + 200 * 5 });
    expect(figures.p99.requestsPerMinute).toBe(30);
  });

  it('quota tokens are CloudWatch\'s estimate where it has one, else input + cache write + output x burndown, never cache reads', () => {
    const points = pointsOf(
      series({ inputTokens: [[0, 1000], [1, 1000]], cacheWriteTokens: [[0, 200], [1, 200]], cacheReadTokens: [[0, 9000], [1, 9000]], outputTokens: [[0, 100], [1, 100]], estimatedQuotaTokens: [[1, 4321]] }),
      window,
      5,
    );
    expect(points.at(-1)?.quotaTokens).toBe(1000 + 200 + 100 * 5);
    expect(points.at(-2)?.quotaTokens).toBe(4321);
  });

  it('a lone missing metric does not blank the minute: a minute with output tokens but no input counts what it has', () => {
    const points = pointsOf(series({ outputTokens: [[0, 100]] }), window, 1);
    expect(points.at(-1)?.quotaTokens).toBe(100);
  });

  it('totals and averages: throttles over the window, tokens per request over the invocations', () => {
    const points = pointsOf(series({ invocations: [[0, 4], [2, 6]], throttles: [[0, 1], [3, 2]], inputTokens: [[0, 4000], [2, 6000]], outputTokens: [[0, 400], [2, 600]] }), window, 1);
    expect(totalsOf(points)).toEqual({ invocations: 10, throttles: 3, quotaTokens: 11_000, averageTokensPerRequest: { input: 1000, output: 100, cacheRead: 0, cacheWrite: 0 } });
    expect(totalsOf(pointsOf(new Map(), window, 1))).toEqual({ invocations: 0, throttles: 0, quotaTokens: null, averageTokensPerRequest: null });
  });

  it('over 14 days an hour\'s sum is shown per minute', () => {
    const fortnight = timeWindow('14d', NOW);
    const hour = fortnight.end.getTime() - 3_600_000;
    const points = pointsOf(new Map([['invocations', new Map([[hour, 600]])]]), fortnight, 1);
    expect(perMinuteFigures(points, 3600).peak.requestsPerMinute).toBe(10);
  });

  it('headroom against the quota: 100 with no invocations, unknown without a quota, a quota of 0 or a usage', () => {
    expect(headroomOf({ requestsPerMinute: 200, tokensPerMinute: 100_000 }, { requestsPerMinute: 50, tokensPerMinute: 120_000 }, 'ok')).toEqual({ requestsPerMinute: 75, tokensPerMinute: -20 });
    expect(headroomOf({ requestsPerMinute: 200, tokensPerMinute: null }, { requestsPerMinute: null, tokensPerMinute: null }, 'no-invocations')).toEqual({ requestsPerMinute: 100, tokensPerMinute: null });
    expect(headroomOf({ requestsPerMinute: 0, tokensPerMinute: 10 }, { requestsPerMinute: 5, tokensPerMinute: 5 }, 'ok')).toEqual({ requestsPerMinute: null, tokensPerMinute: 50 });
    expect(headroomOf({ requestsPerMinute: 200, tokensPerMinute: 10 }, { requestsPerMinute: null, tokensPerMinute: null }, 'denied')).toEqual({ requestsPerMinute: null, tokensPerMinute: null });
  });
});
