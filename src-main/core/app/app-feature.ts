import { awsFeature } from './aws-feature';
import type { Feature } from './feature';

/** What the renderer needs to know about this app and how it was started. */
export const appFeature: Feature<null> = {
  name: 'app',
  rebuildOn: [],
  create: ({ options, settings, use }) => ({
    exports: null,
    methods: {
      getAppInfo: async () => ({
        name: options.name,
        version: options.version,
        transport: options.transport,
        launchCommand: options.launchCommand ?? (options.transport === 'electron' ? 'desktop app' : 'bedrock-atlas web'),
        platform: process.platform,
        endpointUrl: options.endpointUrl ?? null,
        simulated: use(awsFeature).simulated,
        awsProfile: settings().awsProfile,
      }),
    },
  }),
};
