import { z } from 'zod';
import type { QuotaRouteKind, QuotaValue } from '../catalog/quotas';
import { method, ModelIdSchema, RegionNameSchema } from './define';
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

const count = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .nonnegative(`${what} cannot be negative`)
    .max(10_000_000, `${what} is at most 10,000,000`);

export const CapacityInputSchema = z
  .object({
    target: ModelIdSchema,
    from: RegionNameSchema,
    /** The target rate; or give a concurrency with the expected request duration. */
    rpm: count('The rate (requests per minute)').min(1, 'The rate must be at least 1 request per minute').optional(),
    concurrency: count('The concurrency').min(1, 'The concurrency must be at least 1').max(100_000, 'The concurrency is at most 100,000').optional(),
    durationMs: count('The request duration (ms)').min(1, 'The request duration must be at least 1 ms').max(3_600_000, 'The request duration is at most 3,600,000 ms').optional(),
    inputTokens: count('Input tokens').min(1, 'Input tokens must be at least 1'),
    maxTokens: count('max_tokens').min(1, 'max_tokens must be at least 1'),
    outputTokens: count('Output tokens').optional(),
    cacheReadTokens: count('Cache read tokens').default(0),
    cacheWriteTokens: count('Cache write tokens').default(0),
  })
  .strict()
  .refine((input) => (input.rpm !== undefined) !== (input.concurrency !== undefined || input.durationMs !== undefined), {
    message: 'Give either a rate (rpm) or a concurrency with a request duration (concurrency and durationMs), not both',
  })
  .refine((input) => input.rpm !== undefined || (input.concurrency !== undefined && input.durationMs !== undefined), {
    message: 'A concurrency needs the expected request duration (durationMs), and a duration needs a concurrency',
  })
  .refine((input) => input.outputTokens === undefined || input.outputTokens <= input.maxTokens, {
    message: 'Output tokens cannot exceed max_tokens',
    path: ['outputTokens'],
  });
export type CapacityInput = z.input<typeof CapacityInputSchema>;

export interface CapacityRoute {
  invokeId: string;
  routeKind: QuotaRouteKind;
  reservedTokensPerRequest: number;
  settledTokensPerRequest: number;
  burndownRate: number;
  /** null when the route has no quota found (shown as "no quota found", never a number). */
  maxRequestsPerMinute: number | null;
  maxInFlightByReservation: number | null;
  bindingLimit: BindingLimit | null;
  /** 100 x (max - (target + current peak)) / max in requests per minute; null without a quota. */
  headroomPercent: number | null;
  /** Quota tokens per minute the target rate burns (settled). */
  tokensPerMinuteAtTarget: number;
  quotas: { requestsPerMinute?: QuotaValue; tokensPerMinute?: QuotaValue; tokensPerDay?: QuotaValue };
  /** The route's current peak usage from CloudWatch (last 24 h), when it could be read. */
  currentPeak: { requestsPerMinute: number; tokensPerMinute: number } | null;
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

export interface CapacityAnswer {
  modelId: string;
  from: string;
  /** The rate the workload asks for (given, or concurrency x 60,000 / durationMs). */
  targetRequestsPerMinute: number;
  burndown: BurndownInfo;
  /** Best route first: the most requests per minute. */
  routes: CapacityRoute[];
  quotasFetchedAt: string | null;
  priceTable: PriceTableInfo | null;
}

export const capacityMethods = {
  capacity: method<CapacityAnswer>()(CapacityInputSchema),
};
