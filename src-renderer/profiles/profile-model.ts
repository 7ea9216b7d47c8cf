import type { CatalogDocument, CatalogProfile } from '../../src-shared/catalog/document';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';
import { isGlobalProfile, modelById } from '../../src-shared/catalog/queries';

/** Geography order (North America first, as in the matrix), unknown regions last by name. */
export function byGeography(a: string, b: string): number {
  const order = (region: string) => {
    const index = (COMMERCIAL_REGIONS as readonly string[]).indexOf(region);
    return index < 0 ? COMMERCIAL_REGIONS.length : index;
  };
  return order(a) - order(b) || a.localeCompare(b);
}

/**
 * One profile's routing as a small source × destination grid: "from my region, where may my request be served?"
 * A global profile may be served in any supported commercial region, so it has sources and no fixed columns.
 */
export interface RoutingGrid {
  global: boolean;
  sources: string[];
  destinations: string[];
  serves(source: string, destination: string): boolean;
}

export function routingGrid(document: CatalogDocument, profile: CatalogProfile): RoutingGrid {
  const routes = new Map(Object.entries(profile.routes).map(([source, destinations]) => [source, new Set(destinations)]));
  const global = isGlobalProfile(document, profile.profileId);
  return {
    global,
    sources: [...routes.keys()].sort(byGeography),
    destinations: global ? [] : [...new Set([...routes.values()].flatMap((set) => [...set]))].sort(byGeography),
    serves: (source, destination) => global || (routes.get(source)?.has(destination) ?? false),
  };
}

export type ProfileSort = 'scope' | 'model' | 'sources';

export const PROFILE_SORTS: { value: ProfileSort; label: string }[] = [
  { value: 'scope', label: 'Sort: scope' },
  { value: 'model', label: 'Sort: model' },
  { value: 'sources', label: 'Sort: most source regions' },
];

export interface ProfileFilters {
  search: string;
  scope: string;
  /** Only profiles that can be called from this region (it is one of their sources). */
  callableFrom: string;
  sort: ProfileSort;
}

function modelName(document: CatalogDocument, profile: CatalogProfile): string {
  return modelById(document, profile.modelId)?.modelName ?? profile.modelId;
}

/** Geo scopes first in the order PROFILE_SCOPES gives them, global last: both are families of the same idea. */
function scopeRank(profile: CatalogProfile): string {
  return `${profile.scope === 'global' ? 'z' : 'a'}${profile.scope}`;
}

export function visibleProfiles(document: CatalogDocument, filters: ProfileFilters): CatalogProfile[] {
  const search = filters.search.trim().toLowerCase();
  const sourceCount = (profile: CatalogProfile) => Object.keys(profile.routes).length;
  return Object.values(document.profiles)
    .filter((profile) => !filters.scope || profile.scope === filters.scope)
    .filter((profile) => !filters.callableFrom || Object.hasOwn(profile.routes, filters.callableFrom))
    .filter((profile) => !search || `${profile.profileId} ${profile.name} ${profile.modelId} ${modelName(document, profile)}`.toLowerCase().includes(search))
    .sort((a, b) => {
      const byId = a.profileId.localeCompare(b.profileId);
      switch (filters.sort) {
        case 'scope':
          return scopeRank(a).localeCompare(scopeRank(b)) || modelName(document, a).localeCompare(modelName(document, b)) || byId;
        case 'model':
          return modelName(document, a).localeCompare(modelName(document, b)) || scopeRank(a).localeCompare(scopeRank(b)) || byId;
        case 'sources':
          return sourceCount(b) - sourceCount(a) || byId;
      }
    });
}

/** Where a request sent from `source` may be served: nowhere (not a source), anywhere (global), or these regions. */
export type ServedFrom = { kind: 'not-callable' } | { kind: 'anywhere' } | { kind: 'regions'; regions: string[] };

export function servedFrom(grid: RoutingGrid, source: string): ServedFrom {
  if (!grid.sources.includes(source)) return { kind: 'not-callable' };
  if (grid.global) return { kind: 'anywhere' };
  return { kind: 'regions', regions: grid.destinations.filter((destination) => grid.serves(source, destination)) };
}
