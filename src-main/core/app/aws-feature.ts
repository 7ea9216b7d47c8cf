import { API_KEY_ENV, BedrockApiKeys } from '../aws/bedrock-api-key';
import { AwsClientPool } from '../aws/client-pool';
import { defineFeature } from './feature';

/**
 * The pooled AWS clients of every service and region, shared by every feature; a new profile means a new pool,
 * and the features that depend on this one are rebuilt with it.
 */
export const awsFeature = defineFeature({
  name: 'aws',
  rebuildOn: ['awsProfile'],
  create: ({ options, settings, emit, log }) => {
    const clients = new AwsClientPool({
      onReachability: (state) => emit({ type: 'aws.reachability', payload: state }),
      endpointUrl: options.endpointUrl,
      profile: settings().awsProfile,
      credentials: options.credentials,
      // The key the SDK itself would read (AWS_BEARER_TOKEN_BEDROCK) unless the host says otherwise, else the vault's.
      apiKeys: new BedrockApiKeys(options.bedrockApiKey !== undefined ? options.bedrockApiKey : (process.env[API_KEY_ENV] ?? null), options.apiKeyVault ?? null),
      requestTimeoutMs: options.clientTimeouts?.requestTimeoutMs,
      maxAttempts: options.clientTimeouts?.maxAttempts,
      log,
    });
    return {
      exports: clients,
      snapshotEvents: () => (clients.lastReachability ? [{ type: 'aws.reachability', payload: clients.lastReachability }] : []),
      dispose: () => clients.destroy(),
    };
  },
});
