import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { RetryStrategyV2 } from '@smithy/types';

/**
 * Retries for Bedrock calls: the SDK's standard strategy (retry budget, throttling and transient-error
 * classification, Retry-After handling) with a short, jittered, capped backoff instead of the SDK's adaptive mode.
 * Adaptive mode waited about 2 s before retrying a throttled list call and then its client-side rate limiter spaced
 * the region's next pages 250–700 ms apart, so one throttled region held a whole scan at twice its floor.
 */

/** The first retry waits 50–100 ms; each later one doubles that, up to the cap. */
export const RETRY_BASE_DELAY_MS = 100;
export const RETRY_MAX_DELAY_MS = 1_000;

/**
 * "Equal jitter": half the exponential step for sure, half at random, so concurrent callers spread out without any
 * retry going out immediately. `attempt` is the retry's number, 1 for the first retry.
 */
export function retryBackoffMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * `maxAttempts` counts every attempt, the first included; 1 turns retries off (for calls whose timing is the
 * measurement). A `Retry-After` (or `x-amz-retry-after`) header lengthens the wait to what the service asked, up to
 * the backoff plus 5 s: the standard strategy's own bound, so a hostile header cannot stall a call for minutes.
 */
export function cappedRetryStrategy(maxAttempts: number, random?: () => number): RetryStrategyV2 {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a whole number of at least 1 (got ${maxAttempts})`);
  }
  return new ConfiguredRetryStrategy(maxAttempts, (attempt) => retryBackoffMs(attempt, random));
}
