import { z } from 'zod';
import type { QuotaSection, RouteQuotas, UnmatchedQuota } from '../catalog/quotas';
import { method, ModelIdSchema, NoInput, RegionListSchema } from './define';

/**
 * Quotas: Service Quotas' Bedrock inference quotas (requests and tokens per minute, tokens per day) per region,
 * tied to the catalog's models and route kinds. They are a section of the catalog document with their own fetch
 * time; `getQuotas` answers from it (fetching once when it has none), `refreshQuotas` asks every region again.
 */

export interface QuotasAnswer {
  /** When the section was fetched; null when it never was (no region could be asked yet). */
  fetchedAt: string | null;
  /** Per region: `ok` with the routes (filtered to the target when one was given), or `error` with why. */
  regions: QuotaSection['regions'];
  /** Inference quotas that match no catalog model, or more than one (then `candidates` lists them). */
  unmatched: UnmatchedQuota[];
  /** The target as the catalog resolved it, when one was given. */
  modelId: string | null;
}

export const QuotasQuerySchema = z
  .object({
    /** A model id or name, a profile id or ARN: only that model's routes. */
    target: ModelIdSchema.optional(),
    regions: RegionListSchema.optional(),
  })
  .strict()
  .optional();

export const quotasMethods = {
  getQuotas: method<QuotasAnswer>()(QuotasQuerySchema),
  /** Fetches every region's quotas again (all pages, the catalog scan's straggler rule); progress as `quotas.progress`. */
  refreshQuotas: method<QuotasAnswer>()(z.object({ regions: RegionListSchema.optional() }).strict().optional()),
  cancelQuotaRefresh: method<{ cancelled: boolean }>()(NoInput),
};

export type { RouteQuotas };
