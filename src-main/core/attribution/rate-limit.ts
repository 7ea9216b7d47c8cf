import type { JobClock } from './clock';

/**
 * LookupEvents' limit, one bucket per region: "The rate of lookup requests is limited to two per second, per
 * account, per Region. If this limit is exceeded, a throttling error occurs." (LookupEvents API reference). Each call
 * takes a turn: the first at once, the next 1/rate seconds after the previous one, so the calls of every job and
 * page of a region never go faster than the limit, whoever asks. Written here rather than taken from p-throttle or
 * Bottleneck because the waits must go through the job's clock, which tests replace so that nothing waits on the
 * wall.
 */
export class RegionRateLimiter {
  /** Per region: when the next call may start (epoch ms). */
  private readonly nextTurn = new Map<string, number>();

  constructor(
    private readonly clock: JobClock,
    private readonly callsPerSecond: number,
  ) {
    if (!(callsPerSecond > 0)) throw new RangeError('callsPerSecond must be above 0');
  }

  /** Waits for the region's next turn; rejects once the signal aborts (the turn is then given back). */
  async take(region: string, signal: AbortSignal): Promise<void> {
    const spacing = 1000 / this.callsPerSecond;
    const now = this.clock.now();
    const turn = Math.max(now, this.nextTurn.get(region) ?? now);
    this.nextTurn.set(region, turn + spacing);
    if (turn <= now) return;
    try {
      await this.clock.sleep(turn - now, signal);
    } catch (error) {
      // A cancelled wait gives its turn back only when no later caller took the one after it.
      if (this.nextTurn.get(region) === turn + spacing) this.nextTurn.set(region, turn);
      throw error;
    }
  }

  /** After a throttle: no call in the region for `ms` (someone else in the account is using the rate too). */
  holdOff(region: string, ms: number): void {
    this.nextTurn.set(region, Math.max(this.nextTurn.get(region) ?? 0, this.clock.now() + ms));
  }
}
