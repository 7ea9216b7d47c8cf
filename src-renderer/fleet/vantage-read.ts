import type { AtlasApi } from '../../src-shared/contract';
import { LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { vantageInput } from './use-fleet';

/** Whose measurements a read carries, and the stamp that changes when a sync brings new team data. */
export interface VantageRead {
  vantage: string;
  stamp: string | null;
}

export const LOCAL_READ: VantageRead = { vantage: LOCAL_VANTAGE, stamp: null };

/**
 * The cell panel's ranked routes from a region, with the chosen vantage's measurements: one query the panel and the
 * matrix's TTFT overlay share through the cache, so both show the same figure. This machine's keeps the key it
 * always had.
 */
export function bestRegionsQuery(api: AtlasApi, modelId: string, region: string, from: VantageRead = LOCAL_READ) {
  return {
    queryKey: from.vantage === LOCAL_VANTAGE ? ['bestRegions', modelId, region] : ['bestRegions', modelId, region, from.vantage, from.stamp],
    queryFn: () => api.bestRegions({ modelId, fromRegion: region, ...vantageInput(from.vantage) }),
  };
}
