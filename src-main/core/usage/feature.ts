import { bundledBurndownTable } from '../../../src-shared/capacity/burndown';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { quotasFeature } from '../quotas/feature';
import { UsageService } from './usage-service';

/**
 * Usage (`getUsage`): CloudWatch's AWS/Bedrock metrics for every route of a model, against the routes' quotas. Its
 * export serves the capacity calculator the last 24 hours of a region's routes.
 */
export const usageFeature = defineFeature({
  name: 'usage',
  dependsOn: { aws: awsFeature, catalog: catalogFeature, quotas: quotasFeature },
  create: (_context, { aws, catalog, quotas }) => {
    const service = new UsageService({ clients: aws, catalog, quotas, burndown: bundledBurndownTable() });
    return {
      exports: service,
      methods: {
        getUsage: (query, { signal }) => service.get(query, signal),
      },
    };
  },
});
