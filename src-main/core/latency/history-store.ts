import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportedFile, HistoryRun, HistoryStatus, LatencyStats, SeriesPoint } from '../../../src-shared/contract/latency';
import type { HistoryDatabase } from '../storage/history-database';
import { round } from './stats';

/**
 * The lab's tables in the history database: runs and probes, and every raw sample, so any percentile over any
 * window can be asked later. Samples are buffered and written in batches by `flush`, away from the requests being
 * timed; the oldest are removed beyond the history limit.
 */

export interface SampleRow {
  runId: string;
  at: number;
  target: string;
  modelId: string;
  routeKey: string;
  region: string;
  invokeId: string;
  kind: string;
  errorClass: string | null;
  ttftMs: number | null;
  e2eMs: number | null;
  interTokenMs: number | null;
  outputTokens: number | null;
  serverLatencyMs: number | null;
  largestGapMs: number | null;
  reusedSocket: boolean | null;
}

export interface ProbeSampleRow {
  runId: string;
  at: number;
  region: string;
  connection: 'cold' | 'warm';
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number;
  totalMs: number | null;
}

export interface RunRow {
  id: string;
  kind: 'latency' | 'probe';
  startedAt: string;
  finishedAt: string | null;
  target: string | null;
  status: 'completed' | 'cancelled';
  report: unknown;
}

export interface MeasuredRoute {
  invokeId: string;
  region: string;
  ttftP50Ms: number;
  samples: number;
  measuredAt: string;
}

export const SCHEMA = [
  'create sequence if not exists latency_sample_seq',
  `create table if not exists latency_runs (id varchar primary key, kind varchar, started_at timestamp, finished_at timestamp,
    target varchar, status varchar, report json)`,
  `create table if not exists latency_samples (seq bigint default nextval('latency_sample_seq'), run_id varchar, measured_at timestamp,
    target varchar, model_id varchar, route_key varchar, region varchar, invoke_id varchar, kind varchar, error_class varchar,
    ttft_ms double, e2e_ms double, itl_ms double, output_tokens integer, server_ms double, gap_ms double, reused boolean)`,
  `create table if not exists probe_samples (run_id varchar, measured_at timestamp, region varchar, connection varchar, dns_ms double,
    connect_ms double, tls_ms double, ttfb_ms double, total_ms double)`,
];

const SAMPLE_COLUMNS = 'run_id, measured_at, target, model_id, route_key, region, invoke_id, kind, error_class, ttft_ms, e2e_ms, itl_ms, output_tokens, server_ms, gap_ms, reused';
const BATCH_ROWS = 500;

/** `7d`, `12h`, `30m`, `4w` or an ISO date → the instant it means. */
export function sinceInstant(since: string | undefined, now = Date.now()): Date | null {
  if (!since) return null;
  const duration = /^(\d+)([mhdw])$/.exec(since);
  if (duration) return new Date(now - Number(duration[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[duration[2] as 'm']);
  return new Date(since);
}

const iso = (ms: number) => new Date(ms).toISOString();
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

function statsColumns(column: string, alias: string): string {
  return `count(${column}) as ${alias}_n, quantile_cont(${column}, 0.5) as ${alias}_p50, quantile_cont(${column}, 0.9) as ${alias}_p90,
    quantile_cont(${column}, 0.99) as ${alias}_p99, avg(${column}) as ${alias}_mean, min(${column}) as ${alias}_min,
    max(${column}) as ${alias}_max, coalesce(stddev_samp(${column}), 0) as ${alias}_sd`;
}

function readStats(row: Record<string, unknown>, alias: string): LatencyStats | null {
  if (!Number(row[`${alias}_n`])) return null;
  const value = (name: string) => round(Number(row[`${alias}_${name}`]));
  return { p50: value('p50'), p90: value('p90'), p99: value('p99'), mean: value('mean'), min: value('min'), max: value('max'), stddev: value('sd') };
}

export class LatencyHistory {
  private readonly prepared = new WeakSet<HistoryDatabase>();
  private samples: SampleRow[] = [];
  private probes: ProbeSampleRow[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: () => Promise<HistoryDatabase>,
    private readonly limit: () => number,
    /** A write that failed: the run's figures stand, the user is told its samples were not kept. */
    private readonly log: (line: string) => void = () => {},
  ) {}

  private async open(): Promise<HistoryDatabase> {
    const db = await this.database();
    if (!this.prepared.has(db)) {
      await db.ensureSchema(SCHEMA);
      this.prepared.add(db);
    }
    return db;
  }

  /** Whether history is being kept (off when the file is locked elsewhere or the directory is unwritable). */
  async enabled(): Promise<boolean> {
    return (await this.database()).state.status !== 'off';
  }

  addSamples(rows: SampleRow[]): void {
    this.samples.push(...rows);
  }

  /** Samples buffered and not yet written. */
  pending(): number {
    return this.samples.length;
  }

  addProbeSamples(rows: ProbeSampleRow[]): void {
    this.probes.push(...rows);
  }

  /** Writes what is buffered; writes are serialized, so a flush never overtakes an earlier one. */
  flush(): Promise<void> {
    const samples = this.samples.splice(0);
    const probes = this.probes.splice(0);
    if (samples.length === 0 && probes.length === 0) return this.writing;
    this.writing = this.writing
      .then(() => this.write(samples, probes))
      .catch((error: Error) => this.log(`Latency history: ${samples.length + probes.length} samples could not be written (${error.message}).`));
    return this.writing;
  }

  private async write(samples: SampleRow[], probes: ProbeSampleRow[]): Promise<void> {
    const db = await this.open();
    for (let start = 0; start < samples.length; start += BATCH_ROWS) {
      const batch = samples.slice(start, start + BATCH_ROWS);
      const values = batch.map((_, index) => `(${Array.from({ length: 16 }, (__, column) => `$${index * 16 + column + 1}`).join(', ')})`).join(', ');
      const params = batch.flatMap((row) => [
        row.runId, iso(row.at), row.target, row.modelId, row.routeKey, row.region, row.invokeId, row.kind, row.errorClass,
        row.ttftMs, row.e2eMs, row.interTokenMs, row.outputTokens, row.serverLatencyMs, row.largestGapMs, row.reusedSocket,
      ]);
      await db.run(`insert into latency_samples (${SAMPLE_COLUMNS}) values ${values}`, params);
    }
    for (let start = 0; start < probes.length; start += BATCH_ROWS) {
      const batch = probes.slice(start, start + BATCH_ROWS);
      const values = batch.map((_, index) => `(${Array.from({ length: 9 }, (__, column) => `$${index * 9 + column + 1}`).join(', ')})`).join(', ');
      const params = batch.flatMap((row) => [row.runId, iso(row.at), row.region, row.connection, row.dnsMs, row.connectMs, row.tlsMs, row.ttfbMs, row.totalMs]);
      await db.run(`insert into probe_samples values ${values}`, params);
    }
    if (samples.length > 0) await this.prune(db);
  }

  /** Keeps the newest `limit` samples. */
  private async prune(db: HistoryDatabase): Promise<void> {
    const limit = this.limit();
    await db.run(
      `delete from latency_samples where seq <= (select seq from latency_samples order by seq desc limit 1 offset ${Math.floor(limit)})`,
    );
  }

  async saveRun(run: RunRow): Promise<boolean> {
    await this.flush();
    const db = await this.open();
    if (db.state.status === 'off') return false;
    await db.run('insert or replace into latency_runs values ($1, $2, $3::timestamp, $4::timestamp, $5, $6, $7::json)', [
      run.id, run.kind, run.startedAt, run.finishedAt, run.target, run.status, JSON.stringify(run.report),
    ]);
    return true;
  }

  async status(): Promise<HistoryStatus> {
    const db = await this.open();
    const [row] = await db.all<{ n: bigint }>('select count(*) as n from latency_samples');
    const state = db.state;
    return {
      state: state.status,
      path: state.status === 'open' ? state.path : null,
      samples: Number(row?.n ?? 0),
      limit: this.limit(),
      warnings: db.warnings,
    };
  }

  async runs(query: { target?: string; regions?: string[]; since?: string; limit: number }): Promise<HistoryRun[]> {
    const db = await this.open();
    const since = sinceInstant(query.since);
    const conditions = [
      ...(query.target ? [`(r.target = ${quote(query.target)} or r.id in (select run_id from latency_samples where model_id = ${quote(query.target)} or invoke_id = ${quote(query.target)}))`] : []),
      ...(since ? [`r.started_at >= ${quote(since.toISOString())}::timestamp`] : []),
      ...(query.regions ? [`r.id in (select run_id from latency_samples where region in (${query.regions.map(quote).join(', ')}) union select run_id from probe_samples where region in (${query.regions.map(quote).join(', ')}))`] : []),
    ];
    const runs = await db.all<{ id: string; kind: 'latency' | 'probe'; started_at: string; target: string | null; status: 'completed' | 'cancelled' }>(
      `select id, kind, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at, target, status from latency_runs r
       ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''} order by r.started_at desc limit ${query.limit}`,
    );
    if (runs.length === 0) return [];
    const ids = runs.map((run) => quote(run.id)).join(', ');
    const regionFilter = query.regions ? `and region in (${query.regions.map(quote).join(', ')})` : '';
    const aggregates = await db.all<Record<string, unknown>>(
      `select run_id, route_key, ${statsColumns('ttft_ms', 'ttft')}, ${statsColumns('e2e_ms', 'e2e')}, ${statsColumns('1000.0 / nullif(itl_ms, 0)', 'ots')}
       from latency_samples where run_id in (${ids}) and error_class is null ${regionFilter} group by run_id, route_key`,
    );
    const probeCounts = await db.all<{ run_id: string; region: string; n: bigint }>(
      `select run_id, region, count(*) as n from probe_samples where run_id in (${ids}) ${regionFilter} group by run_id, region`,
    );
    return runs.map((run) => ({
      id: run.id,
      kind: run.kind,
      startedAt: run.started_at,
      target: run.target,
      status: run.status,
      regions: Object.fromEntries([
        ...aggregates
          .filter((row) => row.run_id === run.id)
          .map((row) => [row.route_key as string, { samples: Number(row.ttft_n), ttftMs: readStats(row, 'ttft'), e2eMs: readStats(row, 'e2e'), outputTokensPerSecond: readStats(row, 'ots') }]),
        ...probeCounts
          .filter((row) => row.run_id === run.id)
          .map((row) => [row.region, { samples: Number(row.n), ttftMs: null, e2eMs: null, outputTokensPerSecond: null }]),
      ]),
    }));
  }

  async series(query: { target: string; regions?: string[]; since?: string; metric: 'ttftMs' | 'e2eMs' | 'outputTokensPerSecond' }): Promise<SeriesPoint[]> {
    const db = await this.open();
    const since = sinceInstant(query.since);
    const column = { ttftMs: 'ttft_ms', e2eMs: 'e2e_ms', outputTokensPerSecond: '1000.0 / nullif(itl_ms, 0)' }[query.metric];
    const rows = await db.all<{ at: string; route_key: string; value: number }>(
      `select strftime(measured_at, '%Y-%m-%dT%H:%M:%S.%gZ') as at, route_key, ${column} as value from latency_samples
       where error_class is null and (target = ${quote(query.target)} or model_id = ${quote(query.target)} or invoke_id = ${quote(query.target)})
       ${since ? `and measured_at >= ${quote(since.toISOString())}::timestamp` : ''} ${query.regions ? `and region in (${query.regions.map(quote).join(', ')})` : ''}
       and ${column} is not null order by measured_at limit 100000`,
    );
    return rows.map((row) => ({ at: row.at, region: row.route_key, value: round(row.value) }));
  }

  /** p50 TTFT per route of a model over the window, for the ranking and the catalog's bestRegions. */
  async measured(modelId: string, sinceMs: number): Promise<MeasuredRoute[]> {
    const db = await this.open();
    const rows = await db.all<{ invoke_id: string; region: string; p50: number; n: bigint; last: string }>(
      `select invoke_id, region, quantile_cont(ttft_ms, 0.5) as p50, count(*) as n, strftime(max(measured_at), '%Y-%m-%dT%H:%M:%S.%gZ') as last
       from latency_samples where model_id = $1 and error_class is null and measured_at >= $2::timestamp group by invoke_id, region`,
      [modelId, iso(sinceMs)],
    );
    return rows.map((row) => ({ invokeId: row.invoke_id, region: row.region, ttftP50Ms: round(row.p50), samples: Number(row.n), measuredAt: row.last }));
  }

  async export(query: { format: 'csv' | 'json' | 'parquet'; target?: string; since?: string; runId?: string }): Promise<ExportedFile> {
    const db = await this.open();
    if (db.state.status === 'off') throw new Error(`Nothing to export: ${db.state.message}`);
    const since = sinceInstant(query.since);
    const conditions = [
      ...(query.target ? [`(target = ${quote(query.target)} or model_id = ${quote(query.target)} or invoke_id = ${quote(query.target)})`] : []),
      ...(since ? [`measured_at >= ${quote(since.toISOString())}::timestamp`] : []),
      ...(query.runId ? [`run_id = ${quote(query.runId)}`] : []),
    ];
    const dir = await mkdtemp(join(tmpdir(), 'atlas-export-'));
    const fileName = `latency-samples.${query.format}`;
    const path = join(dir, fileName);
    try {
      const format = { csv: 'csv, header true', json: 'json, array true', parquet: 'parquet' }[query.format];
      await db.run(
        `copy (select * exclude (seq) from latency_samples ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''} order by seq) to ${quote(path)} (format ${format})`,
      );
      const mimeType = { csv: 'text/csv', json: 'application/json', parquet: 'application/vnd.apache.parquet' }[query.format];
      return { fileName, mimeType, base64: (await readFile(path)).toString('base64') };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
