import type { CatalogDocument } from '../catalog/document';
import { bestProfile, resolveRoute, RouteError, type ResolvedRoute } from '../catalog/resolve-route';
import { routeKindLabel } from './describe-result';

/**
 * How a pane's call will be made, decided from the catalog before anything is sent: the id to invoke, the
 * endpoint, the route kind and where a profile may serve it; or why it would fail and the one-click fix.
 */

export type RoutePlan =
  | { ok: true; route: ResolvedRoute; lines: string[]; notes: string[] }
  | { ok: false; name: string; code: string; message: string; fix: { label: string; target: string } | null };

function destinationsText(route: ResolvedRoute): string {
  if (route.kind === 'on-demand') return `served in ${route.callRegion}`;
  // A global profile's listed routes are only what the API enumerated: it may serve anywhere.
  if (route.kind === 'global-profile' || route.destinations.length === 0) return 'may be served in any supported commercial region (global profile)';
  return `may be served in ${route.destinations.join(', ')}`;
}

export function planRoute(document: CatalogDocument, target: string, region: string, autoRoute: boolean): RoutePlan {
  if (target.trim() === '') return { ok: false, name: 'NoTarget', code: 'NO_TARGET', message: 'Choose a model or an inference profile.', fix: null };
  let route: ResolvedRoute;
  try {
    route = resolveRoute(document, target, region, { autoProfile: autoRoute });
  } catch (error) {
    if (!(error instanceof RouteError)) throw error;
    const best = error.name === 'NeedsInferenceProfile' ? bestProfile(document, resolveModelId(document, target, region), region) : null;
    // The pane's switch is called "Route automatically"; the core's message names the API's autoProfile.
    const message = error.message.replace('turn on auto-profile', 'turn on “Route automatically”');
    return { ok: false, name: error.name, code: error.code, message, fix: best ? { label: `Use ${best}`, target: best } : null };
  }
  const notes: string[] = [];
  if (route.autoRoutedFrom) notes.push(`Routed automatically: ${route.autoRoutedFrom} is served in ${region} only through profiles, so ${route.invokeId} is called.`);
  if (route.model?.streaming === false) notes.push(`${route.modelId} does not stream: it is called with Converse and the answer arrives whole.`);
  if (route.unconfirmed) notes.push(`The catalog could not confirm ${region} (its scan failed): the call is tried as asked.`);
  return {
    ok: true,
    route,
    lines: [`invoke ${route.invokeId}`, `endpoint bedrock-runtime.${route.callRegion}`, routeKindLabel(route.kind), destinationsText(route)],
    notes,
  };
}

/** The model behind a bare id or forgiving name (resolveRoute's error carries the profiles, not the model). */
function resolveModelId(document: CatalogDocument, target: string, region: string): string {
  try {
    return resolveRoute(document, target, region, { autoProfile: true }).modelId;
  } catch {
    return target;
  }
}
