import { RegionClients } from '../aws/region-clients';
import type { Feature } from './feature';

/** The pooled AWS clients, one set per region, shared by every feature; a new profile means new clients. */
export const awsFeature: Feature<RegionClients> = {
  name: 'aws',
  rebuildOn: ['awsProfile'],
  create: ({ options, settings, log }) => {
    const clients = new RegionClients({
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
