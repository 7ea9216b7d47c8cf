import { AwsClientPool } from '../aws/client-pool';
import type { Feature } from './feature';

/** The pooled AWS clients, one set per region, shared by every feature; a new profile means new clients. */
export const awsFeature: Feature<AwsClientPool> = {
  name: 'aws',
  rebuildOn: ['awsProfile'],
  create: ({ options, settings, log }) => {
    const clients = new AwsClientPool({
      endpointUrl: options.endpointUrl ?? null,
      profile: settings().awsProfile,
      credentials: options.credentials,
      requestTimeoutMs: options.clientTimeouts?.requestTimeoutMs,
      maxAttempts: options.clientTimeouts?.maxAttempts,
      log,
    });
    return { exports: clients, dispose: () => clients.destroy() };
  },
};
