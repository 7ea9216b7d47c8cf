import type { HistoryRun, LatencyRunStatus, SeriesPoint } from '../../../../src-shared/contract/latency';
import type { VantageRegionTtft } from '../../../../src-shared/contract/fleet';
import { LOCAL_VANTAGE } from '../../../../src-shared/contract/vantage';
import type { MeasuredRoute } from '../../latency/history-store';
import { parameters, readStats, statsColumns } from '../../latency/history-query';
import { round } from '../../latency/stats';
import type { HistoryStatements } from '../../storage/history-database';

/**
 * The team data's queries, in DuckDB over the cached parts (`read_parquet([...], hive_partitioning = true,
 * union_by_name = true)`) and, when asked, this machine's history beside them as the vantage `local`. Only the
 * columns this version knows are named, so a part written by a newer version (more columns) reads the same. Load
 * runs are left out of the latency figures (they measure a route under load): their samples carry a level. Every
 * value, the files' paths included, is a bound parameter.
 */

/** The parts a query reads (local files): the samples and the runs tables. */
export interface TeamParts {
  samples: readonly string[];
  runs: readonly string[];
}

/** Which measurements: `includeLocal` adds this machine's history (the engine must be the history database). */
export interface VantageScope {
  /** One vantage's name, or null for every vantage. */
  vantage: string | null;
  includeLocal: boolean;
}

type Params = ReturnType<typeof parameters>;

const ISO = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ')`;

/** Every sample in scope as one relation: vantage, run, time, route, error, TTFT, E2E, ITL, and whether from a load run. */
function samplesRelation(p: Params, parts: TeamParts, scope: VantageScope, since: Date | null): string {
  const selects: string[] = [];
  if (scope.includeLocal && (scope.vantage === null || scope.vantage === LOCAL_VANTAGE)) {
    selects.push(`select ${p.add(LOCAL_VANTAGE)}::varchar as vantage, s.run_id, s.measured_at, s.target, s.model_id, s.route_key, s.region, s.invoke_id,
      s.kind, s.error_class, s.ttft_ms, s.e2e_ms, s.itl_ms, (r.kind = 'load') as from_load
      from latency_samples s join latency_runs r on r.id = s.run_id`);
  }
  if (parts.samples.length > 0 && scope.vantage !== LOCAL_VANTAGE) {
    const files = parts.samples.map((file) => p.add(file)).join(', ');
    // The `date` partition prunes whole parts before they are opened.
    const window = since ? `where date >= ${p.add(since.toISOString().slice(0, 10))}::date` : '';
    selects.push(`select vantage::varchar as vantage, run_id, measured_at, target, model_id, route_key, region, invoke_id, kind, error_class,
      ttft_ms::double as ttft_ms, e2e_ms::double as e2e_ms, itl_ms::double as itl_ms, (level_index is not null) as from_load
      from read_parquet([${files}], hive_partitioning = true, union_by_name = true, hive_types = {'date': date}) ${window}`);
  }
  if (selects.length === 0) {
    return `(select null::varchar as vantage, null::varchar as run_id, null::timestamp as measured_at, null::varchar as target, null::varchar as model_id,
      null::varchar as route_key, null::varchar as region, null::varchar as invoke_id, null::varchar as kind, null::varchar as error_class,
      null::double as ttft_ms, null::double as e2e_ms, null::double as itl_ms, null::boolean as from_load where false)`;
  }
  const union = `(${selects.join(' union all ')})`;
  return scope.vantage === null || scope.vantage === LOCAL_VANTAGE ? union : `(select * from ${union} where vantage = ${p.add(scope.vantage)})`;
}

/** A target as the history matches it: as asked, the model behind it, or the id invoked; and the catalog's model id. */
function targetCondition(p: Params, targets: readonly string[]): string {
  const bound = targets.map((target) => p.add(target)).join(', ');
  return `(s.target in (${bound}) or s.model_id in (${bound}) or s.invoke_id in (${bound}))`;
}

export interface VantageSummary {
  vantage: string;
  samples: number;
  runs: number;
  firstAt: string | null;
  lastAt: string | null;
}

/** Samples, runs and the time span per vantage. */
export async function vantageSummaries(engine: HistoryStatements, parts: TeamParts, includeLocal: boolean): Promise<VantageSummary[]> {
  const p = parameters();
  const rows = await engine.all<{ vantage: string; samples: bigint; runs: bigint; first_at: string | null; last_at: string | null }>(
    `select s.vantage, count(*) as samples, count(distinct s.run_id) as runs, ${ISO('min(s.measured_at)')} as first_at, ${ISO('max(s.measured_at)')} as last_at
     from ${samplesRelation(p, parts, { vantage: null, includeLocal }, null)} s group by s.vantage order by s.vantage`,
    p.values,
  );
  return rows.map((row) => ({ vantage: row.vantage, samples: Number(row.samples), runs: Number(row.runs), firstAt: row.first_at, lastAt: row.last_at }));
}

export interface TtftQuery {
  /** What the samples' target, model id or invoked id must be (the target as asked, and the model it resolves to). */
  targets: readonly string[];
  since: Date | null;
  regions?: readonly string[];
  includeLocal: boolean;
}

/**
 * p50/p90/p99 TTFT of a target per vantage × call region, over its successful samples (load runs left out): the
 * team view's table and heatmap. The benchmark calls it over a store of ten vantages and a month.
 */
export async function ttftByVantage(engine: HistoryStatements, parts: TeamParts, query: TtftQuery): Promise<VantageRegionTtft[]> {
  const p = parameters();
  const relation = samplesRelation(p, parts, { vantage: null, includeLocal: query.includeLocal }, query.since);
  const conditions = ['s.error_class is null', 's.ttft_ms is not null', 'not s.from_load', targetCondition(p, query.targets)];
  if (query.since) conditions.push(`s.measured_at >= ${p.add(query.since.toISOString())}::timestamp`);
  if (query.regions) conditions.push(`s.region in (${query.regions.map((region) => p.add(region)).join(', ')})`);
  const rows = await engine.all<{ vantage: string; region: string; n: bigint; p50: number; p90: number; p99: number }>(
    `select s.vantage, s.region, count(*) as n, quantile_cont(s.ttft_ms, 0.5) as p50, quantile_cont(s.ttft_ms, 0.9) as p90,
       quantile_cont(s.ttft_ms, 0.99) as p99
     from ${relation} s where ${conditions.join(' and ')} group by s.vantage, s.region
     order by s.vantage = ${p.add(LOCAL_VANTAGE)} desc, s.vantage, s.region`,
    p.values,
  );
  return rows.map((row) => ({ vantage: row.vantage, region: row.region, samples: Number(row.n), p50Ms: round(row.p50), p90Ms: round(row.p90), p99Ms: round(row.p99) }));
}

/** p50 TTFT per route of a model from one scope: what the ranking and the matrix's cell panel read (history's `measured`). */
export async function measuredRoutes(engine: HistoryStatements, parts: TeamParts, scope: VantageScope, modelId: string, sinceMs: number): Promise<MeasuredRoute[]> {
  const p = parameters();
  const since = new Date(sinceMs);
  const rows = await engine.all<{ invoke_id: string; region: string; kind: string; p50: number; n: bigint; last: string }>(
    `select s.invoke_id, s.region, any_value(s.kind) as kind, quantile_cont(s.ttft_ms, 0.5) as p50, count(*) as n, ${ISO('max(s.measured_at)')} as last
     from ${samplesRelation(p, parts, scope, since)} s
     where s.model_id = ${p.add(modelId)} and s.error_class is null and s.ttft_ms is not null and not s.from_load
       and s.measured_at >= ${p.add(since.toISOString())}::timestamp
     group by s.invoke_id, s.region`,
    p.values,
  );
  return rows.map((row) => ({ invokeId: row.invoke_id, region: row.region, kind: row.kind, ttftP50Ms: round(row.p50), samples: Number(row.n), measuredAt: row.last }));
}

const METRIC_COLUMNS = { ttftMs: 's.ttft_ms', e2eMs: 's.e2e_ms', outputTokensPerSecond: '1000.0 / nullif(s.itl_ms, 0)' } as const;

export interface SeriesQuery {
  target: string;
  regions?: readonly string[];
  since: Date | null;
  metric: keyof typeof METRIC_COLUMNS;
}

/** Every successful sample of a metric over time, each point naming its vantage: one history chart per vantage. */
export async function vantageSeries(engine: HistoryStatements, parts: TeamParts, scope: VantageScope, query: SeriesQuery): Promise<SeriesPoint[]> {
  const p = parameters();
  const column = METRIC_COLUMNS[query.metric];
  const conditions = ['s.error_class is null', `${column} is not null`, targetCondition(p, [query.target])];
  if (query.since) conditions.push(`s.measured_at >= ${p.add(query.since.toISOString())}::timestamp`);
  if (query.regions) conditions.push(`s.region in (${query.regions.map((region) => p.add(region)).join(', ')})`);
  const rows = await engine.all<{ at: string; route_key: string; value: number; vantage: string }>(
    `select ${ISO('s.measured_at')} as at, s.route_key, ${column} as value, s.vantage
     from ${samplesRelation(p, parts, scope, query.since)} s where ${conditions.join(' and ')} order by s.measured_at limit 100000`,
    p.values,
  );
  return rows.map((row) => ({ at: row.at, region: row.route_key, value: round(row.value), vantage: row.vantage }));
}

export interface RunsQuery {
  target?: string;
  regions?: readonly string[];
  since: Date | null;
  limit: number;
}

/**
 * Runs with their per-route figures, newest first, each naming its vantage: the store's runs table beside this
 * machine's (when in scope). A store run whose samples are not cached shows with none.
 */
export async function vantageRuns(engine: HistoryStatements, parts: TeamParts, scope: VantageScope, query: RunsQuery): Promise<HistoryRun[]> {
  const p = parameters();
  const selects: string[] = [];
  if (scope.includeLocal && (scope.vantage === null || scope.vantage === LOCAL_VANTAGE)) {
    selects.push(`select ${p.add(LOCAL_VANTAGE)}::varchar as vantage, id, kind, started_at, target, status from latency_runs`);
  }
  if (parts.runs.length > 0 && scope.vantage !== LOCAL_VANTAGE) {
    const files = parts.runs.map((file) => p.add(file)).join(', ');
    selects.push(`select vantage::varchar as vantage, run_id as id, kind, started_at, target, status
      from read_parquet([${files}], hive_partitioning = true, union_by_name = true, hive_types = {'date': date})`);
  }
  if (selects.length === 0) return [];
  const samples = samplesRelation(p, parts, scope, query.since);
  const conditions: string[] = [];
  if (scope.vantage !== null && scope.vantage !== LOCAL_VANTAGE) conditions.push(`r.vantage = ${p.add(scope.vantage)}`);
  if (query.since) conditions.push(`r.started_at >= ${p.add(query.since.toISOString())}::timestamp`);
  const sampleMatch: string[] = [];
  if (query.target) {
    const target = p.add(query.target);
    sampleMatch.push(`(s.target = ${target} or s.model_id = ${target} or s.invoke_id = ${target})`);
    conditions.push(`(r.target = ${target} or exists (select 1 from samples s where s.run_id = r.id and ${sampleMatch.join(' and ')}))`);
  }
  const regionFilter = query.regions ? `s.region in (${query.regions.map((region) => p.add(region)).join(', ')})` : null;
  if (regionFilter) conditions.push(`exists (select 1 from samples s where s.run_id = r.id and ${regionFilter})`);
  const runs = await engine.all<{ vantage: string; id: string; kind: HistoryRun['kind']; started_at: string; target: string | null; status: LatencyRunStatus }>(
    `with samples as (select * from ${samples}), runs as (${selects.join(' union all ')})
     select r.vantage, r.id, r.kind, ${ISO('r.started_at')} as started_at, r.target, r.status from runs r
     ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''} order by r.started_at desc limit ${p.add(query.limit)}`,
    p.values,
  );
  if (runs.length === 0) return [];
  const q = parameters();
  const ids = runs.map((run) => q.add(run.id)).join(', ');
  const aggregates = await engine.all<Record<string, unknown>>(
    `select s.vantage, s.run_id, s.route_key, ${statsColumns('s.ttft_ms', 'ttft')}, ${statsColumns('s.e2e_ms', 'e2e')}, ${statsColumns('1000.0 / nullif(s.itl_ms, 0)', 'ots')}
     from ${samplesRelation(q, parts, scope, query.since)} s
     where s.run_id in (${ids}) and s.error_class is null ${query.regions ? `and s.region in (${query.regions.map((region) => q.add(region)).join(', ')})` : ''}
     group by s.vantage, s.run_id, s.route_key`,
    q.values,
  );
  return runs.map((run) => ({
    id: run.id,
    kind: run.kind,
    startedAt: run.started_at,
    target: run.target,
    status: run.status,
    vantage: run.vantage,
    regions: Object.fromEntries(
      aggregates
        .filter((row) => row.run_id === run.id && row.vantage === run.vantage)
        .map((row) => [row.route_key as string, { samples: Number(row.ttft_n), ttftMs: readStats(row, 'ttft'), e2eMs: readStats(row, 'e2e'), outputTokensPerSecond: readStats(row, 'ots') }]),
    ),
  }));
}
