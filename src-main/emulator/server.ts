import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { randomUUID } from 'node:crypto';
import net, { type AddressInfo, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import {
  loadEmulatorData,
  type EmulatorData,
  type FoundationModelSummaryWire,
  type InferenceProfileWire,
  type RegionData,
} from './bedrock-data';
import { eventFrame, exceptionFrame, generateAnswer, type ConverseRequestBody } from './converse';
import {
  EMPTY_SCENARIO,
  matchesModel,
  matchesRegion,
  parseScenario,
  perRegion,
  ScenarioError,
  type Operation,
  type Scenario,
} from './scenario';

/**
 * A local Bedrock that speaks the real wire protocol (restJson1 over cleartext HTTP/2 and HTTP/1.1, SigV4-scoped
 * regions, event-stream framing), so the real AWS SDK clients run against it unmodified through `endpoint`.
 * Every region is served on one port: the region comes from the credential scope of each request's signature.
 */

export const EMULATOR_HEADER = 'x-bedrock-atlas-emulator';

export interface EmulatorOptions {
  port?: number;
  scenario?: Scenario;
  data?: EmulatorData;
}

export interface EmulatorStats {
  /** Requests per region, then per operation. */
  requests: Record<string, Record<string, number>>;
  /** TCP connections (HTTP/1.1 sockets or HTTP/2 sessions) per region, counted at their first request. */
  connections: Record<string, number>;
  totalConnections: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  setScenario(scenario: Scenario): void;
  stats(): EmulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

type Request = Http2ServerRequest | IncomingMessage;
type Response = Http2ServerResponse | ServerResponse;

/** The first bytes of every cleartext HTTP/2 connection (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

class BedrockError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const INVALID_MODEL = 'The provided model identifier is invalid.';
const ACCESS_DENIED = "You don't have access to the model with the specified model ID.";
const THROTTLED = 'Too many requests, please wait before trying again.';
const NOT_ENABLED = 'The security token included in the request is invalid.';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Region from `Credential=AKID/20261122/eu-west-1/bedrock/aws4_request`. */
export function regionFromAuthorization(header: string | undefined): string | null {
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/.exec(header ?? '');
  return match ? match[1] : null;
}

/** Deterministic generator (mulberry32) so probabilistic failures repeat run after run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Route {
  operation: Operation;
  /** The decoded `{modelId}` / `{identifier}` path segment. */
  identifier?: string;
}

function routeOf(method: string, pathname: string): Route | null {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (method === 'GET') {
    if (segments.length === 1 && segments[0] === 'foundation-models') return { operation: 'ListFoundationModels' };
    if (segments.length === 2 && segments[0] === 'foundation-models')
      return { operation: 'GetFoundationModel', identifier: segments[1] };
    if (segments.length === 1 && segments[0] === 'inference-profiles') return { operation: 'ListInferenceProfiles' };
    if (segments.length === 2 && segments[0] === 'inference-profiles')
      return { operation: 'GetInferenceProfile', identifier: segments[1] };
    if (segments.length === 2 && segments[0] === 'foundation-model-availability')
      return { operation: 'GetFoundationModelAvailability', identifier: segments[1] };
  }
  if (method === 'POST' && segments.length === 3 && segments[0] === 'model') {
    if (segments[2] === 'converse') return { operation: 'Converse', identifier: segments[1] };
    if (segments[2] === 'converse-stream') return { operation: 'ConverseStream', identifier: segments[1] };
  }
  return null;
}

function readBody(request: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * The HTTP/2 session reads its socket's native handle directly, so bytes already read cannot be pushed back with
 * `unshift`: hand it a stream that replays the peeked bytes and then relays the socket.
 */
function replayingStream(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => socket.write(chunk, callback),
    final: (callback) => socket.end(callback),
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  return stream;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const data = options.data ?? loadEmulatorData();
  let scenario = options.scenario ?? EMPTY_SCENARIO;
  let random = seededRandom(scenario.seed);
  let ruleCounters = new Map<string, number>();
  let buckets = new Map<string, { tokens: number; updatedAt: number }>();
  let requests: EmulatorStats['requests'] = {};
  let connectionRegions = new WeakMap<object, string>();
  let connections: Record<string, number> = {};
  let totalConnections = 0;
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const listCache = new Map<string, string>();

  const setScenario = (next: Scenario) => {
    scenario = next;
    random = seededRandom(next.seed);
    ruleCounters = new Map();
    buckets = new Map();
  };

  const resetStats = () => {
    requests = {};
    connections = {};
    connectionRegions = new WeakMap();
    totalConnections = 0;
    ruleCounters = new Map();
    buckets = new Map();
    random = seededRandom(scenario.seed);
  };

  const countRequest = (request: Request, region: string, operation: string) => {
    const perRegionCounts = (requests[region] ??= {});
    perRegionCounts[operation] = (perRegionCounts[operation] ?? 0) + 1;
    const connection: object =
      request.httpVersionMajor === 2 ? (request as Http2ServerRequest).stream.session! : request.socket;
    if (!connectionRegions.has(connection)) {
      connectionRegions.set(connection, region);
      connections[region] = (connections[region] ?? 0) + 1;
    }
  };

  /** The Nth matching call of a rule (1-based), counted per rule and region. */
  const bumpRule = (key: string) => {
    const next = (ruleCounters.get(key) ?? 0) + 1;
    ruleCounters.set(key, next);
    return next;
  };

  const injectedFault = (region: string, operation: Operation): BedrockError | null => {
    for (const [index, rule] of scenario.throttle.entries()) {
      if (!matchesRegion(rule.region, region) || (rule.operation !== '*' && rule.operation !== operation)) continue;
      const key = `throttle:${index}:${region}:${operation}`;
      if (rule.firstN !== undefined) {
        if (bumpRule(key) <= rule.firstN) return new BedrockError(429, 'ThrottlingException', THROTTLED);
      } else if (rule.ratePerSecond !== undefined) {
        const now = Date.now();
        const bucket = buckets.get(key) ?? { tokens: rule.ratePerSecond, updatedAt: now };
        bucket.tokens = Math.min(rule.ratePerSecond, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rule.ratePerSecond);
        bucket.updatedAt = now;
        buckets.set(key, bucket);
        if (bucket.tokens < 1) return new BedrockError(429, 'ThrottlingException', THROTTLED);
        bucket.tokens -= 1;
      }
    }
    for (const [index, rule] of scenario.failures.entries()) {
      if (!matchesRegion(rule.region, region) || (rule.operation !== '*' && rule.operation !== operation)) continue;
      const fail =
        rule.firstN !== undefined ? bumpRule(`failure:${index}:${region}:${operation}`) <= rule.firstN : random() < (rule.probability ?? 0);
      if (fail) {
        return rule.status === 500
          ? new BedrockError(500, 'InternalServerException', 'Internal server error. Please try again.')
          : new BedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
      }
    }
    return null;
  };

  const isNotEnabled = (region: string) =>
    data.notEnabledRegions.includes(region) || !data.regions.has(region) || scenario.notEnabled.includes(region);

  const denied = (region: string, modelId: string) =>
    scenario.accessDenied.some((rule) => matchesRegion(rule.region, region) && matchesModel(rule.modelId, modelId));

  const send = (response: Response, status: number, body: unknown) => {
    if (response.headersSent || response.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };

  const sendError = (response: Response, error: BedrockError) => {
    if (response.headersSent || response.destroyed) return;
    response.setHeader('x-amzn-errortype', `${error.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
    send(response, error.status, { message: error.message });
  };

  const listFoundationModels = (regionData: RegionData, query: URLSearchParams) => {
    const byProvider = query.get('byProvider')?.toLowerCase();
    const byCustomization = query.get('byCustomizationType');
    const byOutput = query.get('byOutputModality');
    const byInference = query.get('byInferenceType');
    if (!byProvider && !byCustomization && !byOutput && !byInference) {
      const key = `models:${regionData.region}`;
      let cached = listCache.get(key);
      if (!cached) listCache.set(key, (cached = JSON.stringify({ modelSummaries: regionData.models })));
      return cached;
    }
    const modelSummaries = regionData.models.filter(
      (model) =>
        (!byProvider || model.providerName.toLowerCase() === byProvider || model.modelId.startsWith(`${byProvider}.`)) &&
        (!byCustomization || model.customizationsSupported.includes(byCustomization)) &&
        (!byOutput || model.outputModalities.includes(byOutput)) &&
        (!byInference || model.inferenceTypesSupported.includes(byInference)),
    );
    return JSON.stringify({ modelSummaries });
  };

  /** AWS may return fewer items than maxResults; pages here hold at most this many so paging is always exercised. */
  const PAGE_CAP = 25;

  const listInferenceProfiles = (regionData: RegionData, query: URLSearchParams) => {
    const type = query.get('type');
    if (type !== null && type !== 'SYSTEM_DEFINED' && type !== 'APPLICATION') {
      throw new BedrockError(400, 'ValidationException', `1 validation error detected: Value '${type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [APPLICATION, SYSTEM_DEFINED]`);
    }
    const maxResults = query.has('maxResults') ? Number(query.get('maxResults')) : 1000;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
      throw new BedrockError(400, 'ValidationException', `1 validation error detected: Value '${query.get('maxResults')}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`);
    }
    const all = type === 'APPLICATION' ? [] : regionData.profiles;
    let offset = 0;
    const token = query.get('nextToken');
    if (token !== null) {
      const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0 || decoded > all.length) {
        throw new BedrockError(400, 'ValidationException', 'The pagination token is invalid.');
      }
      offset = decoded;
    }
    const size = Math.min(maxResults, PAGE_CAP);
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
    return { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) };
  };

  const findModel = (regionData: RegionData, identifier: string): FoundationModelSummaryWire | undefined => {
    const arnMatch = /^arn:aws:bedrock:[a-z0-9-]*::foundation-model\/(.+)$/.exec(identifier);
    return regionData.modelsById.get(arnMatch ? arnMatch[1] : identifier);
  };

  const findProfile = (regionData: RegionData, identifier: string): InferenceProfileWire | undefined => {
    const arnMatch = /^arn:aws:bedrock:([a-z0-9-]+):\d{12}:inference-profile\/(.+)$/.exec(identifier);
    if (arnMatch) return arnMatch[1] === regionData.region ? regionData.profilesById.get(arnMatch[2]) : undefined;
    return regionData.profilesById.get(identifier);
  };

  /** The model a runtime call reaches, or the exact error Bedrock gives for that identifier in that region. */
  const resolveInvocationTarget = (regionData: RegionData, identifier: string): string => {
    const profile = findProfile(regionData, identifier);
    if (profile) return profile.models[profile.models.length - 1].modelArn.split('/').slice(1).join('/');
    if (identifier.includes(':inference-profile/')) {
      throw new BedrockError(400, 'ValidationException', INVALID_MODEL);
    }
    const model = findModel(regionData, identifier);
    if (!model) throw new BedrockError(400, 'ValidationException', INVALID_MODEL);
    if (!model.inferenceTypesSupported.includes('ON_DEMAND')) {
      throw new BedrockError(
        400,
        'ValidationException',
        `Invocation of model ID ${model.modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
    }
    return model.modelId;
  };

  const parseConverseBody = (text: string): ConverseRequestBody => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BedrockError(400, 'SerializationException', 'Start of structure or map found where not expected.');
    }
    if (typeof body !== 'object' || body === null || !Array.isArray((body as ConverseRequestBody).messages)) {
      throw new BedrockError(400, 'ValidationException', 'The model returned the following errors: messages: field required');
    }
    const maxTokens = (body as ConverseRequestBody).inferenceConfig?.maxTokens;
    if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
      throw new BedrockError(400, 'ValidationException', '1 validation error detected: Value at \'inferenceConfig.maxTokens\' failed to satisfy constraint: Member must have value greater than or equal to 1');
    }
    return body as ConverseRequestBody;
  };

  const converse = async (response: Response, region: string, modelId: string, body: ConverseRequestBody) => {
    const answer = generateAnswer(modelId, body);
    const ttft = perRegion(scenario.timeToFirstTokenMs, region);
    const perToken = perRegion(scenario.perTokenMs, region);
    const latencyMs = Math.round(ttft + perToken * answer.tokens.length);
    await sleep(latencyMs);
    send(response, 200, {
      output: { message: { role: 'assistant', content: [{ text: answer.tokens.join('') }] } },
      stopReason: answer.stopReason,
      usage: {
        inputTokens: answer.inputTokens,
        outputTokens: answer.tokens.length,
        totalTokens: answer.inputTokens + answer.tokens.length,
      },
      metrics: { latencyMs },
    });
  };

  const converseStream = async (response: Response, region: string, modelId: string, body: ConverseRequestBody) => {
    const answer = generateAnswer(modelId, body);
    const ttft = perRegion(scenario.timeToFirstTokenMs, region);
    const perToken = perRegion(scenario.perTokenMs, region);
    const failure = scenario.midStreamErrors.find(
      (rule) => matchesRegion(rule.region, region) && matchesModel(rule.modelId, modelId),
    );
    const started = Date.now();
    response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    let sequence = 0;
    const write = (frame: Uint8Array) => !response.destroyed && (response as ServerResponse).write(frame);
    write(eventFrame('messageStart', { role: 'assistant' }, sequence++));
    await sleep(ttft);
    for (const [index, token] of answer.tokens.entries()) {
      if (response.destroyed) return;
      if (failure && index === failure.afterTokens) {
        write(exceptionFrame(failure.exception, 'The model stream was interrupted by an injected fault.'));
        response.end();
        return;
      }
      if (index > 0 && perToken > 0) await sleep(perToken);
      write(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: token } }, sequence++));
    }
    write(eventFrame('contentBlockStop', { contentBlockIndex: 0 }, sequence++));
    write(eventFrame('messageStop', { stopReason: answer.stopReason }, sequence++));
    write(
      eventFrame(
        'metadata',
        {
          usage: {
            inputTokens: answer.inputTokens,
            outputTokens: answer.tokens.length,
            totalTokens: answer.inputTokens + answer.tokens.length,
          },
          metrics: { latencyMs: Date.now() - started },
        },
        sequence++,
      ),
    );
    response.end();
  };

  const availability = (regionData: RegionData, region: string, identifier: string) => {
    const model = findModel(regionData, identifier);
    const known = model ?? [...data.regions.values()].find((other) => other.modelsById.has(identifier))?.modelsById.get(identifier);
    if (!known) throw new BedrockError(404, 'ResourceNotFoundException', `The model ${identifier} was not found.`);
    const pending = scenario.agreementPending.some(
      (rule) => matchesRegion(rule.region, region) && matchesModel(rule.modelId, known.modelId),
    );
    return {
      modelId: known.modelId,
      agreementAvailability: { status: pending ? 'PENDING' : 'AVAILABLE' },
      authorizationStatus: denied(region, known.modelId) ? 'NOT_AUTHORIZED' : 'AUTHORIZED',
      entitlementAvailability: 'AVAILABLE',
      regionAvailability: model ? 'AVAILABLE' : 'NOT_AVAILABLE',
    };
  };

  const handleControl = async (request: Request, response: Response, pathname: string) => {
    if (request.method === 'GET' && pathname === '/_emulator/stats') {
      send(response, 200, { requests, connections, totalConnections } satisfies EmulatorStats);
    } else if (request.method === 'POST' && pathname === '/_emulator/reset') {
      setScenario(EMPTY_SCENARIO);
      resetStats();
      send(response, 200, { ok: true });
    } else if (request.method === 'PUT' && pathname === '/_emulator/scenario') {
      try {
        setScenario(parseScenario(JSON.parse(await readBody(request)), 'scenario body'));
        send(response, 200, { ok: true, scenario });
      } catch (error) {
        const message = error instanceof ScenarioError ? error.message : `Invalid scenario body: ${(error as Error).message}`;
        send(response, 400, { message });
      }
    } else if (request.method === 'GET' && pathname === '/_emulator/scenario') {
      send(response, 200, scenario);
    } else {
      send(response, 404, { message: `No emulator control route ${request.method} ${pathname}` });
    }
  };

  const handle = async (request: Request, response: Response) => {
    response.setHeader(EMULATOR_HEADER, '1');
    response.setHeader('x-amzn-requestid', randomUUID());
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator/')) return handleControl(request, response, url.pathname);

    const route = routeOf(request.method ?? 'GET', url.pathname);
    if (!route) {
      send(response, 404, { message: `No route for ${request.method} ${url.pathname}` });
      return;
    }
    const authorization = request.headers.authorization;
    if (!authorization) {
      sendError(response, new BedrockError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
      return;
    }
    const region = regionFromAuthorization(authorization);
    if (!region) {
      sendError(response, new BedrockError(403, 'IncompleteSignatureException', 'Authorization header requires a Credential parameter with a region.'));
      return;
    }
    countRequest(request, region, route.operation);
    if (/Credential=ASIAEXPIRED/.test(authorization)) {
      sendError(response, new BedrockError(403, 'ExpiredTokenException', 'The security token included in the request is expired'));
      return;
    }
    const bodyText = request.method === 'POST' ? await readBody(request) : '';

    if (scenario.hang.includes(region)) return; // accept the request and never answer
    if (isNotEnabled(region)) {
      sendError(response, new BedrockError(403, 'UnrecognizedClientException', NOT_ENABLED));
      return;
    }
    const regionData = data.regions.get(region)!;
    const isRuntime = route.operation === 'Converse' || route.operation === 'ConverseStream';
    if (!isRuntime) await sleep(perRegion(scenario.controlPlaneLatencyMs, region));

    const fault = injectedFault(region, route.operation);
    if (fault) {
      sendError(response, fault);
      return;
    }
    const identifier = route.identifier ?? '';
    switch (route.operation) {
      case 'ListFoundationModels':
        send(response, 200, listFoundationModels(regionData, url.searchParams));
        return;
      case 'GetFoundationModel': {
        const model = findModel(regionData, identifier);
        if (!model) throw new BedrockError(404, 'ResourceNotFoundException', `Could not find model ${identifier}.`);
        send(response, 200, { modelDetails: model });
        return;
      }
      case 'ListInferenceProfiles':
        send(response, 200, listInferenceProfiles(regionData, url.searchParams));
        return;
      case 'GetInferenceProfile': {
        const profile = findProfile(regionData, identifier);
        if (!profile) throw new BedrockError(404, 'ResourceNotFoundException', `Inference profile ${identifier} not found.`);
        send(response, 200, profile);
        return;
      }
      case 'GetFoundationModelAvailability':
        send(response, 200, availability(regionData, region, identifier));
        return;
      case 'Converse':
      case 'ConverseStream': {
        const modelId = resolveInvocationTarget(regionData, identifier);
        if (denied(region, modelId)) throw new BedrockError(403, 'AccessDeniedException', ACCESS_DENIED);
        const body = parseConverseBody(bodyText);
        if (route.operation === 'Converse') await converse(response, region, modelId, body);
        else await converseStream(response, region, modelId, body);
        return;
      }
    }
  };

  const onRequest = (request: Request, response: Response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BedrockError) sendError(response, error);
      else sendError(response, new BedrockError(500, 'InternalServerException', (error as Error).message));
    });
  };
  // Node's `allowHTTP1` only works behind TLS (ALPN), so one cleartext port serves both protocols by peeking at the
  // first bytes of each connection: the HTTP/2 preface goes to the h2c server, anything else to the HTTP/1.1 one.
  const h2Server = http2.createServer({}, onRequest);
  const h1Server = http.createServer({ keepAlive: true }, onRequest);
  h2Server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const server = net.createServer((socket) => {
    totalConnections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      const prefix = first.subarray(0, Math.min(first.length, HTTP2_PREFACE.length));
      if (prefix.equals(HTTP2_PREFACE.subarray(0, prefix.length))) {
        h2Server.emit('connection', replayingStream(socket, first));
      } else {
        socket.unshift(first);
        h1Server.emit('connection', socket);
        socket.resume();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setScenario,
    stats: () => structuredClone({ requests, connections, totalConnections }),
    resetStats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

