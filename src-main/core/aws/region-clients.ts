import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { RUNTIME_POOL, RuntimeConnectionPool, type ConnectionStats, type WarmUpResult } from './connection-pool';
import { explainCredentialsError } from './credential-errors';
import { cappedRetryStrategy } from './retry';

/** The emulator marks every answer with this header; data fetched through it is simulated. */
export const EMULATOR_HEADER = 'x-bedrock-atlas-emulator';

/** Runtime timeouts as the seed design sets them. A read timeout is the longest wait without a single byte. */
export interface RuntimeTimeouts {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /**
   * Streams are read for as long as the model generates, so only silence can end them. A model may think for a
   * long while before its first token, so the silence allowed is longer than for a plain call.
   */
  streamReadTimeoutMs: number;
}

export const RUNTIME_TIMEOUTS: RuntimeTimeouts = { connectTimeoutMs: 10_000, readTimeoutMs: 60_000, streamReadTimeoutMs: 300_000 };

export interface RuntimeClientOptions {
  /** false: a single attempt, for calls whose timing is the measurement (the latency lab). Default true. */
  retries?: boolean;
  /** For streaming calls (ConverseStream): the longer read timeout. Default false. */
  streaming?: boolean;
}

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
  /** Attempts per call, the first included (standard retries with a short capped backoff). */
  maxAttempts?: number;
  /** Control plane: the longest wait for a connection. */
  connectionTimeoutMs?: number;
  /** Control plane: the longest wait without a byte of the answer (a read timeout). */
  requestTimeoutMs?: number;
  /** Control-plane sockets kept per region; list calls are rate limited per region, so a few suffice. */
  maxSocketsPerRegion?: number;
  /** Runtime timeouts; the seed design's values by default. */
  runtimeTimeouts?: Partial<RuntimeTimeouts>;
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
 * Bedrock clients created once per region and reused. Control-plane clients have their own small keep-alive pool per
 * region. Runtime clients of a region all share one HTTP/1.1 keep-alive pool (`RuntimeConnectionPool`): the SDK's
 * default HTTP/2 handler opened a new connection for every event stream, so every "warm" call paid a handshake.
 * Every client retries with the standard strategy and a short capped backoff (`cappedRetryStrategy`).
 * One instance per app: it is passed to whoever needs clients, and `destroy()` closes every pooled connection.
 */
export class RegionClients {
  readonly endpointUrl: string | null;
  readonly profile: string | null;
  private readonly control = new Map<string, BedrockClient>();
  private readonly runtime = new Map<string, BedrockRuntimeClient>();
  private readonly pools = new Map<string, RuntimeConnectionPool>();
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly options: RegionClientsOptions;
  private readonly runtimeTimeouts: RuntimeTimeouts;
  private emulatorSeen = false;

  constructor(options: RegionClientsOptions = {}) {
    this.options = options;
    this.endpointUrl = options.endpointUrl ?? null;
    this.profile = options.profile ?? null;
    this.runtimeTimeouts = { ...RUNTIME_TIMEOUTS, ...options.runtimeTimeouts };
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
        ...this.commonConfig(region, this.maxAttempts()),
        requestHandler: new NodeHttpHandler({
          httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
          httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
          connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
          socketTimeout: this.options.requestTimeoutMs ?? 15_000,
        }),
      });
      this.watchForEmulator(client);
      this.control.set(region, client);
    }
    return client;
  }

  /**
   * A runtime client for the region. Every variant (with or without retries, plain or streaming) sends its calls
   * through the region's one connection pool, so N sequential calls use one connection and C concurrent calls at
   * most C, whichever variant makes them.
   */
  runtimeClient(region: string, { retries = true, streaming = false }: RuntimeClientOptions = {}): BedrockRuntimeClient {
    const key = `${region} retries:${retries} streaming:${streaming}`;
    let client = this.runtime.get(key);
    if (!client) {
      const pool = this.runtimeConnections(region);
      const agent = pool.agent;
      client = new BedrockRuntimeClient({
        ...this.commonConfig(region, retries ? this.maxAttempts() : 1),
        requestHandler: new NodeHttpHandler({
          ...(agent instanceof HttpsAgent ? { httpsAgent: agent } : { httpAgent: agent }),
          connectionTimeout: this.runtimeTimeouts.connectTimeoutMs,
          socketTimeout: streaming ? this.runtimeTimeouts.streamReadTimeoutMs : this.runtimeTimeouts.readTimeoutMs,
        }),
      });
      this.watchForEmulator(client);
      this.runtime.set(key, client);
    }
    return client;
  }

  /** The region's runtime connection pool: its agent (to time socket events), its counters, socket notifications. */
  runtimeConnections(region: string): RuntimeConnectionPool {
    let pool = this.pools.get(region);
    if (!pool) {
      const protocol = this.endpointUrl ? new URL(this.endpointUrl).protocol : 'https:';
      pool = new RuntimeConnectionPool(region, protocol, RUNTIME_POOL);
      this.pools.set(region, pool);
    }
    return pool;
  }

  /** Runtime connections opened and reused in the region so far. */
  connectionStats(region: string): ConnectionStats {
    return this.pools.get(region)?.stats() ?? { opened: 0, reused: 0 };
  }

  /**
   * Opens one runtime connection per region (or finds one already open), all regions at once, so that the next
   * call to each starts warm. Never throws: a region that cannot be reached says why in its result.
   */
  warmUp(regions: readonly string[]): Promise<WarmUpResult[]> {
    return Promise.all(
      regions.map(async (region): Promise<WarmUpResult> => {
        let endpoint: URL;
        try {
          ({ url: endpoint } = this.runtimeClient(region).config.endpointProvider({
            Region: region,
            UseFIPS: false,
            UseDualStack: false,
            ...(this.endpointUrl ? { Endpoint: this.endpointUrl } : {}),
          }));
        } catch (error) {
          return { region, reused: false, ms: 0, error: `no runtime endpoint for region "${region}" (${(error as Error).message})` };
        }
        return this.runtimeConnections(region).warmUp(endpoint, this.runtimeTimeouts.connectTimeoutMs);
      }),
    );
  }

  destroy(): void {
    for (const client of [...this.control.values(), ...this.runtime.values()]) client.destroy();
    for (const pool of this.pools.values()) pool.destroy();
    this.control.clear();
    this.runtime.clear();
    this.pools.clear();
  }

  private maxAttempts(): number {
    return this.options.maxAttempts ?? 4;
  }

  private commonConfig(region: string, maxAttempts: number) {
    return {
      region,
      credentials: this.credentials,
      maxAttempts,
      retryStrategy: cappedRetryStrategy(maxAttempts),
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
