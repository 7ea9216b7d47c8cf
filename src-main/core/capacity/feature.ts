import { bundledBurndownTable } from '../../../src-shared/capacity/burndown';
import { bundledModelLimits } from '../../../src-shared/capacity/model-limits';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { pricesFeature } from '../prices/feature';
import { quotasFeature } from '../quotas/feature';
import { usageFeature } from '../usage/feature';
import { CapacityService } from './capacity-service';

/**
 * The capacity calculator (`capacity`): for a model, a source region and a workload, what every route from that
 * region can carry under its quotas, which quota binds, the headroom left by today's usage, and the cost.
 */
export const capacityFeature = defineFeature({
  name: 'capacity',
  dependsOn: { aws: awsFeature, catalog: catalogFeature, quotas: quotasFeature, prices: pricesFeature, usage: usageFeature },
  create: (_context, { aws, catalog, quotas, prices, usage }) => {
    const service = new CapacityService({
      catalog,
      quotas,
      usage,
      prices: { table: () => prices.now() },
      burndown: bundledBurndownTable(),
      modelLimits: bundledModelLimits(),
      redact: (text) => aws.redact(text),
    });
    return {
      exports: service,
      methods: {
        capacity: (input, { signal }) => service.capacity(input, signal),
      },
    };
  },
});
