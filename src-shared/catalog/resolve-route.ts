import type { CatalogDocument, CatalogModel, CatalogProfile } from './document';
import { cellRoute, getModel, isGlobalProfile } from './queries';

/**
 * How a target (a model id or name, a profile id, or a profile ARN) is called from one region, decided from the
 * catalog before anything is sent: the playground's pre-flight and the latency lab's route planning. The
 * errors name the fix, because "on-demand throughput isn't supported" is the first thing people hit.
 */

export type RouteKind = 'on-demand' | 'geo-profile' | 'global-profile';

export interface ResolvedRoute {
  invokeId: string;
  callRegion: string;
  kind: RouteKind;
  modelId: string;
  model: CatalogModel | null;
  /** Regions a profile may serve the request in, from this region (empty: any, for a global profile). */
  destinations: string[];
  /** Set when a bare id was replaced by the best profile (auto-profile). */
  autoRoutedFrom?: string;
  /** True when the catalog could not confirm the route (the region's scan failed): the call is tried as asked. */
  unconfirmed?: boolean;
}

export class RouteError extends Error {
  constructor(
    override readonly name: 'UnknownTarget' | 'NeedsInferenceProfile' | 'NotOfferedInRegion' | 'ProvisionedOnly',
    readonly code: string,
    message: string,
    /** Profile ids to use instead (NeedsInferenceProfile), or regions where the target is offered. */
    readonly suggestions: string[] = [],
  ) {
    super(message);
  }
}

/** The catalog names a profile in a model's region but does not describe it: a fault of the catalog, not of the target. */
export class MissingProfileError extends Error {
  override name = 'MissingProfileError';
  constructor(readonly profileId: string) {
    super(`The catalog names the inference profile ${profileId} but has no entry for it`);
  }
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

function profileIdOf(target: string): string {
  return /^arn:aws[a-z-]*:bedrock:[^:]*:\d*:(?:application-)?inference-profile\/(.+)$/.exec(target)?.[1] ?? target;
}

function offeredRegions(document: CatalogDocument, model: CatalogModel): string[] {
  return Object.keys(model.regions).filter((region) => cellRoute(document, model.modelId, region).primary !== 'none');
}

function listRegions(regions: string[]): string {
  return regions.length === 0 ? 'no region in the catalog' : regions.length > 8 ? `${regions.slice(0, 8).join(', ')} and ${regions.length - 8} more` : regions.join(', ');
}

/** The best profile from a region: geo before global (data stays in its geography), then by id. */
export function bestProfile(document: CatalogDocument, modelId: string, region: string): string | null {
  const route = cellRoute(document, modelId, region);
  return route.geoProfiles[0] ?? route.globalProfiles[0] ?? null;
}

function profileRoute(document: CatalogDocument, profile: CatalogProfile, target: string, region: string): ResolvedRoute {
  const global = isGlobalProfile(document, profile.profileId);
  const destinations = own(profile.routes, region);
  if (!destinations && !global) {
    const regions = Object.keys(profile.routes);
    throw new RouteError(
      'NotOfferedInRegion',
      'PROFILE_NOT_IN_REGION',
      `The inference profile ${profile.profileId} is not offered in ${region}. Call it from ${listRegions(regions)}.`,
      regions,
    );
  }
  return {
    invokeId: target,
    callRegion: region,
    kind: global ? 'global-profile' : 'geo-profile',
    modelId: profile.modelId,
    model: own(document.models, profile.modelId) ?? null,
    destinations: destinations ?? [],
  };
}

export function resolveRoute(document: CatalogDocument, target: string, region: string, options: { autoProfile?: boolean } = {}): ResolvedRoute {
  const trimmed = target.trim();
  const profile = own(document.profiles, profileIdOf(trimmed));
  if (profile) return profileRoute(document, profile, trimmed, region);

  const model = getModel(document, trimmed);
  if (!model) {
    throw new RouteError('UnknownTarget', 'UNKNOWN_TARGET', `No model or inference profile matches "${trimmed}". Search the matrix, or run \`bedrock-atlas where "${trimmed}"\`.`);
  }
  const regionStatus = own(document.regions, region);
  if (regionStatus?.status === 'error' || !regionStatus) {
    // The catalog cannot say what this region offers: try the call as asked and let Bedrock answer.
    return { invokeId: model.modelId, callRegion: region, kind: 'on-demand', modelId: model.modelId, model, destinations: [region], unconfirmed: true };
  }
  const route = cellRoute(document, model.modelId, region);
  if (route.onDemand) return { invokeId: model.modelId, callRegion: region, kind: 'on-demand', modelId: model.modelId, model, destinations: [region] };
  const profiles = [...route.geoProfiles, ...route.globalProfiles];
  const best = bestProfile(document, model.modelId, region);
  if (best !== null) {
    if (!options.autoProfile) {
      throw new RouteError(
        'NeedsInferenceProfile',
        'NEEDS_INFERENCE_PROFILE',
        `${model.modelId} is served in ${region} only through inference profiles (a bare-id call fails with "on-demand throughput isn’t supported"). Use ${profiles.join(' or ')}${profiles.length > 1 ? ` (best: ${best})` : ''}, or turn on auto-profile.`,
        profiles,
      );
    }
    const profile = own(document.profiles, best);
    if (!profile) throw new MissingProfileError(best);
    return { ...profileRoute(document, profile, best, region), autoRoutedFrom: model.modelId };
  }
  const offered = offeredRegions(document, model);
  if (route.provisioned) {
    throw new RouteError(
      'ProvisionedOnly',
      'PROVISIONED_ONLY',
      `${model.modelId} needs Provisioned Throughput in ${region}: buy it in the Bedrock console and call the provisioned model ARN, or call from ${listRegions(offered)}.`,
      offered,
    );
  }
  throw new RouteError('NotOfferedInRegion', 'NOT_OFFERED_IN_REGION', `${model.modelId} is not offered in ${region}. It is offered in ${listRegions(offered)}.`, offered);
}
