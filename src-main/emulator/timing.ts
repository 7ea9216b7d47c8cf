import type { SeededStreams } from './random';

/**
 * Delays as a scenario states them: a fixed number of milliseconds, or a distribution given by its median and
 * spread. A distribution is log-normal (latencies are skewed: a long tail above the median, a floor below it) with
 * σ = spreadMs / medianMs, so that `spreadMs` is about one standard deviation for spreads up to a third of the
 * median. The median of many draws is `medianMs`.
 */
export type Delay = number | { medianMs: number; spreadMs: number };

/** Region keys take a region or "*"; the specific entry wins. Own keys only, so "constructor" is not a region. */
export function perRegion<T>(table: Record<string, T>, region: string): T | undefined {
  if (Object.hasOwn(table, region)) return table[region];
  return Object.hasOwn(table, '*') ? table['*'] : undefined;
}

export function sampleDelay(delay: Delay | undefined, streams: SeededStreams, stream: string): number {
  if (delay === undefined) return 0;
  if (typeof delay === 'number') return delay;
  if (delay.spreadMs === 0 || delay.medianMs === 0) return delay.medianMs;
  const sigma = delay.spreadMs / delay.medianMs;
  return delay.medianMs * Math.exp(sigma * streams.normal(stream));
}

/** A delay's usual value without a draw: the fixed figure, or the median of a distribution. */
export function typicalDelay(delay: Delay | undefined): number {
  if (delay === undefined) return 0;
  return typeof delay === 'number' ? delay : delay.medianMs;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Sleeps until an absolute `performance.now()` time, so a series of these does not accumulate timer lateness.
 * Timers count from the event loop's cached clock and can fire a little early: finish the last millisecond on
 * the check queue.
 */
export async function sleepUntil(deadline: number): Promise<void> {
  for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) {
    await (left >= 1 ? sleep(Math.floor(left)) : new Promise<void>((resolve) => setImmediate(resolve)));
  }
}
