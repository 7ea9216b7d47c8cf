import { describe, expect, it } from 'vitest';
import { RegionRateLimiter } from './rate-limit';
import { VirtualClock } from '../../testing/virtual-clock';

describe('LookupEvents rate limit, per region', () => {
  it('spaces the calls of one region 1/rate apart, the first at once, whoever asks', async () => {
    const clock = new VirtualClock();
    const limiter = new RegionRateLimiter(clock, 2);
    const signal = new AbortController().signal;
    const times: number[] = [];
    const start = clock.now();
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await limiter.take('us-east-1', signal);
        times.push(clock.now());
      }),
    );
    // The k-th call starts no sooner than k half-seconds after the first could: never more than 2 in a second.
    times.forEach((time, k) => expect(time).toBeGreaterThanOrEqual(start + 500 * k));
    expect(clock.sleeps.filter((ms) => ms > 0)).toHaveLength(4);
  });

  it('regions do not wait for each other', async () => {
    const clock = new VirtualClock();
    const limiter = new RegionRateLimiter(clock, 2);
    const signal = new AbortController().signal;
    await limiter.take('us-east-1', signal);
    await limiter.take('eu-west-1', signal);
    await limiter.take('ap-south-1', signal);
    expect(clock.sleeps).toEqual([]);
  });

  it('holds a region off after a throttle', async () => {
    const clock = new VirtualClock();
    const limiter = new RegionRateLimiter(clock, 2);
    const signal = new AbortController().signal;
    await limiter.take('us-east-1', signal);
    limiter.holdOff('us-east-1', 4_000);
    const before = clock.now();
    await limiter.take('us-east-1', signal);
    expect(clock.now() - before).toBeGreaterThanOrEqual(4_000);
  });

  it('a cancelled wait rejects and gives its turn back', async () => {
    const clock = new VirtualClock();
    const limiter = new RegionRateLimiter(clock, 2);
    await limiter.take('us-east-1', new AbortController().signal);
    const abort = new AbortController();
    const waiting = limiter.take('us-east-1', abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow('Cancelled');
    const sleepsBefore = clock.sleeps.length;
    await limiter.take('us-east-1', new AbortController().signal);
    // The next call takes the turn the cancelled one gave back: half a second after the first, not a second.
    expect(clock.sleeps.slice(sleepsBefore).every((ms) => ms <= 500)).toBe(true);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RegionRateLimiter(new VirtualClock(), 0)).toThrow(RangeError);
  });
});
