import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { RUNTIME_POOL, RuntimeConnectionPool, type ConnectionStats, type WarmUpResult } from './connection-pool';
import { apiKeyRefusal, type BedrockApiKeys } from './bedrock-api-key';
import { SharedCredentials, type ResolvedCredentials } from './credentials';
import { configuredEndpointOf, resolvedEndpoint } from './endpoints';
import { watchingHandlerOf, type HandlerOptions } from './watching-handler';
import { redactSecrets } from './redact';
import type { Reachability } from '../../../src-shared/events';
import { BEDROCK, BEDROCK_RUNTIME, type AwsService, type PooledClient } from './services';

export { EMULATOR_HEADER } from './watching-handler';

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

export interface ClientVariant {
  /** false: a single attempt, for calls whose timing is the measurement (the latency lab). Default true. */
  retries?: boolean;
  /** For streaming calls (ConverseStream): the longer read timeout of the runtime. Default false. */
  streaming?: boolean;
}

export interface AwsClientPoolOptions {
  /**
   * Send every service's calls here (a proxy or the emulator). Without it the SDK decides each service's endpoint
   * itself, as every AWS tool does: `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, and the config file's
   * `endpoint_url` and `services` sections, untouched by the app.
   */
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
  /** Plain API calls: the longest wait for a connection. */
  connectionTimeoutMs?: number;
  /** Plain API calls: the longest wait without a byte of the answer (a read timeout). */
  requestTimeoutMs?: number;
  /** Sockets kept per service and region for plain API calls; list calls are rate limited, so a few suffice. */
  maxSocketsPerRegion?: number;
  /** Bedrock runtime timeouts; the seed design's values by default. */
  runtimeTimeouts?: Partial<RuntimeTimeouts>;
  /**
   * The Bedrock API key in force (`AWS_BEARER_TOKEN_BEDROCK` or the desktop app's vault), if any: Bedrock and
   * Bedrock Runtime calls then authenticate with it (`Authorization: Bearer`), every other service with the
   * credential chain. Without it Bedrock calls are signed with SigV4, whatever the process environment holds.
   */
  apiKeys?: BedrockApiKeys;
  /** Told when AWS starts or stops answering the app's calls (any service, any region). */
  onReachability?: (state: Reachability) => void;
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
 * Every AWS SDK client of the app, created here lazily, once per service, region and variant, with one credential
 * provider, one retry policy and one endpoint policy, over keep-alive agents. Bedrock runtime clients of a region all
 * share one HTTP/1.1 keep-alive pool (`RuntimeConnectionPool`): the SDK's default HTTP/2 handler opened a new
 * connection for every event stream, so every "warm" call paid a handshake. The aws feature owns one pool and
 * disposes of it (every client, every socket) when it is rebuilt; the features that depend on it are rebuilt with it.
 */
export class AwsClientPool {
  readonly endpointUrl: string | null;
  readonly profile: string | null;
  private readonly clients = new Map<string, Promise<PooledClient>>();
  private readonly runtimePools = new Map<string, RuntimeConnectionPool>();
  private readonly credentials: SharedCredentials;
  private readonly runtimeTimeouts: RuntimeTimeouts;
  private emulatorSeen = false;
  private reachability: Reachability | null = null;

  constructor(private readonly options: AwsClientPoolOptions = {}) {
    this.endpointUrl = options.endpointUrl ?? null;
    this.profile = options.profile ?? null;
    this.runtimeTimeouts = { ...RUNTIME_TIMEOUTS, ...options.runtimeTimeouts };
    this.credentials = new SharedCredentials({
      profile: this.profile,
      endpointUrl: this.endpointUrl,
      fixed: options.credentials,
      allowPlaceholder: options.allowPlaceholderCredentials ?? isLoopbackUrl(this.endpointUrl),
      log: options.log,
    });
  }

  /** True once any answer came from the Bedrock Atlas emulator. */
  get simulated(): boolean {
    return this.emulatorSeen;
  }

  /** True when the credential chain found nothing and loopback placeholder credentials stand in. */
  get placeholderCredentials(): boolean {
    return this.credentials.placeholder;
  }

  /**
   * The service's client for a region (a global service's one client, whatever the region), made on first use: the
   * service's SDK package is loaded then, so what calls no AWS service never loads one.
   */
  client<Client extends PooledClient>(service: AwsService<Client>, region: string, variant: ClientVariant = {}): Promise<Client> {
    const { retries = true, streaming = false } = variant;
    const signingRegion = service.signingRegion ?? region;
    const key = `${service.id} ${signingRegion} retries:${retries} streaming:${streaming}`;
    let client = this.clients.get(key) as Promise<Client> | undefined;
    if (!client) {
      client = this.createClient(service, signingRegion, retries, streaming);
      this.clients.set(key, client);
      // A client that could not be made (a package that failed to load) is tried again next time.
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  private async createClient<Client extends PooledClient>(service: AwsService<Client>, signingRegion: string, retries: boolean, streaming: boolean): Promise<Client> {
    const [{ NodeHttpHandler }, { cappedRetryStrategy }] = await Promise.all([import('@smithy/node-http-handler'), import('./retry')]);
    const maxAttempts = retries ? (this.options.maxAttempts ?? 4) : 1;
    const isBedrock = service === (BEDROCK as AwsService<PooledClient>) || service === (BEDROCK_RUNTIME as AwsService<PooledClient>);
    const handlerOptions = service === (BEDROCK_RUNTIME as AwsService<PooledClient>) ? this.runtimeHandlerOptions(signingRegion, streaming) : this.plainHandlerOptions();
    const client = await service.create({
      region: signingRegion,
      credentials: this.credentials.provider,
      maxAttempts,
      retryStrategy: cappedRetryStrategy(maxAttempts),
      ...(this.profile ? { profile: this.profile } : {}),
      ...(this.endpointUrl ? { endpoint: this.endpointUrl } : {}),
      ...(isBedrock ? this.bearerConfig() : {}),
      requestHandler: this.handler(NodeHttpHandler, handlerOptions),
    });
    if (isBedrock) {
      // Every SDK client has a middleware stack; one without could not be guarded, so it is refused, never left unguarded.
      if (!hasMiddlewareStack(client)) throw new TypeError(`The ${service.id} client has no middleware stack to guard its API key with`);
      this.guardApiKey(client, signingRegion);
    }
    if (this.profile && !this.endpointUrl) {
      Object.assign(client.config, { serviceConfiguredEndpoint: configuredEndpointOf(service.id, this.profile) });
    }
    return client;
  }

  /** Bedrock's control plane (catalog, model access) in a region. */
  bedrock(region: string): Promise<BedrockClient> {
    return this.client(BEDROCK, region);
  }

  /**
   * A Bedrock runtime client for the region. Every variant (with or without retries, plain or streaming) sends its
   * calls through the region's one connection pool, so N sequential calls use one connection and C concurrent calls
   * at most C, whichever variant makes them.
   */
  bedrockRuntime(region: string, variant: ClientVariant = {}): Promise<BedrockRuntimeClient> {
    return this.client(BEDROCK_RUNTIME, region, variant);
  }

  /** Where the region's Bedrock runtime calls go, resolved as the SDK resolves it (override, env, config, AWS). */
  async runtimeEndpoint(region: string): Promise<URL> {
    return resolvedEndpoint(await this.bedrockRuntime(region), region);
  }

  /** The region's runtime connection pool: its agents (to time socket events), its counters, socket notifications. */
  runtimeConnections(region: string): RuntimeConnectionPool {
    let pool = this.runtimePools.get(region);
    if (!pool) {
      pool = new RuntimeConnectionPool(region, RUNTIME_POOL);
      this.runtimePools.set(region, pool);
    }
    return pool;
  }

  /** Runtime connections opened and reused in the region so far. */
  connectionStats(region: string): ConnectionStats {
    return this.runtimePools.get(region)?.stats() ?? { opened: 0, reused: 0 };
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
          endpoint = await this.runtimeEndpoint(region);
        } catch (error) {
          return { region, reused: false, ms: 0, error: `no runtime endpoint for region "${region}" (${(error as Error).message})` };
        }
        return this.runtimeConnections(region).warmUp(endpoint, this.runtimeTimeouts.connectTimeoutMs);
      }),
    );
  }

  /** The text with every credential the pool handed out (API keys included), and anything shaped like a secret, removed. */
  redact(text: string): string {
    return redactSecrets(text, [...this.credentials.secrets(), ...(this.options.apiKeys?.secrets() ?? [])]);
  }

  /** The Bedrock API key holder, if the app has one (the identity feature reads and changes it). */
  get apiKeys(): BedrockApiKeys | null {
    return this.options.apiKeys ?? null;
  }

  /**
   * Why the API key in force cannot call a region (a short-term key's other regions, an expired or malformed key),
   * or null per region when it can or no key is set: for plans that set such regions aside before calling.
   */
  async apiKeyRefusals(): Promise<(region: string) => { code: string; message: string } | null> {
    const keys = this.options.apiKeys;
    if (!keys) return () => null;
    await keys.ready();
    const key = keys.current();
    return (region) => (key ? apiKeyRefusal(key, region) : null);
  }

  /**
   * The AWS credentials the chain resolves now (a refreshed set when the last one expired), with what the chain
   * says about where they came from. Throws the chain's named failure (no credentials, an expired SSO session).
   */
  resolveCredentials(): Promise<ResolvedCredentials> {
    return this.credentials.resolve();
  }

  /**
   * Bedrock clients authenticate with the API key in force when there is one: the token and the scheme are read
   * per request, so a key set or cleared in the app applies to the next call without new clients.
   */
  private bearerConfig(): { token: () => Promise<{ token: string }>; authSchemePreference: () => Promise<string[]> } {
    const keys = this.options.apiKeys;
    return {
      token: async () => {
        await keys?.ready();
        const key = keys?.current();
        if (!key) throw new Error('No Bedrock API key is set.');
        return { token: key.secret };
      },
      authSchemePreference: async () => {
        await keys?.ready();
        return keys?.current() ? ['httpBearerAuth'] : ['sigv4'];
      },
    };
  }

  /**
   * Refuses, before anything is sent, a Bedrock call the API key in force cannot make (malformed, expired, or a
   * short-term key of another region), with one named cause. With one endpoint for everything (the emulator, a
   * proxy), a bearer request carries no region of its own (SigV4 names it in the signature's scope), so the
   * region goes along in `x-bedrock-atlas-region`.
   */
  private guardApiKey(client: MiddlewareClient, region: string): void {
    const keys = this.options.apiKeys;
    if (!keys) return;
    client.middlewareStack.add(
      (next) => async (args) => {
        await keys.ready();
        const key = keys.current();
        if (key) {
          const refusal = apiKeyRefusal(key, region);
          if (refusal) throw refusal;
          if (this.endpointUrl) {
            const request = args.request as { headers?: Record<string, string> } | undefined;
            if (request?.headers) request.headers['x-bedrock-atlas-region'] = region;
          }
        }
        return next(args);
      },
      { step: 'build', name: 'bedrockApiKeyGuard', override: true },
    );
  }

  destroy(): void {
    for (const client of this.clients.values()) void client.then((made) => made.destroy(), () => {});
    for (const pool of this.runtimePools.values()) pool.destroy();
    this.clients.clear();
    this.runtimePools.clear();
  }

  private handler(Base: typeof NodeHttpHandler, options: HandlerOptions): NodeHttpHandler {
    const Watching = watchingHandlerOf(Base);
    return new Watching(options, {
      emulator: () => (this.emulatorSeen = true),
      answered: () => this.reachable(true, null),
      unreachable: (cause) => this.reachable(false, cause),
    });
  }

  /** The latest reachability, told to the listener only when it changes. */
  private reachable(answering: boolean, cause: string | null): void {
    if (this.reachability?.answering === answering && this.reachability.cause === cause) return;
    this.reachability = { answering, cause, at: new Date().toISOString() };
    this.options.onReachability?.(this.reachability);
  }

  /** Whether the latest call was answered; null before the first. */
  get lastReachability(): Reachability | null {
    return this.reachability;
  }

  private plainHandlerOptions(): HandlerOptions {
    const maxSockets = this.options.maxSocketsPerRegion ?? 4;
    return {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
      socketTimeout: this.options.requestTimeoutMs ?? 15_000,
    };
  }

  private runtimeHandlerOptions(region: string, streaming: boolean): HandlerOptions {
    const pool = this.runtimeConnections(region);
    return {
      httpAgent: pool.httpAgent,
      httpsAgent: pool.httpsAgent,
      connectionTimeout: this.runtimeTimeouts.connectTimeoutMs,
      socketTimeout: streaming ? this.runtimeTimeouts.streamReadTimeoutMs : this.runtimeTimeouts.readTimeoutMs,
    };
  }

}

function hasMiddlewareStack(client: object): client is MiddlewareClient {
  if (!('middlewareStack' in client)) return false;
  const stack = client.middlewareStack;
  return typeof stack === 'object' && stack !== null && 'add' in stack && typeof stack.add === 'function';
}

/** What the pool needs of a client to add a middleware. */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { request?: unknown }) => Promise<unknown>) => (args: { request?: unknown }) => Promise<unknown>,
      options: { step: 'build'; name: string; override: boolean },
    ): void;
  };
}
