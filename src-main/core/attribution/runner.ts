import { ATTRIBUTION_RETRY_MINUTES, type AttributionJob, type CloudTrailProblem } from '../../../src-shared/contract/attribution';
import type { AttributionStore, PendingRequest } from './attribution-store';
import type { JobClock } from './clock';
import type { LookupWindow, RegionLookup } from './lookup';
import type { TrailCall } from './trail-events';

/**
 * Runs attribution jobs in the background, one worker per job: a pass looks every pending request up in its source
 * region (all regions at once, each at its own rate), writes what it found, and schedules the next pass with backoff
 * (15 s, 30 s, 1 min, 2 min, 4 min, then every 5 min) until nothing is pending or the retry window has closed; a last
 * pass is made at the deadline, and what it still does not find is unattributed. The schedule lives in the store, so a
 * worker started by another process, or after a restart, carries on where the last one stopped (a job resumed past
 * its deadline gets that one last pass). A pass is written whole or not at all: a worker cancelled mid-pass leaves
 * the job as it was before the pass.
 */

export const RETRY_WINDOW_MS = ATTRIBUTION_RETRY_MINUTES * 60_000;
/** Event times are the caller's request time at AWS, to the second; this allows for a client clock that is off. */
export const WINDOW_MARGIN_MS = 5 * 60_000;
const FIRST_RETRY_MS = 15_000;
const LONGEST_RETRY_MS = 5 * 60_000;

/** The wait after the n-th pass (1-based). */
export function retryDelay(passes: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, passes - 1), LONGEST_RETRY_MS);
}

export interface RunnerOptions {
  store: AttributionStore;
  lookup: (region: string, window: LookupWindow, signal: AbortSignal) => Promise<RegionLookup>;
  clock: JobClock;
  onProgress: (job: AttributionJob) => void;
  log: (line: string) => void;
}

interface Worker {
  abort: AbortController;
  done: Promise<void>;
}

/** The pending requests of each source region, with the window that covers their send times. */
function byRegion(pending: readonly PendingRequest[]): Map<string, { ids: Set<string>; window: LookupWindow }> {
  const regions = new Map<string, { ids: Set<string>; from: number; to: number }>();
  for (const request of pending) {
    const region = regions.get(request.sourceRegion) ?? { ids: new Set<string>(), from: request.sentAt, to: request.sentAt };
    region.ids.add(request.requestId);
    region.from = Math.min(region.from, request.sentAt);
    region.to = Math.max(region.to, request.sentAt);
    regions.set(request.sourceRegion, region);
  }
  return new Map(
    [...regions].map(([region, { ids, from, to }]) => [region, { ids, window: { start: new Date(from - WINDOW_MARGIN_MS), end: new Date(to + WINDOW_MARGIN_MS) } }]),
  );
}

export class AttributionRunner {
  private readonly workers = new Map<string, Worker>();

  constructor(private readonly options: RunnerOptions) {}

  /** Starts the job's worker unless one runs. */
  ensure(jobId: string): void {
    if (this.workers.has(jobId)) return;
    const abort = new AbortController();
    const done = this.work(jobId, abort.signal)
      .catch((error: unknown) => {
        // The job stays as the store has it: asking for it again starts a new worker.
        if (!abort.signal.aborted) this.options.log(`Attribution of ${jobId} stopped: ${(error as Error).message.split('\n')[0]}`);
      })
      .finally(() => {
        if (this.workers.get(jobId)?.abort === abort) this.workers.delete(jobId);
      });
    this.workers.set(jobId, { abort, done });
  }

  running(jobId: string): boolean {
    return this.workers.has(jobId);
  }

  /** Resolves once the job's worker has ended (at once when none runs). */
  async settled(jobId: string): Promise<void> {
    await this.workers.get(jobId)?.done;
  }

  /** Stops the job's worker and waits for it: a pass under way is dropped, nothing of it written. */
  async stop(jobId: string): Promise<void> {
    const worker = this.workers.get(jobId);
    if (!worker) return;
    worker.abort.abort();
    await worker.done;
  }

  /** Stops every worker and waits for them all: nothing of theirs is running once it resolves. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((jobId) => this.stop(jobId)));
  }

  private async work(jobId: string, signal: AbortSignal): Promise<void> {
    const { store, clock } = this.options;
    let job = await store.job(jobId);
    while (job && job.state === 'running') {
      const wait = Date.parse(job.nextPassAt ?? job.createdAt) - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      if (signal.aborted) return;
      // A cancel while asleep is seen here (another process may have cancelled it too).
      const current = await store.job(jobId);
      if (!current || current.state !== 'running' || signal.aborted) return;
      job = await this.pass(current, signal);
      if (!job || signal.aborted) return;
      this.options.onProgress(job);
    }
  }

  /** One pass; the job as it left it, or null when cancelled before it could be written. */
  private async pass(job: AttributionJob, signal: AbortSignal): Promise<AttributionJob | null> {
    const { store, clock, lookup } = this.options;
    const pending = await store.pendingRequests(job.jobId);
    const regions = byRegion(pending);
    const answers = await Promise.all([...regions].map(async ([region, { window }]) => [region, await lookup(region, window, signal)] as const));
    if (signal.aborted) return null;
    const found = new Map<string, { call: TrailCall; copies: number }>();
    const problems: CloudTrailProblem[] = [];
    const unreadableRegions: string[] = [];
    const lookedFor: string[] = [];
    let lookups = 0;
    for (const [region, answer] of answers) {
      lookups += answer.lookups;
      const ids = regions.get(region)?.ids ?? new Set<string>();
      if (!answer.ok) {
        problems.push(answer.problem);
        if (answer.problem.reason !== 'error') unreadableRegions.push(region);
        continue;
      }
      lookedFor.push(...ids);
      for (const call of answer.calls) {
        // An event is the request's only in the region it was called in; CloudTrail may answer it twice.
        if (!ids.has(call.requestId) || call.sourceRegion !== region) continue;
        const seen = found.get(call.requestId);
        if (seen) seen.copies++;
        else found.set(call.requestId, { call, copies: 1 });
      }
    }
    const at = clock.now();
    const deadline = Date.parse(job.deadline);
    const nextPassAt = at >= deadline ? null : Math.min(at + retryDelay(job.passes + 1), deadline);
    return store.recordPass(job.jobId, { at, found: [...found.values()], unreadableRegions, lookedFor, problems, lookups, nextPassAt });
  }
}
