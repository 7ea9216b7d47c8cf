import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { createQuotasHandlers, QuotasService } from './service';

/**
 * Quotas (`getQuotas`, `refreshQuotas`, `cancelQuotaRefresh`): Service Quotas' Bedrock inference quotas tied to the
 * catalog's routes, kept in the catalog document's quota section. Its exports (`get`, `refresh`, `quotasFrom`,
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
    return {
      exports: service,
      methods: createQuotasHandlers(service),
      dispose: () => service.cancelRefresh(),
    };
  },
});
