import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { bestRegions, getModel } from '../../../src-shared/catalog/queries';
import type { RankedRoute } from '../../../src-shared/contract/catalog';
import type { RankedLatencyRoute } from '../../../src-shared/contract/latency';
import { describeAge } from '../../../src-shared/describe-age';
import type { LatencyHistory, MeasuredRoute } from './history-store';

/**
 * A target's routes from a home region, ordered by measured p50 TTFT (with how many samples and how old), then,
 * for routes not measured yet, by the catalog's order (on demand here, geo profile, global profile, elsewhere).
 */

/** Samples older than this no longer describe the route. */
export const MEASURED_WINDOW_MS = 30 * 86_400_000;

export class RankTargetError extends Error {
  override readonly name = 'UnknownTarget';
  readonly code = 'UNKNOWN_TARGET';
}

const routeKey = (invokeId: string, region: string) => `${invokeId} ${region}`;

export async function measuredByRoute(history: Pick<LatencyHistory, 'measured'>, modelId: string, now: number): Promise<Map<string, MeasuredRoute>> {
  const measured = await history.measured(modelId, now - MEASURED_WINDOW_MS).catch(() => []);
  return new Map(measured.map((route) => [routeKey(route.invokeId, route.region), route]));
}

/** The catalog's routes with the measured figures attached (the matrix cell panel shows them). */
export function withMeasurements(routes: RankedRoute[], measured: Map<string, MeasuredRoute>): RankedRoute[] {
  return routes.map((route) => {
    const figures = measured.get(routeKey(route.invokeId, route.callRegion));
    return figures ? { ...route, measured: { ttftP50Ms: figures.ttftP50Ms, samples: figures.samples, measuredAt: figures.measuredAt } } : route;
  });
}

const ROUTE_KINDS: readonly RankedLatencyRoute['kind'][] = ['on-demand', 'geo-profile', 'global-profile'];
const kindOf = (kind: string): RankedLatencyRoute['kind'] => ROUTE_KINDS.find((known) => known === kind) ?? 'on-demand';

/**
 * Every measured route first, fastest first, whatever its kind and wherever it was called from (a profile measured
 * from another source region is a route the user can take too); then the catalog's routes from `from` that were not
 * measured, in the catalog's order.
 */
export async function rankRoutes(document: CatalogDocument, history: Pick<LatencyHistory, 'measured'>, target: string, from: string, now = Date.now()): Promise<RankedLatencyRoute[]> {
  const model = getModel(document, target);
  if (!model) throw new RankTargetError(`No model or inference profile matches "${target}". Search with \`bedrock-atlas where NAME\`.`);
  const measured = await measuredByRoute(history, model.modelId, now);
  const describe = (figures: MeasuredRoute) =>
    `p50 TTFT ${Math.round(figures.ttftP50Ms)} ms over ${figures.samples} samples, measured ${describeAge(now - Date.parse(figures.measuredAt))}.`;
  const catalogRoutes = bestRegions(document, model.modelId, from);
  const listed = new Set(catalogRoutes.map((route) => routeKey(route.invokeId, route.callRegion)));
  const ranked = catalogRoutes.map((route) => {
    const figures = measured.get(routeKey(route.invokeId, route.callRegion));
    return {
      invokeId: route.invokeId,
      callRegion: route.callRegion,
      kind: route.kind,
      ttftP50Ms: figures?.ttftP50Ms ?? null,
      samples: figures?.samples ?? 0,
      measuredAt: figures?.measuredAt ?? null,
      reason: figures ? `${describe(figures)} ${route.reason}` : `Not measured yet. ${route.reason}`,
      catalogRank: route.rank,
    };
  });
  for (const [key, figures] of measured) {
    if (listed.has(key)) continue;
    ranked.push({
      invokeId: figures.invokeId,
      callRegion: figures.region,
      kind: kindOf(figures.kind),
      ttftP50Ms: figures.ttftP50Ms,
      samples: figures.samples,
      measuredAt: figures.measuredAt,
      reason: `${describe(figures)} Called from ${figures.region}${figures.region === from ? '' : `, not from ${from}`}.`,
      catalogRank: Number.MAX_SAFE_INTEGER,
    });
  }
  ranked.sort((a, b) => {
    if (a.ttftP50Ms !== null && b.ttftP50Ms !== null) return a.ttftP50Ms - b.ttftP50Ms;
    if (a.ttftP50Ms !== null) return -1;
    if (b.ttftP50Ms !== null) return 1;
    return a.catalogRank - b.catalogRank;
  });
  return ranked.map(({ catalogRank: _rank, ...route }) => route);
}
