import type { ContentBlock as SdkContentBlock, ConverseStreamCommandInput, Message as SdkMessage } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseInput, ConverseResult, StreamContext } from '../../../src-shared/contract';
import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { resolveRoute, type ResolvedRoute } from '../../../src-shared/catalog/resolve-route';
import type { AwsClientPool } from '../aws/client-pool';
import { explainBedrockCall } from '../aws/bedrock-call-errors';
import { RequestTiming, timedRequest } from '../aws/request-timing';

/**
 * One conversation turn through one route: pre-flight from the catalog (a bare id that needs a profile is caught
 * before the call), then ConverseStream through the region's pooled runtime client, text forwarded delta by
 * delta, metrics as the latency lab defines them (from the request's last byte handed to the socket, never
 * retried silently: a throttle is shown, not hidden in a longer TTFT). A model without streaming is called with
 * Converse.
 */

export interface ConverseDependencies {
  clients: AwsClientPool;
  catalog: () => Promise<CatalogDocument>;
}

export function toSdkMessages(input: Pick<ConverseInput, 'messages'>): SdkMessage[] {
  return input.messages.map((message) => ({
    role: message.role,
    content: message.content.map((block): SdkContentBlock =>
      'text' in block
        ? { text: block.text }
        : { image: { format: block.image.format, source: { bytes: Buffer.from(block.image.bytesBase64, 'base64') } } },
    ),
  }));
}

export function buildRequest(input: ConverseInput, route: ResolvedRoute): ConverseStreamCommandInput {
  return {
    modelId: route.invokeId,
    messages: toSdkMessages(input),
    ...(input.system ? { system: [{ text: input.system }] } : {}),
    ...(input.inferenceConfig ? { inferenceConfig: input.inferenceConfig } : {}),
    ...(input.latency ? { performanceConfig: { latency: input.latency } } : {}),
    ...(input.serviceTier ? { serviceTier: { type: input.serviceTier } } : {}),
  };
}

/** Output speed excludes TTFT: 1 / inter-token latency, undefined below two tokens (see the README's definitions). */
export function outputTokensPerSecond(ttftMs: number | null, e2eMs: number, outputTokens: number | undefined): number | null {
  if (ttftMs === null || !outputTokens || outputTokens < 2 || e2eMs <= ttftMs) return null;
  return (outputTokens - 1) / ((e2eMs - ttftMs) / 1000);
}

export async function converse(
  input: ConverseInput,
  { signal, emit }: StreamContext<{ text: string }>,
  dependencies: ConverseDependencies,
): Promise<ConverseResult> {
  const now = () => performance.now();
  const route = resolveRoute(await dependencies.catalog(), input.target, input.region, { autoProfile: input.autoProfile });
  const resultRoute = {
    invokeId: route.invokeId,
    callRegion: route.callRegion,
    kind: route.kind,
    ...(route.autoRoutedFrom ? { autoRoutedFrom: route.autoRoutedFrom } : {}),
  };
  const client = await dependencies.clients.bedrockRuntime(route.callRegion, { retries: false, streaming: route.model?.streaming !== false });
  const { ConverseCommand, ConverseStreamCommand } = await import('@aws-sdk/client-bedrock-runtime');
  const timing = new RequestTiming();
  /** When the request left: its last byte on the socket, or (before it had one) when it was given to the SDK. */
  const sentAt = (fallback: number) => timing.sentAt ?? fallback;
  const request = buildRequest(input, route);

  // The wall-clock time it was sent, kept with the answer: CloudTrail is searched around it, however late one asks.
  const sentAtIso = new Date().toISOString();
  if (route.model?.streaming === false) {
    const started = now();
    const answer = await timedRequest(timing, () => client.send(new ConverseCommand(request), { abortSignal: signal })).catch((error: unknown) => {
      throw explainBedrockCall(error, route, dependencies.clients);
    });
    const e2eMs = now() - sentAt(started);
    const text = (answer.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
    if (text) await emit({ text });
    return {
      text,
      stopReason: answer.stopReason ?? null,
      usage: answer.usage ? { inputTokens: answer.usage.inputTokens ?? 0, outputTokens: answer.usage.outputTokens ?? 0, totalTokens: answer.usage.totalTokens ?? 0, ...cacheTokens(answer.usage) } : null,
      metrics: { ttftMs: null, e2eMs, outputTokensPerSecond: null, serverLatencyMs: answer.metrics?.latencyMs ?? null },
      route: resultRoute,
      served: { ...(answer.performanceConfig?.latency ? { latency: answer.performanceConfig.latency } : {}), ...(answer.serviceTier?.type ? { serviceTier: answer.serviceTier.type } : {}) },
      api: 'Converse',
      ...requestIdOf(answer),
      sentAt: sentAtIso,
    };
  }

  const started = now();
  let ttftMs: number | null = null;
  let lastDeltaMs: number | null = null;
  let messageStopMs: number | null = null;
  let text = '';
  let stopReason: string | null = null;
  let usage: ConverseResult['usage'] = null;
  let serverLatencyMs: number | null = null;
  const served: ConverseResult['served'] = {};
  let requestId: Pick<ConverseResult, 'requestId'> = {};
  try {
    const response = await timedRequest(timing, () => client.send(new ConverseStreamCommand(request), { abortSignal: signal }));
    requestId = requestIdOf(response);
    for await (const event of response.stream ?? []) {
      const delta = event.contentBlockDelta?.delta?.text;
      if (delta) {
        const at = now() - sentAt(started);
        ttftMs ??= at;
        lastDeltaMs = at;
        text += delta;
        await emit({ text: delta });
      } else if (event.messageStop) {
        messageStopMs = now() - sentAt(started);
        stopReason = event.messageStop.stopReason ?? null;
      } else if (event.metadata) {
        const meta = event.metadata;
        if (meta.usage) usage = { inputTokens: meta.usage.inputTokens ?? 0, outputTokens: meta.usage.outputTokens ?? 0, totalTokens: meta.usage.totalTokens ?? 0, ...cacheTokens(meta.usage) };
        serverLatencyMs = meta.metrics?.latencyMs ?? null;
        if (meta.performanceConfig?.latency) served.latency = meta.performanceConfig.latency;
        if (meta.serviceTier?.type) served.serviceTier = meta.serviceTier.type;
      }
    }
  } catch (error) {
    // Cancelled: the answer so far is the result, marked cancelled below.
    if (!signal.aborted) throw explainBedrockCall(error, route, dependencies.clients, { partialText: text });
  }
  const e2eMs = Math.max(lastDeltaMs ?? 0, messageStopMs ?? 0, ttftMs ?? 0) || now() - sentAt(started);
  return {
    text,
    stopReason,
    usage,
    metrics: { ttftMs, e2eMs, outputTokensPerSecond: outputTokensPerSecond(ttftMs, e2eMs, usage?.outputTokens), serverLatencyMs },
    route: resultRoute,
    served,
    api: 'ConverseStream',
    ...requestId,
    sentAt: sentAtIso,
    ...(signal.aborted && messageStopMs === null ? { cancelled: true as const } : {}),
  };
}

/** The `x-amzn-requestid` the SDK read into the response's metadata, as the result carries it. */
function requestIdOf(response: { $metadata: { requestId?: string } }): Pick<ConverseResult, 'requestId'> {
  const id = response.$metadata.requestId;
  return id ? { requestId: id } : {};
}

function cacheTokens(usage: { cacheReadInputTokens?: number; cacheWriteInputTokens?: number }) {
  return {
    ...(usage.cacheReadInputTokens !== undefined ? { cacheReadInputTokens: usage.cacheReadInputTokens } : {}),
    ...(usage.cacheWriteInputTokens !== undefined ? { cacheWriteInputTokens: usage.cacheWriteInputTokens } : {}),
  };
}
