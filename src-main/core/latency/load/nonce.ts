import { randomUUID } from 'node:crypto';

/**
 * A nonce before the prompt makes every request of a load run unique, so no prompt cache (Bedrock's, or a model
 * provider's implicit one) answers it faster than a new user's request would be answered: the cache never flatters
 * TTFT. At the start, because a cache matches prompts by their prefix.
 */
export function withNonce(prompt: string): string {
  return `[${randomUUID()}] ${prompt}`;
}

/** What the nonce adds to every prompt, for the estimate. */
export const NONCE_CHARACTERS = '[00000000-0000-0000-0000-000000000000] '.length;
