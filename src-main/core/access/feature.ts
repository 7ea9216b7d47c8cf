import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { identityFeature } from '../identity/feature';
import { quotasFeature } from '../quotas/feature';
import { AccessDoctor } from './doctor';

/**
 * The access doctor (`checkAccess`): can this caller call this route, and if not, why and what to change. Its
 * reports are kept while the feature lives: a new profile rebuilds the aws feature, and this one with it.
 */
export const accessFeature = defineFeature({
  name: 'access',
  dependsOn: { aws: awsFeature, catalog: catalogFeature, identity: identityFeature, quotas: quotasFeature },
  create: (_context, { aws, catalog, identity, quotas }) => {
    const doctor = new AccessDoctor({ clients: aws, catalog, identity, quotas });
    return {
      exports: doctor,
      methods: {
        checkAccess: (input, { signal }) => doctor.check(input, signal),
      },
    };
  },
});
