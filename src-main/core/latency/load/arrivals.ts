import type { ArrivalProcess } from '../../../../src-shared/contract/load';

/**
 * When an open-loop level sends: offsets in milliseconds from the level's start, below its duration. Poisson
 * arrivals have exponential gaps of mean 1/rate (MLPerf LoadGen's server scenario, and real independent users);
 * constant ones are evenly spaced. The gaps come from a seeded generator, so a seed replays the same schedule.
 */

/** mulberry32: a small, fast 32-bit generator with a full period, plenty for arrival gaps. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The arrivals of one level, in order, drawn as they are needed (an hour at 1 000 per second is never held at
 * once). Each level of a run is seeded apart (the run's seed plus the level's index), so levels differ.
 */
export function* arrivalOffsets(process: ArrivalProcess, ratePerSecond: number, durationMs: number, seed: number): Generator<number> {
  const meanGapMs = 1000 / ratePerSecond;
  if (process === 'constant') {
    // Multiplied, not summed: a long level does not drift by the rounding of every gap.
    for (let index = 0; index * meanGapMs < durationMs; index++) yield index * meanGapMs;
    return;
  }
  const random = seededRandom(seed);
  // The first arrival at the start, as LoadGen issues its first query at once; the gaps after it are exponential.
  for (let at = 0; at < durationMs; at += -Math.log(1 - random()) * meanGapMs) yield at;
}
