/**
 * The attribution job's sense of time: what time it is, and waiting. Attribution waits minutes between passes and
 * half a second between CloudTrail calls, so tests hand in a clock whose waits pass at once (and whose "now" moves
 * by what was waited) instead of waiting on the wall.
 */
export interface JobClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export class WaitCancelled extends Error {
  override readonly name = 'WaitCancelled';
}

export const systemClock: JobClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new WaitCancelled('Cancelled'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      }, Math.max(0, ms));
      const stop = () => {
        clearTimeout(timer);
        reject(new WaitCancelled('Cancelled'));
      };
      signal.addEventListener('abort', stop, { once: true });
    }),
};
