import type { PromptSize } from '../../../src-shared/contract/latency';

/**
 * The fixed prompts of a latency run, shipped with the app so that every run, on every machine and day, sends the
 * same input and figures stay comparable. Each asks for a long answer, so maxTokens decides the output length.
 * Sizes follow the practice of LLMPerf and Artificial Analysis (short, about 500 and about 2000 input tokens).
 */

const ASK = 'Write a detailed, plain-prose explanation of how a request travels from a client to a cloud region and back. Keep writing until you are stopped.';

const PASSAGE =
  'A request leaves the client as bytes on a socket. It crosses the local network, the ISP, and several backbone ' +
  'carriers before it reaches the edge of the provider. There a load balancer terminates TLS and forwards it to a ' +
  'service host, which authenticates the signature, checks quotas and hands the prompt to a model server. The model ' +
  'reads the whole input before it writes the first token, so a longer prompt delays the first token, and every ' +
  'token after it is sent as soon as it is produced. ';

/** About 4 characters per token: Anthropic's rule of thumb, and the emulator's count. */
export const CHARACTERS_PER_TOKEN = 4;

function repeatTo(characters: number): string {
  return PASSAGE.repeat(Math.ceil(characters / PASSAGE.length)).slice(0, characters).trimEnd();
}

export const LATENCY_PROMPTS: Record<PromptSize, string> = {
  small: ASK,
  medium: `${repeatTo(500 * CHARACTERS_PER_TOKEN - ASK.length - 2)}\n\n${ASK}`,
  large: `${repeatTo(2000 * CHARACTERS_PER_TOKEN - ASK.length - 2)}\n\n${ASK}`,
};

export function estimatedTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARACTERS_PER_TOKEN));
}
