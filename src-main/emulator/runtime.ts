import type { ServerResponse } from 'node:http';
import type { EmulatorData, FoundationModelSummaryWire, InferenceProfileWire, RegionData } from './bedrock-data';
import { isAccessDenied } from './control-plane';
import { DEFAULT_MAX_TOKENS, eventFrame, exceptionFrame, generateAnswer, type ConverseRequestBody } from './converse';
import type { FaultInjector, MidStreamFault } from './faults';
import { assertServes, offersTokenCounting, outputBurndownRate, speedFactors, UNSUPPORTED } from './model-features';
import { parseConverseRequest, parseCountTokensRequest, type LatencyMode } from './prompt';
import type { PromptCache } from './prompt-cache';
import type { QuotaEnforcer } from './quota-enforcement';
import type { SeededStreams } from './random';
import type { MidStreamErrorRule, Operation, Scenario } from './scenario';
import { profileDestinations, type Router } from './routing';
import { findModel, findProfile, resolveInvocationTarget } from './targets';
import { perRegion, sampleDelay, sleepUntil, typicalDelay } from './timing';
import type { InvocationRecord } from './usage-log';
import { BedrockError, MESSAGES, sendJson, validation, type EmulatorRequest, type EmulatorResponse } from './wire';

/**
 * The `bedrock-runtime` operations: Converse, ConverseStream (event-stream frames, token by token on the scenario's
 * timing) and CountTokens, with the scenario's faults, the latency mode and service tier asked for, and prompt
 * caching.
 */

export interface RuntimeDeps {
  data: EmulatorData;
  scenario: () => Scenario;
  faults: () => FaultInjector;
  /** Draws for the scenario's delay distributions. */
  delays: () => SeededStreams;
  promptCache: PromptCache;
  /** Destroys the TCP connection under a request, as a network failure would. */
  dropConnection: (request: EmulatorRequest) => Promise<void>;
  /** A client went away before its stream ended. */
  onStreamAborted: (region: string) => void;
  /** Logs a Converse or ConverseStream call for CloudWatch's AWS/Bedrock metrics (the emulator stamps its time). */
  recordInvocation: (entry: Omit<InvocationRecord, 'at'>) => void;
  /** Picks the destination region of each profile request. */
  router: () => Router;
  /** The scenario's quota buckets (a no-op unless it enforces quotas). */
  quotas: () => QuotaEnforcer;
  /** The emulator's clock, epoch milliseconds. */
  now: () => number;
}

/** What the runtime learnt about a call as it went, for its CloudTrail event (the caller writes the event). */
export interface CallDetails {
  /** The request's parameters as CloudTrail logs them: the model and settings, never the content (null: none). */
  requestParameters: Record<string, unknown> | null;
  /** The region a profile request ran in. */
  inferenceRegion?: string;
  /** The answer's token counts, once it completed. */
  tokens?: { inputTokens: number; outputTokens: number };
  /** The latency mode and service tier the answer said it was served with. */
  served?: Record<string, unknown>;
}

export interface RuntimeCall {
  request: EmulatorRequest;
  response: EmulatorResponse;
  operation: Operation;
  region: string;
  regionData: RegionData;
  identifier: string;
  bodyText: string;
  /** The round trip already waited for this request; the TTFT drawn includes it. */
  roundTripMs: number;
  /** The `x-amzn-requestid` the answer carries: the usage log and CloudTrail keep it. */
  requestId: string;
  /** Filled in as the call goes. */
  details: CallDetails;
}

/** Mid-stream exception payloads: Bedrock's texts where they are known. */
const STREAM_EXCEPTIONS: Record<MidStreamErrorRule['exception'], Record<string, unknown>> = {
  throttlingException: { message: MESSAGES.throttled },
  modelStreamErrorException: {
    message: 'The model stream was interrupted by an error from the model.',
    originalStatusCode: 500,
    originalMessage: 'Model stream interrupted.',
  },
  internalServerException: { message: MESSAGES.internal },
  validationException: { message: 'The model returned the following errors: Input is too long for requested model.' },
  serviceUnavailableException: { message: MESSAGES.unavailable },
};

/** What CloudWatch counts for a call that ended in an error, by the error's status (Bedrock's metric definitions). */
function failedInvocation(status: number): Pick<InvocationRecord, 'invocations' | 'throttles' | 'clientErrors' | 'serverErrors'> {
  // Throttled and refused calls are not invocations; a server error happened to an accepted one.
  if (status === 429) return { invocations: 0, throttles: 1, clientErrors: 0, serverErrors: 0 };
  if (status >= 500) return { invocations: 1, throttles: 0, clientErrors: 0, serverErrors: 1 };
  return { invocations: 0, throttles: 0, clientErrors: 1, serverErrors: 0 };
}

/** What CloudWatch counts for a stream that ends in an exception frame. */
const STREAM_EXCEPTION_OUTCOMES: Record<MidStreamErrorRule['exception'], Pick<InvocationRecord, 'invocations' | 'throttles' | 'clientErrors' | 'serverErrors'>> = {
  throttlingException: { invocations: 0, throttles: 1, clientErrors: 0, serverErrors: 0 },
  validationException: { invocations: 1, throttles: 0, clientErrors: 1, serverErrors: 0 },
  modelStreamErrorException: { invocations: 1, throttles: 0, clientErrors: 0, serverErrors: 1 },
  internalServerException: { invocations: 1, throttles: 0, clientErrors: 0, serverErrors: 1 },
  serviceUnavailableException: { invocations: 1, throttles: 0, clientErrors: 0, serverErrors: 1 },
};

export async function answerRuntime(deps: RuntimeDeps, call: RuntimeCall): Promise<void> {
  if (call.operation === 'CountTokens') return countTokens(deps, call);
  const { region, identifier } = call;
  // An identifier Bedrock cannot resolve publishes no metric: CloudWatch's ModelId values are real targets.
  const model = resolveInvocationTarget(deps.data, call.regionData, identifier);
  try {
    await answerInvocation(deps, call, model);
  } catch (error) {
    if (error instanceof BedrockError) deps.recordInvocation({ region, modelId: identifier, requestId: call.requestId, ...failedInvocation(error.status) });
    throw error;
  }
}

/**
 * The region that serves the call: the one called for a model id, one of the destinations for a profile. The work
 * runs there, so the answer takes that region's time to first token and token speed; the round trip stays the
 * caller's, to the region called. A region's `timeToFirstTokenMs` is what a client sees calling it directly, its
 * round trip included: the service's share is that less the region's round trip (this request's own when the
 * region called serves it, the typical one of a destination).
 */
function servingPlan(deps: RuntimeDeps, call: RuntimeCall, profile: InferenceProfileWire | undefined, speed: { ttft: number; perToken: number }) {
  const { region } = call;
  const scenario = deps.scenario();
  const servedRegion = profile ? deps.router().serve(region, profile.inferenceProfileId, profileDestinations(deps.data, call.regionData, profile)) : region;
  const roundTripShare = servedRegion === region ? call.roundTripMs : typicalDelay(perRegion(scenario.roundTripMs, servedRegion));
  const ttftDrawn = sampleDelay(perRegion(scenario.timeToFirstTokenMs, servedRegion), deps.delays(), `ttft:${servedRegion}`);
  return {
    servedRegion,
    routed: profile !== undefined,
    timing: {
      ttftMs: Math.max(0, ttftDrawn * speed.ttft - roundTripShare),
      perTokenMs: sampleDelay(perRegion(scenario.perTokenMs, servedRegion), deps.delays(), `perToken:${servedRegion}`) * speed.perToken,
    },
  };
}

/** CloudTrail logs a runtime call's settings, not its messages (the real records show modelId and inferenceConfig). */
function loggedParameters(identifier: string, body: ConverseRequestBody): Record<string, unknown> {
  return {
    modelId: identifier,
    ...(body.inferenceConfig ? { inferenceConfig: body.inferenceConfig } : {}),
    ...(body.performanceConfig ? { performanceConfig: body.performanceConfig } : {}),
    ...(body.serviceTier ? { serviceTier: body.serviceTier } : {}),
  };
}

/** The quota cost CloudWatch's EstimatedTPMQuotaUsage reports for a completed call. */
function quotaTokens(modelId: string, usage: { inputTokens: number; cacheWriteInputTokens?: number; outputTokens: number }): number {
  return usage.inputTokens + (usage.cacheWriteInputTokens ?? 0) + usage.outputTokens * outputBurndownRate(modelId);
}

async function answerInvocation(deps: RuntimeDeps, call: RuntimeCall, model: FoundationModelSummaryWire): Promise<void> {
  const { region, identifier, operation } = call;
  const modelId = model.modelId;
  const scenario = deps.scenario();
  if (isAccessDenied(scenario, region, modelId)) throw new BedrockError(403, 'AccessDeniedException', MESSAGES.accessDenied);
  const fault = deps.faults().beforeAnswer({ region, operation, modelId, identifier });
  if (fault) throw fault;
  const request = parseConverseRequest(call.bodyText);
  call.details.requestParameters = loggedParameters(identifier, request.body);
  assertServes(model, operation, request);
  const profile = findProfile(call.regionData, identifier);
  const routeKind = !profile ? 'on-demand' : profile.inferenceProfileId.startsWith('global.') ? 'global-profile' : 'geo-profile';
  const reservedTokens = request.prompt.totalTokens + (request.body.inferenceConfig?.maxTokens ?? DEFAULT_MAX_TOKENS);
  const admission = deps.quotas().admit({ region, modelId, routeKind, reservedTokens }, deps.now());

  const latency: LatencyMode | undefined =
    request.latency === 'optimized' && !deps.faults().optimizedServed(region, modelId) ? 'standard' : request.latency;
  const { servedRegion, routed, timing } = servingPlan(deps, call, profile, speedFactors(latency, request.serviceTier));
  if (routed) call.details.inferenceRegion = servedRegion;
  const answer = generateAnswer(modelId, request.body);
  // The cache lives where the model runs: a profile request routed elsewhere misses what another region wrote.
  const cache = deps.promptCache.usage(servedRegion, modelId, request.prompt);
  const outputTokens = answer.tokens.length;
  const usage = {
    ...cache,
    outputTokens,
    totalTokens: cache.inputTokens + (cache.cacheReadInputTokens ?? 0) + (cache.cacheWriteInputTokens ?? 0) + outputTokens,
  };
  // Echo what was served, where the request asked: optimized latency falls back to standard silently.
  const served = {
    ...(latency ? { performanceConfig: { latency } } : {}),
    ...(request.serviceTier ? { serviceTier: { type: request.serviceTier } } : {}),
  };
  call.details.served = served;
  const record = (outcome: Outcome) => {
    // A call cut short settles at its prompt: the model read it, and what it wrote is not counted.
    admission.settle(outcome.usage?.quotaTokens ?? cache.inputTokens + (cache.cacheWriteInputTokens ?? 0), deps.now());
    if (outcome.usage) call.details.tokens = { inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens };
    deps.recordInvocation({ region, modelId: identifier, requestId: call.requestId, servedRegion, ...outcome });
  };

  if (operation === 'Converse') {
    const started = performance.now();
    await sleepUntil(started + timing.ttftMs + timing.perTokenMs * Math.max(0, outputTokens - 1));
    const latencyMs = Math.round(performance.now() - started);
    sendJson(call.response, 200, {
      output: { message: { role: 'assistant', content: [{ text: answer.tokens.join('') }] } },
      stopReason: answer.stopReason,
      usage,
      metrics: { latencyMs },
      ...served,
    });
    record(completed(modelId, usage, latencyMs));
    return;
  }
  await stream(deps, call, { tokens: answer.tokens, stopReason: answer.stopReason, usage, served, timing, record }, modelId);
}

/** What a call came to, as CloudWatch counts it. */
type Outcome = Omit<InvocationRecord, 'at' | 'region' | 'modelId' | 'requestId' | 'servedRegion'>;

function completed(modelId: string, usage: StreamPlan['usage'], latencyMs: number, ttftMs?: number): Outcome {
  return {
    invocations: 1,
    throttles: 0,
    clientErrors: 0,
    serverErrors: 0,
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadInputTokens ?? 0,
      cacheWriteTokens: usage.cacheWriteInputTokens ?? 0,
      latencyMs,
      ...(ttftMs === undefined ? {} : { ttftMs }),
      quotaTokens: quotaTokens(modelId, usage),
    },
  };
}

interface StreamPlan {
  tokens: string[];
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number };
  served: Record<string, unknown>;
  timing: { ttftMs: number; perTokenMs: number };
  record: (outcome: Outcome) => void;
}

async function stream(deps: RuntimeDeps, call: RuntimeCall, plan: StreamPlan, modelId: string): Promise<void> {
  const { response, region } = call;
  const fault: MidStreamFault | null = deps.faults().midStreamFault(region, modelId);
  const started = performance.now();
  let ended = false;
  let clientGone = false;
  let firstTokenAt: number | null = null;
  const { record } = plan;
  const accepted = { invocations: 1, throttles: 0, clientErrors: 0, serverErrors: 0 } as const;
  response.on('close', () => {
    if (ended) return;
    clientGone = true;
    deps.onStreamAborted(region);
    record(accepted);
  });
  const write = (frame: Uint8Array) => {
    if (!clientGone && !response.destroyed) (response as ServerResponse).write(frame);
  };
  const finish = () => {
    ended = true;
    response.end();
  };
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  let sequence = 0;
  write(eventFrame('messageStart', { role: 'assistant' }, sequence++));
  const count = plan.tokens.length;
  const faultAt = fault ? Math.min(fault.afterTokens, count) : -1;
  for (let index = 0; index <= count; index++) {
    // Each token has its own deadline from the start, so timer lateness never adds up over a long answer.
    if (index < count) await sleepUntil(started + plan.timing.ttftMs + plan.timing.perTokenMs * index);
    if (clientGone) return;
    if (fault && index === faultAt) {
      ended = true;
      if (fault.kind === 'networkDrop') {
        record(accepted);
        await deps.dropConnection(call.request);
        return;
      }
      record(STREAM_EXCEPTION_OUTCOMES[fault.exception]);
      write(exceptionFrame(fault.exception, STREAM_EXCEPTIONS[fault.exception]));
      finish();
      return;
    }
    if (index < count) {
      firstTokenAt ??= performance.now();
      write(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: plan.tokens[index] } }, sequence++));
    }
  }
  write(eventFrame('contentBlockStop', { contentBlockIndex: 0 }, sequence++));
  write(eventFrame('messageStop', { stopReason: plan.stopReason }, sequence++));
  const latencyMs = Math.round(performance.now() - started);
  write(eventFrame('metadata', { usage: plan.usage, metrics: { latencyMs }, ...plan.served }, sequence++));
  finish();
  record(completed(modelId, plan.usage, latencyMs, Math.round((firstTokenAt ?? performance.now()) - started)));
}

/** CountTokens takes foundation model ids only (a profile id is an invalid identifier), ON_DEMAND or not. */
async function countTokens(deps: RuntimeDeps, call: RuntimeCall): Promise<void> {
  const { region, identifier } = call;
  const model = findModel(call.regionData, identifier);
  if (!model) throw validation(MESSAGES.invalidModel);
  if (isAccessDenied(deps.scenario(), region, model.modelId)) {
    throw new BedrockError(403, 'AccessDeniedException', MESSAGES.accessDenied);
  }
  const fault = deps.faults().beforeAnswer({ region, operation: 'CountTokens', modelId: model.modelId, identifier });
  if (fault) throw fault;
  if (!offersTokenCounting(model.modelId)) throw validation(UNSUPPORTED.tokenCounting);
  sendJson(call.response, 200, { inputTokens: parseCountTokensRequest(call.bodyText) });
}
