import type { FoundationModelSummaryWire } from './bedrock-data';
import type { ConverseRequest, LatencyMode, ServiceTierType } from './prompt';
import type { Operation } from './scenario';
import { validation } from './wire';

/**
 * What a model can do on the runtime, from the recorded data (modalities, streaming) and from short lists where the
 * API does not say (latency-optimized inference, token counting), and how each choice changes its speed.
 */

/** AWS's list of models with latency-optimized inference (user guide, "Optimize model inference for latency"). */
export const OPTIMIZED_LATENCY_MODELS: readonly string[] = [
  'amazon.nova-pro-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'meta.llama3-1-70b-instruct-v1:0',
  'meta.llama3-1-405b-instruct-v1:0',
];

/**
 * Model families whose output tokens burn 5 tokens of quota each ("How tokens are counted in Amazon Bedrock",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html, as the global cross-region page
 * lists them: Opus 4, Sonnet 4.5, Sonnet 4, 3.7 Sonnet; and the later Claude models the Kilo-Org registry of
 * 2026-02 gives 5: Haiku 4.5, Sonnet 4.6, Opus 4.1, 4.5, 4.6). Every other model burns 1.
 */
const FIVE_TIMES_BURNDOWN = /^anthropic\.claude-(3-7-sonnet|sonnet-4|sonnet-4-5|sonnet-4-6|haiku-4-5|opus-4|opus-4-1|opus-4-5|opus-4-6)(-\d{8})?(-v\d+)?(:.*)?$/;

/** The output burndown rate of a model, or of a system profile's model (its scope prefix removed). */
export function outputBurndownRate(modelOrProfileId: string): number {
  const modelId = modelOrProfileId.replace(/^(us|eu|apac|jp|au|ca|in|us-gov|global)\./, '');
  return FIVE_TIMES_BURNDOWN.test(modelId) ? 5 : 1;
}

/** CountTokens answers for Anthropic's Claude models from 3.5 on; others get "doesn't support counting tokens". */
export function offersTokenCounting(modelId: string): boolean {
  return /^anthropic\.claude-/.test(modelId) && !/^anthropic\.claude-(v2|instant|3-(haiku|sonnet|opus)-)/.test(modelId);
}

/** Bedrock's texts for calls a model cannot take. */
export const UNSUPPORTED = {
  /** Seen from Bedrock for ConverseStream on a model without streaming (aws-samples/amazon-bedrock-client-for-mac#112). */
  streaming: 'The model is unsupported for streaming.',
  /** Seen from Bedrock for Converse on embedding, image, speech and rerank models. */
  notChat: "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
  /** Seen from Bedrock for an image sent to a model that does not take that image. */
  images: "This model doesn't support the image field for user messages.",
  tokenCounting: "The provided model doesn't support counting tokens.",
  /** The emulator's own words: Bedrock's text for this case is not on record. */
  optimizedLatency: (modelId: string) =>
    `The model ${modelId} doesn't offer latency-optimized inference. Remove performanceConfig or set latency to standard; optimized latency is offered for ${OPTIMIZED_LATENCY_MODELS.join(', ')}.`,
} as const;

/** Refuses a Converse / ConverseStream call the model cannot serve, as Bedrock does. */
export function assertServes(model: FoundationModelSummaryWire, operation: Operation, request: ConverseRequest): void {
  if (operation === 'ConverseStream' && model.responseStreamingSupported === false) throw validation(UNSUPPORTED.streaming);
  // Rerank models list TEXT output but are not chat models.
  if (!model.outputModalities.includes('TEXT') || model.modelId.includes('rerank')) throw validation(UNSUPPORTED.notChat);
  if (request.prompt.imageCount > 0 && !model.inputModalities.includes('IMAGE')) throw validation(UNSUPPORTED.images);
  if (request.latency === 'optimized' && !OPTIMIZED_LATENCY_MODELS.includes(model.modelId)) {
    throw validation(UNSUPPORTED.optimizedLatency(model.modelId));
  }
}

export interface SpeedFactors {
  ttft: number;
  perToken: number;
}

/**
 * How the served latency mode and service tier scale the scenario's delays. Optimized latency mostly speeds up
 * generation; priority is a little faster than default, flex slower (it trades latency for price).
 */
export function speedFactors(latency: LatencyMode | undefined, tier: ServiceTierType | undefined): SpeedFactors {
  const mode = latency === 'optimized' ? { ttft: 0.7, perToken: 0.5 } : { ttft: 1, perToken: 1 };
  const tierFactor = tier === 'priority' ? 0.85 : tier === 'flex' ? 1.5 : 1;
  return { ttft: mode.ttft * tierFactor, perToken: mode.perToken * tierFactor };
}
