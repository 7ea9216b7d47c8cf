import type { CloudWatchClient, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DIMENSION, NAMESPACE, type MetricQuery, type TimeWindow } from './metrics';

/**
 * Reads metric queries from one region's CloudWatch with GetMetricData: at most 500 queries a call (AWS's limit:
 * "A single GetMetricData call can include as many as 500 MetricDataQuery structures"), each batch followed through
 * every NextToken page (a page may hold part of a query's datapoints; the same queries are sent again with the token).
 */

export const MAX_QUERIES_PER_CALL = 500;

/** Datapoints per query id: period start (epoch ms) to value. A period CloudWatch did not answer is absent, never 0. */
export interface MetricReadings {
  values: Map<string, Map<number, number>>;
  /** Queries CloudWatch answered with a failure of their own (StatusCode Forbidden or InternalError), and why. */
  failures: Map<string, string>;
  /** GetMetricData calls made, pages included. */
  calls: number;
}

export class PaginationLoopError extends Error {
  override readonly name = 'PaginationLoop';
  readonly code = 'PAGINATION_LOOP';
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function record(readings: MetricReadings, result: MetricDataResult): void {
  const id = result.Id;
  if (!id) return;
  const series = readings.values.get(id) ?? new Map<number, number>();
  readings.values.set(id, series);
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  timestamps.forEach((timestamp, index) => {
    const value = values[index];
    if (value !== undefined && Number.isFinite(value)) series.set(timestamp.getTime(), value);
  });
  // PartialData means "more on the next page"; only a failure of the query itself is kept.
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    const detail = (result.Messages ?? []).map((message) => [message.Code, message.Value].filter(Boolean).join(': ')).join('; ');
    readings.failures.set(id, `${result.StatusCode}${detail ? ` (${detail})` : ''}`);
  }
}

export async function readMetrics(client: CloudWatchClient, queries: readonly MetricQuery[], window: TimeWindow, signal: AbortSignal): Promise<MetricReadings> {
  const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const readings: MetricReadings = { values: new Map(), failures: new Map(), calls: 0 };
  // Batches one after another: CloudWatch counts GetMetricData against a per-region rate, and a route's usage is a
  // few dozen queries, so there is rarely more than one batch.
  for (const batch of batches(queries, MAX_QUERIES_PER_CALL)) {
    const metricDataQueries = batch.map((query) => ({
      Id: query.id,
      MetricStat: {
        Metric: { Namespace: NAMESPACE, MetricName: query.metric.metricName, Dimensions: [{ Name: DIMENSION, Value: query.invokeId }] },
        Period: window.periodSeconds,
        Stat: query.metric.stat,
      },
      ReturnData: true,
    }));
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetMetricDataCommand({ MetricDataQueries: metricDataQueries, StartTime: window.start, EndTime: window.end, ScanBy: 'TimestampAscending', NextToken: nextToken }),
        { abortSignal: signal },
      );
      readings.calls++;
      for (const result of page.MetricDataResults ?? []) record(readings, result);
      nextToken = page.NextToken || undefined;
      if (nextToken !== undefined) {
        if (seenTokens.has(nextToken)) throw new PaginationLoopError('CloudWatch returned a NextToken it had already returned: the pages would never end.');
        seenTokens.add(nextToken);
      }
    } while (nextToken !== undefined);
  }
  return readings;
}
