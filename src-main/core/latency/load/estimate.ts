import type { LatencyEstimate } from '../../../../src-shared/contract/latency';
import { DEFAULT_STEP_DURATION_MS, resolveSlo, type LoadEstimate, type ParsedLoadRunInput } from '../../../../src-shared/contract/load';
import { estimateCosts, type PriceLookup } from '../cost';
import { confirmationReasons, type RunPlan, type PlannedRoute } from '../plan';
import { CHARACTERS_PER_TOKEN } from '../prompts';
import { NONCE_CHARACTERS } from './nonce';

/**
 * A load run's estimate, before anything is sent: requests, tokens and dollars, and whether it must be confirmed
 * (the lab's rule: over 100 requests, over $1, or of unknown cost, against real AWS). Rate levels send about rate ×
 * duration each; concurrency levels by count send exactly that; concurrency levels by duration send as many as the
 * route answers in that time, estimated from its measured TTFT where the history has one and a fast stream (so the
 * figure errs high). The budget caps both figures.
 */

/** A route's time to answer, for concurrency levels by duration: its p50 TTFT if measured, and a fast output speed. */
export interface AssumedRequestTime {
  ttftMs: number;
  measured: boolean;
}

/** Output at 200 tokens per second, the fast end of Bedrock's models: fewer milliseconds per request, more requests. */
const ASSUMED_MS_PER_TOKEN = 5;
export const ASSUMED_TTFT_MS = 300;

function requestsPerRoute(input: ParsedLoadRunInput, assumed: AssumedRequestTime): { requests: number; basis: string } {
  const stepMs = input.stepDurationMs ?? DEFAULT_STEP_DURATION_MS;
  const levels = input.load.levels;
  if (input.load.mode === 'rate') {
    return { requests: levels.reduce((sum, rate) => sum + Math.ceil((rate * stepMs) / 1000), 0), basis: `about rate × ${stepMs / 1000} s per level (${input.load.arrivals} arrivals)` };
  }
  if (input.stepRequests !== undefined) return { requests: levels.length * input.stepRequests, basis: `exactly ${input.stepRequests} per level` };
  const requestMs = assumed.ttftMs + input.maxTokens * ASSUMED_MS_PER_TOKEN;
  return {
    requests: levels.reduce((sum, concurrency) => sum + Math.ceil((concurrency * stepMs) / requestMs), 0),
    basis: `about concurrency × ${stepMs / 1000} s per level at ${Math.round(requestMs)} ms a request (${assumed.measured ? 'the route\'s measured' : 'an assumed'} p50 TTFT of ${Math.round(assumed.ttftMs)} ms and ${ASSUMED_MS_PER_TOKEN} ms per output token)`,
  };
}

/** The input tokens of one request: the prompt, and the nonce before it when prompts are unique. */
export function requestInputTokens(prompt: LatencyEstimate['prompt'], uniquePrompts: boolean): number {
  return prompt.inputTokens + (uniquePrompts ? Math.ceil(NONCE_CHARACTERS / CHARACTERS_PER_TOKEN) : 0);
}

export function estimateLoadRun(
  plan: RunPlan,
  input: ParsedLoadRunInput,
  prompt: LatencyEstimate['prompt'],
  simulated: boolean,
  prices: PriceLookup,
  assumed: (planned: PlannedRoute) => AssumedRequestTime,
): LoadEstimate {
  const inputTokens = requestInputTokens(prompt, input.uniquePrompts);
  const perRoute = plan.routes.map((planned) => ({ planned, ...requestsPerRoute(input, assumed(planned)) }));
  const planned = perRoute.reduce((sum, route) => sum + route.requests, 0);
  const warmupRequests = plan.routes.length * input.warmup;
  const capped = input.maxRequests !== undefined && planned + warmupRequests > input.maxRequests;
  const requests = capped ? Math.max(0, input.maxRequests! - warmupRequests) : planned;
  const sent = Math.min(planned + warmupRequests, input.maxRequests ?? Infinity);
  const routeCosts: LatencyEstimate['routeCosts'] = {};
  for (const route of perRoute) {
    Object.assign(routeCosts, estimateCosts([route.planned], { runs: route.requests, warmup: input.warmup, maxTokens: input.maxTokens, latency: input.latency }, inputTokens, prices).routeCosts);
  }
  const costs = Object.values(routeCosts);
  const uncapped = costs.some((cost) => cost.usd === null) ? null : costs.reduce((sum, cost) => sum + (cost.usd ?? 0), 0);
  // Capped requests cost in proportion; a dollar budget caps the dollars (it needs known prices to be kept).
  let estimatedCostUsd = uncapped === null ? null : uncapped * (sent / Math.max(1, planned + warmupRequests));
  if (estimatedCostUsd !== null && input.maxCostUsd !== undefined) estimatedCostUsd = Math.min(estimatedCostUsd, input.maxCostUsd);
  const reasons = confirmationReasons(sent, { estimatedCostUsd, routeCosts }, simulated);
  const bases = [...new Set(perRoute.map((route) => route.basis))];
  const rateLevels = input.load.mode === 'rate' || input.stepRequests === undefined;
  return {
    requests,
    requestsBasis: `${bases.join('; ')}${capped ? `; capped by the budget of ${input.maxRequests} requests (warm-ups included)` : ''}`,
    warmupRequests,
    inputTokens: inputTokens * sent,
    outputTokens: input.maxTokens * sent,
    needsConfirmation: reasons.length > 0,
    confirmationReasons: reasons,
    estimatedCostUsd,
    routeCosts,
    priceTable: prices.info,
    simulated,
    routes: Object.fromEntries(plan.routes.map(({ key, route }) => [key, route])),
    unavailable: plan.unavailable,
    prompt,
    expectedDurationMs: rateLevels ? input.load.levels.length * (input.stepDurationMs ?? DEFAULT_STEP_DURATION_MS) : null,
    uniquePrompts: input.uniquePrompts,
    slo: input.slo ? resolveSlo(input.slo) : null,
  };
}
