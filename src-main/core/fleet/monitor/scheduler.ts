import type { MonitorConfig } from '../../../../src-shared/fleet/monitor-config';
import { WaitCancelled, type JobClock } from '../../attribution/clock';

/**
 * When cycles run: one per slot of `everyMinutes` from the start, each delayed by a random jitter of up to
 * `jitterSeconds` so monitors started together do not measure (and throttle) in lockstep. A cycle that overruns its
 * next slot makes that slot skipped, never queued: a slow region must not turn into a burst of back-to-back cycles.
 * Time and randomness are passed in, so tests run a day of slots without waiting.
 */

export interface Slot {
  index: number;
  /** Epoch ms the cycle was planned to start at (its slot plus its jitter). */
  plannedAt: number;
}

export interface SchedulerOptions {
  schedule: MonitorConfig['schedule'];
  clock: JobClock;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Aborted: no further cycle starts, and a wait for one ends at once. */
  signal: AbortSignal;
  runCycle: (slot: Slot) => Promise<void>;
  /** A slot passed while the cycle before it was still running. */
  onMissed?: (slot: Slot) => void;
}

export async function runOnSchedule({ schedule, clock, random, signal, runCycle, onMissed }: SchedulerOptions): Promise<void> {
  const period = schedule.everyMinutes * 60_000;
  const origin = clock.now();
  for (let index = 0; !signal.aborted; index++) {
    const plannedAt = origin + index * period + Math.floor(random() * schedule.jitterSeconds * 1000);
    const wait = plannedAt - clock.now();
    if (wait < 0 && -wait >= period) {
      onMissed?.({ index, plannedAt });
      continue;
    }
    try {
      await clock.sleep(Math.max(0, wait), signal);
    } catch (error) {
      if (error instanceof WaitCancelled) return;
      throw error;
    }
    if (signal.aborted) return;
    await runCycle({ index, plannedAt });
  }
}
