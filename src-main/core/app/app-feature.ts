import { awsFeature } from './aws-feature';
import { defineFeature } from './feature';

/** What the renderer needs to know about this app and how it was started. */
export const appFeature = defineFeature({
  name: 'app',
  dependsOn: { aws: awsFeature },
  create: ({ options, settings }, { aws }) => ({
    exports: null,
    methods: {
      getAppInfo: async () => ({
        name: options.name,
        version: options.version,
        transport: options.transport,
        launchCommand: options.launchCommand ?? (options.transport === 'electron' ? 'desktop app' : 'bedrock-atlas web'),
        platform: process.platform,
        endpointUrl: options.endpointUrl,
        simulated: aws.simulated,
        awsProfile: settings().awsProfile,
      }),
    },
  }),
});
