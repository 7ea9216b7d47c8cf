import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { createQuotasHandlers, QuotasService } from './service';

/**
 * Quotas (`getQuotas`, `refreshQuotas`, `cancelQuotaRefresh`): Service Quotas' Bedrock inference quotas tied to the
 * catalog's routes, kept in the catalog document's quota section and refreshed with the catalog or on their own. Its exports (`get`, `refresh`, `quotasFrom`,
 * `routeQuotas`) serve the features that need a route's quotas: capacity, usage, the access doctor.
 */
export const quotasFeature = defineFeature({
  name: 'quotas',
  dependsOn: { aws: awsFeature, catalog: catalogFeature },
  create: ({ options, settings, emit, log }, { aws, catalog }) => {
    const service = new QuotasService({
      clients: aws,
      catalog,
      regions: () => {
        const { regions } = settings();
        return regions.length > 0 ? regions : COMMERCIAL_REGIONS;
      },
      maxAgeMs: () => settings().maxAgeHours * 3_600_000,
      emit,
      log,
      fetch: options.scan,
    });
    // Refreshed with the catalog: a scan the user asks for refreshes the quotas of the regions scanned, once they
    // have been read at all (a user who never looks at quotas is not charged hundreds of Service Quotas calls).
    const stopFollowing = catalog.onRefreshed((regions) => {
      if (!catalog.peek()?.document.quotas) return;
      service.refresh(regions).catch((error: unknown) => log(`Quotas were not refreshed with the catalog: ${(error as Error).message}`));
    });
    return {
      exports: service,
      methods: createQuotasHandlers(service),
      dispose: () => {
        stopFollowing();
        service.cancelRefresh();
      },
    };
  },
});
