import type { ExportedFile, HistoryRun, HistoryStatus, LatencyRunStatus, SeriesPoint } from '../../../src-shared/contract/latency';
import type { HistoryDatabase, HistoryStatements } from '../storage/history-database';
import { insertLoadRun, LOAD_SCHEMA, readLoadRun, type LoadRunRows, type StoredLoadRun } from './load/load-store';
import { InvalidSince, iso, parameters, readStats, sinceInstant, statsColumns } from './history-query';
import { writeSamplesFile, type ExportColumns, type ExportFormat } from './sample-export';
import { round } from './stats';

/**
 * The lab's tables in the history database: runs and probes, and every raw sample, so any percentile over any
 * window can be asked later. A run's samples are buffered while it runs (away from the requests being timed) and
 * written with its run row in one transaction by `saveRun`, so a run is either stored whole or not at all; every
 * query reads samples through their run, so a sample without one is never shown. The oldest samples are removed
 * beyond the history limit. Every value reaches SQL as a bound parameter.
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
  /** Bedrock's request id (`x-amzn-requestid`); null when none arrived (a connection that failed first). */
  requestId: string | null;
  /** Wall-clock time (epoch ms) the request was handed to the socket. */
  sentAt: number | null;
  /** A load run's level. */
  levelIndex?: number;
  /** An open-loop load run's intended send time (epoch ms): latency counts from it. */
  scheduledAt?: number | null;
}

/** One stored sample as attribution looks it up: by its run, its route and Bedrock's request id. */
export interface StoredSampleRef {
  /** The sample's row number in the history (stable; never reused). */
  sampleId: number;
  runId: string;
  region: string;
  invokeId: string;
  routeKind: string;
  requestId: string | null;
  /** ISO time the request was sent; null for samples stored before send times were kept. */
  sentAt: string | null;
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
  kind: 'latency' | 'probe' | 'load';
  startedAt: string;
  finishedAt: string | null;
  target: string | null;
  status: LatencyRunStatus;
  report: unknown;
}

export interface MeasuredRoute {
  invokeId: string;
  region: string;
  /** The route kind the samples were measured as (on-demand, geo-profile, global-profile). */
  kind: string;
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
  // Columns added after the first release: a history file written before them gains them, empty (NULL), and keeps every row.
  'alter table latency_samples add column if not exists request_id varchar',
  'alter table latency_samples add column if not exists sent_at timestamp',
  ...LOAD_SCHEMA,
];

const SAMPLE_COLUMNS =
  'run_id, measured_at, target, model_id, route_key, region, invoke_id, kind, error_class, ttft_ms, e2e_ms, itl_ms, output_tokens, server_ms, gap_ms, reused, request_id, sent_at, level_index, scheduled_at';
const TIME_COLUMNS = new Set(['measured_at', 'sent_at', 'scheduled_at']);
const SAMPLE_COLUMN_COUNT = SAMPLE_COLUMNS.split(', ').length;
const BATCH_ROWS = 500;

export { InvalidSince, sinceInstant };
const METRIC_COLUMNS = { ttftMs: 's.ttft_ms', e2eMs: 's.e2e_ms', outputTokensPerSecond: '1000.0 / nullif(s.itl_ms, 0)' } as const;

export class LatencyHistory {
  private readonly prepared = new WeakSet<HistoryDatabase>();
  private samples: SampleRow[] = [];
  private probes: ProbeSampleRow[] = [];
  private readonly savedListeners = new Set<(runId: string, kind: RunRow['kind'], samples: readonly SampleRow[]) => void>();
  private readonly exportColumns = new Set<ExportColumns>();

  constructor(
    private readonly database: () => Promise<HistoryDatabase>,
    private readonly limit: () => number,
    /** A run that could not be stored: its figures stand, the user is told it was not kept. */
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
    return this.samples.length + this.probes.length;
  }

  addProbeSamples(rows: ProbeSampleRow[]): void {
    this.probes.push(...rows);
  }

  /**
   * Calls `listener` with a run's id, kind and samples once the run is stored (committed): what follows a run
   * (finding where its requests were served, exporting them as metrics) starts without the lab knowing of it.
   */
  onRunSaved(listener: (runId: string, kind: RunRow['kind'], samples: readonly SampleRow[]) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  private takeBuffered(runId: string): { samples: SampleRow[]; probes: ProbeSampleRow[] } {
    const samples = this.samples.filter((row) => row.runId === runId);
    const probes = this.probes.filter((row) => row.runId === runId);
    this.samples = this.samples.filter((row) => row.runId !== runId);
    this.probes = this.probes.filter((row) => row.runId !== runId);
    return { samples, probes };
  }

  /**
   * Writes the run row and every sample buffered for it in one transaction (with a load run's levels). True only
   * once the commit succeeded; false (and one line to the log) when history is off or the write failed, and then
   * nothing of the run is in the file.
   */
  async saveRun(run: RunRow, load?: LoadRunRows): Promise<boolean> {
    const { samples, probes } = this.takeBuffered(run.id);
    let db: HistoryDatabase;
    try {
      db = await this.open();
    } catch (error) {
      this.log(`Latency history: run ${run.id} and its ${samples.length + probes.length} samples could not be stored (${(error as Error).message.split('\n')[0]}).`);
      return false;
    }
    if (db.state.status === 'off') return false;
    try {
      await db.transaction(async (tx) => {
        await this.insertSamples(tx, samples, probes);
        await tx.run('insert or replace into latency_runs values ($1, $2, $3::timestamp, $4::timestamp, $5, $6, $7::json)', [
          run.id, run.kind, run.startedAt, run.finishedAt, run.target, run.status, JSON.stringify(run.report),
        ]);
        if (load) await insertLoadRun(tx, load);
        if (samples.length > 0) await this.prune(tx);
      });
      for (const listener of this.savedListeners) listener(run.id, run.kind, samples);
      return true;
    } catch (error) {
      this.log(`Latency history: run ${run.id} and its ${samples.length + probes.length} samples could not be stored (${(error as Error).message.split('\n')[0]}).`);
      return false;
    }
  }

  private async insertSamples(tx: HistoryStatements, samples: SampleRow[], probes: ProbeSampleRow[]): Promise<void> {
    for (let start = 0; start < samples.length; start += BATCH_ROWS) {
      const batch = samples.slice(start, start + BATCH_ROWS);
      const values = batch.map((_, index) => `(${Array.from({ length: SAMPLE_COLUMN_COUNT }, (__, column) => `$${index * SAMPLE_COLUMN_COUNT + column + 1}`).join(', ')})`).join(', ');
      const params = batch.flatMap((row) => [
        row.runId, iso(row.at), row.target, row.modelId, row.routeKey, row.region, row.invokeId, row.kind, row.errorClass,
        row.ttftMs, row.e2eMs, row.interTokenMs, row.outputTokens, row.serverLatencyMs, row.largestGapMs, row.reusedSocket,
        row.requestId, row.sentAt === null ? null : iso(row.sentAt), row.levelIndex ?? null, row.scheduledAt == null ? null : iso(row.scheduledAt),
      ]);
      await tx.run(`insert into latency_samples (${SAMPLE_COLUMNS}) values ${values}`, params);
    }
    for (let start = 0; start < probes.length; start += BATCH_ROWS) {
      const batch = probes.slice(start, start + BATCH_ROWS);
      const values = batch.map((_, index) => `(${Array.from({ length: 9 }, (__, column) => `$${index * 9 + column + 1}`).join(', ')})`).join(', ');
      const params = batch.flatMap((row) => [row.runId, iso(row.at), row.region, row.connection, row.dnsMs, row.connectMs, row.tlsMs, row.ttfbMs, row.totalMs]);
      await tx.run(`insert into probe_samples values ${values}`, params);
    }
  }

  /** Keeps the newest `limit` samples. */
  private async prune(tx: HistoryStatements): Promise<void> {
    await tx.run('delete from latency_samples where seq <= (select seq from latency_samples order by seq desc limit 1 offset $1)', [Math.floor(this.limit())]);
  }

  async status(): Promise<HistoryStatus> {
    const db = await this.open();
    const [row] = await db.all<{ n: bigint }>('select count(*) as n from latency_samples s join latency_runs r on r.id = s.run_id');
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
    const since = sinceInstant(query.since);
    const db = await this.open();
    const p = parameters();
    const conditions: string[] = [];
    if (query.target) {
      const target = p.add(query.target);
      conditions.push(`(r.target = ${target} or exists (select 1 from latency_samples s where s.run_id = r.id and (s.model_id = ${target} or s.invoke_id = ${target})))`);
    }
    if (since) conditions.push(`r.started_at >= ${p.add(since.toISOString())}::timestamp`);
    if (query.regions) {
      const regions = p.list(query.regions);
      conditions.push(`(exists (select 1 from latency_samples s where s.run_id = r.id and s.region in (${regions}))
        or exists (select 1 from probe_samples ps where ps.run_id = r.id and ps.region in (${regions})))`);
    }
    const runs = await db.all<{ id: string; kind: HistoryRun['kind']; started_at: string; target: string | null; status: LatencyRunStatus }>(
      `select id, kind, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at, target, status from latency_runs r
       ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''} order by r.started_at desc limit ${p.add(query.limit)}`,
      p.values,
    );
    if (runs.length === 0) return [];
    const q = parameters();
    const ids = q.list(runs.map((run) => run.id));
    const regionFilter = query.regions ? `and s.region in (${q.list(query.regions)})` : '';
    const aggregates = await db.all<Record<string, unknown>>(
      `select s.run_id, s.route_key, ${statsColumns('s.ttft_ms', 'ttft')}, ${statsColumns('s.e2e_ms', 'e2e')}, ${statsColumns('1000.0 / nullif(s.itl_ms, 0)', 'ots')}
       from latency_samples s join latency_runs r on r.id = s.run_id
       where s.run_id in (${ids}) and s.error_class is null ${regionFilter} group by s.run_id, s.route_key`,
      q.values,
    );
    const probeCounts = await db.all<{ run_id: string; region: string; n: bigint }>(
      `select s.run_id, s.region, count(*) as n from probe_samples s join latency_runs r on r.id = s.run_id
       where s.run_id in (${ids}) ${regionFilter} group by s.run_id, s.region`,
      q.values,
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

  /** The samples' filter shared by the series and the export, as SQL over `s` with its values bound. */
  private sampleFilter(p: ReturnType<typeof parameters>, query: { target?: string; regions?: string[]; since?: string; runId?: string }): string[] {
    const since = sinceInstant(query.since);
    const conditions: string[] = [];
    if (query.target) {
      const target = p.add(query.target);
      conditions.push(`(s.target = ${target} or s.model_id = ${target} or s.invoke_id = ${target})`);
    }
    if (since) conditions.push(`s.measured_at >= ${p.add(since.toISOString())}::timestamp`);
    if (query.regions) conditions.push(`s.region in (${p.list(query.regions)})`);
    if (query.runId) conditions.push(`s.run_id = ${p.add(query.runId)}`);
    return conditions;
  }

  async series(query: { target: string; regions?: string[]; since?: string; metric: 'ttftMs' | 'e2eMs' | 'outputTokensPerSecond' }): Promise<SeriesPoint[]> {
    const p = parameters();
    const conditions = this.sampleFilter(p, query);
    const db = await this.open();
    const column = METRIC_COLUMNS[query.metric];
    const rows = await db.all<{ at: string; route_key: string; value: number }>(
      `select strftime(s.measured_at, '%Y-%m-%dT%H:%M:%S.%gZ') as at, s.route_key, ${column} as value
       from latency_samples s join latency_runs r on r.id = s.run_id
       where s.error_class is null and ${conditions.join(' and ')} and ${column} is not null order by s.measured_at limit 100000`,
      p.values,
    );
    return rows.map((row) => ({ at: row.at, region: row.route_key, value: round(row.value) }));
  }

  /**
   * Every sample of a run that a request was sent for, in the order stored, with Bedrock's request id: what
   * attribution matches CloudTrail's events against. Samples without a run row are never listed.
   */
  async runSamples(runId: string): Promise<StoredSampleRef[]> {
    const db = await this.open();
    const rows = await db.all<{ seq: bigint; run_id: string; region: string; invoke_id: string; kind: string; request_id: string | null; sent_at: string | null }>(
      `select s.seq, s.run_id, s.region, s.invoke_id, s.kind, s.request_id, strftime(s.sent_at, '%Y-%m-%dT%H:%M:%S.%gZ') as sent_at
       from latency_samples s join latency_runs r on r.id = s.run_id where s.run_id = $1 order by s.seq`,
      [runId],
    );
    return rows.map((row) => ({
      sampleId: Number(row.seq),
      runId: row.run_id,
      region: row.region,
      invokeId: row.invoke_id,
      routeKind: row.kind,
      requestId: row.request_id,
      sentAt: row.sent_at,
    }));
  }

  /** A stored load run and its levels; null when there is none with this id. */
  async loadRun(runId: string): Promise<StoredLoadRun | null> {
    return readLoadRun(await this.open(), runId);
  }

  /**
   * p50 TTFT per route of a model over the window, for the ranking and the catalog's bestRegions. Load runs are
   * left out: they measure a route under load, not the latency a caller usually gets.
   */
  async measured(modelId: string, sinceMs: number): Promise<MeasuredRoute[]> {
    const db = await this.open();
    const rows = await db.all<{ invoke_id: string; region: string; kind: string; p50: number; n: bigint; last: string }>(
      `select s.invoke_id, s.region, any_value(s.kind) as kind, quantile_cont(s.ttft_ms, 0.5) as p50, count(*) as n,
         strftime(max(s.measured_at), '%Y-%m-%dT%H:%M:%S.%gZ') as last
       from latency_samples s join latency_runs r on r.id = s.run_id
       where s.model_id = $1 and s.error_class is null and s.measured_at >= $2::timestamp and r.kind <> 'load' group by s.invoke_id, s.region`,
      [modelId, iso(sinceMs)],
    );
    return rows.map((row) => ({ invokeId: row.invoke_id, region: row.region, kind: row.kind, ttftP50Ms: round(row.p50), samples: Number(row.n), measuredAt: row.last }));
  }

  /**
   * Lets another feature add columns to the exported samples from its own table (attribution: where each request
   * was served). Returns the way to take them away again, for when that feature is disposed.
   */
  addExportColumns(columns: ExportColumns): () => void {
    this.exportColumns.add(columns);
    return () => this.exportColumns.delete(columns);
  }

  /** The samples as a file, with the lab's columns and then those other features added. */
  async export(query: { format: ExportFormat; target?: string; since?: string; runId?: string }): Promise<ExportedFile> {
    const p = parameters();
    const conditions = this.sampleFilter(p, query);
    const db = await this.open();
    if (db.state.status === 'off') throw new Error(`Nothing to export: ${db.state.message}`);
    const added = [...this.exportColumns];
    for (const extension of added) await extension.prepare();
    const own = SAMPLE_COLUMNS.split(', ').map((column) => (TIME_COLUMNS.has(column) ? `strftime(s.${column}, '%Y-%m-%dT%H:%M:%S.%gZ') as ${column}` : `s.${column}`));
    const extra = added.flatMap((extension) => Object.entries(extension.columns).map(([name, sql]) => `${sql} as ${name}`));
    const select = `select ${[...own, ...extra].join(', ')}
      from latency_samples s join latency_runs r on r.id = s.run_id ${added.map((extension) => extension.join).join(' ')}
      ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''} order by s.seq`;
    const columns = [...SAMPLE_COLUMNS.split(', '), ...added.flatMap((extension) => Object.keys(extension.columns))];
    return writeSamplesFile(db, query.format, select, p.values, columns);
  }
}
