import type { LatencyRoute, LatencyRunStatus, LatencyStats } from '../../../../src-shared/contract/latency';
import type { LoadLevelReport, LoadRunReport, LoadSchedule, LoadSpec, Slo } from '../../../../src-shared/contract/load';
import type { ErrorCounts } from '../../../../src-shared/errors';
import type { HistoryDatabase, HistoryStatements } from '../../storage/history-database';

/**
 * A load run in the history: its row in latency_runs (kind 'load', the whole report as JSON), one load_runs row
 * with what the run was asked (load, step, SLO, budget) and its routes, and one load_levels row per route and level.
 * The samples themselves are latency_samples rows with their level and intended send time. Written in the run's
 * own transaction (LatencyHistory.saveRun), so a load run is stored whole or not at all. Tables and columns are
 * created if missing: a history from before load runs opens with them empty.
 */

export const LOAD_SCHEMA = [
  `create table if not exists load_runs (run_id varchar primary key, load json, step json, unique_prompts boolean, slo json,
    budget json, stopped json, routes json, workload json)`,
  `create table if not exists load_levels (run_id varchar, route_key varchar, level_index integer, offered_concurrency integer,
    offered_rps double, status varchar, stopped_by varchar, started_at timestamp, duration_ms double, sent integer, samples integer,
    errors json, throttle_rate double, achieved_rps double, output_tps double, ttft json, itl json, e2e json, goodput_rps double,
    slo_attainment double, slo_met boolean, connections_opened integer, connections_reused integer, schedule json,
    primary key (run_id, route_key, level_index))`,
  // Samples of a load run: the level they were sent in, and (open loop) when the schedule meant to send them.
  'alter table latency_samples add column if not exists level_index integer',
  'alter table latency_samples add column if not exists scheduled_at timestamp',
];

/** What a route of a stored load run was (its figures are in load_levels), or why it could not be measured. */
type StoredRoute = { route: LatencyRoute; modelId: string } | { error: { code: string; message: string } };

export interface LoadRunRows {
  report: LoadRunReport;
  /** The model behind each measured route, to find its quota when the run is read back. */
  modelIds: Record<string, string>;
  /** What one request held of a tokens-per-minute quota: its input and max tokens. */
  workload: RequestWorkload;
}

export interface RequestWorkload {
  inputTokens: number;
  maxTokens: number;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function insertLoadRun(tx: HistoryStatements, { report, modelIds, workload }: LoadRunRows): Promise<void> {
  const routes: Record<string, StoredRoute> = Object.fromEntries(
    Object.entries(report.regions).map(([key, entry]) => [key, 'error' in entry ? { error: entry.error } : { route: entry.route, modelId: modelIds[key] ?? entry.route.invokeId }]),
  );
  await tx.run('insert or replace into load_runs values ($1, $2::json, $3::json, $4, $5::json, $6::json, $7::json, $8::json, $9::json)', [
    report.id, json(report.load), json(report.step), report.uniquePrompts, json(report.slo), json(report.budget), json(report.stopped), json(routes), json(workload),
  ]);
  for (const [key, entry] of Object.entries(report.regions)) {
    if ('error' in entry) continue;
    for (const level of entry.levels) {
      await tx.run(
        `insert or replace into load_levels values ($1, $2, $3, $4, $5, $6, $7, $8::timestamp, $9, $10, $11, $12::json, $13, $14, $15, $16::json,
          $17::json, $18::json, $19, $20, $21, $22, $23, $24::json)`,
        [
          report.id, key, level.index, 'concurrency' in level.offered ? level.offered.concurrency : null, 'ratePerSecond' in level.offered ? level.offered.ratePerSecond : null,
          level.status, level.stoppedBy ?? null, level.startedAt, level.durationMs, level.sent, level.samples, json(level.errors), level.throttleRate,
          level.achievedRps, level.outputTokensPerSecond, json(level.ttftMs), json(level.interTokenMs), json(level.e2eMs), level.goodputRps ?? null,
          level.sloAttainment ?? null, level.sloMet ?? null, level.connectionsOpened, level.connectionsReused, json(level.schedule),
        ],
      );
    }
  }
}

interface LevelRow {
  route_key: string;
  level_index: number;
  offered_concurrency: number | null;
  offered_rps: number | null;
  status: 'completed' | 'partial';
  stopped_by: LoadLevelReport['stoppedBy'] | null;
  started_at: string;
  duration_ms: number;
  sent: number;
  samples: number;
  errors: string;
  throttle_rate: number;
  achieved_rps: number;
  output_tps: number;
  ttft: string | null;
  itl: string | null;
  e2e: string | null;
  goodput_rps: number | null;
  slo_attainment: number | null;
  slo_met: boolean | null;
  connections_opened: number;
  connections_reused: number;
  schedule: string | null;
}

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function levelOf(row: LevelRow): LoadLevelReport {
  const schedule = parsed<LoadSchedule>(row.schedule);
  return {
    index: row.level_index,
    offered: row.offered_concurrency !== null ? { concurrency: row.offered_concurrency } : { ratePerSecond: row.offered_rps ?? 0 },
    status: row.status,
    ...(row.stopped_by ? { stoppedBy: row.stopped_by } : {}),
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    sent: row.sent,
    samples: row.samples,
    errors: parsed<ErrorCounts>(row.errors)!,
    throttleRate: row.throttle_rate,
    achievedRps: row.achieved_rps,
    outputTokensPerSecond: row.output_tps,
    ttftMs: parsed<LatencyStats>(row.ttft),
    interTokenMs: parsed<LatencyStats>(row.itl),
    e2eMs: parsed<LatencyStats>(row.e2e),
    ...(row.goodput_rps !== null ? { goodputRps: row.goodput_rps } : {}),
    ...(row.slo_attainment !== null ? { sloAttainment: row.slo_attainment } : {}),
    ...(row.slo_met !== null ? { sloMet: row.slo_met } : {}),
    connectionsOpened: row.connections_opened,
    connectionsReused: row.connections_reused,
    ...(schedule ? { schedule } : {}),
  };
}

export interface StoredLoadRun {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  target: string | null;
  status: LatencyRunStatus;
  load: LoadSpec;
  step: LoadRunReport['step'];
  uniquePrompts: boolean;
  slo: Slo | null;
  budget: LoadRunReport['budget'];
  stopped: LoadRunReport['stopped'] | null;
  workload: RequestWorkload;
  routes: Record<string, { route: LatencyRoute; modelId: string; levels: LoadLevelReport[] } | { error: { code: string; message: string } }>;
}

/** A stored load run with its levels per route, in level order; null when no load run has this id. */
export async function readLoadRun(db: HistoryDatabase, runId: string): Promise<StoredLoadRun | null> {
  const [run] = await db.all<{ id: string; started_at: string; finished_at: string | null; target: string | null; status: LatencyRunStatus; load: string; step: string; unique_prompts: boolean; slo: string | null; budget: string; stopped: string | null; routes: string; workload: string }>(
    `select r.id, strftime(r.started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at, strftime(r.finished_at, '%Y-%m-%dT%H:%M:%S.%gZ') as finished_at,
       r.target, r.status, l.load, l.step, l.unique_prompts, l.slo, l.budget, l.stopped, l.routes, l.workload
     from latency_runs r join load_runs l on l.run_id = r.id where r.id = $1`,
    [runId],
  );
  if (!run) return null;
  const rows = await db.all<LevelRow>(
    `select route_key, level_index, offered_concurrency, offered_rps, status, stopped_by, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at,
       duration_ms, sent, samples, errors, throttle_rate, achieved_rps, output_tps, ttft, itl, e2e, goodput_rps, slo_attainment, slo_met,
       connections_opened, connections_reused, schedule
     from load_levels where run_id = $1 order by route_key, level_index`,
    [runId],
  );
  const routes = parsed<Record<string, StoredRoute>>(run.routes) ?? {};
  return {
    id: run.id,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    target: run.target,
    status: run.status,
    load: parsed<LoadSpec>(run.load)!,
    step: parsed<LoadRunReport['step']>(run.step)!,
    uniquePrompts: run.unique_prompts,
    slo: parsed<Slo>(run.slo),
    budget: parsed<LoadRunReport['budget']>(run.budget)!,
    stopped: parsed<LoadRunReport['stopped']>(run.stopped),
    workload: parsed<RequestWorkload>(run.workload)!,
    routes: Object.fromEntries(
      Object.entries(routes).map(([key, route]) => [key, 'error' in route ? route : { ...route, levels: rows.filter((row) => row.route_key === key).map(levelOf) }]),
    ),
  };
}
