import type { CatalogDocument } from '../../../src-shared/catalog/document';
import type {
  AnswerRegion,
  AttributionJob,
  AttributionResults,
  ObservedRouting,
  RunAttribution,
  ServerClientTime,
  TimeOfDayHeatmap,
} from '../../../src-shared/contract/attribution';
import type { AwsClientPool } from '../aws/client-pool';
import { CLOUDTRAIL, CLOUDWATCH } from '../aws/services';
import type { StoredSampleRef } from '../latency/history-store';
import { timeOfDay } from '../latency/time-of-day';
import { AttributionStore, type RequestToFind } from './attribution-store';
import type { JobClock } from './clock';
import { lookupRegion } from './lookup';
import { RegionRateLimiter } from './rate-limit';
import { observedRouting, routeAttributions } from './results';
import { AttributionRunner, RETRY_WINDOW_MS } from './runner';
import { serverClientTimes } from './server-time';
import { APP_RUNTIME_OPERATIONS } from './trail-events';

/**
 * Attribution behind the contract: a run's job is made the first time it is asked for (from the run's stored samples
 * and their request ids), its worker started or resumed, and its results read with the samples. The jobs left
 * running by an earlier process are resumed the first time anything here is asked.
 */

/** LookupEvents: "limited to two per second, per account, per Region" (API reference). */
export const LOOKUPS_PER_SECOND = 2;

export class NoSuchRun extends Error {
  override readonly name = 'NoSuchRun';
  readonly code = 'INVALID_ARGUMENT';
}

export class AttributionUnavailable extends Error {
  override readonly name = 'AttributionUnavailable';
  readonly code = 'HISTORY_OFF';
}

export interface AttributionServiceOptions {
  clients: Pick<AwsClientPool, 'client' | 'redact' | 'profile'>;
  store: AttributionStore;
  /** The lab's samples of a run, with their request ids. */
  samples: { runSamples(runId: string): Promise<StoredSampleRef[]> };
  catalog: () => Promise<CatalogDocument | null>;
  clock: JobClock;
  onProgress: (job: AttributionJob) => void;
  log: (line: string) => void;
}

interface RunRow {
  id: string;
  started_at: string;
  target: string | null;
}

export class AttributionService {
  readonly runner: AttributionRunner;
  private resumed: Promise<void> | null = null;

  constructor(private readonly options: AttributionServiceOptions) {
    const limiter = new RegionRateLimiter(options.clock, LOOKUPS_PER_SECOND);
    this.runner = new AttributionRunner({
      store: options.store,
      clock: options.clock,
      log: options.log,
      onProgress: options.onProgress,
      lookup: (region, window, signal) =>
        lookupRegion(
          region,
          window,
          APP_RUNTIME_OPERATIONS,
          {
            // No SDK retries: every call must take its turn of the rate limit, and a throttle is waited out here.
            client: (where) => options.clients.client(CLOUDTRAIL, where, { retries: false }),
            limiter,
            redact: (text) => options.clients.redact(text),
            profile: options.clients.profile,
          },
          signal,
        ),
    });
  }

  /** Starts a worker for every job an earlier process left running (once). */
  private resume(): Promise<void> {
    return (this.resumed ??= this.options.store
      .runningJobs()
      .then((jobs) => jobs.forEach((job) => this.runner.ensure(job)))
      .catch((error: unknown) => {
        this.resumed = null;
        this.options.log(`Attribution could not resume its jobs: ${(error as Error).message.split('\n')[0]}`);
      }));
  }

  private async run(runId: string | undefined): Promise<RunRow> {
    const db = await this.options.store.open();
    const rows = runId
      ? await db.all<RunRow>("select id, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at, target from latency_runs where id = $1 and kind in ('latency', 'load')", [runId])
      : await db.all<RunRow>("select id, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at, target from latency_runs where kind in ('latency', 'load') order by started_at desc limit 1");
    const [row] = rows;
    if (row) return row;
    const off = await this.options.store.historyOff();
    if (off) throw new AttributionUnavailable(`Attribution needs the history, and ${off}`);
    throw new NoSuchRun(runId ? `No latency or load run has the id ${runId}: see \`bedrock-atlas history\` for the stored runs.` : 'No latency run is stored yet: run one first (`bedrock-atlas latency --target …`).');
  }

  /** The run's job, made from its samples when it has none. */
  private async jobOf(run: RunRow): Promise<AttributionJob> {
    const { store, clock } = this.options;
    const existing = await store.job(run.id);
    if (existing) return existing;
    const samples = await this.options.samples.runSamples(run.id);
    const requests: RequestToFind[] = samples.flatMap((sample) =>
      sample.requestId && sample.sentAt && sample.routeKind !== 'on-demand'
        ? [{ requestId: sample.requestId, sampleId: sample.sampleId, sourceRegion: sample.region, invokeId: sample.invokeId, routeKind: sample.routeKind, sentAt: Date.parse(sample.sentAt) }]
        : [],
    );
    const now = clock.now();
    if (requests.length === 0) {
      const routed = samples.some((sample) => sample.routeKind !== 'on-demand');
      const note = routed
        ? 'The run was stored before request ids were kept: its requests cannot be matched with CloudTrail.'
        : 'Every request of the run was served in the region it was called (on-demand routes): nothing to look up.';
      await store.createJob({ jobId: run.id, runId: run.id, createdAt: now, deadline: now, state: 'not-needed', note }, []);
    } else {
      // A load run can have far more requests than a spread of arguments may hold.
      const lastSent = requests.reduce((latest, request) => Math.max(latest, request.sentAt), 0);
      await store.createJob({ jobId: run.id, runId: run.id, createdAt: now, deadline: lastSent + RETRY_WINDOW_MS, state: 'running' }, requests);
    }
    const created = await store.job(run.id);
    if (!created) throw new AttributionUnavailable(`Attribution needs the history, and ${(await store.historyOff()) ?? 'it could not keep the job.'}`);
    return created;
  }

  private async current(run: RunRow): Promise<RunAttribution> {
    await this.resume();
    const job = await this.jobOf(run);
    if (job.state === 'running') this.runner.ensure(job.jobId);
    return { runId: run.id, startedAt: run.started_at, target: run.target, job };
  }

  status(runId?: string): Promise<RunAttribution> {
    return this.run(runId).then((run) => this.current(run));
  }

  /** Looks again, for a new retry window, for every request not found yet. */
  async start(runId: string): Promise<RunAttribution> {
    const run = await this.run(runId);
    const job = await this.jobOf(run);
    if (job.state !== 'not-needed') {
      await this.runner.stop(job.jobId);
      const now = this.options.clock.now();
      await this.options.store.restart(job.jobId, now, now + RETRY_WINDOW_MS);
    }
    return this.current(run);
  }

  async cancel(runId: string): Promise<RunAttribution> {
    const run = await this.run(runId);
    await this.runner.stop(run.id);
    await this.options.store.setState(run.id, 'cancelled');
    const job = await this.jobOf(run);
    this.options.onProgress(job);
    return { runId: run.id, startedAt: run.started_at, target: run.target, job };
  }

  async results(runId?: string): Promise<AttributionResults> {
    const { job, runId: id } = await this.status(runId);
    const [db, catalog] = await Promise.all([this.options.store.open(), this.options.catalog()]);
    return { runId: id, job, routes: await routeAttributions(db, id, catalog) };
  }

  async observed(query: { profileId?: string; sourceRegion?: string; days: number }): Promise<{ routing: ObservedRouting[] }> {
    await this.resume();
    const [db, catalog] = await Promise.all([this.options.store.open(), this.options.catalog()]);
    const sinceMs = this.options.clock.now() - query.days * 86_400_000;
    return { routing: await observedRouting(db, { ...query, sinceMs }, catalog) };
  }

  /** A playground answer's served region: known at once on demand; otherwise from its own lookup job. */
  async answer(query: { requestId: string; region: string; invokeId: string; kind: 'on-demand' | 'geo-profile' | 'global-profile'; at?: string }): Promise<AnswerRegion> {
    await this.resume();
    const { store, clock } = this.options;
    const jobId = `answer:${query.requestId}`;
    const now = clock.now();
    if (query.kind === 'on-demand') {
      const counts = { requests: 0, attributed: 0, pending: 0, unattributed: 0, unreadable: 0, duplicatesResolved: 0 };
      const iso = new Date(now).toISOString();
      const job: AttributionJob = { jobId, runId: null, state: 'not-needed', counts, passes: 0, lookups: 0, createdAt: iso, nextPassAt: null, deadline: iso, finishedAt: iso, sourceRegions: [], problems: [], note: 'Served in the region called (on demand).' };
      return { requestId: query.requestId, status: 'attributed', servedRegion: query.region, job };
    }
    let job = await store.job(jobId);
    if (!job) {
      const sentAt = query.at ? Date.parse(query.at) : now;
      const request = { requestId: query.requestId, sampleId: null, sourceRegion: query.region, invokeId: query.invokeId, routeKind: query.kind, sentAt };
      await store.createJob({ jobId, runId: null, createdAt: now, deadline: sentAt + RETRY_WINDOW_MS, state: 'running' }, [request]);
      job = await store.job(jobId);
      if (!job) throw new AttributionUnavailable(`Where the answer was served cannot be looked up: ${(await store.historyOff()) ?? 'the history could not keep the lookup.'}`);
    }
    if (job.state === 'running') this.runner.ensure(jobId);
    // The request before the job: a pass landing between the two reads then shows in the job too, never the other way.
    const request = await store.request(query.requestId);
    job = (await store.job(jobId)) ?? job;
    return { requestId: query.requestId, status: request?.status ?? 'pending', servedRegion: request?.status === 'attributed' ? request.servedRegion : null, job };
  }

  async serverClientTime(runId: string | undefined, signal: AbortSignal): Promise<ServerClientTime> {
    const run = await this.run(runId);
    const db = await this.options.store.open();
    const { clients, clock } = this.options;
    const routes = await serverClientTimes(
      db,
      run.id,
      { client: (region) => clients.client(CLOUDWATCH, region), redact: (text) => clients.redact(text), profile: clients.profile, now: () => clock.now() },
      signal,
    );
    return { runId: run.id, routes };
  }

  async timeOfDay(query: { timeZone: string; target?: string; regions?: string[]; days?: number }): Promise<TimeOfDayHeatmap> {
    const db = await this.options.store.open();
    const sinceMs = query.days === undefined ? undefined : this.options.clock.now() - query.days * 86_400_000;
    return timeOfDay(db, { timeZone: query.timeZone, ...(query.target ? { target: query.target } : {}), ...(query.regions ? { regions: query.regions } : {}), ...(sinceMs !== undefined ? { sinceMs } : {}) }, false);
  }

  /**
   * Stops every job's worker and waits until none is running (their jobs stay as the store has them, to resume):
   * what a host that can wait calls before it closes the history, since DuckDB must not be closed under a statement.
   */
  stop(): Promise<void> {
    return this.runner.stopAll();
  }
}
