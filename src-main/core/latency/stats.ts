import type { LatencyStats } from '../../../src-shared/contract/latency';

/**
 * Aggregates as the latency lab reports them. Percentiles interpolate linearly between the two nearest samples,
 * which is DuckDB's `quantile_cont`: a run's live figures and the same figures asked of the history agree.
 */

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  // 0 <= below <= above <= length - 1 on a non-empty array: both values are there.
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

/** p50…p99, mean, min, max and the sample standard deviation; null when there is nothing to summarise. */
export function summarize(values: readonly number[]): LatencyStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const variance = sorted.length < 2 ? 0 : sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (sorted.length - 1);
  return {
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(mean),
    // Not empty (checked above): the first and last samples are there.
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
    stddev: round(Math.sqrt(variance)),
  };
}

/** Two decimals: a hundredth of a millisecond is far below what any clock here can tell apart. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
