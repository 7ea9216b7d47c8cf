import type { ArrivalProcess, LoadStopReason } from '../../../../src-shared/contract/load';
import { RequestAborted } from '../measure-request';
import { arrivalOffsets } from './arrivals';
import type { LoadClock } from './clock';
import type { LevelRequest } from './level-summary';

/**
 * The two ways a level sends its requests. Both ask `admit` before every send (the budget, a failed route) and stop
 * sending at its first refusal or at a cancel; the requests already in flight are waited for, and a cancel aborts
 * them upstream (their figures are not kept). What each sent request measured is handed back in the order it ended.
 */

/** Sends one admitted request; `scheduledAtMs` is its intended send time in open loop. Throws RequestAborted on a cancel. */
export type SendRequest = (scheduledAtMs: number | null) => Promise<LevelRequest>;

export interface LevelSender {
  clock: LoadClock;
  signal: AbortSignal;
  /** The next request's sender when it may go (its room in the budget taken), or why the level stops sending. */
  admit(): SendRequest | { stop: LoadStopReason };
}

export interface DrivenLevel {
  startedAtMs: number;
  requests: LevelRequest[];
  stoppedBy: LoadStopReason | null;
}

/** Sends one request and keeps its record; a cancel ends it without one. */
async function sendInto(send: SendRequest, scheduledAtMs: number | null, requests: LevelRequest[]): Promise<void> {
  try {
    requests.push(await send(scheduledAtMs));
  } catch (error) {
    if (!(error instanceof RequestAborted)) throw error;
  }
}

/**
 * Closed loop: `concurrency` workers, each sending its next request as soon as its last one ends, until the level
 * has sent `stepRequests` or `stepDurationMs` has passed since it started (the requests then in flight finish).
 */
export async function driveClosedLevel(sender: LevelSender, step: { concurrency: number; stepRequests: number | null; stepDurationMs: number | null }): Promise<DrivenLevel> {
  const { clock, signal } = sender;
  const startedAtMs = clock.now();
  const endsAt = step.stepDurationMs === null ? Infinity : startedAtMs + step.stepDurationMs;
  const requests: LevelRequest[] = [];
  let claimed = 0;
  let stoppedBy: LoadStopReason | null = null;
  const next = (): SendRequest | null => {
    if (stoppedBy) return null;
    if (signal.aborted) {
      stoppedBy = 'cancelled';
      return null;
    }
    if (step.stepRequests !== null ? claimed >= step.stepRequests : clock.now() >= endsAt) return null;
    const admitted = sender.admit();
    if ('stop' in admitted) {
      stoppedBy = admitted.stop;
      return null;
    }
    claimed++;
    return admitted;
  };
  const worker = async () => {
    for (let send = next(); send; send = next()) await sendInto(send, null, requests);
  };
  await Promise.all(Array.from({ length: step.concurrency }, worker));
  if (signal.aborted) stoppedBy ??= 'cancelled';
  return { startedAtMs, requests, stoppedBy };
}

/**
 * Open loop: requests sent on the schedule, whether or not earlier ones have answered. A send waits for its time,
 * then for a free slot when `maxInFlight` are out; either way its latency still counts from its scheduled time,
 * and a send that is due while the sender is behind goes at once.
 */
export async function driveOpenLevel(
  sender: LevelSender,
  step: { ratePerSecond: number; arrivals: ArrivalProcess; seed: number; stepDurationMs: number; maxInFlight: number },
): Promise<DrivenLevel> {
  const { clock, signal } = sender;
  const startedAtMs = clock.now();
  const requests: LevelRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  // One waiter at most (the loop below), woken by the next request to end: no race over every request in flight.
  let slotFreed: (() => void) | null = null;
  const freeSlot = () => new Promise<void>((resolve) => (slotFreed = resolve));
  const onAbort = () => slotFreed?.();
  signal.addEventListener('abort', onAbort, { once: true });
  let stoppedBy: LoadStopReason | null = null;
  let failure: unknown = null;
  for (const offset of arrivalOffsets(step.arrivals, step.ratePerSecond, step.stepDurationMs, step.seed)) {
    const scheduledAtMs = startedAtMs + offset;
    await clock.sleepUntil(scheduledAtMs, signal);
    while (inFlight.size >= step.maxInFlight && !signal.aborted) await freeSlot();
    if (failure) break;
    if (signal.aborted) {
      stoppedBy = 'cancelled';
      break;
    }
    const admitted = sender.admit();
    if ('stop' in admitted) {
      stoppedBy = admitted.stop;
      break;
    }
    const task: Promise<void> = sendInto(admitted, scheduledAtMs, requests)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        inFlight.delete(task);
        const wake = slotFreed;
        slotFreed = null;
        wake?.();
      });
    inFlight.add(task);
  }
  signal.removeEventListener('abort', onAbort);
  await Promise.all(inFlight);
  if (failure) throw failure;
  if (signal.aborted) stoppedBy ??= 'cancelled';
  return { startedAtMs, requests, stoppedBy };
}
