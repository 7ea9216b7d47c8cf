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

/** `latency-optimized`: the price of a latency-optimized call (performanceConfig.latency), where the list has one. */
export const PRICE_TIERS = ['standard', 'priority', 'flex', 'batch', 'latency-optimized'] as const;
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
  /**
   * Set on a geo row the price list does not price apart: a geographic profile is billed at the source region's
   * regional price (the in-region row's), as the price list's own "Regional" wording and AWS's pricing say.
   */
  derivedFrom?: 'in-region';
}

/** A product the table could not use: its model matches no catalog model (or several), or its unit or currency is unknown. */
export interface UnusedPriceProduct {
  serviceCode: string;
  sku: string;
  /** The product's own model or service name, as the Price List API spells it. */
  name: string;
  regionCode: string | null;
  usageType: string;
  /**
   * no-model / ambiguous-model: its name matches no catalog model, or several (candidates); unknown-unit /
   * unknown-currency: not converted; unreadable-price: no single number to read (several price dimensions, a
   * tiered range, a value that is not a number); conflicting-price: another product prices the same model, region,
   * route, tier and token kind differently, so that price is left unknown rather than picked.
   */
  reason: 'no-model' | 'ambiguous-model' | 'unknown-unit' | 'unknown-currency' | 'unreadable-price' | 'conflicting-price';
  /** What the document said that could not be used (the unit, the currencies, the other price). */
  detail?: string;
  /** ambiguous-model: the catalog models its name matches. */
  candidates?: string[];
  /** The catalog models the product is for, when its name matched but its price could not be used. */
  modelIds?: string[];
}

export interface PriceTableInfo {
  /**
   * The table's date, always shown: the latest publication date of the price documents it was made from; null only
   * when there is no table at all (source "none").
   */
  asOf: string | null;
  /** When the price list was read (the API call, or the pipeline run that made the bundled file). */
  fetchedAt: string | null;
  /**
   * api: fetched from the Price List API in this session; cache: fetched earlier and kept in the cache directory;
   * bundled: the table shipped with the app; none: no table could be used (every price unknown).
   */
  source: 'api' | 'cache' | 'bundled' | 'none';
  /** Where its documents came from: the Price List endpoint, the emulator, or the recorded sample documents. */
  origin: string | null;
  /** Set when the API, the cache or the bundled file could not be used: what failed, and what answers instead. */
  fallbackReason?: string;
  /**
   * Products read from the price list; `outOfScope` are not per-token prices of text inference (provisioned
   * throughput, reserved capacity, guardrails, long-context and image, video or audio token rates, 1-hour cache
   * writes), so neither priced nor listed as unused.
   */
  products: { read: number; priced: number; unused: number; outOfScope: number };
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
