import { WaitCancelled, type JobClock } from '../core/attribution/clock';

/**
 * A clock for tests whose waits pass at once: "now" is the wall clock plus every wait skipped so far, so what the
 * code under test measures against the wall (a latency run's send times) and what it waits for stay in one time
 * line. Waits end in the order of their deadlines, one per macrotask turn, so concurrent waiters wake as they would
 * on the wall. Hand the same clock to the emulator (`startEmulator({ clock: clock.now })`) and its rate limits and
 * event delays follow it too.
 */
export class VirtualClock implements JobClock {
  private skipped = 0;
  private readonly waits: { until: number; ms: number; wake: () => void }[] = [];
  private scheduled = false;
  /** Waits longer than this stay asleep until `release()` (null: none is held). */
  private holdAbove: number | null = null;
  /** Every wait asked, in milliseconds, in order: what a test asserts the schedule on. */
  readonly sleeps: number[] = [];

  now = (): number => Date.now() + this.skipped;

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new WaitCancelled('Cancelled'));
      const wait = {
        until: this.now() + Math.max(0, ms),
        ms,
        wake: () => {
          signal.removeEventListener('abort', cancel);
          resolve();
        },
      };
      const cancel = () => {
        const index = this.waits.indexOf(wait);
        if (index >= 0) this.waits.splice(index, 1);
        reject(new WaitCancelled('Cancelled'));
      };
      signal.addEventListener('abort', cancel, { once: true });
      this.waits.push(wait);
      this.schedule();
    });
  }

  /**
   * From now on, waits longer than `ms` do not end until `release()`: a job's wait for its next pass stays asleep
   * while the short waits of the rate limit still pass, so a test can act between two passes.
   */
  hold(ms: number): void {
    this.holdAbove = ms;
  }

  release(): void {
    this.holdAbove = null;
    this.schedule();
  }

  /** Waits held now. */
  get held(): number {
    return this.holdAbove === null ? 0 : this.waits.filter((wait) => wait.ms > this.holdAbove!).length;
  }

  /** Moves time on by `ms` without anyone waiting (a restart much later, say). */
  advance(ms: number): void {
    this.skipped += ms;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waits.sort((a, b) => a.until - b.until);
      const index = this.waits.findIndex((wait) => this.holdAbove === null || wait.ms <= this.holdAbove);
      if (index < 0) return;
      const [next] = this.waits.splice(index, 1);
      this.skipped += Math.max(0, next!.until - this.now());
      next!.wake();
      if (this.waits.length > 0) this.schedule();
    });
  }
}
