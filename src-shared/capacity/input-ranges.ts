/**
 * The ranges the capacity calculator accepts, kept apart from the contract's schema so that the CLI's option parsers
 * can name them without loading zod. A model's own output limit narrows max_tokens further (model-limits.ts).
 */
export interface CountRange {
  min: number;
  max: number;
}

export const CAPACITY_RANGES = {
  rpm: { min: 1, max: 10_000_000 },
  concurrency: { min: 1, max: 100_000 },
  durationMs: { min: 1, max: 3_600_000 },
  inputTokens: { min: 1, max: 10_000_000 },
  maxTokens: { min: 1, max: 10_000_000 },
  outputTokens: { min: 0, max: 10_000_000 },
  cacheReadTokens: { min: 0, max: 10_000_000 },
  cacheWriteTokens: { min: 0, max: 10_000_000 },
} as const satisfies Record<string, CountRange>;

export type CapacityField = keyof typeof CAPACITY_RANGES;

/** "1 to 10,000,000" */
export function describeRange({ min, max }: CountRange): string {
  return `${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
}
