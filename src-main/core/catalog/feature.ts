import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import type { AtlasHandlers } from '../../../src-shared/contract';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { CatalogCache } from './cache';
import { CatalogService } from './service';

/** The catalog: discovery in every region, the cache file and the bundled fallback, behind the catalog methods. */
export const catalogFeature = defineFeature({
  name: 'catalog',
  dependsOn: { aws: awsFeature },
  // The service holds the cache: a new cache setting needs a new service (a new profile rebuilds it through aws).
  rebuildOn: ['cacheMode', 'cacheDir', 'maxAgeHours'],
  create: ({ options, settings, emit, log }, { aws }) => {
    const current = settings();
    const cache = new CatalogCache({
      mode: current.cacheMode,
      dir: current.cacheDir,
      maxAgeMs: current.maxAgeHours * 3_600_000,
      log,
    });
    const service = new CatalogService({
      clients: aws,
      cache,
      bundledPath: options.bundledPath,
      regions: () => {
        const { regions } = settings();
        return regions.length > 0 ? regions : COMMERCIAL_REGIONS;
      },
      emit,
      log,
      scan: options.scan,
    });
    return {
      exports: service,
      methods: createCatalogHandlers(service),
      snapshotEvents: () => {
        const snapshot = service.peek();
        return snapshot ? [{ type: 'catalog.updated', payload: snapshot }] : [];
      },
      dispose: () => {
        service.cancelRefresh();
      },
    };
  },
});

/**
 * The catalog's methods. `bestRegions` is the latency feature's: it composes the catalog's ranked routes with the
 * measured figures of the history.
 */
function createCatalogHandlers(
  service: CatalogService,
): Pick<AtlasHandlers, 'getCatalog' | 'refreshCatalog' | 'cancelRefresh' | 'getModelAccess' | 'findModel'> {
  return {
    getCatalog: () => service.get(),
    refreshCatalog: (input) => service.refresh(input?.regions),
    cancelRefresh: async () => ({ cancelled: service.cancelRefresh() }),
    getModelAccess: ({ modelId, regions }) => service.modelAccess(modelId, regions),
    findModel: ({ query }) => service.findModel(query),
  };
}
