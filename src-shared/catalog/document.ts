import { z } from 'zod';
import { QuotaSectionSchema } from './quotas';
import { RegionErrorSchema } from './region-error';

export { RegionErrorSchema, type RegionError } from './region-error';

/**
 * The catalog document: one JSON format for the cache file, the bundled file, exports and `catalog --json`.
 * Field names are part of the public format; add optional fields only.
 */
export const CATALOG_SCHEMA_VERSION = 1;

export const CatalogSourceSchema = z.enum(['api', 'cache', 'bundled']);
export type CatalogSource = z.infer<typeof CatalogSourceSchema>;

export const RegionStatusSchema = z.object({
  status: z.enum(['ok', 'error']),
  error: RegionErrorSchema.optional(),
  modelCount: z.number().int().nonnegative().optional(),
  profileCount: z.number().int().nonnegative().optional(),
  durationMs: z.number().nonnegative().optional(),
  /** ok: when the region answered (ISO time). */
  fetchedAt: z.string().optional(),
  /** error: when the region failed, and `error` says why. */
  failedAt: z.string().optional(),
  /**
   * error: the document still holds this region's models and profiles from an earlier scan ("last known"), and
   * this is when they were fetched; `modelCount` and `profileCount` are theirs. Absent when nothing is known.
   */
  lastKnownAt: z.string().optional(),
});
export type RegionStatus = z.infer<typeof RegionStatusSchema>;

export const ModelInRegionSchema = z.object({
  /** The bare model id can be invoked in this region (`ON_DEMAND` among its inference types). */
  onDemand: z.boolean(),
  provisioned: z.boolean(),
  /** Inference profile ids offered in this region for this model. */
  profiles: z.array(z.string()),
});
export type ModelInRegion = z.infer<typeof ModelInRegionSchema>;

export const CatalogModelSchema = z.object({
  modelId: z.string(),
  modelName: z.string(),
  providerName: z.string(),
  inputModalities: z.array(z.string()),
  outputModalities: z.array(z.string()),
  /** null when the API left `responseStreamingSupported` out. */
  streaming: z.boolean().nullable(),
  lifecycle: z.string(),
  regions: z.record(z.string(), ModelInRegionSchema),
});
export type CatalogModel = z.infer<typeof CatalogModelSchema>;

export const PROFILE_SCOPES = ['us', 'eu', 'apac', 'jp', 'au', 'ca', 'in', 'us-gov', 'global'] as const;

export const CatalogProfileSchema = z.object({
  profileId: z.string(),
  name: z.string(),
  description: z.string(),
  /** The id prefix: us, eu, apac, jp, au, ca, in, us-gov, global (kept as-is when AWS adds a new one). */
  scope: z.string(),
  modelId: z.string(),
  /** Source region -> destination regions, from the model ARNs of that region's copy of the profile. */
  routes: z.record(z.string(), z.array(z.string())),
  /** A global profile routes to any supported commercial region; `routes` then holds only what the API listed. */
  global: z.boolean().optional(),
});
export type CatalogProfile = z.infer<typeof CatalogProfileSchema>;

export const ModelAccessStatusSchema = z.enum([
  'authorized',
  'not_authorized',
  'agreement_pending',
  'not_available',
  'unknown',
]);
export type ModelAccessStatus = z.infer<typeof ModelAccessStatusSchema>;

export const ModelAccessSchema = z.object({
  status: ModelAccessStatusSchema,
  checkedAt: z.string(),
  message: z.string().optional(),
});
export type ModelAccess = z.infer<typeof ModelAccessSchema>;

export const CatalogDocumentSchema = z.object({
  schemaVersion: z.literal(CATALOG_SCHEMA_VERSION),
  generatedAt: z.string(),
  source: CatalogSourceSchema,
  regions: z.record(z.string(), RegionStatusSchema),
  models: z.record(z.string(), CatalogModelSchema),
  profiles: z.record(z.string(), CatalogProfileSchema),
  /** The signed-in account's model access, per model id then region, filled lazily. */
  access: z.record(z.string(), z.record(z.string(), ModelAccessSchema)).optional(),
  /** Where the data was fetched from: set when an endpoint override (a proxy or the emulator) was used. */
  origin: z.object({ endpointUrl: z.string().optional(), simulated: z.boolean().optional() }).optional(),
  /** Service Quotas' inference quotas per region, tied to the models above; fetched with its own time. */
  quotas: QuotaSectionSchema.optional(),
});
export type CatalogDocument = z.infer<typeof CatalogDocumentSchema>;
