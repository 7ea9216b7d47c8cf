import { z } from 'zod';
import type { QuotaRouteKind } from '../catalog/quotas';
import type { RegionError } from '../catalog/region-error';
import { method, ModelIdSchema, RegionListSchema } from './define';

/**
 * Usage from CloudWatch (namespace AWS/Bedrock, dimension ModelId = the id that was invoked) for every route of a
 * model, in each region it is callable from: one-minute periods over the last 24 hours, or one-hour periods over
 * 14 days. "No invocations" (the metrics answered, empty) is not "could not read" (denied, or failed).
 */

export const USAGE_WINDOWS = ['24h', '14d'] as const;
export type UsageWindow = (typeof USAGE_WINDOWS)[number];

/** One period. A null is a gap: CloudWatch had no datapoint for that metric in that period. */
export interface UsagePoint {
  /** Start of the period (ISO time). */
  at: string;
  invocations: number | null;
  throttles: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** Average InvocationLatency and TimeToFirstToken in the period, in ms. */
  latencyMs: number | null;
  ttftMs: number | null;
  /** CloudWatch's EstimatedTPMQuotaUsage (burndown and cache writes included), summed over the period. */
  estimatedQuotaTokens: number | null;
  /**
   * The quota tokens the period burned: `estimatedQuotaTokens` where CloudWatch has it, else input + cache write +
   * output x burndown from the token counts; null when neither is there. The usage chart's tokens line.
   */
  quotaTokens: number | null;
}

export interface PerMinute {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

/** Tokens per request, averaged over the window: each kind's total over the invocations' total. */
export interface AverageTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface RouteUsage {
  region: string;
  modelId: string;
  invokeId: string;
  routeKind: QuotaRouteKind;
  /** ok: datapoints; no-invocations: the metrics answered with none; denied: no cloudwatch:GetMetricData; error: failed. */
  status: 'ok' | 'no-invocations' | 'denied' | 'error';
  /** denied and error: why, with the fix (the permission to add, for denied). */
  error?: RegionError;
  periodSeconds: number;
  /**
   * ok: every period of the window, oldest first, a period without any datapoint included with nulls (a gap, never a
   * zero); empty for the other statuses.
   */
  points: UsagePoint[];
  /**
   * Per minute, quota tokens (EstimatedTPMQuotaUsage where CloudWatch has it, else input + cache write + output x
   * burndown). Over 14 days the periods are hours, so these are hourly averages per minute, and say so in `perHour`.
   * Peak, p99 and median are taken over the periods that have a datapoint: a gap is not a quiet minute. Null when no
   * period has one.
   */
  peak: PerMinute;
  p99: PerMinute;
  /** The typical minute while the route was in use (the "steady" figure a quota increase request asks for). */
  median: PerMinute;
  /** The route's applied quotas in that region (the default where no applied value is known), when known. */
  quota: PerMinute;
  /**
   * 100 x (quota - peak) / quota, to one decimal; 100 when the route had no invocations; null when the quota or the
   * usage is unknown, or the quota is 0.
   */
  headroomPercent: PerMinute;
  /** Throttled invocations over the window (the points carry them over time). */
  throttles: number;
  invocations: number;
  /** Quota tokens over the whole window (the last 24 hours' against a tokens-per-day quota); null without datapoints. */
  quotaTokens: number | null;
  averageTokensPerRequest: AverageTokens | null;
  /** The burndown rate used where EstimatedTPMQuotaUsage was missing. */
  burndownRate: number;
  perHour: boolean;
}

export interface UsageAnswer {
  modelId: string;
  window: UsageWindow;
  from: string;
  to: string;
  routes: RouteUsage[];
}

export const UsageQuerySchema = z
  .object({
    target: ModelIdSchema,
    since: z.enum(USAGE_WINDOWS).default('24h'),
    regions: RegionListSchema.optional(),
  })
  .strict();

export const usageMethods = {
  getUsage: method<UsageAnswer>()(UsageQuerySchema),
};
