import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CatalogDocumentSchema, type CatalogDocument, type ModelAccess } from '../../../src-shared/catalog/document';
import type { QuotaSection } from '../../../src-shared/catalog/quotas';
import { bestRegions, getModel } from '../../../src-shared/catalog/queries';
import type { CatalogSnapshot, DiscoveryFailure, RankedRoute } from '../../../src-shared/contract';
import { isKeyBoundRegion, keyBoundCause } from '../../../src-shared/api-key-regions';
import type { AtlasEvent } from '../../../src-shared/events';
import type { AwsClientPool } from '../aws/client-pool';
import { buildCatalogDocument } from './build-document';
import type { CatalogCache } from './cache';
import { fetchModelAccess } from './model-access';
import {
  scanCuttingOffStragglers,
  ScanCancelledError,
  type RegionScan,
  type ScanOptions,
  type StragglerRule,
} from './discovery';

/**
 * The catalog as the app sees it: loaded through the start-up waterfall (a valid cache, then the API, then the
 * bundled file), refreshed on demand with one scan shared by every caller, and enriched lazily with the
 * account's model access.
 */

export class CatalogUnavailableError extends Error {
  override readonly name = 'CatalogUnavailable';
  readonly code = 'CATALOG_UNAVAILABLE';
}

export interface CatalogServiceOptions {
  clients: AwsClientPool;
  cache: CatalogCache;
  /** The bundled fallback file; null disables the fallback (`--no-bundled`). */
  bundledPath: string | null;
  /** Regions to scan when the caller names none. */
  regions: () => readonly string[];
  emit: (event: AtlasEvent) => void;
  log: (line: string) => void;
  scan?: Pick<ScanOptions, 'regionTimeoutMs' | 'perRegionConcurrency'> & { stragglerRule?: StragglerRule };
  now?: () => number;
}

interface Loaded {
  document: CatalogDocument;
  warnings: string[];
  /** Set while what is shown is not from the discovery just attempted, because it answered in no region. */
  discoveryFailure?: DiscoveryFailure;
}

/** A scan that answered without its stragglers, kept until they arrive so they can be merged in. */
interface AnsweredScan {
  scanId: string;
  scans: RegionScan[];
}

export class CatalogService {
  private current: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;
  private scanning: Promise<Loaded> | null = null;
  private scanAbort: AbortController | null = null;
  /** Scans that answered while stragglers are still out: cancelling stops their requests too. */
  private readonly background = new Set<AbortController>();
  /** The scan that last asked each region: a straggler's answer is merged only if no later scan asked again. */
  private readonly latestScanOf = new Map<string, string>();
  private readonly options: CatalogServiceOptions;
  private readonly refreshListeners = new Set<(regions: readonly string[]) => void>();

  constructor(options: CatalogServiceOptions) {
    this.options = options;
  }

  /** With `fresh`, the start-up waterfall skips the cache: the API first, then the bundled file. */
  async get({ fresh = false }: { fresh?: boolean } = {}): Promise<CatalogSnapshot> {
    if (!this.current || fresh) {
      this.loading ??= this.waterfall(fresh).finally(() => (this.loading = null));
      this.current = await this.loading;
    }
    return this.snapshot(this.current);
  }

  /** The catalog already loaded, without loading it: what a newly connected client is sent first. */
  peek(): CatalogSnapshot | null {
    return this.current ? this.snapshot(this.current) : null;
  }

  /** Scans again; concurrent callers share one scan. Keeps the current data when every region fails. */
  async refresh(regions?: readonly string[]): Promise<CatalogSnapshot> {
    if (!this.scanning) {
      const scanned = regions ?? this.options.regions();
      this.scanning = this.scanAndMerge(scanned).finally(() => {
        this.scanning = null;
        this.scanAbort = null;
      });
      void this.scanning.then(() => {
        for (const listener of this.refreshListeners) listener(scanned);
      }, () => {});
    }
    const loaded = await this.scanning;
    return this.snapshot(loaded);
  }

  /**
   * Calls `listener` with the regions after each scan the user asked for (`refresh`), not after the start-up
   * waterfall: what is refreshed with the catalog (its quota section) follows without the catalog knowing it.
   */
  onRefreshed(listener: (regions: readonly string[]) => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  /** Cancels the running scan and stops waiting for any straggler. True when there was something to cancel. */
  cancelRefresh(): boolean {
    const running = [...(this.scanAbort ? [this.scanAbort] : []), ...this.background];
    for (const abort of running) abort.abort();
    this.background.clear();
    return running.length > 0;
  }

  async findModel(query: string) {
    return getModel((await this.get()).document, query);
  }

  /** A model's routes from a region, best first by the catalog's order; the model as the query resolved it. */
  async bestRegions(modelId: string, fromRegion: string): Promise<{ modelId: string | null; routes: RankedRoute[] }> {
    const { document } = await this.get();
    const model = getModel(document, modelId);
    return model ? { modelId: model.modelId, routes: bestRegions(document, model.modelId, fromRegion) } : { modelId: null, routes: [] };
  }

  /** The account's access per region (GetFoundationModelAvailability), fetched only for what is asked and cached. */
  async modelAccess(modelId: string, regions: readonly string[]): Promise<Record<string, ModelAccess>> {
    await this.get();
    const loaded = this.current!;
    // Own properties only: "__proto__" or "constructor" is an unknown model, never Object's prototype.
    if (!Object.hasOwn(loaded.document.models, modelId)) {
      throw Object.assign(new Error(`Unknown model "${modelId}": access is asked for a model id from the catalog.`), { name: 'UnknownModel', code: 'UNKNOWN_MODEL' });
    }
    const accessOf = (id: string): Record<string, ModelAccess> => (loaded.document.access && Object.hasOwn(loaded.document.access, id) ? (loaded.document.access[id] ?? {}) : {});
    const known = accessOf(modelId);
    const missing = regions.filter((region) => {
      const entry = known[region];
      return !entry || entry.status === 'unknown';
    });
    if (missing.length > 0) {
      const fetched = await Promise.all(missing.map(async (region) => [region, await fetchModelAccess(this.options.clients, modelId, region, new Date(this.now()).toISOString())] as const));
      const access = { ...(loaded.document.access ?? {}) };
      access[modelId] = { ...known, ...Object.fromEntries(fetched) };
      loaded.document = { ...loaded.document, access };
      if (loaded.document.source !== 'bundled') await this.options.cache.save(loaded.document);
    }
    const all = accessOf(modelId);
    return Object.fromEntries(
      regions.flatMap((region) => {
        const access = Object.hasOwn(all, region) ? all[region] : undefined;
        return access ? [[region, access] as const] : [];
      }),
    );
  }

  /**
   * The quotas feature's section, put into the document and saved like any change to it (atomically; only in
   * memory over the bundled catalog), then announced. The section keeps its own fetch time.
   */
  async saveQuotas(quotas: QuotaSection): Promise<CatalogSnapshot> {
    await this.get();
    const loaded = this.current!;
    loaded.document = { ...loaded.document, quotas };
    if (loaded.document.source !== 'bundled') loaded.warnings.push(...(await this.options.cache.save(loaded.document)));
    const snapshot = this.snapshot(loaded);
    this.options.emit({ type: 'catalog.updated', payload: snapshot });
    return snapshot;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private snapshot(loaded: Loaded): CatalogSnapshot {
    const { document } = loaded;
    const errors = Object.entries(document.regions).filter(([, status]) => status.status === 'error');
    // Regions a short-term API key cannot call are not failures: their one cause is said once.
    const keyBound = errors.filter(([, status]) => isKeyBoundRegion(status.error));
    const failed = errors.filter(([, status]) => !isKeyBoundRegion(status.error));
    const warnings = [...loaded.warnings];
    if (failed.length > 0 && document.source !== 'bundled') {
      warnings.push(`${failed.length} region${failed.length > 1 ? 's' : ''} failed: ${failed.map(([region, status]) => `${region} (${status.error?.code})`).join(', ')}`);
    }
    if (keyBound.length > 0 && document.source !== 'bundled') {
      const cause = keyBoundCause(keyBound[0]![1].error?.message ?? '');
      warnings.push(`${cause}: ${keyBound.length} region${keyBound.length > 1 ? 's are' : ' is'} not callable with this key (${keyBound.map(([region]) => region).join(', ')})`);
    }
    return {
      document,
      meta: {
        source: document.source,
        simulated: document.origin?.simulated === true,
        ageMs: Math.max(0, this.now() - Date.parse(document.generatedAt)),
        cacheMode: this.options.cache.mode,
        cachePath: this.options.cache.mode === 'file' ? this.options.cache.path : null,
        warnings,
        ...(loaded.discoveryFailure ? { discoveryFailure: loaded.discoveryFailure } : {}),
      },
    };
  }

  private async waterfall(skipCache: boolean): Promise<Loaded> {
    const steps: string[] = [];
    const cached = skipCache ? { document: null, warnings: [] } : await this.options.cache.load();
    if (cached.document) return { document: cached.document, warnings: cached.warnings };
    steps.push(
      skipCache ? 'cache: skipped (refresh)' : this.options.cache.mode === 'none' ? 'cache: disabled (mode none)' : `cache: ${cached.warnings[0] ?? 'empty'}`,
    );

    let apiWarnings: string[] = [];
    try {
      const scanned = await this.scanAndMerge(this.options.regions(), cached.warnings);
      if (Object.values(scanned.document.regions).some((region) => region.status === 'ok')) return scanned;
      apiWarnings = scanned.warnings;
    } catch (error) {
      apiWarnings = [(error as Error).message];
    }
    steps.push(`api: ${apiWarnings.join('; ') || 'no region answered'}`);

    if (this.options.bundledPath) {
      try {
        const document = await this.readBundled(this.options.bundledPath);
        const warning = `Showing the bundled catalog from ${document.generatedAt.slice(0, 10)}: live discovery failed (${apiWarnings.join('; ')}).`;
        this.options.log(warning);
        return { document, warnings: [...cached.warnings, warning], discoveryFailure: { at: new Date(this.now()).toISOString(), reasons: apiWarnings } };
      } catch (error) {
        steps.push(`bundled: ${(error as Error).message}`);
      }
    } else {
      steps.push('bundled: disabled (--no-bundled)');
    }
    throw new CatalogUnavailableError(`No catalog could be loaded. ${steps.join(' | ')}`);
  }

  private async readBundled(path: string): Promise<CatalogDocument> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path} (${(error as Error).message})`);
    }
    const parsed = CatalogDocumentSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${path} is not a valid catalog document`);
    return { ...parsed.data, source: 'bundled' };
  }

  private async scanAndMerge(regions: readonly string[], carriedWarnings: string[] = []): Promise<Loaded> {
    const scanId = randomUUID();
    const abort = new AbortController();
    this.scanAbort = abort;
    for (const region of regions) this.latestScanOf.set(region, scanId);
    // `waiting` keeps a straggler until its answer really comes, after the scan has answered without it.
    const progress = { waiting: new Set(regions), completed: 0 };
    const cutOff = new Set<string>();
    const total = regions.length;
    const outcome = await scanCuttingOffStragglers(regions, {
      clients: this.options.clients,
      signal: abort.signal,
      ...this.options.scan,
      onProgress: (event) => {
        if (event.phase !== 'started') {
          // A straggler was already counted as failed when the scan answered without it.
          if (!cutOff.has(event.region)) progress.completed++;
          progress.waiting.delete(event.region);
        }
        this.options.emit({ type: 'catalog.progress', payload: { ...event, scanId, completed: progress.completed, total, waiting: [...progress.waiting] } });
      },
    }).catch((error: unknown) => {
      if (error instanceof ScanCancelledError) {
        this.options.emit({ type: 'catalog.scanFinished', payload: { scanId, cancelled: true, okRegions: 0, failedRegions: 0 } });
      }
      throw error;
    });
    const { scans, stragglers } = outcome;
    for (const scan of scans) {
      if (scan.ok || !stragglers.has(scan.region)) continue;
      cutOff.add(scan.region);
      progress.completed++;
      this.options.emit({
        type: 'catalog.progress',
        payload: { scanId, region: scan.region, phase: 'failed', error: scan.error, durationMs: scan.durationMs, completed: progress.completed, total, waiting: [...progress.waiting] },
      });
    }
    const answered: AnsweredScan = { scanId, scans };
    this.emitScanFinished(answered);
    if (stragglers.size > 0) this.awaitStragglers(answered, stragglers, abort);
    const failures = scans.flatMap((scan) => (scan.ok ? [] : [`${scan.region}: ${scan.error.code}: ${scan.error.message}`]));
    const ok = scans.filter((scan) => scan.ok).length;

    const previous = this.current?.document.source === 'bundled' ? null : (this.current?.document ?? null);
    if (ok === 0 && this.current) {
      const warning = `Refresh failed in every region; keeping the data from ${this.current.document.generatedAt}. ${summarize(failures)}`;
      const discoveryFailure = { at: new Date(this.now()).toISOString(), reasons: failures };
      return (this.current = { document: this.current.document, warnings: [warning], discoveryFailure });
    }
    if (ok === 0) return { document: buildCatalogDocument(scans, { generatedAt: new Date(this.now()) }), warnings: [summarize(failures)] };

    const document = buildCatalogDocument(scans, { generatedAt: new Date(this.now()), previous, origin: this.origin() });
    return this.adopt({ document, warnings: [...carriedWarnings] });
  }

  /**
   * Makes `loaded` current at once, so that a straggler arriving while the file is written merges into it, then
   * saves it and announces whatever is current by then.
   */
  private async adopt(loaded: Loaded): Promise<Loaded> {
    this.current = loaded;
    loaded.warnings.push(...(await this.options.cache.save(loaded.document)));
    this.options.emit({ type: 'catalog.updated', payload: this.snapshot(this.current) });
    return this.current;
  }

  private origin(): CatalogDocument['origin'] {
    const endpointUrl = this.options.clients.endpointUrl;
    return endpointUrl ? { endpointUrl, simulated: this.options.clients.simulated } : undefined;
  }

  private emitScanFinished({ scanId, scans }: AnsweredScan): void {
    const ok = scans.filter((scan) => scan.ok).length;
    this.options.emit({ type: 'catalog.scanFinished', payload: { scanId, cancelled: false, okRegions: ok, failedRegions: scans.length - ok } });
  }

  /**
   * The scan answered without its stragglers; their requests go on. Each one that arrives is merged into the
   * current document (no second scan), saved and announced, and the scan's outcome is sent again with the new
   * counts so that a view that showed the late progress event settles.
   */
  private awaitStragglers(answered: AnsweredScan, stragglers: Map<string, Promise<RegionScan>>, abort: AbortController): void {
    this.background.add(abort);
    const arrivals = [...stragglers.entries()].map(([region, late]) =>
      late
        .then(async (scan) => {
          if (abort.signal.aborted || this.latestScanOf.get(scan.region) !== answered.scanId) return;
          answered.scans = answered.scans.map((earlier) => (earlier.region === scan.region ? scan : earlier));
          await this.mergeLateRegion(scan, answered);
          this.emitScanFinished(answered);
        })
        .catch((error: unknown) => {
          // A cancellation (the service closed, or the refresh cancelled) leaves nothing to merge.
          if (!(error instanceof ScanCancelledError)) this.options.log(`Could not merge the late answer of ${region}: ${(error as Error).message}`);
        }),
    );
    void Promise.all(arrivals).then(() => this.background.delete(abort));
  }

  private async mergeLateRegion(scan: RegionScan, answered: AnsweredScan): Promise<void> {
    const current = this.current;
    const scannedAt = new Date(this.now());
    let loaded: Loaded;
    if (current && current.document.source !== 'bundled') {
      const document = buildCatalogDocument([scan], {
        generatedAt: new Date(current.document.generatedAt),
        scannedAt,
        previous: current.document,
        origin: this.origin(),
      });
      loaded = { document, warnings: [...current.warnings] };
    } else if (scan.ok) {
      // The scan had found nothing usable (so the bundled file, or nothing, is shown): its own results are now worth more.
      loaded = { document: buildCatalogDocument(answered.scans, { generatedAt: scannedAt, origin: this.origin() }), warnings: [] };
    } else {
      return;
    }
    await this.adopt(loaded);
  }
}

/** Distinct failure reasons, so 33 identical credential errors read as one. */
function summarize(failures: string[]): string {
  const reasons = new Map<string, string[]>();
  for (const failure of failures) {
    const [region = failure, ...rest] = failure.split(': ');
    const reason = rest.join(': ');
    reasons.set(reason, [...(reasons.get(reason) ?? []), region]);
  }
  return [...reasons.entries()]
    .map(([reason, regions]) => `${regions.length > 3 ? `${regions.length} regions` : regions.join(', ')}: ${reason}`)
    .join('; ');
}
