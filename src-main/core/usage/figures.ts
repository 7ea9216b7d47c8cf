import type { AverageTokens, PerMinute, RouteUsage, UsagePoint } from '../../../src-shared/contract/usage';
import { USAGE_METRICS, type TimeWindow, type UsageMetric } from './metrics';

/**
 * A route's usage from its datapoints: one point per period of the window (a period without a datapoint is a gap,
 * null, never a zero), the quota tokens each period burned, and peak, p99 and median per minute over the periods
 * that have data. Pure, so a gap's handling is tested without CloudWatch.
 */

export type RouteSeries = Map<UsageMetric['key'], Map<number, number>>;

/**
 * Quota tokens of a period: CloudWatch's own estimate where it has one (EstimatedTPMQuotaUsage: "burndown and
 * cache-write included"), else AWS's formula from the counts, input + cache write + output x burndown
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html); null when neither is there.
 */
export function quotaTokensOf(point: Omit<UsagePoint, 'quotaTokens'>, burndownRate: number): number | null {
  if (point.estimatedQuotaTokens !== null) return point.estimatedQuotaTokens;
  if (point.inputTokens === null && point.cacheWriteTokens === null && point.outputTokens === null) return null;
  return (point.inputTokens ?? 0) + (point.cacheWriteTokens ?? 0) + (point.outputTokens ?? 0) * burndownRate;
}

export function pointsOf(series: RouteSeries, window: TimeWindow, burndownRate: number): UsagePoint[] {
  const periodMs = window.periodSeconds * 1000;
  const start = window.start.getTime();
  // CloudWatch stamps each datapoint with its period's start, on the grid the window asked for; a stamp off it is
  // placed in the period it falls in (added for a sum, the latest kept for an average).
  const byPeriod = new Map<UsageMetric['key'], Map<number, number>>();
  for (const metric of USAGE_METRICS) {
    const placed = new Map<number, number>();
    for (const [at, value] of series.get(metric.key) ?? []) {
      const index = Math.floor((at - start) / periodMs);
      if (index >= 0 && index < window.periods) placed.set(index, metric.stat === 'Sum' ? (placed.get(index) ?? 0) + value : value);
    }
    byPeriod.set(metric.key, placed);
  }
  return Array.from({ length: window.periods }, (_, index) => {
    const valueOf = (key: UsageMetric['key']) => byPeriod.get(key)?.get(index) ?? null;
    const point = Object.fromEntries([['at', new Date(start + index * periodMs).toISOString()], ...USAGE_METRICS.map((metric) => [metric.key, valueOf(metric.key)])]) as Omit<UsagePoint, 'quotaTokens'>;
    return { ...point, quotaTokens: quotaTokensOf(point, burndownRate) };
  });
}

export function hasData(points: readonly UsagePoint[]): boolean {
  return points.some((point) => USAGE_METRICS.some((metric) => point[metric.key] !== null));
}

/** Nearest-rank percentile of values sorted ascending; null for none. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? null;
}

function twoDecimals(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

interface PerMinuteFigures {
  peak: PerMinute;
  p99: PerMinute;
  median: PerMinute;
}

/** Per-minute figures over the periods that have a datapoint: a gap neither lowers a median nor makes a peak. */
export function perMinuteFigures(points: readonly UsagePoint[], periodSeconds: number): PerMinuteFigures {
  const minutes = periodSeconds / 60;
  const ranked = (pick: (point: UsagePoint) => number | null) =>
    points
      .map(pick)
      .filter((value): value is number => value !== null)
      .map((value) => value / minutes)
      .sort((a, b) => a - b);
  const requests = ranked((point) => point.invocations);
  const tokens = ranked((point) => point.quotaTokens);
  const at = (fraction: number): PerMinute => ({ requestsPerMinute: twoDecimals(percentile(requests, fraction)), tokensPerMinute: twoDecimals(percentile(tokens, fraction)) });
  return { peak: at(1), p99: at(0.99), median: at(0.5) };
}

function sum(points: readonly UsagePoint[], pick: (point: UsagePoint) => number | null): number | null {
  let total: number | null = null;
  for (const point of points) {
    const value = pick(point);
    if (value !== null) total = (total ?? 0) + value;
  }
  return total;
}

export function totalsOf(points: readonly UsagePoint[]): { invocations: number; throttles: number; quotaTokens: number | null; averageTokensPerRequest: AverageTokens | null } {
  const invocations = sum(points, (point) => point.invocations) ?? 0;
  const average = (pick: (point: UsagePoint) => number | null) => Math.round((sum(points, pick) ?? 0) / invocations);
  return {
    invocations,
    throttles: sum(points, (point) => point.throttles) ?? 0,
    quotaTokens: sum(points, (point) => point.quotaTokens),
    averageTokensPerRequest:
      invocations > 0
        ? { input: average((point) => point.inputTokens), output: average((point) => point.outputTokens), cacheRead: average((point) => point.cacheReadTokens), cacheWrite: average((point) => point.cacheWriteTokens) }
        : null,
  };
}

/** 100 x (quota - peak) / quota to one decimal; 100 for a route with no invocations; null when either is unknown or the quota is 0. */
export function headroomOf(quota: PerMinute, peak: PerMinute, status: RouteUsage['status']): PerMinute {
  const room = (limit: number | null, used: number | null): number | null => {
    if (limit === null || limit === 0) return null;
    if (status === 'no-invocations') return 100;
    if (status !== 'ok' || used === null) return null;
    const percent = Math.round((1000 * (limit - used)) / limit) / 10;
    return percent === 0 ? 0 : percent;
  };
  return { requestsPerMinute: room(quota.requestsPerMinute, peak.requestsPerMinute), tokensPerMinute: room(quota.tokensPerMinute, peak.tokensPerMinute) };
}
