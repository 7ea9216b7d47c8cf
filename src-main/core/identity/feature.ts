import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { IdentityService } from './identity';

/**
 * Who am I, and the Bedrock API key: `whoAmI` (STS once per credential set), and the key's status, set and clear
 * (the desktop app's vault). Rebuilt with the aws feature, so a new profile is a new credential set.
 */
export const identityFeature = defineFeature({
  name: 'identity',
  dependsOn: { aws: awsFeature },
  create: ({ settings }, { aws }) => {
    // STS is regional: asked where the SDK would ask (AWS_REGION), else the first region the app works in.
    const stsRegion = () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? settings().regions[0] ?? 'us-east-1';
    const identity = new IdentityService(aws, stsRegion);
    return {
      exports: identity,
      methods: {
        whoAmI: (_input, { signal }) => identity.whoAmI(signal),
        apiKeyStatus: () => identity.apiKeyState(),
        setApiKey: ({ key }) => identity.setApiKey(key),
        clearApiKey: () => identity.clearApiKey(),
      },
    };
  },
});
