import { SeededStreams } from './random';
import { matchesModel, matchesRegion, type MidStreamErrorRule, type Operation, type Scenario } from './scenario';
import { TokenBucket } from './token-bucket';
import { BedrockError, MESSAGES } from './wire';

/**
 * The scenario's faults, with the state they need: counters for first-N rules, token buckets for rate rules, the
 * seeded streams for probabilistic ones, and how many optimized-latency requests each quota has served. A new
 * scenario (or a reset) starts a new injector, so every rule starts from zero.
 */

export interface Call {
  region: string;
  operation: Operation;
  /** For runtime calls: the model the call reaches, and the identifier it named (a profile id, say). */
  modelId?: string;
  identifier?: string;
}

export type MidStreamFault =
  | { kind: 'exception'; afterTokens: number; exception: MidStreamErrorRule['exception'] }
  | { kind: 'networkDrop'; afterTokens: number };

export class FaultInjector {
  private readonly counters = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly streams: SeededStreams;

  constructor(private readonly scenario: Scenario) {
    this.streams = new SeededStreams(scenario.seed);
  }

  /** An injected throttle or server error for this call, or null to answer it. */
  beforeAnswer(call: Call): BedrockError | null {
    for (const [index, rule] of this.scenario.throttle.entries()) {
      if (!this.applies(rule, call)) continue;
      if (rule.modelId !== undefined && !this.reachesModel(rule.modelId, call)) continue;
      const headers: Record<string, string> = rule.retryAfterSeconds ? { 'retry-after': String(rule.retryAfterSeconds) } : {};
      const throttled =
        rule.firstN !== undefined
          ? this.bump(`throttle:${index}:${call.region}:${call.operation}`) <= rule.firstN
          : !this.take(`throttle:${index}:${call.region}`, rule.ratePerSecond ?? rule.requestsPerMinute! / 60, rule.ratePerSecond ?? rule.requestsPerMinute!);
      if (throttled) return new BedrockError(429, 'ThrottlingException', MESSAGES.throttled, headers);
    }
    for (const [index, rule] of this.scenario.failures.entries()) {
      if (!this.applies(rule, call)) continue;
      const fail =
        rule.firstN !== undefined
          ? this.bump(`failure:${index}:${call.region}:${call.operation}`) <= rule.firstN
          : this.streams.uniform(`failure:${index}:${call.region}`) < (rule.probability ?? 0);
      if (fail) {
        return rule.status === 500
          ? new BedrockError(500, 'InternalServerException', MESSAGES.internal)
          : new BedrockError(503, 'ServiceUnavailableException', MESSAGES.unavailable);
      }
    }
    return null;
  }

  /** The fault that ends this stream early, if a rule selects it. Exceptions are looked at before network drops. */
  midStreamFault(region: string, modelId: string): MidStreamFault | null {
    for (const [index, rule] of this.scenario.midStreamErrors.entries()) {
      if (this.selectsStream(`midStream:${index}:${region}`, rule, region, modelId)) {
        return { kind: 'exception', afterTokens: rule.afterTokens, exception: rule.exception };
      }
    }
    for (const [index, rule] of this.scenario.networkDrops.entries()) {
      if (this.selectsStream(`networkDrop:${index}:${region}`, rule, region, modelId)) {
        return { kind: 'networkDrop', afterTokens: rule.afterTokens };
      }
    }
    return null;
  }

  /**
   * Whether an optimized-latency request is served optimized, counting it against the first quota that covers it.
   * Bedrock falls back to standard silently once the quota is spent; only the response metadata says so.
   */
  optimizedServed(region: string, modelId: string): boolean {
    const index = this.scenario.optimizedQuota.findIndex(
      (rule) => matchesRegion(rule.region, region) && matchesModel(rule.modelId, modelId),
    );
    const rule = this.scenario.optimizedQuota[index];
    if (!rule) return true;
    return this.bump(`optimized:${index}:${region}:${modelId}`) <= rule.afterRequests;
  }

  private applies(rule: { region: string; operation: string }, call: Call): boolean {
    return matchesRegion(rule.region, call.region) && (rule.operation === '*' || rule.operation === call.operation);
  }

  private reachesModel(ruleModel: string, call: Call): boolean {
    if (call.modelId === undefined) return false;
    return matchesModel(ruleModel, call.modelId) || ruleModel === call.identifier;
  }

  private selectsStream(
    key: string,
    rule: { region: string; modelId: string; firstN?: number; probability?: number },
    region: string,
    modelId: string,
  ): boolean {
    if (!matchesRegion(rule.region, region) || !matchesModel(rule.modelId, modelId)) return false;
    if (rule.firstN !== undefined) return this.bump(key) <= rule.firstN;
    if (rule.probability !== undefined) return this.streams.uniform(key) < rule.probability;
    return true;
  }

  /** The Nth matching call of a rule (1-based). */
  private bump(key: string): number {
    const next = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, next);
    return next;
  }

  /** Token bucket: refills `perSecond`, holds at most `capacity`; false when empty. */
  private take(key: string, perSecond: number, capacity: number): boolean {
    const now = performance.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(perSecond, capacity, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(1, now);
  }
}
