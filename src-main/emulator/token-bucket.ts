/**
 * A token bucket on a clock the caller passes in (the emulator's clock, or `performance.now()`): it refills
 * continuously at `perSecond` up to `capacity`, starts full, and may be drawn below zero when a cost turns out
 * larger than what was taken for it (a quota settled above its reservation), which later refills repay.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly perSecond: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes `amount` when the bucket holds it; false (and nothing taken) when it does not. */
  take(amount: number, now: number): boolean {
    this.refill(now);
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Gives back (a positive amount) or charges more (a negative one), whatever the bucket holds. */
  adjust(amount: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }

  private refill(now: number): void {
    // A clock set back (a test's) refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs / 1000) * this.perSecond);
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}
