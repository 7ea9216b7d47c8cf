import type { CatalogDocument, CatalogModel, CatalogProfile, ModelInRegion } from './document';
import type { RankedRoute } from '../contract';
import { COMMERCIAL_REGIONS, regionGroupOf } from '../regions';

/** Pure questions asked of a catalog document, shared by the main process, the CLI and the renderer. */

/**
 * A record's own entry only: catalog data comes from files and user input, so `constructor` or `__proto__` must
 * read as "no such model", never as Object.prototype's members.
 */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function modelById(document: CatalogDocument, modelId: string): CatalogModel | undefined {
  return own(document.models, modelId);
}

export function profileById(document: CatalogDocument, profileId: string): CatalogProfile | undefined {
  return own(document.profiles, profileId);
}

function modelInRegion(document: CatalogDocument, modelId: string, region: string): ModelInRegion | undefined {
  return own(modelById(document, modelId)?.regions, region);
}

export type CallRoute = 'on-demand' | 'geo-profile' | 'global-profile' | 'provisioned-only' | 'none';

export const CALL_ROUTES: readonly CallRoute[] = ['on-demand', 'geo-profile', 'global-profile', 'provisioned-only', 'none'];

export interface CellRoute {
  /** The best way to call the model from this region. */
  primary: CallRoute;
  onDemand: boolean;
  provisioned: boolean;
  geoProfiles: string[];
  globalProfiles: string[];
  /** Listed in the region but callable only through a profile: bare-id calls fail with "on-demand throughput isn't supported". */
  profileOnly: boolean;
}

const NO_ROUTE: CellRoute = {
  primary: 'none',
  onDemand: false,
  provisioned: false,
  geoProfiles: [],
  globalProfiles: [],
  profileOnly: false,
};

export function isGlobalProfile(document: CatalogDocument, profileId: string): boolean {
  const profile = profileById(document, profileId);
  return profile ? profile.global === true || profile.scope === 'global' : profileId.startsWith('global.');
}

export function cellRoute(document: CatalogDocument, modelId: string, region: string): CellRoute {
  const entry = modelInRegion(document, modelId, region);
  if (!entry) return NO_ROUTE;
  const globalProfiles = entry.profiles.filter((id) => isGlobalProfile(document, id));
  const geoProfiles = entry.profiles.filter((id) => !globalProfiles.includes(id));
  const primary: CallRoute = entry.onDemand
    ? 'on-demand'
    : geoProfiles.length > 0
      ? 'geo-profile'
      : globalProfiles.length > 0
        ? 'global-profile'
        : entry.provisioned
          ? 'provisioned-only'
          : 'none';
  return {
    primary,
    onDemand: entry.onDemand,
    provisioned: entry.provisioned,
    geoProfiles,
    globalProfiles,
    profileOnly: !entry.onDemand && entry.profiles.length > 0,
  };
}

export type AvailabilityHow = 'any' | 'on-demand' | 'geo-profile' | 'global-profile' | 'provisioned';

export function isAvailable(document: CatalogDocument, modelId: string, region: string, how: AvailabilityHow = 'any'): boolean {
  const route = cellRoute(document, modelId, region);
  switch (how) {
    case 'any':
      return route.primary !== 'none';
    case 'on-demand':
      return route.onDemand;
    case 'geo-profile':
      return route.geoProfiles.length > 0;
    case 'global-profile':
      return route.globalProfiles.length > 0;
    case 'provisioned':
      return route.provisioned;
  }
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Context-window variants (`:8k`, `:mm`) are provisioned-only twins: prefer the base id when a name matches both. */
function preference(model: CatalogModel): number {
  const variant = model.modelId.split(':').length > 2 ? 4 : 0;
  const legacy = model.lifecycle === 'ACTIVE' ? 0 : 1;
  return variant + legacy;
}

/**
 * Finds a model by exact id, ARN, or a forgiving name: "Claude 3 Haiku" finds anthropic.claude-3-haiku-20240307-v1:0,
 * as does "claude-3-haiku" or "anthropic claude 3 haiku".
 */
export function getModel(document: CatalogDocument, query: string): CatalogModel | null {
  const trimmed = query.trim();
  const byId = modelById(document, trimmed);
  if (byId) return byId;
  const fromArn = /foundation-model\/(.+)$/.exec(trimmed)?.[1] ?? /inference-profile\/[a-z-]+\.(.+)$/.exec(trimmed)?.[1];
  const byArn = fromArn ? modelById(document, fromArn) : undefined;
  if (byArn) return byArn;
  const profile = profileById(document, trimmed);
  const byProfile = profile ? modelById(document, profile.modelId) : undefined;
  if (byProfile) return byProfile;

  const wanted = normalize(trimmed);
  if (wanted === '') return null;
  const models = Object.values(document.models).sort((a, b) => preference(a) - preference(b) || a.modelId.length - b.modelId.length);
  const exact = models.find(
    (model) =>
      normalize(model.modelId) === wanted ||
      normalize(model.modelName) === wanted ||
      normalize(`${model.providerName} ${model.modelName}`) === wanted,
  );
  if (exact) return exact;
  return (
    models.find((model) => normalize(model.modelName).includes(wanted)) ??
    models.find((model) => normalize(model.modelId).includes(wanted)) ??
    null
  );
}

export interface ModelFilters {
  search?: string;
  region?: string;
  providers?: string[];
  /** Matches input or output modalities. */
  modality?: string;
  streaming?: boolean;
  /** The model must be callable this way in at least one of the regions considered. */
  access?: Exclude<AvailabilityHow, 'any'> | 'profile-only';
  lifecycle?: string;
  /** Regions considered by `access` (default: `region`, else every region in the document). */
  regions?: string[];
}

export function listModels(document: CatalogDocument, filters: ModelFilters = {}): CatalogModel[] {
  const search = filters.search ? normalize(filters.search) : '';
  const regions = filters.regions ?? (filters.region ? [filters.region] : Object.keys(document.regions));
  return Object.values(document.models)
    .filter((model) => {
      if (search && !normalize(`${model.modelId} ${model.modelName} ${model.providerName}`).includes(search)) return false;
      if (filters.region && !own(model.regions, filters.region)) return false;
      if (filters.providers && filters.providers.length > 0 && !filters.providers.includes(model.providerName)) return false;
      if (filters.modality && !model.inputModalities.includes(filters.modality) && !model.outputModalities.includes(filters.modality))
        return false;
      if (filters.streaming !== undefined && model.streaming !== filters.streaming) return false;
      if (filters.lifecycle && model.lifecycle !== filters.lifecycle) return false;
      if (filters.access) {
        const access = filters.access;
        const matches = regions.some((region) =>
          access === 'profile-only' ? cellRoute(document, model.modelId, region).profileOnly : isAvailable(document, model.modelId, region, access),
        );
        if (!matches) return false;
      }
      return true;
    })
    .sort((a, b) => a.providerName.localeCompare(b.providerName) || a.modelName.localeCompare(b.modelName) || a.modelId.localeCompare(b.modelId));
}

/**
 * The ways to call a model from `fromRegion`, best first: on demand right there, a geo profile offered there, the
 * global profile, then other regions (same geography first). `latencyMs` (per region, when measured) orders
 * routes of the same kind.
 */
export function bestRegions(
  document: CatalogDocument,
  modelId: string,
  fromRegion: string,
  latencyMs: Record<string, number> = {},
): RankedRoute[] {
  const model = modelById(document, modelId);
  if (!model) return [];
  const routes: RankedRoute[] = [];
  const here = cellRoute(document, modelId, fromRegion);
  if (here.onDemand) {
    routes.push({ invokeId: modelId, callRegion: fromRegion, kind: 'on-demand', destinations: [fromRegion], rank: 1, reason: 'On demand in your region: no cross-region hop.' });
  }
  for (const profileId of here.geoProfiles) {
    const destinations = own(profileById(document, profileId)?.routes, fromRegion) ?? [];
    routes.push({
      invokeId: profileId,
      callRegion: fromRegion,
      kind: 'geo-profile',
      destinations,
      rank: 2,
      reason: `Geo profile from ${fromRegion}: served within ${destinations.join(', ') || 'its geography'}.`,
    });
  }
  for (const profileId of here.globalProfiles) {
    routes.push({
      invokeId: profileId,
      callRegion: fromRegion,
      kind: 'global-profile',
      destinations: [],
      rank: 3,
      reason: 'Global profile: may be served from any supported commercial region (data can leave your geography).',
    });
  }
  const homeGroup = regionGroupOf(fromRegion);
  const elsewhere = Object.entries(model.regions)
    .filter(([region, offer]) => region !== fromRegion && offer.onDemand)
    .map(([region]) => region)
    .sort((a, b) => {
      const groupOrder = Number(regionGroupOf(a) !== homeGroup) - Number(regionGroupOf(b) !== homeGroup);
      return groupOrder || (latencyMs[a] ?? Infinity) - (latencyMs[b] ?? Infinity) || a.localeCompare(b);
    });
  for (const region of elsewhere) {
    const sameGeography = regionGroupOf(region) === homeGroup;
    routes.push({
      invokeId: modelId,
      callRegion: region,
      kind: 'on-demand',
      destinations: [region],
      rank: sameGeography ? 4 : 5,
      reason: `On demand in ${region}${sameGeography ? ' (same geography)' : ' (another geography)'}${latencyMs[region] !== undefined ? `, ${Math.round(latencyMs[region])} ms measured` : ''}.`,
    });
  }
  return routes;
}

/**
 * How a model can be called in one region, as `bedrock-atlas where` reports it. Precedence: the bare id invocable
 * on demand (whatever profiles exist too), then a geo profile, a global profile, provisioned throughput, merely
 * listed, not listed at all; "unknown" when the region's scan failed, so a failure never reads as "not offered".
 */
export type CallHow = 'on-demand' | 'geo-profile' | 'global-profile' | 'provisioned' | 'listed' | 'none' | 'unknown';

export interface RegionCall {
  how: CallHow;
  /** The ids to pass as modelId in this region, best first: the bare id when on demand, then geo, then global profiles. */
  invokeIds: string[];
}

export function howToCall(document: CatalogDocument, modelId: string, region: string): RegionCall {
  if (own(document.regions, region)?.status === 'error') return { how: 'unknown', invokeIds: [] };
  const entry = modelInRegion(document, modelId, region);
  if (!entry) return { how: 'none', invokeIds: [] };
  const route = cellRoute(document, modelId, region);
  const invokeIds = [...(route.onDemand ? [modelId] : []), ...route.geoProfiles, ...route.globalProfiles];
  const how: CallHow = route.onDemand
    ? 'on-demand'
    : route.geoProfiles.length > 0
      ? 'geo-profile'
      : route.globalProfiles.length > 0
        ? 'global-profile'
        : route.provisioned
          ? 'provisioned'
          : 'listed';
  return { how, invokeIds };
}

export interface ModelWhereabouts {
  modelId: string;
  regions: Record<string, RegionCall>;
}

/** For every region the document covers (in geography order), how the model can be called there. */
export function whereToCall(document: CatalogDocument, modelId: string): ModelWhereabouts {
  const covered = Object.keys(document.regions);
  const ordered = [
    ...COMMERCIAL_REGIONS.filter((region) => covered.includes(region)),
    ...covered.filter((region) => !(COMMERCIAL_REGIONS as readonly string[]).includes(region)).sort(),
  ];
  return { modelId, regions: Object.fromEntries(ordered.map((region) => [region, howToCall(document, modelId, region)])) };
}
