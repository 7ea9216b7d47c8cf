import type { LatencyRouteCost, LatencyRunCost, ParsedLatencyRunInput, TokenUsage } from '../../../src-shared/contract/latency';
import { costOf, priceRouteKindOf, type PriceRouteKind, type PriceTableInfo, type PriceTier, type RoutePrice, type TokenPrices } from '../../../src-shared/contract/prices';
import type { FailedSample, MeasuredSample } from './measure-request';
import type { PlannedRoute } from './plan';

/**
 * What a latency run costs at the price table's list prices: estimated before it (the prompt's tokens in, max
 * tokens out, for every request, warm-ups included), and counted after it from the usage Bedrock reported for each
 * request. A route's price is its model's in its source region, for its route kind (a geo profile is priced as the
 * price table says, a global one at the global price) and the latency mode served. A price the table does not know
 * makes the figure null with the reason, never $0.
 */

/** What the lab needs of a price table (the prices feature's). */
export interface PriceLookup {
  info: PriceTableInfo;
  priceFor(modelId: string, region: string, routeKind: PriceRouteKind, tier?: PriceTier): RoutePrice | null;
}

const PART_NAMES: Record<keyof TokenPrices, string> = { input: 'input', output: 'output', cacheRead: 'cache-read', cacheWrite: 'cache-write' };
const ROUTE_WORDS: Record<PriceRouteKind, string> = { 'in-region': 'on demand', geo: 'through a geo profile', global: 'through a global profile' };

const noUsage = (): TokenUsage => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

function tableDate(prices: PriceLookup): string {
  return prices.info.asOf ? `the price table of ${prices.info.asOf.slice(0, 10)}` : 'the price table (none is at hand)';
}

/** The route's price for a latency mode, or why there is none. */
function priceOf(prices: PriceLookup, planned: PlannedRoute, tier: PriceTier): { price: RoutePrice } | { unknown: string } {
  const routeKind = priceRouteKindOf(planned.route.kind);
  const { modelId } = planned.resolved;
  const region = planned.route.callRegion;
  const price = prices.priceFor(modelId, region, routeKind, tier);
  if (price) return { price };
  const tierWords = tier === 'standard' ? '' : ` ${tier}`;
  return { unknown: `${tableDate(prices)} has no${tierWords} price for ${modelId} ${ROUTE_WORDS[routeKind]} from ${region}` };
}

/** The dollars of a token mix at a route's price, or which of its prices is unknown. */
function dollars(priced: { price: RoutePrice } | { unknown: string }, usage: TokenUsage, prices: PriceLookup): { usd: number | null; unknown?: string } {
  if ('unknown' in priced) return usage.input + usage.output + usage.cacheRead + usage.cacheWrite === 0 ? { usd: 0 } : { usd: null, unknown: priced.unknown };
  const usd = costOf(priced.price.perMillion, usage);
  if (usd !== null) return { usd };
  const missing = (Object.keys(PART_NAMES) as (keyof TokenPrices)[]).filter((part) => usage[part] > 0 && priced.price.perMillion[part] === null);
  const { modelId, region, routeKind } = priced.price;
  return { usd: null, unknown: `${tableDate(prices)} has no ${missing.map((part) => PART_NAMES[part]).join(' or ')} price for ${modelId} ${ROUTE_WORDS[routeKind]} from ${region}` };
}

/**
 * The estimate's price for a route. Where the latency-optimized tier is asked for and the table has no price for it,
 * the standard price stands in: Bedrock serves standard latency where the optimized mode is not offered.
 */
function estimatePrice(prices: PriceLookup, planned: PlannedRoute, latency: ParsedLatencyRunInput['latency']): { price: RoutePrice } | { unknown: string } {
  if (latency === 'optimized') {
    const optimized = priceOf(prices, planned, 'latency-optimized');
    if ('price' in optimized) return optimized;
  }
  return priceOf(prices, planned, 'standard');
}

/** What the estimate of a run needs to know of it: requests per route, warm-ups, output at most, the latency mode. */
export type CostedRun = Pick<ParsedLatencyRunInput, 'runs' | 'warmup' | 'maxTokens' | 'latency'>;

/** One request's dollars at most: its input and max tokens of output at the route's price; null when the price is unknown. */
export function requestCostBound(prices: PriceLookup, planned: PlannedRoute, run: Pick<CostedRun, 'maxTokens' | 'latency'>, inputTokens: number): number | null {
  return dollars(estimatePrice(prices, planned, run.latency), { input: inputTokens, output: run.maxTokens, cacheRead: 0, cacheWrite: 0 }, prices).usd;
}

/** What one request cost, from the usage Bedrock reported and the tier it served; null when a price is unknown. */
export function requestCost(prices: PriceLookup, planned: PlannedRoute, requested: CostedRun['latency'], outcome: MeasuredSample | FailedSample): number | null {
  if (!outcome.usage) return 0;
  const served = outcome.ok && outcome.servedLatency ? outcome.servedLatency : requested;
  return dollars(priceOf(prices, planned, served === 'optimized' ? 'latency-optimized' : 'standard'), outcome.usage, prices).usd;
}

export function estimateCosts(
  routes: readonly PlannedRoute[],
  input: CostedRun,
  promptTokens: number,
  prices: PriceLookup,
): { estimatedCostUsd: number | null; routeCosts: Record<string, { usd: number | null; unknown?: string }> } {
  const requests = input.runs + input.warmup;
  const routeCosts = Object.fromEntries(
    routes.map((planned) => [planned.key, dollars(estimatePrice(prices, planned, input.latency), { input: promptTokens * requests, output: input.maxTokens * requests, cacheRead: 0, cacheWrite: 0 }, prices)]),
  );
  const all = Object.values(routeCosts);
  return { estimatedCostUsd: all.some((cost) => cost.usd === null) ? null : all.reduce((sum, cost) => sum + (cost.usd ?? 0), 0), routeCosts };
}

interface RouteMeter {
  planned: PlannedRoute;
  /** Usage by the latency tier Bedrock said it served. */
  byTier: Map<PriceTier, TokenUsage>;
  requests: number;
  requestsWithoutUsage: number;
}

/** Adds up the usage Bedrock reports per route as the run goes, and prices it when the run is over. */
export class RunCostMeter {
  private readonly meters = new Map<string, RouteMeter>();

  constructor(
    routes: readonly PlannedRoute[],
    private readonly requested: ParsedLatencyRunInput['latency'],
  ) {
    for (const planned of routes) this.meters.set(planned.key, { planned, byTier: new Map(), requests: 0, requestsWithoutUsage: 0 });
  }

  record(key: string, outcome: MeasuredSample | FailedSample): void {
    const meter = this.meters.get(key);
    if (!meter) return;
    const usage = outcome.usage;
    if (!usage) {
      meter.requestsWithoutUsage++;
      return;
    }
    meter.requests++;
    const served = outcome.ok && outcome.servedLatency ? outcome.servedLatency : this.requested;
    const tier: PriceTier = served === 'optimized' ? 'latency-optimized' : 'standard';
    const sum = meter.byTier.get(tier) ?? noUsage();
    meter.byTier.set(tier, { input: sum.input + usage.input, output: sum.output + usage.output, cacheRead: sum.cacheRead + usage.cacheRead, cacheWrite: sum.cacheWrite + usage.cacheWrite });
  }

  summary(prices: PriceLookup): LatencyRunCost {
    const routes: Record<string, LatencyRouteCost> = {};
    for (const [key, meter] of this.meters) {
      const usage = noUsage();
      let usd: number | null = 0;
      let unknown: string | undefined;
      for (const [tier, used] of meter.byTier) {
        for (const part of Object.keys(usage) as (keyof TokenUsage)[]) usage[part] += used[part];
        const priced = dollars(priceOf(prices, meter.planned, tier), used, prices);
        if (priced.usd === null) unknown ??= priced.unknown;
        usd = usd === null || priced.usd === null ? null : usd + priced.usd;
      }
      routes[key] = { usd, usage, requests: meter.requests, requestsWithoutUsage: meter.requestsWithoutUsage, ...(unknown ? { unknown } : {}) };
    }
    const all = Object.values(routes);
    const total = noUsage();
    for (const route of all) for (const part of Object.keys(total) as (keyof TokenUsage)[]) total[part] += route.usage[part];
    const unknown = all.find((route) => route.unknown)?.unknown;
    return {
      usd: all.some((route) => route.usd === null) ? null : all.reduce((sum, route) => sum + (route.usd ?? 0), 0),
      usage: total,
      requests: all.reduce((sum, route) => sum + route.requests, 0),
      requestsWithoutUsage: all.reduce((sum, route) => sum + route.requestsWithoutUsage, 0),
      ...(unknown ? { unknown } : {}),
      routes,
      priceTable: prices.info,
    };
  }
}
