import { randomUUID } from 'node:crypto';
import type { FleetProblem, FleetStatus, FleetSyncResult, FleetVantage, StoreLocation } from '../../../../src-shared/contract/fleet';
import { formatStoreLocation, parseStoreLocation } from '../../../../src-shared/contract/fleet';
import { ALL_VANTAGES, LOCAL_VANTAGE, LOCAL_VANTAGE_LABEL } from '../../../../src-shared/contract/vantage';
import type { AtlasEvent } from '../../../../src-shared/events';
import type { AwsClientPool } from '../../aws/client-pool';
import { SCHEMA, type MeasuredRoute } from '../../latency/history-store';
import { openHistoryDatabase, type HistoryDatabase } from '../../storage/history-database';
import type { HistoryAccess } from '../../storage/history-feature';
import { FLEET_SCHEMA_VERSION } from '../store/schema';
import type { HistoryRun, SeriesPoint } from '../../../../src-shared/contract/latency';
import { sinceInstant } from '../../latency/history-query';
import { measuredRoutes, vantageRuns, vantageSeries, vantageSummaries, type SeriesQuery, type TeamParts, type VantageScope } from './query';
import { directorySource, s3Source, vantageOfKey, type StoreSource } from './store-source';
import { syncStore } from './sync';
import { readableFiles, TeamCache, type TeamManifest } from './team-cache';

/**
 * The team data of one process: the store in force (the Team data setting, or the CLI's --store), its cache, the
 * one sync running at a time (callers share it; cancellable), and the DuckDB engine each query runs on. A query
 * that includes this machine runs on the history database (its tables beside the parts); one that reads only the
 * store runs on a private in-memory DuckDB, so the team's data stays readable when the history is off or locked.
 */

export class UnknownVantageError extends Error {
  override readonly name = 'UnknownVantage';
  readonly code = 'UNKNOWN_VANTAGE';
  constructor(
    readonly vantage: string,
    readonly known: string[],
  ) {
    super(`No vantage "${vantage}" in the team data. Known: ${[ALL_VANTAGES, ...known].join(', ')}.`);
  }
}

export class TeamStoreNotSetError extends Error {
  override readonly name = 'TeamStoreNotSet';
  readonly code = 'TEAM_STORE_NOT_SET';
}

export interface TeamDataOptions {
  /** The store as the setting (or --store) gives it; null when none. */
  location: () => string | null;
  dataDir: () => string;
  pool: AwsClientPool;
  history: HistoryAccess;
  /** The region an S3 store is asked in first (a bucket elsewhere names its own). */
  region: () => string;
  emit: (event: AtlasEvent) => void;
  /** Keys per ListObjectsV2 page (tests). */
  s3PageSize?: number;
}

interface Opened {
  text: string;
  location: StoreLocation;
  cache: TeamCache;
  manifest: Promise<TeamManifest>;
}

export class TeamData {
  private opened: Opened | null = null;
  private running: { promise: Promise<FleetSyncResult>; abort: AbortController } | null = null;
  private privateEngine: Promise<HistoryDatabase> | null = null;
  private closed = false;
  private inPlace = false;

  constructor(private readonly options: TeamDataOptions) {}

  /**
   * Reads a directory store where it is from now on, without copying its parts (the CLI's one-shot `--store DIR`).
   * Its manifest is kept apart from the copying cache's, so the app never reads a part in place it meant to keep.
   */
  readDirectoryInPlace(): void {
    this.inPlace = true;
    this.opened = null;
  }

  /** The store in force, with its cache; re-read when the setting changed. */
  private current(): Opened | null {
    const text = this.options.location();
    if (text === null) return (this.opened = null);
    if (this.opened?.text === text) return this.opened;
    const parsed = parseStoreLocation(text);
    if ('error' in parsed) throw new TeamStoreNotSetError(`The team store "${text}" is not usable: ${parsed.error}.`);
    const inPlace = this.inPlace && parsed.kind === 'directory';
    const cache = TeamCache.forLocation(this.options.dataDir(), formatStoreLocation(parsed), inPlace ? 'in-place' : 'copy');
    this.opened = { text, location: parsed, cache, manifest: cache.load() };
    return this.opened;
  }

  private source(opened: Opened): StoreSource {
    return opened.location.kind === 'directory'
      ? directorySource(opened.location.path, { readInPlace: this.inPlace })
      : s3Source(opened.location, { pool: this.options.pool, region: this.options.region(), pageSize: this.options.s3PageSize });
  }

  private engine(): Promise<HistoryDatabase> {
    return (this.privateEngine ??= openHistoryDatabase({ dataDir: null }));
  }

  /** The history database when it is kept (then this machine's rows can be read beside the store's), else the private engine. */
  private async engineWithLocal(): Promise<{ engine: HistoryDatabase; includeLocal: boolean }> {
    const history = await this.options.history.database();
    if (history.state.status === 'off') return { engine: await this.engine(), includeLocal: false };
    await history.ensureSchema(SCHEMA);
    return { engine: history, includeLocal: true };
  }

  /** The cached parts a query reads; none without a store. */
  async parts(): Promise<TeamParts> {
    const opened = this.current();
    return opened ? readableFiles(await opened.manifest) : { samples: [], runs: [] };
  }

  /** Syncs the store into the cache; a sync already running is shared. */
  sync(): Promise<FleetSyncResult> {
    if (this.running) return this.running.promise;
    const opened = this.current();
    if (!opened) return Promise.reject(new TeamStoreNotSetError('No team store is set: choose a directory or s3://bucket/prefix under Settings, Team data (CLI: --store).'));
    const abort = new AbortController();
    const syncId = randomUUID();
    const promise = (async () => {
      await opened.manifest;
      const outcome = await syncStore({
        source: this.source(opened),
        cache: opened.cache,
        engine: await this.engine(),
        knownSchemaVersion: FLEET_SCHEMA_VERSION,
        signal: abort.signal,
        syncId,
        onProgress: (payload) => this.options.emit({ type: 'fleet.sync.progress', payload }),
      });
      opened.manifest = Promise.resolve(outcome.manifest);
      return outcome.result;
    })();
    this.running = { promise, abort };
    const settle = () => {
      this.running = null;
      if (!this.closed) void this.status().then((payload) => this.options.emit({ type: 'fleet.status', payload }), () => undefined);
    };
    promise.then(settle, settle);
    return promise;
  }

  cancelSync(): boolean {
    if (!this.running) return false;
    this.running.abort.abort();
    return true;
  }

  /** The vantage names the cached parts hold (without reading them). */
  async storeVantageNames(): Promise<string[]> {
    const opened = this.current();
    if (!opened) return [];
    const manifest = await opened.manifest;
    const names = new Set<string>();
    for (const part of Object.values(manifest.parts)) {
      const name = part.file !== null ? vantageOfKey(part.key) : null;
      if (name) names.add(name);
    }
    return [...names].sort();
  }

  /** Refuses a vantage no part holds, naming the ones known; `local` and `all` are always known. */
  async checkVantage(vantage: string): Promise<void> {
    if (vantage === LOCAL_VANTAGE || vantage === ALL_VANTAGES) return;
    const known = await this.storeVantageNames();
    if (!known.includes(vantage)) throw new UnknownVantageError(vantage, [LOCAL_VANTAGE, ...known]);
  }

  /** Where a query for `vantage` runs, and what it reads. `local` is the history's own and never asked here. */
  async scope(vantage: string): Promise<{ engine: HistoryDatabase; parts: TeamParts; scope: VantageScope }> {
    await this.checkVantage(vantage);
    const parts = await this.parts();
    if (vantage === ALL_VANTAGES) {
      const { engine, includeLocal } = await this.engineWithLocal();
      return { engine, parts, scope: { vantage: null, includeLocal } };
    }
    return { engine: await this.engine(), parts, scope: { vantage, includeLocal: false } };
  }

  /**
   * Runs a query over the parts in scope. A part that fails under it (pages the sync's check could not see, a file
   * read in place that went away) is named by DuckDB's error: it is marked corrupt, said in the status, and the query
   * runs again without it. An error that names no part is the query's own and is passed on.
   */
  async query<T>(vantage: string, run: (engine: HistoryDatabase, parts: TeamParts, scope: VantageScope) => Promise<T>): Promise<T> {
    for (;;) {
      const { engine, parts, scope } = await this.scope(vantage);
      try {
        return await run(engine, parts, scope);
      } catch (error) {
        if (!(await this.markFailedPart((error as Error).message, [...parts.samples, ...parts.runs]))) throw error;
      }
    }
  }

  /** Marks the part a failed query's error names as corrupt; true when the query should run again without it. */
  private async markFailedPart(message: string, files: string[]): Promise<boolean> {
    const opened = this.current();
    const file = files.find((candidate) => message.includes(candidate));
    if (!opened || !file) return false;
    const manifest = await opened.manifest;
    // A compacted file that fails is set aside: its partition is read part by part, and a part that fails is named.
    const compacted = Object.entries(manifest.compacted ?? {}).find(([, entry]) => entry.file === file);
    if (compacted) {
      delete manifest.compacted![compacted[0]];
      await opened.cache.save(manifest).catch(() => undefined);
      return true;
    }
    const part = Object.values(manifest.parts).find((candidate) => candidate.file === file);
    // Another query met the same part first and marked it: this one runs again too.
    if (!part) return !readableFiles(manifest).samples.includes(file) && !readableFiles(manifest).runs.includes(file);
    part.check = { state: 'corrupt', message: `${part.key} could not be read (${message.split('\n')[0]}); it is skipped until the store holds a new version of it.` };
    part.file = null;
    await opened.cache.save(manifest).catch(() => undefined);
    return true;
  }

  /**
   * What the ranking and the matrix's cell panel read for a vantage: p50 TTFT per route (history's `measured`). An
   * unknown vantage is refused here, before the ranking would read it as "not measured".
   */
  async measuredFrom(vantage: string): Promise<{ measured(modelId: string, sinceMs: number): Promise<MeasuredRoute[]> }> {
    await this.checkVantage(vantage);
    return {
      measured: async (modelId, sinceMs) => {
        return this.query(vantage, (engine, parts, scope) => measuredRoutes(engine, parts, scope, modelId, sinceMs));
      },
    };
  }

  /** Runs of a vantage (or all), newest first, each naming its vantage: latencyHistory with a vantage. */
  async runs(query: { target?: string; regions?: string[]; since?: string; limit: number }, vantage: string): Promise<HistoryRun[]> {
    const since = sinceInstant(query.since);
    return this.query(vantage, (engine, parts, scope) => vantageRuns(engine, parts, scope, { ...query, since }));
  }

  /** Samples of a metric over time for a vantage (or all), each point naming its vantage: latencySeries with a vantage. */
  async series(query: { target: string; regions?: string[]; since?: string; metric: SeriesQuery['metric'] }, vantage: string): Promise<SeriesPoint[]> {
    const since = sinceInstant(query.since);
    return this.query(vantage, (engine, parts, scope) => vantageSeries(engine, parts, scope, { ...query, since }));
  }

  async vantages(): Promise<FleetVantage[]> {
    const summaries = await this.query(ALL_VANTAGES, (engine, parts, scope) => vantageSummaries(engine, parts, scope.includeLocal));
    const opened = this.current();
    const partsPer = new Map<string, number>();
    for (const part of Object.values(opened ? (await opened.manifest).parts : {})) {
      const name = part.file !== null && part.key.startsWith('samples/') ? vantageOfKey(part.key) : null;
      if (name) partsPer.set(name, (partsPer.get(name) ?? 0) + 1);
    }
    const local = summaries.find((summary) => summary.vantage === LOCAL_VANTAGE) ?? { vantage: LOCAL_VANTAGE, samples: 0, runs: 0, firstAt: null, lastAt: null };
    return [local, ...summaries.filter((summary) => summary.vantage !== LOCAL_VANTAGE)].map((summary) => ({
      name: summary.vantage,
      label: summary.vantage === LOCAL_VANTAGE ? LOCAL_VANTAGE_LABEL : summary.vantage,
      samples: summary.samples,
      runs: summary.runs,
      firstAt: summary.firstAt,
      lastAt: summary.lastAt,
      parts: partsPer.get(summary.vantage) ?? 0,
    }));
  }

  /** What the cache holds and what could not be read: the last sync's store-wide problems and every part's check. */
  async problems(): Promise<FleetProblem[]> {
    const opened = this.current();
    if (!opened) return [];
    const manifest = await opened.manifest;
    const problems: FleetProblem[] = (manifest.lastSync?.problems ?? []).filter((problem) => problem.kind !== 'corrupt' && problem.kind !== 'newer-schema');
    for (const part of Object.values(manifest.parts)) {
      if (part.check.state !== 'ok') problems.push({ kind: part.check.state, part: part.key, message: part.check.message });
    }
    return [...opened.cache.warnings.map((message) => ({ kind: 'corrupt' as const, message })), ...problems];
  }

  async status(): Promise<FleetStatus> {
    const opened = this.current();
    const manifest = opened ? await opened.manifest : null;
    const cached = Object.values(manifest?.parts ?? {}).filter((part) => part.file !== null);
    return {
      location: opened ? formatStoreLocation(opened.location) : null,
      kind: opened?.location.kind ?? null,
      syncing: this.running !== null,
      lastSyncAt: manifest?.lastSyncAt ?? null,
      lastSync: manifest?.lastSync ?? null,
      partsCached: cached.length,
      bytesCached: cached.reduce((sum, part) => sum + part.size, 0),
      cacheDir: opened?.cache.dir ?? null,
      vantages: await this.vantages(),
      schemaVersion: FLEET_SCHEMA_VERSION,
      problems: await this.problems(),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelSync();
    await this.running?.promise.catch(() => undefined);
    await (await this.privateEngine?.catch(() => null))?.close();
  }
}
