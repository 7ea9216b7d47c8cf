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
  /** The `x-amzn-requestid` the call was answered with. */
  requestId?: string;
  /**
   * The region that served the call, once it was admitted: the region called, or the destination a profile routed
   * it to. CloudWatch has no dimension for it (its metrics stay in the region called); CloudTrail says it.
   */
  servedRegion?: string;
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
    /**
     * Bedrock's own time, as InvocationLatency and TimeToFirstToken publish it: from the request's arrival (after
     * its round trip and any handshake, which the emulator waits first) to the end, and to the first token. A
     * client's figures exceed these by at least the round trip; a profile call's are its destination's.
     */
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

/** Records by region and ModelId value, each list oldest first, so a query reads only its own series. */
export class UsageLog {
  private readonly series = new Map<string, InvocationRecord[]>();
  private count = 0;

  constructor(private readonly limits = { retentionMs: USAGE_RETENTION_MS, maxRecords: USAGE_MAX_RECORDS }) {}

  record(entry: InvocationRecord): void {
    const key = `${entry.region}\n${entry.modelId}`;
    const list = this.series.get(key) ?? [];
    list.push(entry);
    this.series.set(key, list);
    this.count++;
    const oldestKept = entry.at - this.limits.retentionMs;
    for (const [seriesKey, records] of this.series) {
      let drop = 0;
      while (drop < records.length && records[drop]!.at < oldestKept) drop++;
      if (drop > 0) this.dropOldest(seriesKey, records, drop);
    }
    while (this.count > this.limits.maxRecords) this.dropOldestOverall();
  }

  /** The records of one region and ModelId value, oldest first. */
  of(region: string, modelId: string): readonly InvocationRecord[] {
    return this.series.get(`${region}\n${modelId}`) ?? [];
  }

  /** The ModelId values with records in a region. */
  modelIds(region: string): string[] {
    return [...this.series.entries()].filter(([, records]) => records[0]?.region === region).map(([, records]) => records[0]!.modelId);
  }

  get size(): number {
    return this.count;
  }

  private dropOldest(key: string, records: InvocationRecord[], count: number): void {
    records.splice(0, count);
    this.count -= count;
    if (records.length === 0) this.series.delete(key);
  }

  private dropOldestOverall(): void {
    let oldest: [string, InvocationRecord[]] | null = null;
    for (const entry of this.series) if (!oldest || entry[1][0]!.at < oldest[1][0]!.at) oldest = entry;
    if (oldest) this.dropOldest(oldest[0], oldest[1], 1);
  }
}
