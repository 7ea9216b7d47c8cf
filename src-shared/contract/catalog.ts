import { z } from 'zod';
import type { CatalogDocument, ModelAccess, CatalogModel } from '../catalog/document';
import { method, ModelIdSchema, NoInput, RegionListSchema, RegionNameSchema } from './define';
import type { CacheMode } from './settings';
import { VantageChoiceSchema } from './vantage';

export interface CatalogMeta {
  /** Where this copy came from now (a cache hit says `cache` even when the data was fetched from the API). */
  source: CatalogDocument['source'];
  simulated: boolean;
  /** Age of the data in milliseconds at the time of the answer. */
  ageMs: number;
  cacheMode: CacheMode;
  cachePath: string | null;
  /** Human-readable warnings collected while loading (ignored cache file, unwritable directory, failed regions). */
  warnings: string[];
  /** The last discovery answered in no region: what is shown is older (a kept copy, or the bundled data). */
  discoveryFailure?: DiscoveryFailure;
}

export interface DiscoveryFailure {
  at: string;
  /** What failed, one line each ("us-east-1: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9"). */
  reasons: string[];
}

export interface CatalogSnapshot {
  document: CatalogDocument;
  meta: CatalogMeta;
}

export interface RankedRoute {
  /** The id or ARN to pass as modelId from `fromRegion`. */
  invokeId: string;
  /** The region whose endpoint to call. */
  callRegion: string;
  kind: 'on-demand' | 'geo-profile' | 'global-profile';
  /** Where requests may be served. Empty for a global profile whose destinations cannot be enumerated. */
  destinations: string[];
  /** Lower is better. */
  rank: number;
  reason: string;
  /** The latency lab's p50 TTFT for this route over the last 30 days, when it was measured (from the vantage asked). */
  measured?: { ttftP50Ms: number; samples: number; measuredAt: string };
}

export const catalogMethods = {
  /** The catalog through the start-up waterfall: valid cache, then the API, then the bundled file. */
  getCatalog: method<CatalogSnapshot>()(NoInput),
  /** Scans the regions again; concurrent calls share one scan. Progress arrives as `catalog.progress` events. */
  refreshCatalog: method<CatalogSnapshot>()(z.object({ regions: RegionListSchema.optional() }).strict().optional()),
  cancelRefresh: method<{ cancelled: boolean }>()(NoInput),
  /** The account's access to one model in the given regions (GetFoundationModelAvailability, cached). */
  getModelAccess: method<Record<string, ModelAccess>>()(
    z.object({ modelId: ModelIdSchema, regions: RegionListSchema.max(40) }).strict(),
  ),
  /** Finds a model by id or by a forgiving name ("Claude 3 Haiku"). */
  findModel: method<CatalogModel | null>()(z.object({ query: ModelIdSchema }).strict()),
  /** The regions and routes a model can be called through from one region, best first. */
  bestRegions: method<RankedRoute[]>()(
    z.object({ modelId: ModelIdSchema, fromRegion: RegionNameSchema, /** Whose measurements the routes carry (local by default). */ vantage: VantageChoiceSchema.optional() }).strict(),
  ),
};
