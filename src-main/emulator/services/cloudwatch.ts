import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  BEDROCK_METRICS,
  BEDROCK_NAMESPACE,
  byPeriod,
  modelIdsWithData,
  MODEL_ID_DIMENSION,
  samplesOf,
  statistic,
  STATISTIC,
  type BedrockMetric,
} from '../metric-series';
import { matchesRegion } from '../scenario';
import { USAGE_RETENTION_MS } from '../usage-log';
import { regionalPreamble } from './context';
import { decodePageToken, encodePageToken, page, parseInput, sendJsonResult } from './json-protocol';
import { QueryError } from './query-protocol';
import type { EmulatedService, ServiceCall } from './service';

/**
 * CloudWatch (awsJson 1.0 with awsQueryCompatible, `GraniteServiceVersion20100801`, signed `monitoring`): the SDK
 * sends `x-amzn-query-mode: true` and names errors from `x-amzn-query-error`, so every error carries it. Timestamps
 * are epoch seconds both ways. GetMetricData answers the AWS/Bedrock metrics by ModelId from what the emulator served
 * (usage-log.ts) and the scenario's seeded series (metric-series.ts): periods without data are absent, at most 500
 * queries a call, datapoints paged (100,800 a page, or the scenario's `cloudwatch.pageSize`), newest first unless
 * ScanBy says otherwise. ListMetrics lists the metrics that have data.
 */

const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;
const LIST_METRICS_PAGE = 500;
const METRIC_UNITS: Record<BedrockMetric, string> = {
  Invocations: 'Count',
  InvocationThrottles: 'Count',
  InvocationClientErrors: 'Count',
  InvocationServerErrors: 'Count',
  InputTokenCount: 'Count',
  OutputTokenCount: 'Count',
  CacheReadInputTokenCount: 'Count',
  CacheWriteInputTokenCount: 'Count',
  InvocationLatency: 'Milliseconds',
  TimeToFirstToken: 'Milliseconds',
  EstimatedTPMQuotaUsage: 'Count',
};

/** The query protocol's codes of the exceptions this module throws, for `x-amzn-query-error`. */
const QUERY_CODES: Record<string, string> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidNextToken: 'InvalidNextToken',
  InternalServiceFault: 'InternalServiceError',
  AccessDeniedException: 'AccessDenied',
  ValidationException: 'ValidationError',
  UnrecognizedClientException: 'InvalidClientTokenId',
  UnknownOperationException: 'InvalidAction',
};

/** JSON 1.0 timestamps are epoch seconds; a date string is read too. */
const Timestamp = z.union([z.number(), z.string().min(1)]).transform((value, context) => {
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) context.addIssue({ code: 'custom', message: 'Member must be a timestamp' });
  return ms;
});
const Dimension = z.object({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024) });
const MetricStat = z.object({
  Metric: z.object({ Namespace: z.string().min(1).max(255).optional(), MetricName: z.string().min(1).max(255).optional(), Dimensions: z.array(Dimension).max(30).optional() }),
  Period: z.number().int().min(1),
  Stat: z.string().min(1),
  Unit: z.string().optional(),
});
const MetricDataQuery = z.object({
  Id: z.string().min(1).max(255),
  MetricStat: MetricStat.optional(),
  Expression: z.string().min(1).max(2048).optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  Period: z.number().int().min(1).optional(),
  AccountId: z.string().optional(),
});
const GetMetricDataInput = z.object({
  MetricDataQueries: z.array(MetricDataQuery),
  StartTime: Timestamp,
  EndTime: Timestamp,
  NextToken: z.string().optional(),
  ScanBy: z.enum(['TimestampDescending', 'TimestampAscending']).optional(),
  MaxDatapoints: z.number().int().min(1).optional(),
  LabelOptions: z.object({ Timezone: z.string().optional() }).optional(),
});
const ListMetricsInput = z.object({
  Namespace: z.string().min(1).max(255).optional(),
  MetricName: z.string().min(1).max(255).optional(),
  Dimensions: z.array(z.object({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024).optional() })).max(10).optional(),
  NextToken: z.string().optional(),
  RecentlyActive: z.literal('PT3H').optional(),
  IncludeLinkedAccounts: z.boolean().optional(),
  OwningAccount: z.string().optional(),
});
type Query = z.output<typeof MetricDataQuery>;

const invalidValue = (message: string) => new QueryError(400, 'com.amazonaws.cloudwatch#InvalidParameterValueException', message);
const validationError = (message: string) => new QueryError(400, 'com.amazon.coral.validate#ValidationException', message);
const invalidToken = () => new QueryError(400, 'com.amazonaws.cloudwatch#InvalidNextToken', 'The service cannot process the NextToken.');

interface ComputedResult {
  Id: string;
  Label: string;
  /** [epoch seconds, value], in the scan order. */
  points: [number, number][];
  failure?: string;
}

function checkQueries(queries: Query[]): void {
  if (queries.length === 0) throw new QueryError(400, 'com.amazonaws.cloudwatch#MissingRequiredParameterException', 'The parameter MetricDataQueries is required.');
  if (queries.length > MAX_QUERIES) throw validationError(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const seen = new Set<string>();
  for (const [index, query] of queries.entries()) {
    const at = `MetricDataQueries.member.${index + 1}`;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(query.Id)) throw validationError(`The value ${query.Id} for parameter ${at}.Id is not valid: it must start with a lowercase letter and hold letters, digits and underscores.`);
    if (seen.has(query.Id)) throw validationError(`The values for parameter Id in MetricDataQueries are not unique: ${query.Id}.`);
    seen.add(query.Id);
    if ((query.MetricStat === undefined) === (query.Expression === undefined)) throw validationError(`Exactly one of ${at}.MetricStat and ${at}.Expression must be set.`);
    if (query.MetricStat && !STATISTIC.test(query.MetricStat.Stat)) throw invalidValue(`The value ${query.MetricStat.Stat} for parameter ${at}.MetricStat.Stat is not supported.`);
  }
}

function computeResult(call: ServiceCall, query: Query, window: { from: number; to: number; anchor: number; ascending: boolean }): ComputedResult {
  const label = query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id;
  if (!query.MetricStat) return { Id: query.Id, Label: label, points: [], failure: 'The emulator does not evaluate metric math expressions.' };
  const { Metric, Period, Stat, Unit } = query.MetricStat;
  const dimensions = Metric.Dimensions ?? [];
  const metric = Metric.MetricName as BedrockMetric | undefined;
  // CloudWatch matches the exact dimension set: Bedrock publishes its metrics under ModelId alone.
  const published =
    Metric.Namespace === BEDROCK_NAMESPACE &&
    metric !== undefined &&
    (BEDROCK_METRICS as readonly string[]).includes(metric) &&
    dimensions.length === 1 &&
    dimensions[0]!.Name === MODEL_ID_DIMENSION &&
    (Unit === undefined || Unit === METRIC_UNITS[metric]);
  if (!published) return { Id: query.Id, Label: label, points: [] };
  const periodMs = Period * 1000;
  const from = Math.floor(window.from / periodMs) * periodMs;
  const sources = { usage: call.context.usage, seeded: call.scenario.cloudwatch.usage, anchor: window.anchor };
  const samples = samplesOf(sources, metric, call.region, dimensions[0]!.Value, from, window.to);
  const points = byPeriod(samples, periodMs).map(([start, bucket]): [number, number] => [start / 1000, statistic(Stat, bucket)]);
  return { Id: query.Id, Label: label, points: window.ascending ? points : points.reverse() };
}

/** Fingerprint of what a page token continues: the same queries over the same window. */
function requestHash(input: z.output<typeof GetMetricDataInput>): string {
  const { MetricDataQueries, StartTime, EndTime, ScanBy } = input;
  return createHash('sha256').update(JSON.stringify({ MetricDataQueries, StartTime, EndTime, ScanBy })).digest('hex').slice(0, 16);
}

function getMetricData(call: ServiceCall) {
  const input = parseInput(GetMetricDataInput, call.parameters);
  checkQueries(input.MetricDataQueries);
  if (input.StartTime >= input.EndTime) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  const hash = requestHash(input);
  const token = input.NextToken === undefined ? null : decodePageToken(input.NextToken, 'GetMetricData');
  if (input.NextToken !== undefined && (token === null || token.request !== hash || typeof token.anchor !== 'number')) throw invalidToken();
  // Every page counts back from the same "now", so the seeded series do not shift between pages.
  const anchor = token ? (token.anchor as number) : call.context.now();
  const window = { from: input.StartTime, to: input.EndTime, anchor, ascending: input.ScanBy === 'TimestampAscending' };
  const results = input.MetricDataQueries.filter((query) => query.ReturnData !== false).map((query) => computeResult(call, query, window));

  const offset = token?.offset ?? 0;
  const size = Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS, call.scenario.cloudwatch.pageSize ?? MAX_DATAPOINTS);
  const total = results.reduce((count, result) => count + result.points.length, 0);
  if (offset > total) throw invalidToken();
  const end = Math.min(offset + size, total);
  const page: Record<string, unknown>[] = [];
  let start = 0;
  for (const result of results) {
    const from = Math.max(start, offset) - start;
    const to = Math.min(start + result.points.length, end) - start;
    start += result.points.length;
    // A result without datapoints is on the first page; one with datapoints, on each page that holds some of them.
    if (to <= from && !(result.points.length === 0 && offset === 0)) continue;
    const upTo = Math.max(from, to);
    const points = result.points.slice(from, upTo);
    page.push({
      Id: result.Id,
      Label: result.Label,
      Timestamps: points.map(([at]) => at),
      Values: points.map(([, value]) => value),
      StatusCode: result.failure ? 'InternalError' : upTo < result.points.length ? 'PartialData' : 'Complete',
      ...(result.failure ? { Messages: [{ Code: 'InternalError', Value: result.failure }] } : {}),
    });
  }
  return { MetricDataResults: page, Messages: [], ...(end < total ? { NextToken: encodePageToken('GetMetricData', end, { anchor, request: hash }) } : {}) };
}

function listMetrics(call: ServiceCall) {
  const input = parseInput(ListMetricsInput, call.parameters);
  const now = call.context.now();
  const since = now - (input.RecentlyActive ? 3 * 60 * 60 * 1000 : USAGE_RETENTION_MS);
  const sources = { usage: call.context.usage, seeded: call.scenario.cloudwatch.usage, anchor: now };
  const wanted = (name: string, value: string) => (input.Dimensions ?? []).every((filter) => filter.Name === name && (filter.Value === undefined || filter.Value === value));
  const metrics =
    input.Namespace !== undefined && input.Namespace !== BEDROCK_NAMESPACE
      ? []
      : modelIdsWithData(sources, call.region, since).flatMap((modelId) =>
          BEDROCK_METRICS.filter(
            (metric) => (input.MetricName === undefined || input.MetricName === metric) && wanted(MODEL_ID_DIMENSION, modelId) && samplesOf(sources, metric, call.region, modelId, since, now + 60_000).length > 0,
          ).map((metric) => ({ Namespace: BEDROCK_NAMESPACE, MetricName: metric, Dimensions: [{ Name: MODEL_ID_DIMENSION, Value: modelId }] })),
        );
  const listing = `ListMetrics:${call.region}:${JSON.stringify([input.Namespace, input.MetricName, input.Dimensions, input.RecentlyActive])}`;
  const { items, nextToken } = page(metrics, { listing, ...(input.NextToken ? { token: input.NextToken } : {}), size: LIST_METRICS_PAGE, invalidToken });
  return { Metrics: items, ...(nextToken ? { NextToken: nextToken } : {}) };
}

export const cloudWatchService: EmulatedService = {
  signingName: 'monitoring',
  protocol: 'awsJson',
  targetPrefix: 'GraniteServiceVersion20100801',
  jsonVersion: '1.0',
  queryErrorCode: (exceptionName) => QUERY_CODES[exceptionName] ?? exceptionName,
  async answer(call) {
    if (!(await regionalPreamble(call))) return;
    const { cloudwatch } = call.scenario;
    if (cloudwatch.failing.some((region) => matchesRegion(region, call.region))) {
      throw new QueryError(500, 'com.amazonaws.cloudwatch#InternalServiceFault', 'Internal service error.', 'Receiver');
    }
    if (call.operation === 'GetMetricData') {
      if (cloudwatch.denied.some((region) => matchesRegion(region, call.region))) {
        const action = 'cloudwatch:GetMetricData';
        throw new QueryError(403, 'com.amazon.coral.service#AccessDeniedException', `User: ${call.scenario.identity.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`);
      }
      return sendJsonResult(call, cloudWatchService, getMetricData(call));
    }
    if (call.operation === 'ListMetrics') return sendJsonResult(call, cloudWatchService, listMetrics(call));
    throw new QueryError(400, 'UnknownOperationException', `Could not find operation ${call.operation} for version 2010-08-01`);
  },
};
