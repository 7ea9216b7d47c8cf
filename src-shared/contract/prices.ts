import { z } from 'zod';
import { method, ModelIdSchema, NoInput, RegionListSchema } from './define';

/**
 * Prices per route from the AWS Price List API (three service codes: AmazonBedrock, AmazonBedrockService,
 * AmazonBedrockFoundationModels), tied to catalog models explicitly. The app starts from the bundled dated table
 * and uses a fresh one when the API answers. A price not known is null ("unknown"), never 0.
 */

/** in-region on-demand, a geographic cross-region profile, a global profile. */
export const PRICE_ROUTE_KINDS = ['in-region', 'geo', 'global'] as const;
export type PriceRouteKind = (typeof PRICE_ROUTE_KINDS)[number];

export const PRICE_TIERS = ['standard', 'priority', 'flex', 'batch'] as const;
export type PriceTier = (typeof PRICE_TIERS)[number];

/** USD per million tokens; null when the price list has no such price. */
export interface TokenPrices {
  input: number | null;
  output: number | null;
  cacheRead: number | null;
  cacheWrite: number | null;
}

export interface RoutePrice {
  modelId: string;
  /** The region whose price applies: the source region, for a profile. */
  region: string;
  routeKind: PriceRouteKind;
  tier: PriceTier;
  perMillion: TokenPrices;
  /** The Price List service code and SKUs this row came from, for anyone checking it. */
  serviceCode: string;
  skus: string[];
}

/** A product the table could not use: its model matches no catalog model (or several), or its unit or currency is unknown. */
export interface UnusedPriceProduct {
  serviceCode: string;
  sku: string;
  /** The product's own model or service name, as the Price List API spells it. */
  name: string;
  regionCode: string | null;
  usageType: string;
  reason: 'no-model' | 'ambiguous-model' | 'unknown-unit' | 'unknown-currency';
  /** The unit or currency as the document gave it, for unknown-unit and unknown-currency. */
  detail?: string;
  candidates?: string[];
}

export interface PriceTableInfo {
  /** When the prices were published or fetched (the table's date, always shown). */
  asOf: string;
  source: 'api' | 'bundled' | 'cache';
  /** Set when the bundled file or the cache could not be used, and what was used instead. */
  fallbackReason?: string;
}

export interface PricesAnswer {
  table: PriceTableInfo;
  prices: RoutePrice[];
  unused: UnusedPriceProduct[];
  modelId: string | null;
}

export const PricesQuerySchema = z
  .object({
    target: ModelIdSchema.optional(),
    regions: RegionListSchema.optional(),
  })
  .strict()
  .optional();

export const pricesMethods = {
  getPrices: method<PricesAnswer>()(PricesQuerySchema),
  /** Asks the Price List API again (all pages of the three service codes) and keeps the fresh table. */
  refreshPrices: method<PricesAnswer>()(NoInput),
};

/** The dollars of a token mix at one route's prices; null when any price the mix needs is unknown. */
export function costOf(
  prices: TokenPrices,
  tokens: { input: number; output: number; cacheRead?: number; cacheWrite?: number },
): number | null {
  const parts: [number, number | null][] = [
    [tokens.input, prices.input],
    [tokens.output, prices.output],
    [tokens.cacheRead ?? 0, prices.cacheRead],
    [tokens.cacheWrite ?? 0, prices.cacheWrite],
  ];
  let dollars = 0;
  for (const [count, perMillion] of parts) {
    if (count === 0) continue;
    if (perMillion === null) return null;
    dollars += (count * perMillion) / 1_000_000;
  }
  return dollars;
}

/** The price list's route kinds, from the catalog's. */
export function priceRouteKindOf(kind: 'on-demand' | 'geo-profile' | 'global-profile'): PriceRouteKind {
  return kind === 'on-demand' ? 'in-region' : kind === 'geo-profile' ? 'geo' : 'global';
}
