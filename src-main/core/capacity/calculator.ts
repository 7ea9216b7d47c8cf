import type { QuotaRouteKind, QuotaValue } from '../../../src-shared/catalog/quotas';
import type { BindingLimit, CapacityRoute, CapacityWorkload, CurrentUsage } from '../../../src-shared/contract/capacity';
import { costOf, type TokenPrices } from '../../../src-shared/contract/prices';

/**
 * The capacity calculator: pure arithmetic over one workload and every route to a model from one region. Quota burn
 * follows AWS's "How tokens are counted in Amazon Bedrock"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html), and each rule is quoted where
 * it is applied. Every count is a whole number and every division that yields a number of requests is floored: a
 * quota carries ⌊quota / cost⌋ requests, never a fraction of one more.
 */

export interface CalculatorRoute {
  invokeId: string;
  routeKind: QuotaRouteKind;
  quotas: CapacityRoute['quotas'];
  usage: CurrentUsage;
  /** The route's prices per million tokens; null when the price table has no row for it. */
  prices: TokenPrices | null;
}

export interface CalculatorInput {
  targetRequestsPerMinute: number;
  workload: CapacityWorkload;
  burndownRate: number;
  routes: readonly CalculatorRoute[];
}

const MINUTES_PER_DAY = 1440;
const KIND_ORDER: readonly QuotaRouteKind[] = ['on-demand', 'geo-profile', 'global-profile'];

/**
 * Quota tokens one request costs once it has ended. AWS (same page, and the global cross-Region inference page):
 * "InputTokenCount + CacheWriteInputTokens + (OutputTokenCount x burndown rate)" — cache reads are not in it
 * ("CacheReadInputTokens … the number of input tokens that were successfully retrieved from a cache instead of being
 * reprocessed by the model"), and the burndown applies to output tokens only ("1 output token consumes 5 tokens from
 * your quotas").
 */
export function settledTokens(workload: CapacityWorkload, burndownRate: number): number {
  return workload.inputTokens + workload.cacheWriteTokens + workload.outputTokens * burndownRate;
}

/**
 * Quota tokens held while a request runs. Bedrock reserves at the start what the request could cost and corrects it
 * to the settled cost when it ends. AWS's re:Post article on its sample quota dashboard
 * (https://repost.aws/articles/ARfUsSkaWeSLiWZbv0OVSG1Q, aws-samples/sample-quota-dashboard-for-amazon-bedrock):
 * "At Request Start - Reserves quota based on: Total Input Tokens + max_tokens … At Request End - Final calculation
 * using: InputTokenCount + CacheWriteInputTokens + (OutputTokenCount × BurndownRate)", and "Even if your actual token
 * usage is low, Bedrock reserves quota based on your max_tokens parameter". The input held is what the request
 * sends to the model (input and cache write); a cache read is served from the cache.
 */
export function reservedTokens(workload: CapacityWorkload): number {
  return workload.inputTokens + workload.cacheWriteTokens + workload.maxTokens;
}

/** The value a quota holds the account to: the applied value, else AWS's default; null when neither is known. */
export function effectiveQuota(quota: QuotaValue | undefined): number | null {
  if (!quota) return null;
  return quota.applied ?? quota.default;
}

interface Limit {
  limit: BindingLimit;
  quota: number;
  /** Requests per minute the quota carries at this workload. */
  carries: number;
  /** The quota's use at the target rate on top of the current usage, in the quota's own unit. */
  use: number | null;
}

/**
 * Each existing quota's requests per minute, in the order that breaks ties (requests, then tokens per minute, then
 * tokens per day). Tokens per day are read from Service Quotas, never derived from tokens per minute: AWS's page says
 * "By default, this value is TPM x 24 x 60. However, new AWS accounts have reduced quotas", and applied values differ.
 */
function limitsOf(route: CalculatorRoute, settled: number, target: number): Limit[] {
  const current = currentUse(route.usage);
  const limits: Limit[] = [];
  const requests = effectiveQuota(route.quotas.requestsPerMinute);
  if (requests !== null) limits.push({ limit: 'requests-per-minute', quota: requests, carries: Math.floor(requests), use: current && target + current.requestsPerMinute });
  const tokens = effectiveQuota(route.quotas.tokensPerMinute);
  if (tokens !== null) limits.push({ limit: 'tokens-per-minute', quota: tokens, carries: Math.floor(tokens / settled), use: current && target * settled + current.tokensPerMinute });
  const daily = effectiveQuota(route.quotas.tokensPerDay);
  if (daily !== null) {
    limits.push({
      limit: 'tokens-per-day',
      quota: daily,
      carries: Math.floor(daily / (MINUTES_PER_DAY * settled)),
      use: current && target * settled * MINUTES_PER_DAY + current.quotaTokensPerDay,
    });
  }
  return limits;
}

/** The current usage to add to the target: zeros when the route had no invocations, null when it could not be read. */
function currentUse(usage: CurrentUsage): { requestsPerMinute: number; tokensPerMinute: number; quotaTokensPerDay: number } | null {
  if (usage.status === 'no-invocations') return { requestsPerMinute: 0, tokensPerMinute: 0, quotaTokensPerDay: 0 };
  if (usage.status !== 'ok') return null;
  return { requestsPerMinute: usage.peak.requestsPerMinute ?? 0, tokensPerMinute: usage.peak.tokensPerMinute ?? 0, quotaTokensPerDay: usage.quotaTokensLast24h ?? 0 };
}

function oneDecimal(value: number): number {
  const rounded = Math.round(value * 10) / 10;
  return rounded === 0 ? 0 : rounded;
}

/** The least room any quota leaves, and which; the percentage is null when the usage is unknown or a quota is 0. */
function headroomOf(limits: readonly Limit[], target: number, settled: number): { percent: number | null; limit: BindingLimit | null } {
  if (limits.length === 0) return { percent: null, limit: null };
  const zero = limits.find((limit) => limit.quota === 0);
  if (zero) return { percent: null, limit: zero.limit };
  // Without the current usage the quota to raise is still the one the target alone fills most.
  const targetOnly = (limit: Limit) => (limit.limit === 'requests-per-minute' ? target : limit.limit === 'tokens-per-minute' ? target * settled : target * settled * MINUTES_PER_DAY);
  const room = limits.map((limit) => ({ limit: limit.limit, percent: (100 * (limit.quota - (limit.use ?? targetOnly(limit)))) / limit.quota, known: limit.use !== null }));
  const least = room.reduce((tightest, next) => (next.percent < tightest.percent ? next : tightest));
  return { percent: least.known ? oneDecimal(least.percent) : null, limit: least.limit };
}

/** USD per 1,000 requests at the workload's billed tokens (no burndown: it applies to quotas, not to the bill). */
function costPer1000(prices: TokenPrices | null, workload: CapacityWorkload): number | null {
  if (!prices) return null;
  const dollars = costOf(prices, { input: workload.inputTokens, output: workload.outputTokens, cacheRead: workload.cacheReadTokens, cacheWrite: workload.cacheWriteTokens });
  return dollars === null ? null : Math.round(dollars * 1000 * 1e6) / 1e6;
}

export function capacityRoute(route: CalculatorRoute, input: Omit<CalculatorInput, 'routes'>): CapacityRoute {
  const { workload, burndownRate, targetRequestsPerMinute: target } = input;
  const settled = settledTokens(workload, burndownRate);
  const reserved = reservedTokens(workload);
  const limits = limitsOf(route, settled, target);
  const binding = limits.reduce<Limit | null>((least, next) => (least === null || next.carries < least.carries ? next : least), null);
  const tokensPerMinute = effectiveQuota(route.quotas.tokensPerMinute);
  const headroom = headroomOf(limits, target, settled);
  const current = currentUse(route.usage);
  return {
    invokeId: route.invokeId,
    routeKind: route.routeKind,
    reservedTokensPerRequest: reserved,
    settledTokensPerRequest: settled,
    burndownRate,
    maxRequestsPerMinute: binding?.carries ?? null,
    maxInFlightByReservation: tokensPerMinute === null ? null : Math.floor(tokensPerMinute / reserved),
    bindingLimit: binding?.limit ?? null,
    headroomPercent: headroom.percent,
    headroomLimit: headroom.limit,
    tokensPerMinuteAtTarget: Math.ceil(target * settled),
    quotas: route.quotas,
    currentPeak: current && { requestsPerMinute: current.requestsPerMinute, tokensPerMinute: current.tokensPerMinute },
    usage: route.usage,
    costPer1000Requests: costPer1000(route.prices, workload),
  };
}

/** Best first: the most requests per minute; a route with no quota found after every route with one. */
export function compareRoutes(a: CapacityRoute, b: CapacityRoute): number {
  if ((a.maxRequestsPerMinute === null) !== (b.maxRequestsPerMinute === null)) return a.maxRequestsPerMinute === null ? 1 : -1;
  return (
    (b.maxRequestsPerMinute ?? 0) - (a.maxRequestsPerMinute ?? 0) ||
    KIND_ORDER.indexOf(a.routeKind) - KIND_ORDER.indexOf(b.routeKind) ||
    a.invokeId.localeCompare(b.invokeId)
  );
}

/** Every route's figures, best first. */
export function calculateCapacity(input: CalculatorInput): CapacityRoute[] {
  return input.routes.map((route) => capacityRoute(route, input)).sort(compareRoutes);
}

/** The rate a workload asks for: the given rate, or the concurrency that many requests of that duration sustain. */
export function targetRate(input: { rpm?: number; concurrency?: number; durationMs?: number }): number {
  if (input.rpm !== undefined) return input.rpm;
  if (input.concurrency === undefined || input.durationMs === undefined) throw new TypeError('A target rate needs rpm, or concurrency with durationMs');
  return (input.concurrency * 60_000) / input.durationMs;
}
