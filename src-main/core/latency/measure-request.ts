import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ErrorClass, TokenUsage } from '../../../src-shared/contract/latency';
import type { LatencyMode } from '../../../src-shared/contract/playground';
import { classifyAwsError } from '../aws/errors';
import { RequestTiming, timedRequest } from '../aws/request-timing';
import { systemClock, type LoadClock } from './load/clock';

/**
 * One measured ConverseStream request, timed as the README defines it: TTFT from the request handed to the socket
 * to the first non-empty text delta; E2E to the last delta or messageStop, whichever is later; inter-token latency
 * (E2E − TTFT) / (outputTokens − 1) with Bedrock's own usage.outputTokens; the largest gap between deltas.
 */

export interface MeasuredSample {
  ok: true;
  ttftMs: number;
  e2eMs: number;
  /** null below two output tokens. */
  interTokenMs: number | null;
  outputTokens: number | null;
  serverLatencyMs: number | null;
  largestGapMs: number | null;
  reusedSocket: boolean | null;
  /** What the metadata said was served (performanceConfig.latency). */
  servedLatency: string | null;
  /** Bedrock's request id (`x-amzn-requestid`): what CloudTrail and support know the request by. */
  requestId: string | null;
  /** Wall-clock time (epoch ms) the request was handed to the socket, or started when that was never seen. */
  sentAtEpochMs: number;
  /** The same instant on the caller's clock, to set against a schedule kept on it. */
  sentAtMs: number;
  /** The tokens Bedrock reported for the request (metadata.usage), what it bills; null when it reported none. */
  usage: TokenUsage | null;
}

export interface FailedSample {
  ok: false;
  errorClass: ErrorClass;
  error: unknown;
  /** The request outlived the run's per-request timeout (whatever the SDK then threw). */
  timedOut: boolean;
  reusedSocket: boolean | null;
  /** Usage Bedrock reported before the failure, if it did. */
  usage: TokenUsage | null;
  /** Bedrock's request id, from the error or from the response the stream failed in; null when none arrived. */
  requestId: string | null;
  sentAtEpochMs: number;
  sentAtMs: number;
}

export interface RequestPlan {
  client: BedrockRuntimeClient;
  invokeId: string;
  prompt: string;
  maxTokens: number;
  latency: LatencyMode;
  timeoutMs: number;
}

export class RequestAborted extends Error {
  override readonly name = 'RequestAborted';
}

/** The `$metadata.requestId` the SDK reads from `x-amzn-requestid`, on an output or on a service error. */
export function requestIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('$metadata' in value)) return null;
  const metadata = (value as { $metadata?: { requestId?: unknown } }).$metadata;
  return typeof metadata?.requestId === 'string' && metadata.requestId !== '' ? metadata.requestId : null;
}

export function interTokenLatency(ttftMs: number, e2eMs: number, outputTokens: number | null): number | null {
  if (outputTokens === null || outputTokens < 2) return null;
  return (e2eMs - ttftMs) / (outputTokens - 1);
}

/**
 * The runtime SDK module, imported on the first measured request and kept: a module already loaded still costs a
 * resolution on every `import()` (off-thread under a loader such as tsx's), which a load run pays per request.
 */
let runtimeSdk: Promise<typeof import('@aws-sdk/client-bedrock-runtime')> | null = null;
const loadRuntimeSdk = () => (runtimeSdk ??= import('@aws-sdk/client-bedrock-runtime'));

/**
 * Sends one request; a cancel of the run (`signal`) throws RequestAborted, every other failure is a FailedSample.
 * Every instant is read on `clock` (the system's unless a load run's test passes its own).
 */
export async function measureRequest(plan: RequestPlan, signal: AbortSignal, clock: LoadClock = systemClock): Promise<MeasuredSample | FailedSample> {
  const timing = new RequestTiming(() => clock.now());
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), plan.timeoutMs);
  const abortSignal = AbortSignal.any([signal, timeout.signal]);
  const command = new (await loadRuntimeSdk()).ConverseStreamCommand({
    modelId: plan.invokeId,
    messages: [{ role: 'user', content: [{ text: plan.prompt }] }],
    inferenceConfig: { maxTokens: plan.maxTokens },
    ...(plan.latency === 'optimized' ? { performanceConfig: { latency: 'optimized' } } : {}),
  });
  const fallbackStart = clock.now();
  let firstDelta: number | null = null;
  let lastDelta: number | null = null;
  let messageStop: number | null = null;
  let largestGap: number | null = null;
  let outputTokens: number | null = null;
  let serverLatencyMs: number | null = null;
  let servedLatency: string | null = null;
  let usage: TokenUsage | null = null;
  let requestId: string | null = null;
  const sent = () => ({ sentAtMs: timing.sentAt ?? fallbackStart, sentAtEpochMs: clock.epochMs(timing.sentAt ?? fallbackStart) });
  try {
    const response = await timedRequest(timing, () => plan.client.send(command, { abortSignal }));
    requestId = requestIdOf(response);
    for await (const event of response.stream ?? []) {
      if (event.contentBlockDelta?.delta?.text) {
        const at = clock.now();
        if (lastDelta !== null) largestGap = Math.max(largestGap ?? 0, at - lastDelta);
        firstDelta ??= at;
        lastDelta = at;
      } else if (event.messageStop) {
        messageStop = clock.now();
      } else if (event.metadata) {
        outputTokens = event.metadata.usage?.outputTokens ?? null;
        const reported = event.metadata.usage;
        if (reported) {
          usage = { input: reported.inputTokens ?? 0, output: reported.outputTokens ?? 0, cacheRead: reported.cacheReadInputTokens ?? 0, cacheWrite: reported.cacheWriteInputTokens ?? 0 };
        }
        serverLatencyMs = event.metadata.metrics?.latencyMs ?? null;
        servedLatency = event.metadata.performanceConfig?.latency ?? null;
      }
    }
  } catch (error) {
    if (signal.aborted) throw new RequestAborted('The run was cancelled');
    const timedOut = timeout.signal.aborted;
    return {
      ok: false,
      errorClass: classifyAwsError(error, { timedOut }).errorClass,
      error,
      timedOut,
      reusedSocket: timing.reusedSocket,
      usage,
      requestId: requestIdOf(error) ?? requestId,
      ...sent(),
    };
  } finally {
    clearTimeout(timer);
  }
  if (firstDelta === null || lastDelta === null) {
    return { ok: false, errorClass: 'other', error: new Error('The stream ended without any text'), timedOut: false, reusedSocket: timing.reusedSocket, usage, requestId, ...sent() };
  }
  const sentAt = timing.sentAt ?? fallbackStart;
  const ttftMs = firstDelta - sentAt;
  const e2eMs = Math.max(lastDelta, messageStop ?? 0) - sentAt;
  return {
    ok: true,
    ttftMs,
    e2eMs,
    interTokenMs: interTokenLatency(ttftMs, e2eMs, outputTokens),
    outputTokens,
    serverLatencyMs,
    largestGapMs: largestGap,
    reusedSocket: timing.reusedSocket,
    servedLatency,
    usage,
    requestId,
    sentAtMs: sentAt,
    sentAtEpochMs: clock.epochMs(sentAt),
  };
}
