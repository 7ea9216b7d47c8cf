import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { awsFeature } from '../app/aws-feature';
import type { Feature } from '../app/feature';
import { CatalogCache } from './cache';
import { CatalogService, createCatalogHandlers } from './service';

/** The catalog: discovery in every region, the cache file and the bundled fallback, behind the catalog methods. */
export const catalogFeature: Feature<CatalogService> = {
  name: 'catalog',
  // The service holds the clients and the cache: a new profile or cache setting needs a new service.
  rebuildOn: ['awsProfile', 'cacheMode', 'cacheDir', 'maxAgeHours'],
  create: ({ options, settings, use, emit, log }) => {
    const current = settings();
    const cache = new CatalogCache({
      mode: current.cacheMode,
      dir: current.cacheDir,
      maxAgeMs: current.maxAgeHours * 3_600_000,
      log,
    });
    const service = new CatalogService({
      clients: use(awsFeature),
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
      methods: createCatalogHandlers(() => service),
      snapshotEvents: () => {
        const snapshot = service.peek();
        return snapshot ? [{ type: 'catalog.updated', payload: snapshot }] : [];
      },
      dispose: () => service.cancelRefresh(),
    };
  },
};
