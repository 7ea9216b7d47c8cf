import { useQueries } from '@tanstack/react-query';
import { costOf, priceRouteKindOf, type PriceTableInfo, type PricesAnswer, type PriceTier, type RoutePrice } from '../../src-shared/contract/prices';
import type { ConverseResult } from '../../src-shared/contract/playground';
import { useAtlas } from '../api/atlas-context';
import { PRICES_KEY } from '../capacity/use-figures';

/**
 * What an answer cost: its token usage (Bedrock's own counts) at the price of the route it went through (the call
 * region's in-region, geo or global price, the tier that was served). Null is "unknown": no usage, or a price the
 * table does not have. It is never $0 for a price that is missing.
 */

/** The tier the answer was billed at: what the response says was served (Bedrock reports it only when asked). */
export function priceTierOf(result: ConverseResult): PriceTier {
  if (result.served.serviceTier === 'priority' || result.served.serviceTier === 'flex') return result.served.serviceTier;
  if (result.served.latency === 'optimized') return 'latency-optimized';
  return 'standard';
}

export function answerCost(result: ConverseResult, prices: readonly RoutePrice[]): number | null {
  if (!result.usage) return null;
  const routeKind = priceRouteKindOf(result.route.kind);
  const tier = priceTierOf(result);
  const row = prices.find((price) => price.region === result.route.callRegion && price.routeKind === routeKind && price.tier === tier);
  if (!row) return null;
  return costOf(row.perMillion, {
    input: result.usage.inputTokens,
    output: result.usage.outputTokens,
    cacheRead: result.usage.cacheReadInputTokens ?? 0,
    cacheWrite: result.usage.cacheWriteInputTokens ?? 0,
  });
}

/** The sum, or null when any part is unknown (a total that leaves out an unknown part would read as the whole). */
export function totalCost(costs: readonly (number | null)[]): number | null {
  let total = 0;
  for (const cost of costs) {
    if (cost === null) return null;
    total += cost;
  }
  return total;
}

export interface AnswerCosts {
  /** Per result, in order: dollars, null (unknown), or undefined while its route's prices load. */
  costs: (number | null | undefined)[];
  /** The price table's date and source (the same table answers every route). */
  table: PriceTableInfo | null;
}

/** The costs of the given answers, asking the prices of each route once (shared with every other view of prices). */
export function useAnswerCosts(results: readonly ConverseResult[]): AnswerCosts {
  const { api } = useAtlas();
  const targets = [...new Set(results.map((result) => result.route.invokeId))];
  const answers = useQueries({
    queries: targets.map((target) => ({ queryKey: [...PRICES_KEY, target], queryFn: () => api.getPrices({ target }), staleTime: Infinity })),
  });
  const byTarget = new Map<string, { data?: PricesAnswer; isError: boolean }>(targets.map((target, index) => [target, answers[index] ?? { isError: true }]));
  const costs = results.map((result) => {
    const answer = byTarget.get(result.route.invokeId);
    if (answer?.isError) return null;
    return answer?.data ? answerCost(result, answer.data.prices) : undefined;
  });
  const table = answers.find((answer) => answer.data)?.data?.table ?? null;
  return { costs, table };
}
