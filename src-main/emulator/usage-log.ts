/**
 * What the emulator has served on the runtime, as CloudWatch's AWS/Bedrock namespace would count it: one record per
 * Converse or ConverseStream call, kept per emulator instance (a new scenario or a reset starts it over), bounded in
 * age and number. CloudWatch's GetMetricData (services/cloudwatch.ts) aggregates it per period, so a latency run
 * against the emulator shows up in its metrics.
 */

export interface InvocationRecord {
  region: string;
  /** The id the call named, as CloudWatch's ModelId dimension carries it: a model id, a profile id or an ARN. */
  modelId: string;
  /** The emulator's clock when the call ended, epoch milliseconds. */
  at: number;
  /** 1 when Bedrock accepted the call for processing (not throttled, not refused at validation), else 0. */
  invocations: 0 | 1;
  throttles: 0 | 1;
  clientErrors: 0 | 1;
  serverErrors: 0 | 1;
  /** Usage, latency and the quota estimate are published for completed calls only. */
  usage?: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    latencyMs: number;
    /** Streaming calls only. */
    ttftMs?: number;
    /** EstimatedTPMQuotaUsage: input + cache write + output x the model's burndown rate. */
    quotaTokens: number;
  };
}

/** CloudWatch keeps one-minute data for 15 days; the usage windows the app reads are 24 hours and 14 days. */
export const USAGE_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/** Enough for a long benchmark; the oldest records go first past it. */
export const USAGE_MAX_RECORDS = 200_000;

export class UsageLog {
  private records: InvocationRecord[] = [];

  constructor(private readonly limits = { retentionMs: USAGE_RETENTION_MS, maxRecords: USAGE_MAX_RECORDS }) {}

  record(entry: InvocationRecord): void {
    this.records.push(entry);
    const oldestKept = entry.at - this.limits.retentionMs;
    let drop = Math.max(0, this.records.length - this.limits.maxRecords);
    while (drop < this.records.length && this.records[drop]!.at < oldestKept) drop++;
    if (drop > 0) this.records = this.records.slice(drop);
  }

  /** The records of one region and ModelId value, oldest first. */
  of(region: string, modelId: string): InvocationRecord[] {
    return this.records.filter((entry) => entry.region === region && entry.modelId === modelId);
  }

  /** The ModelId values with records in a region. */
  modelIds(region: string): string[] {
    return [...new Set(this.records.filter((entry) => entry.region === region).map((entry) => entry.modelId))];
  }

  get size(): number {
    return this.records.length;
  }
}
