import { describe, expect, it } from 'vitest';
import { niceTicks } from './route-label';

const ROUND = [1, 2, 2.5, 5];
/** A step is round when it is 1, 2, 2.5 or 5 times a power of ten. */
const isRound = (step: number) => ROUND.some((factor) => Math.abs(Math.log10(step / factor) - Math.round(Math.log10(step / factor))) < 1e-9);

describe('chart ticks at round steps (issue 21 §16)', () => {
  it('a slowest p99 of 1500 ms gives 0, 500, 1000, 1500, not 375 and 1125', () => {
    expect(niceTicks(1500)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(1500)).not.toContain(375);
  });

  it.each([1, 7, 42, 180, 333, 821, 1068, 1123, 2999, 47_000])('for a largest value of %d: one round step from 0, ending at or above it, at most 5 intervals', (max) => {
    const ticks = niceTicks(max);
    const step = ticks[1]! - ticks[0]!;
    expect(ticks[0]).toBe(0);
    expect(isRound(step)).toBe(true);
    ticks.forEach((tick, index) => expect(tick).toBeCloseTo(index * step, 9));
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
    expect(ticks[ticks.length - 2]).toBeLessThan(max);
    expect(ticks.length - 1).toBeLessThanOrEqual(5);
  });
});
