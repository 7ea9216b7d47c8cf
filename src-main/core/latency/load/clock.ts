/**
 * The clock a load run keeps its schedule and times its requests with. The system clock is performance.now();
 * a test passes its own to make a late sender deterministic (a sender that wakes late without waiting for it).
 */
export interface LoadClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** The wall-clock time (epoch ms) of a reading of `now`. */
  epochMs(at: number): number;
  /** Resolves once `now()` has reached `at` (at once when it has), or as soon as `signal` aborts. */
  sleepUntil(at: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: LoadClock = {
  now: () => performance.now(),
  epochMs: (at) => performance.timeOrigin + at,
  sleepUntil: (at, signal) => {
    const wait = at - performance.now();
    if (wait <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      // Timers fire at whole milliseconds, never early: a timer set for the remaining wait is at most ~1 ms late.
      const timer = setTimeout(done, wait);
      signal.addEventListener('abort', done, { once: true });
    });
  },
};
