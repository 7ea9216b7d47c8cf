import type { CatalogDocument } from '../../src-shared/catalog/document';
import { cellRoute, type CallRoute, type CellRoute } from '../../src-shared/catalog/queries';

/**
 * What one matrix cell says. Beyond the catalog's call routes, a cell can be `listed` (the region lists the model
 * with no on-demand, profile or provisioned type) or `unknown` (the region's last scan failed, so "not offered"
 * would be a guess). One explanation per kind serves the legend, the tooltip and the panel alike.
 */
export type CellKind = CallRoute | 'listed' | 'unknown';

export const CELL_KINDS: readonly CellKind[] = ['on-demand', 'geo-profile', 'global-profile', 'provisioned-only', 'listed', 'none', 'unknown'];

export const CELL_STYLE: Record<CellKind, { symbol: string; short: string; explanation: string }> = {
  'on-demand': { symbol: '●', short: 'on demand', explanation: 'On demand: call the bare model id in this region.' },
  'geo-profile': {
    symbol: '◆',
    short: 'geo profile',
    explanation: 'Geo inference profile only: call the profile id here; requests stay within its geography.',
  },
  'global-profile': {
    symbol: '◎',
    short: 'global profile',
    explanation: 'Global inference profile only: requests may be served from any commercial region.',
  },
  'provisioned-only': {
    symbol: 'P',
    short: 'provisioned only',
    explanation: 'Provisioned throughput only: callable through a model unit you purchase, not on demand.',
  },
  listed: {
    symbol: '○',
    short: 'listed, not callable',
    explanation:
      'Listed in this region, but with no on-demand, profile or provisioned type: it cannot be invoked here (typically a base for customization).',
  },
  none: { symbol: '·', short: 'not offered', explanation: 'Not offered in this region.' },
  unknown: {
    symbol: '?',
    short: 'unknown (region failed)',
    explanation: "Unknown: this region's last scan failed, so whether it offers the model is not known.",
  },
};

export interface CellState {
  kind: CellKind;
  route: CellRoute;
  /** On demand and also through inference profiles (shown as ●+). */
  alsoProfiles: boolean;
  /** The region failed in the last scan; `route` is then the last known state, if the document kept one. */
  regionFailed: boolean;
}

export function knownKind(document: CatalogDocument, modelId: string, region: string, route: CellRoute): CellKind {
  if (route.primary !== 'none') return route.primary;
  return document.models[modelId]?.regions[region] ? 'listed' : 'none';
}

export function cellState(document: CatalogDocument, modelId: string, region: string): CellState {
  const route = cellRoute(document, modelId, region);
  const regionFailed = document.regions[region]?.status === 'error';
  return {
    kind: regionFailed ? 'unknown' : knownKind(document, modelId, region, route),
    route,
    alsoProfiles: route.onDemand && route.geoProfiles.length + route.globalProfiles.length > 0,
    regionFailed,
  };
}

/** Callable without buying capacity: on demand or through an inference profile. */
export function isCallable(kind: CellKind): boolean {
  return kind === 'on-demand' || kind === 'geo-profile' || kind === 'global-profile';
}
