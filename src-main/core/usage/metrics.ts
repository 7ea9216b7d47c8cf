import type { UsagePoint, UsageWindow } from '../../../src-shared/contract/usage';

/**
 * What is asked of CloudWatch for one route: the AWS/Bedrock runtime metrics under the dimension ModelId, whose value
 * is the id the caller invoked (a model id, or a profile id: a cross-Region call is counted under the profile in its
 * source region, and no dimension names the destination). Sources: the metrics table of
 * https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html; TimeToFirstToken and
 * EstimatedTPMQuotaUsage since 2026-03-12 (AWS ML blog); the cache token counts as third-party dashboards name them.
 */

export const NAMESPACE = 'AWS/Bedrock';
export const DIMENSION = 'ModelId';

type MetricKey = Exclude<keyof UsagePoint, 'at' | 'quotaTokens'>;

/** What GetMetricData is asked of one metric: its name and the statistic over each period. */
export interface MetricStatistic {
  metricName: string;
  stat: 'Sum' | 'Average' | 'SampleCount';
}

export interface UsageMetric extends MetricStatistic {
  key: MetricKey;
  /** Counts are summed over a period; latencies averaged. */
  stat: 'Sum' | 'Average';
}

export const USAGE_METRICS: readonly UsageMetric[] = [
  { key: 'invocations', metricName: 'Invocations', stat: 'Sum' },
  { key: 'throttles', metricName: 'InvocationThrottles', stat: 'Sum' },
  { key: 'inputTokens', metricName: 'InputTokenCount', stat: 'Sum' },
  { key: 'outputTokens', metricName: 'OutputTokenCount', stat: 'Sum' },
  { key: 'cacheReadTokens', metricName: 'CacheReadInputTokenCount', stat: 'Sum' },
  { key: 'cacheWriteTokens', metricName: 'CacheWriteInputTokenCount', stat: 'Sum' },
  { key: 'latencyMs', metricName: 'InvocationLatency', stat: 'Average' },
  { key: 'ttftMs', metricName: 'TimeToFirstToken', stat: 'Average' },
  { key: 'estimatedQuotaTokens', metricName: 'EstimatedTPMQuotaUsage', stat: 'Sum' },
];

/** One-minute periods over the last 24 hours, one-hour periods over 14 days (CloudWatch keeps 1-minute data 15 days). */
export const WINDOWS: Record<UsageWindow, { periodSeconds: number; periods: number }> = {
  '24h': { periodSeconds: 60, periods: 24 * 60 },
  '14d': { periodSeconds: 3600, periods: 14 * 24 },
};

export interface TimeWindow {
  /** Inclusive, on a period boundary. */
  start: Date;
  /** Exclusive: the end of the period now running, so the current (partial) minute or hour is in the window. */
  end: Date;
  periodSeconds: number;
  periods: number;
}

export function timeWindow(window: UsageWindow, now: number): TimeWindow {
  const { periodSeconds, periods } = WINDOWS[window];
  const periodMs = periodSeconds * 1000;
  const end = (Math.floor(now / periodMs) + 1) * periodMs;
  return { start: new Date(end - periods * periodMs), end: new Date(end), periodSeconds, periods };
}

/** One GetMetricData query: a metric of one invoked id, under an id CloudWatch accepts (`^[a-z][a-zA-Z0-9_]*$`). */
export interface MetricQuery {
  id: string;
  invokeId: string;
  metric: MetricStatistic;
}

export function queryId(routeIndex: number, metricIndex: number): string {
  return `r${routeIndex}_m${metricIndex}`;
}

/** Every metric of every route, the routes numbered in the order given. */
export function metricQueries(invokeIds: readonly string[]): MetricQuery[] {
  return invokeIds.flatMap((invokeId, route) => USAGE_METRICS.map((metric, index) => ({ id: queryId(route, index), invokeId, metric })));
}
