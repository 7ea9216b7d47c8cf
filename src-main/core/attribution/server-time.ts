import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RouteServerClientTime, ServerSideFigures } from '../../../src-shared/contract/attribution';
import type { LatencyRoute } from '../../../src-shared/contract/latency';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import { round } from '../latency/stats';
import type { HistoryDatabase } from '../storage/history-database';
import { readMetrics, type MetricReadings } from '../usage/metric-reader';
import type { MetricQuery, TimeWindow } from '../usage/metrics';

/**
 * Server time beside client time, per route of a run: CloudWatch's TimeToFirstToken and InvocationLatency (namespace
 * AWS/Bedrock, dimension ModelId = the id invoked, in the region called: a cross-Region call is counted in its source
 * region) for the minutes the route's requests ran, read with the usage feature's GetMetricData reader, beside the
 * client's own TTFT and E2E. Means on both sides, because a difference of means is the mean difference, which a
 * difference of medians is not: per minute CloudWatch's Average, weighted by its SampleCount. CloudWatch counts every
 * call of the account under that model id in those minutes (warm-ups and other programs too), which the invocation
 * count shows beside the run's requests.
 */

const MINUTE_MS = 60_000;
/** CloudWatch publishes a minute's Bedrock metrics within a few minutes; before that a run reads as having none. */
export const PUBLISH_DELAY_MS = 5 * MINUTE_MS;
/** One region's CloudWatch gets this long. */
const REGION_TIMEOUT_MS = 30_000;
/** A share of the client's TTFT above this is "the path is the slow part". */
const PATH_DOMINATES_PERCENT = 50;

interface ClientRow {
  route_key: string;
  region: string;
  invoke_id: string;
  kind: LatencyRoute['kind'];
  n: bigint;
  ttft: number | null;
  e2e: number | null;
  first: string;
  last: string;
}

export interface CloudWatchAccess {
  client(region: string): Promise<CloudWatchClient>;
  redact(text: string): string;
  profile: string | null;
  now(): number;
}

const METRICS = [
  { prefix: 'ttft', metricName: 'TimeToFirstToken' },
  { prefix: 'lat', metricName: 'InvocationLatency' },
] as const;

function queriesFor(index: number, invokeId: string): MetricQuery[] {
  return METRICS.flatMap(({ prefix, metricName }) => [
    { id: `${prefix}${index}_avg`, invokeId, metric: { metricName, stat: 'Average' as const } },
    { id: `${prefix}${index}_n`, invokeId, metric: { metricName, stat: 'SampleCount' as const } },
  ]);
}

/** The mean over the periods, each period's Average weighted by its SampleCount; null without a datapoint. */
function weightedMean(readings: MetricReadings, prefix: string, index: number, window: TimeWindow): { mean: number | null; count: number } {
  const averages = readings.values.get(`${prefix}${index}_avg`) ?? new Map<number, number>();
  const counts = readings.values.get(`${prefix}${index}_n`) ?? new Map<number, number>();
  let total = 0;
  let weight = 0;
  for (const [period, average] of averages) {
    // The region's read covers every route of the run; a route's figures are its own minutes'.
    if (period < window.start.getTime() || period >= window.end.getTime()) continue;
    const samples = counts.get(period) ?? 1;
    total += average * samples;
    weight += samples;
  }
  return { mean: weight > 0 ? round(total / weight) : null, count: weight };
}

function minuteWindow(first: number, last: number): TimeWindow {
  const start = Math.floor(first / MINUTE_MS) * MINUTE_MS;
  const end = (Math.floor(last / MINUTE_MS) + 1) * MINUTE_MS;
  return { start: new Date(start), end: new Date(end), periodSeconds: 60, periods: (end - start) / MINUTE_MS };
}

type RegionRead = { readings: MetricReadings } | { failure: { status: 'denied' | 'error'; message: string } };

function failureOf(error: unknown, region: string, access: CloudWatchAccess): { status: 'denied' | 'error'; message: string } {
  const failure = classifyAwsError(error);
  const upstream = access.redact(failure.upstreamMessage);
  if (failure.errorClass === 'accessDenied' || failure.errorClass === 'organizationPolicy') {
    return {
      status: 'denied',
      message: `No CloudWatch figures: the caller may not read CloudWatch metrics in ${region} (cloudwatch:GetMetricData is not allowed). Add "cloudwatch:GetMetricData" on "*" to its IAM policy, or use a role that has it, such as CloudWatchReadOnlyAccess. (${upstream})`,
    };
  }
  const explained = explainAwsError(error, { service: 'CloudWatch', region, profile: access.profile, redact: access.redact });
  return { status: 'error', message: `No CloudWatch figures: ${explained.message}` };
}

/** A figure in a sentence: whole milliseconds (the table keeps the decimals). */
const ms = (value: number | null) => (value === null ? 'unknown' : `${Math.round(value)} ms`);

function summaryOf(route: LatencyRoute, client: RouteServerClientTime['client'], server: ServerSideFigures, overhead: RouteServerClientTime['overheadMs'], share: number | null): string {
  if (server.status !== 'ok') return server.message ?? 'No CloudWatch figures.';
  if (overhead.ttft === null || server.ttftMeanMs === null || client.ttftMeanMs === null) {
    return overhead.e2e === null
      ? 'CloudWatch has figures for these minutes, but none that compare with the client’s.'
      : `Bedrock took ${ms(server.invocationLatencyMeanMs)} per call on average; the network and the client add ${ms(overhead.e2e)} to the end-to-end time.`;
  }
  if (overhead.ttft < 0) {
    return `CloudWatch’s mean TTFT (${ms(server.ttftMeanMs)}) is above the client’s (${ms(client.ttftMeanMs)}): its minutes hold other calls under ${route.invokeId} too (${server.invocations} invocations for ${client.requests} requests of this run).`;
  }
  if ((share ?? 0) >= PATH_DOMINATES_PERCENT) {
    return `Bedrock is fast there (${ms(server.ttftMeanMs)} to the first token), the path to it is not: the network and the client add ${ms(overhead.ttft)}, ${Math.round(share ?? 0)} % of the ${ms(client.ttftMeanMs)} the client saw.`;
  }
  return `Bedrock's own time dominates: ${ms(server.ttftMeanMs)} of the ${ms(client.ttftMeanMs)} the client saw to the first token; the network and the client add ${ms(overhead.ttft)} (${Math.round(share ?? 0)} %).`;
}

export async function serverClientTimes(db: HistoryDatabase, runId: string, access: CloudWatchAccess, signal: AbortSignal): Promise<RouteServerClientTime[]> {
  const rows = await db.all<ClientRow>(
    `select s.route_key, any_value(s.region) as region, any_value(s.invoke_id) as invoke_id, any_value(s.kind) as kind, count(*) as n,
       avg(s.ttft_ms) as ttft, avg(s.e2e_ms) as e2e,
       strftime(min(coalesce(s.sent_at, s.measured_at)), '%Y-%m-%dT%H:%M:%S.%gZ') as first, strftime(max(s.measured_at), '%Y-%m-%dT%H:%M:%S.%gZ') as last
     from latency_samples s join latency_runs r on r.id = s.run_id
     where s.run_id = $1 and s.error_class is null group by s.route_key order by min(s.seq)`,
    [runId],
  );
  const regions = [...new Set(rows.map((row) => row.region))];
  const windows = rows.map((row) => minuteWindow(Date.parse(row.first), Date.parse(row.last)));
  const readings = new Map<string, RegionRead>(
    await Promise.all(
      regions.map(async (region): Promise<[string, RegionRead]> => {
        const indexes = rows.flatMap((row, index) => (row.region === region ? [index] : []));
        const window = minuteWindow(Math.min(...indexes.map((index) => windows[index]!.start.getTime())), Math.max(...indexes.map((index) => windows[index]!.end.getTime())) - 1);
        try {
          const client = await access.client(region);
          const queries = indexes.flatMap((index) => queriesFor(index, rows[index]!.invoke_id));
          return [region, { readings: await readMetrics(client, queries, window, AbortSignal.any([signal, AbortSignal.timeout(REGION_TIMEOUT_MS)])) }];
        } catch (error) {
          if (signal.aborted) throw error;
          return [region, { failure: failureOf(error, region, access) }];
        }
      }),
    ),
  );
  return rows.map((row, index): RouteServerClientTime => {
    const route: LatencyRoute = { invokeId: row.invoke_id, callRegion: row.region, kind: row.kind };
    const client = { requests: Number(row.n), ttftMeanMs: row.ttft === null ? null : round(row.ttft), e2eMeanMs: row.e2e === null ? null : round(row.e2e) };
    const window = windows[index]!;
    const span = { from: window.start.toISOString(), to: window.end.toISOString() };
    const read = readings.get(row.region);
    let server: ServerSideFigures;
    if (!read || 'failure' in read) {
      const failure = read?.failure ?? { status: 'error' as const, message: 'No CloudWatch figures.' };
      server = { ...span, ttftMeanMs: null, invocationLatencyMeanMs: null, invocations: null, ...failure };
    } else {
      const ids = new Set(queriesFor(index, row.invoke_id).map((query) => query.id));
      const forbidden = [...read.readings.failures].filter(([id]) => ids.has(id));
      const ttft = weightedMean(read.readings, 'ttft', index, window);
      const latency = weightedMean(read.readings, 'lat', index, window);
      if (forbidden.length > 0) {
        server = { ...span, ttftMeanMs: null, invocationLatencyMeanMs: null, invocations: null, status: 'denied', message: `No CloudWatch figures: CloudWatch refused the metrics of ${row.invoke_id} in ${row.region} (${access.redact(forbidden.map(([, reason]) => reason).join('; '))}).` };
      } else if (ttft.mean === null && latency.mean === null) {
        const recent = access.now() - window.end.getTime() < PUBLISH_DELAY_MS;
        const message = recent
          ? `No CloudWatch data yet for ${row.invoke_id} in ${row.region}: CloudWatch publishes a minute's metrics a few minutes after it, and this run ended at ${window.end.toISOString()}. Ask again in a few minutes.`
          : `No CloudWatch data: CloudWatch has no TimeToFirstToken or InvocationLatency for ${row.invoke_id} in ${row.region} between ${span.from} and ${span.to}.`;
        server = { ...span, ttftMeanMs: null, invocationLatencyMeanMs: null, invocations: null, status: 'no-data', message };
      } else {
        server = { ...span, status: 'ok', ttftMeanMs: ttft.mean, invocationLatencyMeanMs: latency.mean, invocations: Math.round(latency.count || ttft.count) };
      }
    }
    const overheadMs = {
      ttft: server.ttftMeanMs !== null && client.ttftMeanMs !== null ? round(client.ttftMeanMs - server.ttftMeanMs) : null,
      e2e: server.invocationLatencyMeanMs !== null && client.e2eMeanMs !== null ? round(client.e2eMeanMs - server.invocationLatencyMeanMs) : null,
    };
    const overheadSharePercent = overheadMs.ttft !== null && client.ttftMeanMs ? Math.round((1000 * overheadMs.ttft) / client.ttftMeanMs) / 10 : null;
    return { key: row.route_key, route, client, server, overheadMs, overheadSharePercent, summary: summaryOf(route, client, server, overheadMs, overheadSharePercent) };
  });
}
