import type { AttributionCounts, AttributionJob, AttributionJobState, AttributionStatus, CloudTrailProblem } from '../../../src-shared/contract/attribution';
import { SCHEMA as LATENCY_SCHEMA } from '../latency/history-store';
import type { HistoryDatabase, HistoryStatements } from '../storage/history-database';
import type { TrailCall } from './trail-events';

/**
 * Attribution's tables in the history database, beside the lab's: one row per job (a run, or a playground answer)
 * with its schedule, and one row per request looked for, keyed by Bedrock's request id, with what CloudTrail said of
 * it. A sample's served region is its request's row, joined at query time (`latency_samples.request_id`), so the
 * lab's tables are only ever read. Everything a job still has to do is in these rows: a new process picks it up.
 * Every value reaches SQL as a bound parameter.
 */

const SCHEMA = [
  `create table if not exists attribution_jobs (job_id varchar primary key, run_id varchar, state varchar not null,
    created_at timestamp not null, next_pass_at timestamp, deadline timestamp not null, finished_at timestamp,
    passes integer not null default 0, lookups integer not null default 0, problems varchar not null default '[]', note varchar)`,
  `create table if not exists attribution_requests (request_id varchar primary key, job_id varchar not null, sample_id bigint,
    source_region varchar not null, invoke_id varchar not null, route_kind varchar not null, sent_at timestamp,
    status varchar not null, served_region varchar, event_time timestamp, event_name varchar, tier varchar, error_code varchar,
    copies integer not null default 0, attempts integer not null default 0)`,
  'create index if not exists attribution_requests_job on attribution_requests (job_id)',
];

const BATCH_ROWS = 400;
const ISO = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
const iso = (ms: number) => new Date(ms).toISOString();

/** A request to look for, as a job is created with it. */
export interface RequestToFind {
  requestId: string;
  sampleId: number | null;
  sourceRegion: string;
  invokeId: string;
  routeKind: string;
  /** Epoch ms the request was sent. */
  sentAt: number;
}

export interface NewJob {
  jobId: string;
  runId: string | null;
  createdAt: number;
  deadline: number;
  /** not-needed jobs are created finished, with the reason. */
  state: 'running' | 'not-needed';
  note?: string;
}

export interface PendingRequest {
  requestId: string;
  sourceRegion: string;
  sentAt: number;
}

/** What one pass learnt. */
export interface PassOutcome {
  at: number;
  /** Found, with how many times CloudTrail answered each. */
  found: { call: TrailCall; copies: number }[];
  /** Regions whose CloudTrail cannot be read: their pending requests become unreadable. */
  unreadableRegions: string[];
  /** Requests looked for in this pass (their attempts go up). */
  lookedFor: string[];
  problems: CloudTrailProblem[];
  lookups: number;
  /** The next pass, or null when the job is over (its pending requests become unattributed). */
  nextPassAt: number | null;
}

interface JobRow {
  job_id: string;
  run_id: string | null;
  state: AttributionJobState;
  created_at: string;
  next_pass_at: string | null;
  deadline: string;
  finished_at: string | null;
  passes: number;
  lookups: number;
  problems: string;
  note: string | null;
}

export class AttributionStore {
  private readonly prepared = new WeakSet<HistoryDatabase>();

  constructor(private readonly database: () => Promise<HistoryDatabase>) {}

  async open(): Promise<HistoryDatabase> {
    const db = await this.database();
    if (!this.prepared.has(db)) {
      // The lab's tables too: results join them, and a history that has no run yet must still answer.
      await db.ensureSchema([...LATENCY_SCHEMA, ...SCHEMA]);
      this.prepared.add(db);
    }
    return db;
  }

  /** Why nothing can be kept (history off), or null. */
  async historyOff(): Promise<string | null> {
    const db = await this.database();
    return db.state.status === 'off' ? db.state.message : null;
  }

  async createJob(job: NewJob, requests: readonly RequestToFind[]): Promise<void> {
    const db = await this.open();
    await db.transaction(async (tx) => {
      await tx.run(
        `insert or replace into attribution_jobs (job_id, run_id, state, created_at, next_pass_at, deadline, finished_at, note)
         values ($1, $2, $3, $4::timestamp, $5::timestamp, $6::timestamp, $7::timestamp, $8)`,
        [job.jobId, job.runId, job.state, iso(job.createdAt), job.state === 'running' ? iso(job.createdAt) : null, iso(job.deadline), job.state === 'running' ? null : iso(job.createdAt), job.note ?? null],
      );
      for (let start = 0; start < requests.length; start += BATCH_ROWS) {
        const batch = requests.slice(start, start + BATCH_ROWS);
        const values = batch.map((_, index) => `(${[1, 2, 3, 4, 5, 6].map((column) => `$${index * 7 + column}`).join(', ')}, $${index * 7 + 7}::timestamp, 'pending')`);
        const params = batch.flatMap((row) => [row.requestId, job.jobId, row.sampleId, row.sourceRegion, row.invokeId, row.routeKind, iso(row.sentAt)]);
        await tx.run(
          `insert or ignore into attribution_requests (request_id, job_id, sample_id, source_region, invoke_id, route_kind, sent_at, status) values ${values.join(', ')}`,
          params,
        );
      }
    });
  }

  async job(jobId: string): Promise<AttributionJob | null> {
    return this.jobIn(await this.open(), jobId);
  }

  private async jobIn(db: HistoryStatements, jobId: string): Promise<AttributionJob | null> {
    const [row] = await db.all<JobRow>(
      `select job_id, run_id, state, ${ISO('created_at')} as created_at, ${ISO('next_pass_at')} as next_pass_at, ${ISO('deadline')} as deadline,
         ${ISO('finished_at')} as finished_at, passes, lookups, problems, note from attribution_jobs where job_id = $1`,
      [jobId],
    );
    if (!row) return null;
    const counts = await this.counts(db, jobId);
    const regions = await db.all<{ source_region: string }>('select distinct source_region from attribution_requests where job_id = $1 order by source_region', [jobId]);
    return {
      jobId: row.job_id,
      runId: row.run_id,
      state: row.state,
      counts,
      passes: Number(row.passes),
      lookups: Number(row.lookups),
      createdAt: row.created_at,
      nextPassAt: row.state === 'running' ? row.next_pass_at : null,
      deadline: row.deadline,
      finishedAt: row.finished_at,
      sourceRegions: regions.map((region) => region.source_region),
      problems: parseProblems(row.problems),
      ...(row.note ? { note: row.note } : {}),
    };
  }

  private async counts(db: HistoryStatements, jobId: string): Promise<AttributionCounts> {
    const rows = await db.all<{ status: AttributionStatus; n: bigint; twice: bigint }>(
      'select status, count(*) as n, count(*) filter (where copies > 1) as twice from attribution_requests where job_id = $1 group by status',
      [jobId],
    );
    const counts: AttributionCounts = { requests: 0, attributed: 0, pending: 0, unattributed: 0, unreadable: 0, duplicatesResolved: 0 };
    for (const row of rows) {
      counts[row.status] += Number(row.n);
      counts.requests += Number(row.n);
      if (row.status === 'attributed') counts.duplicatesResolved += Number(row.twice);
    }
    return counts;
  }

  /** Jobs with work left, oldest first. */
  async runningJobs(): Promise<string[]> {
    const db = await this.open();
    const rows = await db.all<{ job_id: string }>("select job_id from attribution_jobs where state = 'running' order by created_at");
    return rows.map((row) => row.job_id);
  }

  /** One request's row, by Bedrock's request id. */
  async request(requestId: string): Promise<{ status: AttributionStatus; servedRegion: string | null } | null> {
    const db = await this.open();
    const [row] = await db.all<{ status: AttributionStatus; served_region: string | null }>('select status, served_region from attribution_requests where request_id = $1', [requestId]);
    return row ? { status: row.status, servedRegion: row.served_region } : null;
  }

  async pendingRequests(jobId: string): Promise<PendingRequest[]> {
    const db = await this.open();
    const rows = await db.all<{ request_id: string; source_region: string; sent_at: string }>(
      `select request_id, source_region, ${ISO('sent_at')} as sent_at from attribution_requests where job_id = $1 and status = 'pending'`,
      [jobId],
    );
    return rows.map((row) => ({ requestId: row.request_id, sourceRegion: row.source_region, sentAt: Date.parse(row.sent_at) }));
  }

  /**
   * Writes a pass whole (or nothing of it): found requests, unreadable regions, attempts, problems and the schedule.
   * Answers the job as the pass left it, read in the same transaction: the worker then has nothing more to ask of
   * the database until its next pass.
   */
  async recordPass(jobId: string, pass: PassOutcome): Promise<AttributionJob | null> {
    const db = await this.open();
    return db.transaction(async (tx) => {
      for (let start = 0; start < pass.lookedFor.length; start += BATCH_ROWS) {
        const ids = pass.lookedFor.slice(start, start + BATCH_ROWS);
        await tx.run(
          `update attribution_requests set attempts = attempts + 1 where job_id = $1 and status = 'pending' and request_id in (${ids.map((_, index) => `$${index + 2}`).join(', ')})`,
          [jobId, ...ids],
        );
      }
      for (let start = 0; start < pass.found.length; start += BATCH_ROWS) {
        const batch = pass.found.slice(start, start + BATCH_ROWS);
        const values = batch.map((_, index) => `(${[1, 2, 3, 4, 5, 6, 7].map((column) => `$${index * 7 + column + 1}`).join(', ')})`);
        const params = batch.flatMap(({ call, copies }) => [call.requestId, call.servedRegion, iso(call.eventTime), call.eventName, call.tier, call.errorCode, copies]);
        await tx.run(
          `update attribution_requests set status = 'attributed', served_region = v.served_region, event_time = v.event_time::timestamp, event_name = v.event_name,
             tier = v.tier, error_code = v.error_code, copies = v.copies
           from (values ${values.join(', ')}) as v(request_id, served_region, event_time, event_name, tier, error_code, copies)
           where attribution_requests.job_id = $1 and attribution_requests.request_id = v.request_id and attribution_requests.status = 'pending'`,
          [jobId, ...params],
        );
      }
      if (pass.unreadableRegions.length > 0) {
        await tx.run(
          `update attribution_requests set status = 'unreadable' where job_id = $1 and status = 'pending' and source_region in (${pass.unreadableRegions.map((_, index) => `$${index + 2}`).join(', ')})`,
          [jobId, ...pass.unreadableRegions],
        );
      }
      const [left] = await tx.all<{ n: bigint }>("select count(*) as n from attribution_requests where job_id = $1 and status = 'pending'", [jobId]);
      const over = pass.nextPassAt === null || Number(left?.n ?? 0) === 0;
      if (over) await tx.run("update attribution_requests set status = 'unattributed' where job_id = $1 and status = 'pending'", [jobId]);
      await tx.run(
        `update attribution_jobs set passes = passes + 1, lookups = lookups + $2, problems = $3, state = $4, next_pass_at = $5::timestamp, finished_at = $6::timestamp
         where job_id = $1`,
        [jobId, pass.lookups, JSON.stringify(pass.problems), over ? 'done' : 'running', over ? null : iso(pass.nextPassAt ?? pass.at), over ? iso(pass.at) : null],
      );
      return this.jobIn(tx, jobId);
    });
  }

  async setState(jobId: string, state: 'cancelled'): Promise<void> {
    const db = await this.open();
    await db.run("update attribution_jobs set state = $2, next_pass_at = null where job_id = $1 and state = 'running'", [jobId, state]);
  }

  /** Looks again for what was not found: unattributed and unreadable requests become pending, with a new deadline. */
  async restart(jobId: string, at: number, deadline: number): Promise<void> {
    const db = await this.open();
    await db.transaction(async (tx) => {
      await tx.run("update attribution_requests set status = 'pending' where job_id = $1 and status in ('unattributed', 'unreadable')", [jobId]);
      await tx.run(
        `update attribution_jobs set state = case when state = 'not-needed' then state else 'running' end, next_pass_at = $2::timestamp,
           deadline = greatest(deadline, $3::timestamp), finished_at = null, problems = '[]' where job_id = $1`,
        [jobId, iso(at), iso(deadline)],
      );
    });
  }
}

function parseProblems(text: string): CloudTrailProblem[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as CloudTrailProblem[]) : [];
  } catch {
    return [];
  }
}
