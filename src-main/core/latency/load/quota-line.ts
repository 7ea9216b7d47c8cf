import type { RouteQuotas } from '../../../../src-shared/catalog/quotas';
import type { LatencyRoute } from '../../../../src-shared/contract/latency';
import type { LoadQuotaLine } from '../../../../src-shared/contract/load';
import { effectiveQuota, reservedTokens } from '../../capacity/calculator';

/**
 * The route's quota as a rate, for the load charts' quota line: Service Quotas' requests per minute and tokens per
 * minute for the route called (the quotas feature's, applied values else AWS's defaults), and the requests per
 * second the tighter of them allows. Under load, tokens per minute bind on what a request holds while it runs:
 * Bedrock reserves its input plus max_tokens at the start (the capacity calculator's `reservedTokens`, with AWS's
 * words), so that is what a request costs the quota here.
 */

/** Reads a model's route quotas from a region (the quotas feature's `routeQuotas`). */
export type RouteQuotasReader = (modelId: string, region: string, signal?: AbortSignal) => Promise<RouteQuotas[]>;

export function quotaLineOf(quotas: readonly RouteQuotas[], route: LatencyRoute, workload: { inputTokens: number; maxTokens: number }): LoadQuotaLine {
  const tokensPerRequest = reservedTokens({ ...workload, outputTokens: workload.maxTokens, outputFrom: 'max_tokens', cacheReadTokens: 0, cacheWriteTokens: 0 });
  const found = quotas.find((quota) => quota.invokeId === route.invokeId && quota.routeKind === route.kind && quota.variant === undefined);
  const requestsPerMinute = effectiveQuota(found?.requestsPerMinute);
  const tokensPerMinute = effectiveQuota(found?.tokensPerMinute);
  if (requestsPerMinute === null && tokensPerMinute === null) {
    return {
      status: 'none',
      requestsPerMinute: null,
      tokensPerMinute: null,
      tokensPerRequest,
      ratePerSecond: null,
      binding: null,
      message: `No requests- or tokens-per-minute quota was found for ${route.invokeId} (${route.kind}) in ${route.callRegion}.`,
    };
  }
  const byRequests = requestsPerMinute === null ? Infinity : requestsPerMinute / 60;
  const byTokens = tokensPerMinute === null ? Infinity : tokensPerMinute / 60 / tokensPerRequest;
  const binding = byRequests <= byTokens ? 'requestsPerMinute' : 'tokensPerMinute';
  return { status: 'found', requestsPerMinute, tokensPerMinute, tokensPerRequest, ratePerSecond: Math.round(Math.min(byRequests, byTokens) * 1000) / 1000, binding };
}

/** The quota line, or why it cannot be drawn (quotas unreadable: said, never thrown). */
export async function readQuotaLine(
  read: RouteQuotasReader,
  target: { modelId: string; route: LatencyRoute },
  workload: { inputTokens: number; maxTokens: number },
  redact: (text: string) => string,
  signal?: AbortSignal,
): Promise<LoadQuotaLine> {
  try {
    return quotaLineOf(await read(target.modelId, target.route.callRegion, signal), target.route, workload);
  } catch (error) {
    return {
      status: 'unreadable',
      requestsPerMinute: null,
      tokensPerMinute: null,
      tokensPerRequest: workload.inputTokens + workload.maxTokens,
      ratePerSecond: null,
      binding: null,
      message: redact((error as Error).message),
    };
  }
}
