import { imageTokens, IMAGE_FORMATS, inspectImage } from './images';
import type { ContentBlock, ConverseRequestBody } from './converse';
import { BedrockError, validation } from './wire';

/**
 * A Converse / ConverseStream / CountTokens body read the way Bedrock reads it: shape and enum checks first (with
 * Smithy's "1 validation error detected" texts and 1-based member paths), then the model-side image checks (with
 * "The model returned the following errors:" and 0-based paths), then the input token count, including the prefix
 * up to the last `cachePoint` that prompt caching would store.
 */

export const LATENCY_MODES = ['standard', 'optimized'] as const;
export type LatencyMode = (typeof LATENCY_MODES)[number];
export const SERVICE_TIERS = ['priority', 'default', 'flex', 'reserved'] as const;
export type ServiceTierType = (typeof SERVICE_TIERS)[number];

/** Bedrock's image limits: 20 images a request, 3.75 MB each (5 MB once base64-encoded), 8000 px a side. */
const MAX_IMAGES = 20;
const MAX_IMAGE_BASE64_BYTES = 5 * 1024 * 1024;
const MAX_IMAGE_SIDE = 8000;

const FIVE_MINUTES = 5 * 60_000;

export interface PromptTokens {
  /** Every input token: text at about four characters a token, plus each image's tokens. */
  totalTokens: number;
  imageCount: number;
  /** The part up to the last cache point, when there is one: what a prompt cache stores and reads back. */
  cachePrefix?: { tokens: number; material: string; ttlMs: number };
}

export interface ConverseRequest {
  body: ConverseRequestBody;
  latency?: LatencyMode;
  serviceTier?: ServiceTierType;
  prompt: PromptTokens;
}

const modelError = (detail: string) => validation(`The model returned the following errors: ${detail}`);

function enumError(path: string, value: unknown, allowed: readonly string[]) {
  return validation(
    `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BedrockError(400, 'SerializationException', 'Start of structure or map found where not expected.');
  }
}

export function parseConverseRequest(text: string): ConverseRequest {
  const body = parseJsonBody(text) as ConverseRequestBody | null;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
    throw validation('The model returned the following errors: messages: field required');
  }
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw validation(
      "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  }
  const latency = body.performanceConfig?.latency;
  if (latency !== undefined && !(LATENCY_MODES as readonly string[]).includes(latency)) {
    throw enumError('performanceConfig.latency', latency, LATENCY_MODES);
  }
  const tier = body.serviceTier?.type;
  if (body.serviceTier !== undefined && !(SERVICE_TIERS as readonly string[]).includes(tier ?? '')) {
    throw enumError('serviceTier.type', tier ?? null, SERVICE_TIERS);
  }
  return {
    body,
    latency: latency as LatencyMode | undefined,
    serviceTier: tier as ServiceTierType | undefined,
    prompt: readPrompt(body),
  };
}

/** CountTokens: `{input: {converse: {messages, system?}}}` or `{input: {invokeModel: {body: <base64>}}}`. */
export function parseCountTokensRequest(text: string): number {
  const body = parseJsonBody(text) as { input?: { converse?: ConverseRequestBody; invokeModel?: { body?: string } } } | null;
  const input = typeof body === 'object' && body !== null ? body.input : undefined;
  if (typeof input?.converse === 'object' && input.converse !== null) {
    if (!Array.isArray(input.converse.messages)) throw validation('The model returned the following errors: messages: field required');
    return readPrompt(input.converse).totalTokens;
  }
  if (typeof input?.invokeModel?.body === 'string') {
    return Math.max(1, Math.ceil(Buffer.from(input.invokeModel.body, 'base64').toString('utf8').length / 4));
  }
  throw validation("1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null");
}

/** A member that must be a list, as the SDK always sends it; anything else is a body no SDK would produce. */
function listAt(value: unknown, path: string): ContentBlock[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BedrockError(400, 'SerializationException', `Expected a list at ${path}.`);
  return value as ContentBlock[];
}

function readPrompt(body: ConverseRequestBody): PromptTokens {
  const located: { block: ContentBlock; message?: number; content: number }[] = [];
  for (const [content, block] of listAt(body.system, 'system').entries()) located.push({ block, content });
  for (const [message, turn] of listAt(body.messages, 'messages').entries()) {
    const blocks = listAt((turn as { content?: unknown } | null)?.content, `messages.${message}.content`);
    for (const [content, block] of blocks.entries()) located.push({ block, message, content });
  }
  const imageCount = located.filter(({ block }) => block?.image !== undefined).length;
  if (imageCount > MAX_IMAGES) throw modelError(`too many images and documents: ${imageCount} + 0 > ${MAX_IMAGES}`);

  const texts: string[] = [];
  let images = 0;
  let cachePrefix: PromptTokens['cachePrefix'];
  const tokensSoFar = () => Math.ceil(texts.join('\n').length / 4) + images;
  for (const { block, message, content } of located) {
    if (typeof block?.text === 'string') texts.push(block.text);
    if (block?.image !== undefined && message !== undefined) images += checkedImageTokens(block.image, message, content);
    if (block?.cachePoint !== undefined) {
      cachePrefix = {
        tokens: tokensSoFar(),
        material: `${texts.join('\n')}\n${images}`,
        ttlMs: block.cachePoint.ttl === '1h' ? 12 * FIVE_MINUTES : FIVE_MINUTES,
      };
    }
  }
  const totalTokens = Math.max(1, tokensSoFar());
  return { totalTokens, imageCount, ...(cachePrefix && cachePrefix.tokens > 0 ? { cachePrefix } : {}) };
}

function checkedImageTokens(image: NonNullable<ContentBlock['image']>, message: number, content: number): number {
  const format = image.format;
  if (!(IMAGE_FORMATS as readonly string[]).includes(format ?? '')) {
    throw validation(
      `1 validation error detected: Value at 'messages.${message + 1}.member.content.${content + 1}.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [${IMAGE_FORMATS.join(', ')}]`,
    );
  }
  const encoded = image.source?.bytes;
  if (typeof encoded !== 'string' || encoded.length === 0) {
    throw validation(`1 validation error detected: Value at 'messages.${message + 1}.member.content.${content + 1}.member.image.source' failed to satisfy constraint: Member must have bytes`);
  }
  const where = `messages.${message}.content.${content}.image.source.bytes`;
  if (encoded.length > MAX_IMAGE_BASE64_BYTES) {
    throw modelError(`${where}: image exceeds 5 MB maximum: ${encoded.length} bytes > ${MAX_IMAGE_BASE64_BYTES} bytes`);
  }
  const facts = inspectImage(Buffer.from(encoded, 'base64'));
  if (!facts) throw modelError(`${where}: The image was specified using the image/${format} media type, but it does not appear to be a valid image`);
  if (facts.format !== format) {
    throw modelError(`${where}: The image was specified using the image/${format} media type, but the image appears to be a image/${facts.format} image`);
  }
  if (facts.width > MAX_IMAGE_SIDE || facts.height > MAX_IMAGE_SIDE) {
    throw modelError(`${where}: At least one of the image dimensions exceed max allowed size: ${MAX_IMAGE_SIDE} pixels`);
  }
  return imageTokens(facts);
}
