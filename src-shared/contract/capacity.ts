import { z } from 'zod';
import type { QuotaRouteKind, QuotaValue } from '../catalog/quotas';
import { CAPACITY_RANGES, describeRange, type CapacityField } from '../capacity/input-ranges';
import type { RegionError } from '../catalog/region-error';
import { method, ModelIdSchema, RegionNameSchema } from './define';
import type { AverageTokens, PerMinute, RouteUsage } from './usage';
import type { PriceTableInfo } from './prices';

/**
 * The capacity calculator: for a model, a source region and a workload, how much each route from that region can
 * carry and which quota binds first. Quota burn follows "How tokens are counted in Amazon Bedrock"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html):
 *   settled  = input + cache write + output x burndown (output: the expected output tokens, else max_tokens)
 *   reserved = input + cache write + max_tokens (held from the start of a request until it ends)
 *   maxRequestsPerMinute = min(RPM, floor(TPM / settled), floor(TPD / (1440 x settled))) over the quotas that exist
 *   maxInFlightByReservation = floor(TPM / reserved)
 */

export const BINDING_LIMITS = ['requests-per-minute', 'tokens-per-minute', 'tokens-per-day'] as const;
export type BindingLimit = (typeof BINDING_LIMITS)[number];

/** A whole number within its range; every message names the range, so a refusal says what would be accepted. */
const count = (what: string, field: CapacityField) => {
  const range = CAPACITY_RANGES[field];
  const expected = `${what} must be a whole number from ${describeRange(range)}`;
  return z.number({ error: expected }).int(expected).min(range.min, expected).max(range.max, expected);
};

export const CapacityInputSchema = z
  .object({
    target: ModelIdSchema,
    from: RegionNameSchema,
    /** The target rate; or give a concurrency with the expected request duration. */
    rpm: count('The rate (requests per minute)', 'rpm').optional(),
    concurrency: count('The concurrency', 'concurrency').optional(),
    durationMs: count('The request duration (ms)', 'durationMs').optional(),
    /** Input tokens per request that are neither read from nor written to the prompt cache. */
    inputTokens: count('Input tokens', 'inputTokens'),
    maxTokens: count('max_tokens', 'maxTokens'),
    /** The output expected per request; max_tokens when not given (the worst case). */
    outputTokens: count('Output tokens', 'outputTokens').optional(),
    cacheReadTokens: count('Cache read tokens', 'cacheReadTokens').default(0),
    cacheWriteTokens: count('Cache write tokens', 'cacheWriteTokens').default(0),
  })
  .strict()
  .refine((input) => (input.rpm !== undefined) !== (input.concurrency !== undefined || input.durationMs !== undefined), {
    message: 'Give either a rate (rpm) or a concurrency with a request duration (concurrency and durationMs), not both',
  })
  .refine((input) => input.rpm !== undefined || (input.concurrency !== undefined && input.durationMs !== undefined), {
    message: 'A concurrency needs the expected request duration (durationMs), and a duration needs a concurrency',
  })
  .refine((input) => input.outputTokens === undefined || input.outputTokens <= input.maxTokens, {
    message: 'Output tokens cannot exceed max_tokens: give 0 to max_tokens',
    path: ['outputTokens'],
  });
export type CapacityInput = z.input<typeof CapacityInputSchema>;

/** A route's usage over the last 24 hours as the calculator weighs it (from the usage feature's RouteUsage). */
export interface CurrentUsage {
  status: RouteUsage['status'];
  error?: RegionError;
  peak: PerMinute;
  median: PerMinute;
  /** Quota tokens over the last 24 hours: the current use of a tokens-per-day quota. */
  quotaTokensLast24h: number | null;
  averageTokensPerRequest: AverageTokens | null;
}

export interface CapacityRoute {
  invokeId: string;
  routeKind: QuotaRouteKind;
  reservedTokensPerRequest: number;
  settledTokensPerRequest: number;
  burndownRate: number;
  /** null when the route has no quota found (shown as "no quota found", never a number). */
  maxRequestsPerMinute: number | null;
  maxInFlightByReservation: number | null;
  /** The quota that gives the minimum; on a tie the first of requests, tokens per minute, tokens per day. */
  bindingLimit: BindingLimit | null;
  /**
   * The room left under the route's tightest quota once the target rate is added to the current usage: the least,
   * over the quotas that exist, of 100 x (quota - (target's use + current use)) / quota, each in its own unit
   * (requests per minute; quota tokens per minute against the current peak; quota tokens per day against the last
   * 24 hours' quota tokens), to one decimal. Negative: the route cannot carry the target on top of today's load.
   * null without a quota found, with a quota of 0, or when the current usage could not be read (denied, failed).
   */
  headroomPercent: number | null;
  /** The quota that leaves that least room: the one to raise (the worksheet's). */
  headroomLimit: BindingLimit | null;
  /** Quota tokens per minute the target rate burns (settled), rounded up. */
  tokensPerMinuteAtTarget: number;
  quotas: { requestsPerMinute?: QuotaValue; tokensPerMinute?: QuotaValue; tokensPerDay?: QuotaValue };
  /** The route's current peak usage from CloudWatch (last 24 h), when it could be read (zeros: no invocations). */
  currentPeak: { requestsPerMinute: number; tokensPerMinute: number } | null;
  usage: CurrentUsage;
  /** USD per 1,000 requests at the workload's token mix; null when a price it needs is unknown. */
  costPer1000Requests: number | null;
}

export interface BurndownInfo {
  rate: number;
  /** Where the rate came from: the dated table and its source page. */
  source: string;
  asOf: string;
  /** The table entry that matched the model, or null when none did and 1 applies. */
  matchedEntry: string | null;
}

/** The per-request token mix the figures were computed from. */
export interface CapacityWorkload {
  inputTokens: number;
  /** The expected output tokens; max_tokens when none was given (`outputFrom`). */
  outputTokens: number;
  outputFrom: 'expected' | 'max_tokens';
  maxTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface CapacityAnswer {
  modelId: string;
  from: string;
  /** The rate the workload asks for (given, or concurrency x 60,000 / durationMs). */
  targetRequestsPerMinute: number;
  workload: CapacityWorkload;
  burndown: BurndownInfo;
  /** The model's output limit that max_tokens was checked against; null when the limits table has no entry for it. */
  modelLimits: { maxOutputTokens: number; entry: string; source: string; asOf: string } | null;
  /** Best route first: the most requests per minute; routes with no quota found last. */
  routes: CapacityRoute[];
  quotasFetchedAt: string | null;
  /** Set when the source region's quotas could not be read: every route then reads "no quota found" for that reason. */
  quotasError: RegionError | null;
  priceTable: PriceTableInfo | null;
}

export const capacityMethods = {
  capacity: method<CapacityAnswer>()(CapacityInputSchema),
};
