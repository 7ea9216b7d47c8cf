import { z } from 'zod';
import { RegionErrorSchema } from './region-error';

/**
 * The quotas section of the catalog document: Service Quotas' Bedrock inference quotas per region, tied to the
 * catalog's models and routes. It has its own fetch time: quotas are refreshed with the catalog or on their own.
 * Field names are part of the public format (`quotas --json` prints routes and unmatched as they are here).
 */

export const QUOTA_ROUTE_KINDS = ['on-demand', 'geo-profile', 'global-profile'] as const;
export type QuotaRouteKind = (typeof QUOTA_ROUTE_KINDS)[number];

export const QUOTA_UNITS = ['requestsPerMinute', 'tokensPerMinute', 'tokensPerDay'] as const;
export type QuotaUnit = (typeof QUOTA_UNITS)[number];

/** One quota's value: `applied` is the account's (null when only the default is known), `default` AWS's. */
export const QuotaValueSchema = z.object({
  applied: z.number().nonnegative().nullable(),
  default: z.number().nonnegative().nullable(),
  quotaCode: z.string(),
  adjustable: z.boolean(),
  /** The name as Service Quotas spells it (display names, never ids). */
  quotaName: z.string(),
  /**
   * Set when the value is not the quota's own number for this route but follows from AWS's wording for it: the
   * "max tokens per day … (doubled for cross-region calls)" quota, doubled for a geo profile.
   */
  note: z.string().optional(),
});
export type QuotaValue = z.infer<typeof QuotaValueSchema>;

export const RouteQuotasSchema = z.object({
  modelId: z.string(),
  /** What is invoked from this region: the model id (on-demand) or the profile id. */
  invokeId: z.string(),
  routeKind: z.enum(QUOTA_ROUTE_KINDS),
  /** Set for a quota of a model variant the catalog does not list apart ("1M Context Length"). */
  variant: z.string().optional(),
  requestsPerMinute: QuotaValueSchema.optional(),
  tokensPerMinute: QuotaValueSchema.optional(),
  tokensPerDay: QuotaValueSchema.optional(),
});
export type RouteQuotas = z.infer<typeof RouteQuotasSchema>;

export const RegionQuotasSchema = z.object({
  status: z.enum(['ok', 'error']),
  error: RegionErrorSchema.optional(),
  /** ok: when the region answered; error: when it failed. */
  fetchedAt: z.string().optional(),
  /**
   * error: `routes` are the region's quotas from an earlier refresh ("last known"), fetched then; absent when nothing
   * is known (then `routes` is empty).
   */
  lastKnownAt: z.string().optional(),
  routes: z.array(RouteQuotasSchema),
});
export type RegionQuotas = z.infer<typeof RegionQuotasSchema>;

/** A Bedrock inference quota that names no catalog model, or whose name fits more than one (`candidates`). */
export const UnmatchedQuotaSchema = z.object({
  region: z.string(),
  quotaCode: z.string(),
  quotaName: z.string(),
  value: z.number().nullable(),
  /** Two or more: the name is ambiguous, and it is not guessed. */
  candidates: z.array(z.string()).optional(),
  /** Why it is listed, in words: no model fits its name, several fit it equally, or another quota limits the same route. */
  reason: z.string().optional(),
});
export type UnmatchedQuota = z.infer<typeof UnmatchedQuotaSchema>;

export const QuotaSectionSchema = z.object({
  fetchedAt: z.string(),
  regions: z.record(z.string(), RegionQuotasSchema),
  unmatched: z.array(UnmatchedQuotaSchema),
});
export type QuotaSection = z.infer<typeof QuotaSectionSchema>;

/** The Service Quotas console page that requests an increase of one quota in one region. */
export function quotaIncreaseUrl(region: string, quotaCode: string): string {
  return `https://${region}.console.aws.amazon.com/servicequotas/home/services/bedrock/quotas/${encodeURIComponent(quotaCode)}`;
}
