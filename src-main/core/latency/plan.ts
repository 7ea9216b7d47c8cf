import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { cellRoute } from '../../../src-shared/catalog/queries';
import { resolveRoute, RouteError, type ResolvedRoute } from '../../../src-shared/catalog/resolve-route';
import { CONFIRMATION_REQUESTS, CONFIRMATION_USD, type LatencyEstimate, type LatencyRoute, type ParsedLatencyRunInput } from '../../../src-shared/contract/latency';
import { estimateCosts, type PriceLookup } from './cost';

/**
 * A latency run's plan, decided from the catalog before anything is sent: which routes are measured (one per
 * region, plus every other route of the region with compareRoutes), which regions cannot be and why, and what the
 * run will spend. Nothing here talks to Bedrock.
 */

export interface PlannedRoute {
  /** The key in the report: the region, or `<region> <invokeId>` for the extra routes of compareRoutes. */
  key: string;
  route: LatencyRoute;
  resolved: ResolvedRoute;
}

export interface RunPlan {
  routes: PlannedRoute[];
  unavailable: LatencyEstimate['unavailable'];
}

export class UnknownTargetError extends Error {
  override readonly name = 'UnknownTarget';
  readonly code = 'UNKNOWN_TARGET';
  constructor(
    target: string,
    readonly suggestions: string[],
  ) {
    super(`No model or inference profile matches "${target}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : ''} Search with \`bedrock-atlas where NAME\`.`);
  }
}

export class NotCallableError extends Error {
  override readonly name = 'NotCallable';
  readonly code = 'NOT_CALLABLE';
}

export class ConfirmationRequiredError extends Error {
  override readonly name = 'ConfirmationRequired';
  readonly code = 'CONFIRMATION_REQUIRED';
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  // Every row has b.length + 1 cells, filled left to right: each index read below is already there.
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** Ids close to what was typed: containing it, then the fewest edits (to the whole id or its start); at most three. */
export function closeNames(document: CatalogDocument, target: string): string[] {
  const wanted = normalize(target);
  if (!wanted) return [];
  const candidates = [...Object.values(document.models).map((model) => ({ id: model.modelId, name: model.modelName })), ...Object.keys(document.profiles).map((id) => ({ id, name: id }))];
  return candidates
    .map(({ id, name }) => {
      const forms = [normalize(id), normalize(name)];
      const distance = Math.min(...forms.map((form) => (form.includes(wanted) ? 0 : Math.min(editDistance(wanted, form), editDistance(wanted, form.slice(0, wanted.length))))));
      return { id, distance };
    })
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.id.length - b.id.length || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map(({ id }) => id);
}

const toLatencyRoute = (resolved: ResolvedRoute): LatencyRoute => ({
  invokeId: resolved.invokeId,
  callRegion: resolved.callRegion,
  kind: resolved.kind,
  ...(resolved.autoRoutedFrom ? { autoRoutedFrom: resolved.autoRoutedFrom } : {}),
});

/** Every other way to call the same model from the region (direct beside profiles), for compareRoutes. */
function siblingRoutes(document: CatalogDocument, main: ResolvedRoute): ResolvedRoute[] {
  const here = cellRoute(document, main.modelId, main.callRegion);
  const ids = [...(here.onDemand ? [main.modelId] : []), ...here.geoProfiles, ...here.globalProfiles].filter((id) => id !== main.invokeId);
  return ids.flatMap((id) => {
    try {
      return [resolveRoute(document, id, main.callRegion)];
    } catch {
      return [];
    }
  });
}

/** The routes of a run (a lab run's or a load run's: the target, its regions and how bare ids are routed). */
export function planRun(document: CatalogDocument, input: Pick<ParsedLatencyRunInput, 'target' | 'regions' | 'autoProfile' | 'compareRoutes'>): RunPlan {
  const options = { autoProfile: input.autoProfile };
  const anyRegion = Object.keys(document.regions)[0] ?? 'us-east-1';
  try {
    resolveRoute(document, input.target, input.regions?.[0] ?? anyRegion, options);
  } catch (error) {
    if (error instanceof RouteError && error.name === 'UnknownTarget') throw new UnknownTargetError(input.target.trim(), closeNames(document, input.target));
  }
  const regions = input.regions ?? Object.entries(document.regions).filter(([, scan]) => scan.status !== 'error').map(([region]) => region);
  const routes: PlannedRoute[] = [];
  const unavailable: RunPlan['unavailable'] = {};
  for (const region of regions) {
    let resolved: ResolvedRoute;
    try {
      resolved = resolveRoute(document, input.target, region, options);
    } catch (error) {
      if (input.regions) unavailable[region] = { code: (error as RouteError).code ?? 'NOT_CALLABLE', message: (error as Error).message };
      continue;
    }
    routes.push({ key: region, route: toLatencyRoute(resolved), resolved });
    if (input.compareRoutes) {
      for (const sibling of siblingRoutes(document, resolved)) routes.push({ key: `${region} ${sibling.invokeId}`, route: toLatencyRoute(sibling), resolved: sibling });
    }
  }
  if (routes.length === 0 && !input.regions) {
    throw new NotCallableError(`${input.target} is not callable in any scanned region${input.autoProfile ? '' : ' on demand; try auto-profile'}.`);
  }
  return { routes, unavailable };
}

/**
 * The plan without the routes whose region the credentials cannot call (a short-term API key works only in its own
 * region): those are unavailable with that one cause, not measured into a column of identical errors.
 */
export function setAsideUncallable(plan: RunPlan, refusal: (region: string) => { code: string; message: string } | null): RunPlan {
  const unavailable = { ...plan.unavailable };
  const routes = plan.routes.filter((planned) => {
    const refused = refusal(planned.route.callRegion);
    if (refused) unavailable[planned.key] = { code: refused.code, message: refused.message };
    return refused === null;
  });
  return { routes, unavailable };
}

/** "$0.0123", "$1.40": cents, and more digits below a cent so a small run does not read $0.00. */
export function formatDollars(usd: number): string {
  return usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

/**
 * Why a run against real AWS asks first: more than CONFIRMATION_REQUESTS requests, an estimate over
 * CONFIRMATION_USD, or a cost that cannot be estimated. An unknown price is not taken for $0: a model the table
 * cannot price might be an expensive one, so the run is confirmed knowingly. The emulator costs nothing and never asks.
 */
export function confirmationReasons(requests: number, costs: Pick<ReturnType<typeof estimateCosts>, 'estimatedCostUsd' | 'routeCosts'>, simulated: boolean): string[] {
  if (simulated) return [];
  const reasons: string[] = [];
  if (requests > CONFIRMATION_REQUESTS) reasons.push(`it sends ${requests} requests, more than ${CONFIRMATION_REQUESTS}`);
  if (costs.estimatedCostUsd !== null && costs.estimatedCostUsd > CONFIRMATION_USD) {
    reasons.push(`it costs up to about ${formatDollars(costs.estimatedCostUsd)}, more than ${formatDollars(CONFIRMATION_USD)}`);
  }
  const unknown = Object.entries(costs.routeCosts).filter(([, cost]) => cost.usd === null);
  if (unknown.length > 0) reasons.push(`its cost is unknown: ${unknown[0]![1].unknown}${unknown.length > 1 ? ` (and ${unknown.length - 1} more route${unknown.length > 2 ? 's' : ''})` : ''}`);
  return reasons;
}

export function estimateRun(
  plan: RunPlan,
  input: ParsedLatencyRunInput,
  prompt: LatencyEstimate['prompt'],
  simulated: boolean,
  prices: PriceLookup,
): LatencyEstimate {
  const requests = plan.routes.length * input.runs;
  const warmupRequests = plan.routes.length * input.warmup;
  const costs = estimateCosts(plan.routes, input, prompt.inputTokens, prices);
  const reasons = confirmationReasons(requests + warmupRequests, costs, simulated);
  return {
    requests,
    warmupRequests,
    inputTokens: prompt.inputTokens * (requests + warmupRequests),
    outputTokens: input.maxTokens * (requests + warmupRequests),
    needsConfirmation: reasons.length > 0,
    confirmationReasons: reasons,
    estimatedCostUsd: costs.estimatedCostUsd,
    routeCosts: costs.routeCosts,
    priceTable: prices.info,
    simulated,
    routes: Object.fromEntries(plan.routes.map(({ key, route }) => [key, route])),
    unavailable: plan.unavailable,
    prompt,
  };
}
