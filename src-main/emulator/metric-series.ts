import { z } from 'zod';
import { outputBurndownRate } from './model-features';
import type { InvocationRecord, UsageLog } from './usage-log';

/**
 * The AWS/Bedrock metrics CloudWatch publishes per ModelId (the id the call named), as samples: one per served call
 * from the usage log, plus the scenario's seeded per-minute series; and CloudWatch's statistics over the samples of a
 * period. A period without samples has no datapoint: that is how gaps look.
 */

export const BEDROCK_NAMESPACE = 'AWS/Bedrock';
export const MODEL_ID_DIMENSION = 'ModelId';

export const BEDROCK_METRICS = [
  'Invocations',
  'InvocationThrottles',
  'InvocationClientErrors',
  'InvocationServerErrors',
  'InputTokenCount',
  'OutputTokenCount',
  'CacheReadInputTokenCount',
  'CacheWriteInputTokenCount',
  'InvocationLatency',
  'TimeToFirstToken',
  'EstimatedTPMQuotaUsage',
] as const;
export type BedrockMetric = (typeof BEDROCK_METRICS)[number];

const Count = z.number().int().nonnegative();
const Tokens = z.number().nonnegative();

const SeededMinute = z
  .object({
    /** Whole minutes before the emulator's current minute (0 = the minute now). */
    minutesAgo: z.number().int().nonnegative().max(14 * 24 * 60),
    invocations: Count.optional(),
    throttles: Count.optional(),
    clientErrors: Count.optional(),
    serverErrors: Count.optional(),
    /** Token totals over the minute. */
    inputTokens: Tokens.optional(),
    outputTokens: Tokens.optional(),
    cacheReadTokens: Tokens.optional(),
    cacheWriteTokens: Tokens.optional(),
    /** Per-call figures in the minute (every call alike). */
    latencyMs: Tokens.optional(),
    ttftMs: Tokens.optional(),
  })
  .strict();

const SeededSeries = z
  .object({
    region: z.string().min(1),
    /** The ModelId dimension's value: a model id, a profile id or an ARN, as the calls named it. */
    modelId: z.string().min(1),
    perMinute: z.array(SeededMinute),
  })
  .strict();

export const CloudWatchScenarioSchema = z
  .object({
    /** Regions where the caller lacks cloudwatch:GetMetricData: AccessDenied, as AWS answers it. */
    denied: z.array(z.string().min(1)).default([]),
    /** Regions where CloudWatch fails: InternalServiceFault (500). */
    failing: z.array(z.string().min(1)).default([]),
    /** At most this many datapoints per GetMetricData page, whatever MaxDatapoints asks (AWS: 100,800). */
    pageSize: z.number().int().positive().optional(),
    /** Known usage: minutes not listed have no datapoint. */
    usage: z.array(SeededSeries).default([]),
  })
  .strict();
export type CloudWatchScenario = z.output<typeof CloudWatchScenarioSchema>;
type SeededMinuteInput = z.output<typeof SeededMinute>;

export interface Sample {
  /** Epoch milliseconds. */
  at: number;
  value: number;
  /** How many calls the value stands for (a seeded minute stands for all its calls). */
  weight: number;
}

const MINUTE_MS = 60_000;

function recordSamples(metric: BedrockMetric, record: InvocationRecord): Sample[] {
  const one = (value: number | undefined, weight = 1): Sample[] => (value === undefined || weight === 0 ? [] : [{ at: record.at, value, weight }]);
  const { usage } = record;
  switch (metric) {
    case 'Invocations':
      return one(1, record.invocations);
    case 'InvocationThrottles':
      return one(1, record.throttles);
    case 'InvocationClientErrors':
      return one(1, record.clientErrors);
    case 'InvocationServerErrors':
      return one(1, record.serverErrors);
    case 'InputTokenCount':
      return one(usage?.inputTokens);
    case 'OutputTokenCount':
      return one(usage?.outputTokens);
    case 'CacheReadInputTokenCount':
      return one(usage?.cacheReadTokens);
    case 'CacheWriteInputTokenCount':
      return one(usage?.cacheWriteTokens);
    case 'InvocationLatency':
      return one(usage?.latencyMs);
    case 'TimeToFirstToken':
      return one(usage?.ttftMs);
    case 'EstimatedTPMQuotaUsage':
      return one(usage?.quotaTokens);
  }
}

/** A seeded minute as samples: counts are calls; token totals spread over the minute's calls, so their Sum is the total. */
function seededSamples(metric: BedrockMetric, minute: SeededMinuteInput, at: number, modelId: string): Sample[] {
  const calls = minute.invocations ?? 0;
  const perCall = Math.max(calls, 1);
  const count = (value: number | undefined): Sample[] => (value ? [{ at, value: 1, weight: value }] : []);
  const total = (value: number | undefined): Sample[] => (value === undefined ? [] : [{ at, value: value / perCall, weight: perCall }]);
  const each = (value: number | undefined): Sample[] => (value === undefined ? [] : [{ at, value, weight: perCall }]);
  switch (metric) {
    case 'Invocations':
      return count(minute.invocations);
    case 'InvocationThrottles':
      return count(minute.throttles);
    case 'InvocationClientErrors':
      return count(minute.clientErrors);
    case 'InvocationServerErrors':
      return count(minute.serverErrors);
    case 'InputTokenCount':
      return total(minute.inputTokens);
    case 'OutputTokenCount':
      return total(minute.outputTokens);
    case 'CacheReadInputTokenCount':
      return total(minute.cacheReadTokens);
    case 'CacheWriteInputTokenCount':
      return total(minute.cacheWriteTokens);
    case 'InvocationLatency':
      return each(minute.latencyMs);
    case 'TimeToFirstToken':
      return each(minute.ttftMs);
    case 'EstimatedTPMQuotaUsage': {
      // Published for completed calls only, with the burndown of the model behind the id.
      if (calls === 0 || (minute.inputTokens ?? minute.outputTokens ?? minute.cacheWriteTokens) === undefined) return [];
      return total((minute.inputTokens ?? 0) + (minute.cacheWriteTokens ?? 0) + (minute.outputTokens ?? 0) * outputBurndownRate(modelId));
    }
  }
}

/** The start of the emulator's current minute: seeded series count back from it. */
export const minuteOf = (epochMs: number) => Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;

/** Every sample of one metric, region and ModelId value between `from` (inclusive) and `to` (exclusive). */
export function samplesOf(
  sources: { usage: UsageLog; seeded: CloudWatchScenario['usage']; anchor: number },
  metric: BedrockMetric,
  region: string,
  modelId: string,
  from: number,
  to: number,
): Sample[] {
  const samples = sources.usage.of(region, modelId).flatMap((record) => recordSamples(metric, record));
  const now = minuteOf(sources.anchor);
  for (const series of sources.seeded) {
    if (series.region !== region || series.modelId !== modelId) continue;
    for (const minute of series.perMinute) samples.push(...seededSamples(metric, minute, now - minute.minutesAgo * MINUTE_MS, modelId));
  }
  return samples.filter((sample) => sample.at >= from && sample.at < to);
}

/** The ModelId values that have any sample in a region since `from`. */
export function modelIdsWithData(sources: { usage: UsageLog; seeded: CloudWatchScenario['usage']; anchor: number }, region: string, from: number): string[] {
  const ids = new Set(sources.usage.modelIds(region));
  const now = minuteOf(sources.anchor);
  for (const series of sources.seeded) {
    if (series.region === region && series.perMinute.some((minute) => now - minute.minutesAgo * MINUTE_MS >= from)) ids.add(series.modelId);
  }
  return [...ids].sort();
}

/** `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount` and percentiles `pNN` / `pNN.N`, as GetMetricData names them. */
export const STATISTIC = /^(Sum|Average|Minimum|Maximum|SampleCount|p(\d{1,2}(\.\d+)?|100))$/;

export function statistic(stat: string, samples: readonly Sample[]): number {
  const weight = samples.reduce((total, sample) => total + sample.weight, 0);
  const sum = samples.reduce((total, sample) => total + sample.value * sample.weight, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return weight;
    case 'Average':
      return sum / weight;
    case 'Minimum':
      return samples.reduce((least, sample) => Math.min(least, sample.value), Infinity);
    case 'Maximum':
      return samples.reduce((most, sample) => Math.max(most, sample.value), -Infinity);
  }
  // pNN: the smallest value at or above which the given share of the samples lie (nearest rank, weighted).
  const share = Number(stat.slice(1)) / 100;
  const sorted = [...samples].sort((a, b) => a.value - b.value);
  let seen = 0;
  for (const sample of sorted) {
    seen += sample.weight;
    if (seen >= share * weight) return sample.value;
  }
  return sorted.at(-1)?.value ?? 0;
}

/** Samples grouped by period (epoch-aligned starts, in ms), oldest first; a period without samples is absent. */
export function byPeriod(samples: readonly Sample[], periodMs: number): [number, Sample[]][] {
  const periods = new Map<number, Sample[]>();
  for (const sample of samples) {
    const start = Math.floor(sample.at / periodMs) * periodMs;
    const bucket = periods.get(start);
    if (bucket) bucket.push(sample);
    else periods.set(start, [sample]);
  }
  return [...periods.entries()].sort(([a], [b]) => a - b);
}
