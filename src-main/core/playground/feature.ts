import { awsFeature } from '../app/aws-feature';
import type { Feature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { converse } from './converse';

/** The playground: one stream, `converse`, through any region or profile. */
export const playgroundFeature: Feature<null> = {
  name: 'playground',
  rebuildOn: [],
  create: ({ use }) => ({
    exports: null,
    streams: {
      converse: (input, context) =>
        converse(input, context, { clients: use(awsFeature), catalog: async () => (await use(catalogFeature).get()).document }),
    },
  }),
};
