import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { explainCredentialsError } from './credential-errors';

/** The emulator marks every answer with this header; data fetched through it is simulated. */
export const EMULATOR_HEADER = 'x-bedrock-atlas-emulator';

export interface RegionClientsOptions {
  /** Send every call here instead of AWS (a VPC endpoint, a proxy or the emulator). */
  endpointUrl?: string | null;
  /** AWS named profile; null for the default chain (env, shared files, SSO, process, container/instance roles). */
  profile?: string | null;
  /** Fixed credentials, e.g. for tests; overrides the chain. */
  credentials?: AwsCredentialIdentity;
  /**
   * Fall back to placeholder credentials when the chain finds none. Defaults to true only for a loopback endpoint
   * (the emulator checks signatures for their region, not their secret), so the offline demo needs no AWS setup.
   */
  allowPlaceholderCredentials?: boolean;
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Sockets kept per region and client; list calls are rate limited per region, so a few suffice. */
  maxSocketsPerRegion?: number;
  log?: (line: string) => void;
}

export function isLoopbackUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const { hostname } = new URL(url);
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}

/**
 * Bedrock clients created once per region and reused, each over its own keep-alive pool, with adaptive retries
 * (exponential backoff with jitter plus client-side rate limiting on throttling). One instance per app: it is
 * passed to whoever needs clients, and `destroy()` closes every pooled connection.
 */
export class RegionClients {
  readonly endpointUrl: string | null;
  readonly profile: string | null;
  private readonly control = new Map<string, BedrockClient>();
  private readonly runtime = new Map<string, BedrockRuntimeClient>();
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly options: RegionClientsOptions;
  private emulatorSeen = false;

  constructor(options: RegionClientsOptions = {}) {
    this.options = options;
    this.endpointUrl = options.endpointUrl ?? null;
    this.profile = options.profile ?? null;
    this.credentials = this.createCredentialProvider();
  }

  /** True once any answer came from the Bedrock Atlas emulator. */
  get simulated(): boolean {
    return this.emulatorSeen;
  }

  controlPlane(region: string): BedrockClient {
    let client = this.control.get(region);
    if (!client) {
      const maxSockets = this.options.maxSocketsPerRegion ?? 4;
      client = new BedrockClient({
        ...this.commonConfig(region),
        requestHandler: new NodeHttpHandler({
          httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
          httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
          connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
          requestTimeout: this.options.requestTimeoutMs ?? 15_000,
        }),
      });
      this.watchForEmulator(client);
      this.control.set(region, client);
    }
    return client;
  }

  runtimeClient(region: string): BedrockRuntimeClient {
    let client = this.runtime.get(region);
    if (!client) {
      client = new BedrockRuntimeClient({
        ...this.commonConfig(region),
        // The SDK's default isolates every request in its own HTTP/2 session; share one per region instead.
        // (Event streams still get a session of their own: the SDK insists.)
        requestHandler: new NodeHttp2Handler({
          disableConcurrentStreams: false,
          requestTimeout: this.options.requestTimeoutMs ?? 60_000,
          sessionTimeout: 60_000,
        }),
      });
      this.watchForEmulator(client);
      this.runtime.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.control.values(), ...this.runtime.values()]) client.destroy();
    this.control.clear();
    this.runtime.clear();
  }

  private commonConfig(region: string) {
    return {
      region,
      credentials: this.credentials,
      retryMode: 'adaptive' as const,
      maxAttempts: this.options.maxAttempts ?? 4,
      ...(this.endpointUrl ? { endpoint: this.endpointUrl } : {}),
    };
  }

  private watchForEmulator(client: BedrockClient | BedrockRuntimeClient): void {
    (client.middlewareStack as BedrockClient['middlewareStack']).add(
      (next) => async (args) => {
        const result = await next(args);
        const headers = (result.response as { headers?: Record<string, string> } | undefined)?.headers;
        if (headers?.[EMULATOR_HEADER] === '1') this.emulatorSeen = true;
        return result;
      },
      { step: 'deserialize', name: 'bedrockAtlasEmulatorDetector', override: true },
    );
  }

  private createCredentialProvider(): AwsCredentialIdentityProvider {
    if (this.options.credentials) {
      const fixed = this.options.credentials;
      return async () => fixed;
    }
    const chain = fromNodeProviderChain(this.profile ? { profile: this.profile } : {});
    const allowPlaceholder = this.options.allowPlaceholderCredentials ?? isLoopbackUrl(this.endpointUrl);
    let warned = false;
    return async (identityProperties) => {
      try {
        return await chain(identityProperties);
      } catch (error) {
        if (allowPlaceholder) {
          if (!warned) {
            this.options.log?.('No AWS credentials found; using placeholder credentials for the loopback endpoint.');
            warned = true;
          }
          return { accessKeyId: 'AKIDBEDROCKATLAS', secretAccessKey: 'placeholder-for-loopback-endpoint' };
        }
        throw explainCredentialsError(error, this.profile);
      }
    };
  }
}
