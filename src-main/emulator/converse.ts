import { createHash } from 'node:crypto';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/**
 * Deterministic model output for Converse and ConverseStream: the same prompt always yields the same words, so
 * tests can assert on text, stop sequences and token counts.
 */

const VOCABULARY = (
  'bedrock routes each request through the region you call and answers with tokens that stream back as ' +
  'deltas the emulator keeps every answer deterministic so tests and demos can rely on it latency depends on ' +
  'distance capacity and the model profile chosen for the call geo profiles keep data inside one geography ' +
  'while the global profile may serve from any supported commercial region'
).split(' ');

export interface ContentBlock {
  text?: string;
  image?: { format?: string; source?: { bytes?: string } };
  cachePoint?: { type?: string; ttl?: string };
}

/** The members of a Converse / ConverseStream body that the emulator reads (bytes arrive base64-encoded). */
export interface ConverseRequestBody {
  messages?: { role?: string; content?: ContentBlock[] }[];
  system?: ContentBlock[];
  inferenceConfig?: { maxTokens?: number; stopSequences?: string[] };
  performanceConfig?: { latency?: string };
  serviceTier?: { type?: string };
}

export interface GeneratedAnswer {
  /** Text deltas, one per output token. */
  tokens: string[];
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence';
}

export function promptText(body: ConverseRequestBody): string {
  const parts: string[] = [];
  for (const block of body.system ?? []) if (typeof block.text === 'string') parts.push(block.text);
  for (const message of body.messages ?? []) {
    for (const block of message.content ?? []) if (typeof block.text === 'string') parts.push(block.text);
  }
  return parts.join('\n');
}

/** The answer's limit when the request sets no `maxTokens`; also what a quota reserves for it. */
export const DEFAULT_MAX_TOKENS = 512;

export function generateAnswer(modelId: string, body: ConverseRequestBody): GeneratedAnswer {
  const prompt = promptText(body);
  const digest = createHash('sha256').update(`${modelId}\n${prompt}`).digest();
  // A SHA-256 digest is 32 bytes: every index below is taken modulo its length.
  const byte = (index: number) => digest[index % digest.length]!;
  const naturalLength = 24 + (byte(0) % 40);
  const maxTokens = body.inferenceConfig?.maxTokens ?? DEFAULT_MAX_TOKENS;
  const length = Math.min(naturalLength, maxTokens);
  const tokens: string[] = [];
  for (let index = 0; index < length; index++) {
    const word = VOCABULARY[(byte(index) + index * 7) % VOCABULARY.length] ?? '';
    tokens.push(index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : ` ${word}`);
  }
  let stopReason: GeneratedAnswer['stopReason'] = length < naturalLength ? 'max_tokens' : 'end_turn';
  const stopSequences = Array.isArray(body.inferenceConfig?.stopSequences) ? body.inferenceConfig.stopSequences : [];
  if (stopSequences.length > 0) {
    let text = '';
    for (let index = 0; index < tokens.length; index++) {
      text += tokens[index];
      const hit = stopSequences.find((sequence) => sequence !== '' && text.includes(sequence));
      if (hit) {
        const cut = text.indexOf(hit);
        const kept = tokens.slice(0, index + 1);
        const overshoot = text.length - cut;
        const last = kept[index] ?? '';
        kept[index] = last.slice(0, last.length - overshoot);
        tokens.splice(0, tokens.length, ...kept.filter((token) => token !== ''));
        stopReason = 'stop_sequence';
        break;
      }
    }
  }
  return { tokens, stopReason };
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Real Bedrock pads every event payload with a `p` field of varying length; clients ignore it. */
function padding(sequence: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return alphabet.slice(0, 1 + ((sequence * 13) % alphabet.length));
}

export function eventFrame(eventType: string, payload: Record<string, unknown>, sequence: number): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify({ ...payload, p: padding(sequence) })),
  });
}

export function exceptionFrame(exceptionType: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}
