import type { ServerResponse } from 'node:http';
import type { EmulatorData, FoundationModelSummaryWire, RegionData } from './bedrock-data';
import { isAccessDenied } from './control-plane';
import { eventFrame, exceptionFrame, generateAnswer } from './converse';
import type { FaultInjector, MidStreamFault } from './faults';
import { assertServes, offersTokenCounting, outputBurndownRate, speedFactors, UNSUPPORTED } from './model-features';
import { parseConverseRequest, parseCountTokensRequest, type LatencyMode } from './prompt';
import type { PromptCache } from './prompt-cache';
import type { SeededStreams } from './random';
import type { MidStreamErrorRule, Operation, Scenario } from './scenario';
import { findModel, resolveInvocationTarget } from './targets';
import { perRegion, sampleDelay, sleepUntil } from './timing';
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
const STREAM_EXCEPTION_OUTCOMES: Record<MidStreamErrorRule['exception'], Omit<InvocationRecord, 'at' | 'region' | 'modelId'>> = {
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
    if (error instanceof BedrockError) deps.recordInvocation({ region, modelId: identifier, ...failedInvocation(error.status) });
    throw error;
  }
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
  assertServes(model, operation, request);

  const latency: LatencyMode | undefined =
    request.latency === 'optimized' && !deps.faults().optimizedServed(region, modelId) ? 'standard' : request.latency;
  const speed = speedFactors(latency, request.serviceTier);
  const timing = {
    ttftMs: Math.max(0, sampleDelay(perRegion(scenario.timeToFirstTokenMs, region), deps.delays(), `ttft:${region}`) * speed.ttft - call.roundTripMs),
    perTokenMs: sampleDelay(perRegion(scenario.perTokenMs, region), deps.delays(), `perToken:${region}`) * speed.perToken,
  };
  const answer = generateAnswer(modelId, request.body);
  const cache = deps.promptCache.usage(region, modelId, request.prompt);
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
    deps.recordInvocation({ region, modelId: identifier, ...completed(modelId, usage, latencyMs) });
    return;
  }
  await stream(deps, call, { tokens: answer.tokens, stopReason: answer.stopReason, usage, served, timing }, modelId);
}

function completed(modelId: string, usage: StreamPlan['usage'], latencyMs: number, ttftMs?: number): Omit<InvocationRecord, 'at' | 'region' | 'modelId'> {
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
}

async function stream(deps: RuntimeDeps, call: RuntimeCall, plan: StreamPlan, modelId: string): Promise<void> {
  const { response, region } = call;
  const fault: MidStreamFault | null = deps.faults().midStreamFault(region, modelId);
  const started = performance.now();
  let ended = false;
  let clientGone = false;
  let firstTokenAt: number | null = null;
  const record = (outcome: Omit<InvocationRecord, 'at' | 'region' | 'modelId'>) => deps.recordInvocation({ region, modelId: call.identifier, ...outcome });
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
