import { randomUUID } from 'node:crypto';
import { bearerRegion, bearerTokenOf, checkBearerToken, REGION_HEADER } from './api-keys';
import { loadEmulatorData, type EmulatorData } from './bedrock-data';
import { ConnectionTracker } from './connections';
import { answerControl, CONTROL_PREFIX } from './control-api';
import { ControlPlane } from './control-plane';
import { FaultInjector } from './faults';
import { PriceRecordings } from './price-data';
import { PromptCache } from './prompt-cache';
import { listenH1AndH2c } from './protocol';
import { appliedQuota, loadQuotaRecordings } from './quota-data';
import { QuotaEnforcer } from './quota-enforcement';
import { SeededStreams } from './random';
import { Router } from './routing';
import { answerRuntime, type CallDetails } from './runtime';
import { ScenarioState, type ServiceContext } from './services/context';
import { answerService, serviceOf } from './services/dispatch';
import { ObjectStore, type S3ObjectSnapshot } from './services/s3-store';
import { EMPTY_SCENARIO, RUNTIME_OPERATIONS, type Scenario } from './scenario';
import { perRegion, sampleDelay, sleep } from './timing';
import { controlPlaneParameters, lookupEventOf, type TrailCall } from './trail-events';
import { TrailLog } from './trail-log';
import { UsageLog, type InvocationRecord } from './usage-log';
import {
  accessKeyIdFromAuthorization,
  BedrockError,
  MESSAGES,
  readBody,
  regionFromAuthorization,
  routeOf,
  sendError,
  sendJson,
  type EmulatorRequest,
  type EmulatorResponse,
  type Route,
} from './wire';

/**
 * A local AWS that speaks the real wire protocols (Bedrock's restJson1 over cleartext HTTP/2 and HTTP/1.1, SigV4-scoped
 * regions, event-stream framing; the query and awsJson protocols of the other services), so the real AWS SDK
 * clients run against it unmodified through `endpoint`. Every region and service is served on one port: the region
 * comes from the credential scope of each request's signature, the service from the JSON target header, the query
 * `Action` (services/dispatch.ts) or, for Bedrock, the path. This file dispatches; each concern has its module
 * (protocol, connections, control-plane, runtime, faults, control-api, services/*).
 */

export { regionFromAuthorization } from './wire';

export const EMULATOR_HEADER = 'x-bedrock-atlas-emulator';

export interface EmulatorOptions {
  port?: number;
  scenario?: Scenario;
  data?: EmulatorData;
  /**
   * The emulator's wall clock, epoch milliseconds (`Date.now` by default): when a runtime call is logged for
   * CloudWatch, and the "now" that seeded metric series count their minutes back from.
   */
  clock?: () => number;
}

export interface EmulatorStats {
  /** Requests per region, then per operation. */
  requests: Record<string, Record<string, number>>;
  /** Connections (HTTP/1.1 sockets or HTTP/2 sessions) per region, counted at their first signed request. */
  connections: Record<string, number>;
  /** The same, for connections whose first request was a runtime call (Converse, ConverseStream, CountTokens). */
  runtimeConnections: Record<string, number>;
  /** The same, for connections whose first request was a control-plane call. */
  controlPlaneConnections: Record<string, number>;
  /** Streams per region that the client closed before their end (a cancel reaching the server). */
  abortedStreams: Record<string, number>;
  /** The most signed requests of one region the emulator held at once (received, not yet answered or closed). */
  peakConcurrentRequests: Record<string, number>;
  /** The signed requests of each region held now (a hung request stays until its client closes it). */
  inFlightRequests: Record<string, number>;
  /** Every TCP connection accepted, signed or not. */
  totalConnections: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  setScenario(scenario: Scenario): void;
  stats(): EmulatorStats;
  resetStats(): void;
  /** Every object the emulator's S3 holds, by bucket and key, with its bytes: what a test checks without the SDK. */
  s3Objects(): S3ObjectSnapshot[];
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const data = options.data ?? loadEmulatorData();
  const controlPlane = new ControlPlane(data);
  const connections = new ConnectionTracker();
  const promptCache = new PromptCache();
  const quotaRecordings = loadQuotaRecordings();
  const priceRecordings = new PriceRecordings(data);
  // CloudTrail's history outlives a change of scenario, as AWS's does; a reset clears it.
  const trail = new TrailLog();
  // So do S3's buckets and objects; a scenario's `s3.buckets` are created when it is set.
  const objects = new ObjectStore();
  const createScenarioBuckets = (of: Scenario) => of.s3.buckets.forEach((name) => objects.createBucket(name, 'us-east-1', clock()));
  const clock = options.clock ?? Date.now;
  let scenario = options.scenario ?? EMPTY_SCENARIO;
  createScenarioBuckets(scenario);
  let faults = new FaultInjector(scenario);
  let delays = new SeededStreams(scenario.seed);
  let router = new Router(scenario.routing, scenario.seed);
  const quotaEnforcer = (of: Scenario) =>
    new QuotaEnforcer(of.enforceQuotas, (region, modelId, routeKind, unit) => appliedQuota(quotaRecordings, data, of.quotas, region, modelId, routeKind, unit));
  let quotas = quotaEnforcer(scenario);
  let usage = new UsageLog();
  let serviceState = new ScenarioState();
  let requests: EmulatorStats['requests'] = {};
  let abortedStreams: EmulatorStats['abortedStreams'] = {};
  let inFlight: Record<string, number> = {};
  let peakConcurrentRequests: EmulatorStats['peakConcurrentRequests'] = {};
  let totalConnections = 0;

  /** Every rule, counter, draw, cached prompt, logged invocation and quota request starts over. */
  const restartScenario = (next: Scenario) => {
    scenario = next;
    faults = new FaultInjector(next);
    delays = new SeededStreams(next.seed);
    router = new Router(next.routing, next.seed);
    quotas = quotaEnforcer(next);
    promptCache.clear();
    usage = new UsageLog();
    serviceState = new ScenarioState();
    createScenarioBuckets(next);
  };
  const resetStats = () => {
    requests = {};
    abortedStreams = {};
    inFlight = {};
    peakConcurrentRequests = {};
    totalConnections = 0;
    connections.reset();
    trail.clear();
    objects.clear();
    restartScenario(scenario);
  };
  const stats = (): EmulatorStats => ({
    requests: structuredClone(requests),
    ...connections.snapshot(),
    abortedStreams: { ...abortedStreams },
    peakConcurrentRequests: { ...peakConcurrentRequests },
    inFlightRequests: { ...inFlight },
    totalConnections,
  });

  const countRequest = (region: string, operation: string) => {
    const perOperation = (requests[region] ??= {});
    perOperation[operation] = (perOperation[operation] ?? 0) + 1;
  };

  /** Counts a request of `region` as held until its response ends or its stream closes. */
  const holdRequest = (region: string, response: EmulatorResponse) => {
    const counts = inFlight;
    counts[region] = (counts[region] ?? 0) + 1;
    peakConcurrentRequests[region] = Math.max(peakConcurrentRequests[region] ?? 0, counts[region]);
    let held = true;
    const release = () => {
      if (held) counts[region] = (counts[region] ?? 1) - 1;
      held = false;
    };
    // 'finish': the whole answer is handed to the socket, before the client can read it; 'close': a stream ended early.
    response.once('finish', release);
    response.once('close', release);
  };

  const isNotEnabled = (region: string) =>
    data.notEnabledRegions.includes(region) || !data.regions.has(region) || scenario.notEnabled.includes(region);

  const answerBedrock = async (request: EmulatorRequest, response: EmulatorResponse, url: URL, route: Route, requestId: string) => {
    const authorization = request.headers.authorization;
    const bearer = bearerTokenOf(authorization);
    const region = bearer ? bearerRegion(request.headers[REGION_HEADER]) : regionFromAuthorization(authorization);
    // A new connection pays its handshake once, on its first request, signed or not.
    if (connections.firstUse(request)) {
      await sleep(sampleDelay(perRegion(scenario.connectionSetupMs, region ?? '*'), delays, `connectionSetup:${region ?? '*'}`));
    }
    // Every answer, a refusal included, comes back no faster than the network path allows.
    const roundTripMs = sampleDelay(perRegion(scenario.roundTripMs, region ?? '*'), delays, `roundTrip:${region ?? '*'}`);
    await sleep(roundTripMs);
    if (!authorization) throw new BedrockError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (!region) {
      throw new BedrockError(403, 'IncompleteSignatureException', 'Authorization header requires a Credential parameter with a region.');
    }
    const isRuntime = RUNTIME_OPERATIONS.includes(route.operation);
    countRequest(region, route.operation);
    holdRequest(region, response);
    connections.attribute(request, region, isRuntime ? 'runtime' : 'controlPlane');
    if (/Credential=ASIAEXPIRED/.test(authorization)) {
      throw new BedrockError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
    }
    if (bearer) checkBearerToken(bearer, region, scenario.apiKeys);
    const bodyText = request.method === 'POST' ? await readBody(request) : '';
    if (scenario.hang.includes(region)) return; // accept the request and never answer
    if (isNotEnabled(region)) throw new BedrockError(403, 'UnrecognizedClientException', MESSAGES.notEnabled);
    const regionData = data.regions.get(region)!;
    const identifier = route.identifier ?? '';
    // From here the call is the account's: CloudTrail records it, answered or refused, once it has an outcome.
    const details: CallDetails = { requestParameters: isRuntime ? { modelId: identifier } : controlPlaneParameters(route.operation, route.identifier, url.searchParams) };
    const trailCall = {
      region,
      operation: route.operation,
      requestId,
      receivedAt: clock(),
      ...(bearer ? {} : { accessKeyId: accessKeyIdFromAuthorization(authorization) }),
      userAgent: String(request.headers['user-agent'] ?? ''),
    };
    const recordTrail = (error?: TrailCall['error']) => {
      const { requestParameters, ...outcome } = details;
      const call: TrailCall = { ...trailCall, requestParameters, ...outcome, ...(error ? { error } : {}) };
      trail.record(region, requestId, lookupEventOf(scenario, call), clock());
    };
    try {
      if (isRuntime) {
        await answerRuntime(runtimeDeps, { request, response, operation: route.operation, region, regionData, identifier, bodyText, roundTripMs, requestId, details });
      } else {
        await sleep(Math.max(0, sampleDelay(perRegion(scenario.controlPlaneLatencyMs, region), delays, `controlPlane:${region}`) - roundTripMs));
        const fault = faults.beforeAnswer({ region, operation: route.operation });
        if (fault) throw fault;
        sendJson(response, 200, controlPlane.answer(route.operation, regionData, identifier, url.searchParams, scenario));
      }
    } catch (error) {
      recordTrail(error instanceof BedrockError ? { code: error.errorType, message: error.message } : { code: 'InternalServerException', message: MESSAGES.internal });
      throw error;
    }
    recordTrail();
  };

  const handle = async (request: EmulatorRequest, response: EmulatorResponse) => {
    const requestId = randomUUID();
    response.setHeader(EMULATOR_HEADER, '1');
    response.setHeader('x-amzn-requestid', requestId);
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return answerControl(controlDeps, request, response, url.pathname);
    const service = serviceOf(request);
    if (service) return answerService(service, request, response, { scenario, requestId, countRequest, context: serviceContext() });
    let route: Route | null;
    try {
      route = routeOf(request.method ?? 'GET', url.pathname);
    } catch {
      sendJson(response, 400, { message: `Malformed percent-encoding in ${url.pathname}` });
      return;
    }
    if (!route) {
      sendJson(response, 404, { message: `No route for ${request.method} ${url.pathname}` });
      return;
    }
    await answerBedrock(request, response, url, route, requestId);
  };

  const server = await listenH1AndH2c(
    options.port ?? 0,
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        sendError(response, error instanceof BedrockError ? error : new BedrockError(500, 'InternalServerException', (error as Error).message));
      });
    },
    () => totalConnections++,
  );

  const dropConnection = async (request: EmulatorRequest) => {
    const socket = server.socketOf(request);
    if (!socket) return;
    // Let what was written reach the wire first (HTTP/1.1 uncorks and HTTP/2 sends its frames on later ticks):
    // the drop comes after the tokens already sent, as when a network fails mid-answer.
    for (let turn = 0; turn < 5 && (turn < 2 || socket.writableLength > 0); turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Closed rather than reset: a reset makes the client's kernel discard tokens it has received but not yet
    // read, so the number delivered before the drop would vary from run to run.
    socket.destroy();
  };
  const runtimeDeps = {
    data,
    scenario: () => scenario,
    faults: () => faults,
    delays: () => delays,
    promptCache,
    dropConnection,
    onStreamAborted: (region: string) => (abortedStreams[region] = (abortedStreams[region] ?? 0) + 1),
    recordInvocation: (entry: Omit<InvocationRecord, 'at'>) => usage.record({ ...entry, at: clock() }),
    router: () => router,
    quotas: () => quotas,
    now: clock,
  };
  /** The state a service module reads, as it stands for this request (a new scenario replaces the per-scenario parts). */
  const serviceContext = (): ServiceContext => ({ data, quotas: quotaRecordings, prices: priceRecordings, now: clock, usage, trail, objects, state: serviceState, delays, dropConnection });
  const controlDeps = {
    port: () => server.port,
    scenario: () => scenario,
    setScenario: restartScenario,
    reset: () => {
      restartScenario(EMPTY_SCENARIO);
      resetStats();
    },
    stats,
  };

  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    setScenario: restartScenario,
    stats,
    resetStats,
    s3Objects: () => objects.snapshot(),
    close: () => server.close(),
  };
}
