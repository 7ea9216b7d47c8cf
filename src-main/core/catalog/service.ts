import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetFoundationModelAvailabilityCommand } from '@aws-sdk/client-bedrock';
import { CatalogDocumentSchema, type CatalogDocument, type ModelAccess } from '../../../src-shared/catalog/document';
import { bestRegions, getModel } from '../../../src-shared/catalog/queries';
import type { AtlasHandlers, CatalogSnapshot } from '../../../src-shared/contract';
import type { AtlasEvent } from '../../../src-shared/events';
import type { RegionClients } from '../aws/region-clients';
import { buildCatalogDocument } from './build-document';
import type { CatalogCache } from './cache';
import { scanRegions, ScanCancelledError, regionErrorOf, type ScanOptions } from './discovery';

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
  clients: RegionClients;
  cache: CatalogCache;
  /** The bundled fallback file; null disables the fallback (`--no-bundled`). */
  bundledPath: string | null;
  /** Regions to scan when the caller names none. */
  regions: () => readonly string[];
  emit: (event: AtlasEvent) => void;
  log: (line: string) => void;
  scan?: Pick<ScanOptions, 'regionTimeoutMs' | 'perRegionConcurrency'>;
  now?: () => number;
}

interface Loaded {
  document: CatalogDocument;
  warnings: string[];
}

export class CatalogService {
  private current: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;
  private scanning: Promise<Loaded> | null = null;
  private scanAbort: AbortController | null = null;
  private readonly options: CatalogServiceOptions;

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
      this.scanning = this.scanAndMerge(regions ?? this.options.regions()).finally(() => {
        this.scanning = null;
        this.scanAbort = null;
      });
    }
    const loaded = await this.scanning;
    return this.snapshot(loaded);
  }

  cancelRefresh(): boolean {
    if (!this.scanAbort) return false;
    this.scanAbort.abort();
    return true;
  }

  async findModel(query: string) {
    return getModel((await this.get()).document, query);
  }

  async bestRegions(modelId: string, fromRegion: string) {
    const { document } = await this.get();
    const model = getModel(document, modelId);
    return model ? bestRegions(document, model.modelId, fromRegion) : [];
  }

  /** The account's access per region (GetFoundationModelAvailability), fetched only for what is asked and cached. */
  async modelAccess(modelId: string, regions: readonly string[]): Promise<Record<string, ModelAccess>> {
    await this.get();
    const loaded = this.current!;
    const known = loaded.document.access?.[modelId] ?? {};
    const missing = regions.filter((region) => !known[region] || known[region].status === 'unknown');
    if (missing.length > 0) {
      const fetched = await Promise.all(missing.map(async (region) => [region, await this.fetchAccess(modelId, region)] as const));
      const access = { ...(loaded.document.access ?? {}) };
      access[modelId] = { ...known, ...Object.fromEntries(fetched) };
      loaded.document = { ...loaded.document, access };
      if (loaded.document.source !== 'bundled') await this.options.cache.save(loaded.document);
    }
    const all = loaded.document.access?.[modelId] ?? {};
    return Object.fromEntries(regions.map((region) => [region, all[region]]).filter(([, value]) => value !== undefined));
  }

  private async fetchAccess(modelId: string, region: string): Promise<ModelAccess> {
    const checkedAt = new Date(this.now()).toISOString();
    try {
      const answer = await this.options.clients
        .controlPlane(region)
        .send(new GetFoundationModelAvailabilityCommand({ modelId }), { abortSignal: AbortSignal.timeout(15_000) });
      const status =
        answer.regionAvailability === 'NOT_AVAILABLE'
          ? 'not_available'
          : answer.authorizationStatus === 'NOT_AUTHORIZED'
            ? 'not_authorized'
            : answer.agreementAvailability?.status === 'PENDING'
              ? 'agreement_pending'
              : answer.authorizationStatus === 'AUTHORIZED'
                ? 'authorized'
                : 'unknown';
      return { status, checkedAt, ...(answer.agreementAvailability?.errorMessage ? { message: answer.agreementAvailability.errorMessage } : {}) };
    } catch (error) {
      const { code, message } = regionErrorOf(error, region, this.options.clients.profile, false);
      return { status: 'unknown', checkedAt, message: `${code}: ${message}` };
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private snapshot(loaded: Loaded): CatalogSnapshot {
    const { document } = loaded;
    const failed = Object.entries(document.regions).filter(([, status]) => status.status === 'error');
    const warnings = [...loaded.warnings];
    if (failed.length > 0 && document.source !== 'bundled') {
      warnings.push(`${failed.length} region${failed.length > 1 ? 's' : ''} failed: ${failed.map(([region, status]) => `${region} (${status.error?.code})`).join(', ')}`);
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
        return { document, warnings: [...cached.warnings, warning] };
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
    let completed = 0;
    const total = regions.length;
    const waiting = new Set(regions);
    const scans = await scanRegions(regions, {
      clients: this.options.clients,
      signal: abort.signal,
      ...this.options.scan,
      onProgress: (progress) => {
        if (progress.phase !== 'started') {
          completed++;
          waiting.delete(progress.region);
        }
        this.options.emit({ type: 'catalog.progress', payload: { ...progress, scanId, completed, total, waiting: [...waiting] } });
      },
    }).catch((error: unknown) => {
      if (error instanceof ScanCancelledError) {
        this.options.emit({ type: 'catalog.scanFinished', payload: { scanId, cancelled: true, okRegions: 0, failedRegions: 0 } });
      }
      throw error;
    });
    const ok = scans.filter((scan) => scan.ok).length;
    this.options.emit({ type: 'catalog.scanFinished', payload: { scanId, cancelled: false, okRegions: ok, failedRegions: scans.length - ok } });
    const failures = scans.flatMap((scan) => (scan.ok ? [] : [`${scan.region}: ${scan.error.code}: ${scan.error.message}`]));

    const previous = this.current?.document.source === 'bundled' ? null : (this.current?.document ?? null);
    if (ok === 0 && this.current) {
      const warning = `Refresh failed in every region; keeping the data from ${this.current.document.generatedAt}. ${summarize(failures)}`;
      return (this.current = { document: this.current.document, warnings: [warning] });
    }
    if (ok === 0) return { document: buildCatalogDocument(scans, { generatedAt: new Date(this.now()) }), warnings: [summarize(failures)] };

    const endpointUrl = this.options.clients.endpointUrl;
    const document = buildCatalogDocument(scans, {
      generatedAt: new Date(this.now()),
      previous,
      origin: endpointUrl ? { endpointUrl, simulated: this.options.clients.simulated } : undefined,
    });
    const warnings = [...carriedWarnings, ...(await this.options.cache.save(document))];
    this.current = { document, warnings };
    this.options.emit({ type: 'catalog.updated', payload: this.snapshot(this.current) });
    return this.current;
  }
}

/** Distinct failure reasons, so 33 identical credential errors read as one. */
function summarize(failures: string[]): string {
  const reasons = new Map<string, string[]>();
  for (const failure of failures) {
    const [region, ...rest] = failure.split(': ');
    const reason = rest.join(': ');
    reasons.set(reason, [...(reasons.get(reason) ?? []), region]);
  }
  return [...reasons.entries()]
    .map(([reason, regions]) => `${regions.length > 3 ? `${regions.length} regions` : regions.join(', ')}: ${reason}`)
    .join('; ');
}

/** `service` is asked for on every call: settings changes replace the service behind the handlers. */
export function createCatalogHandlers(
  service: () => CatalogService,
): Pick<AtlasHandlers, 'getCatalog' | 'refreshCatalog' | 'cancelRefresh' | 'getModelAccess' | 'findModel' | 'bestRegions'> {
  return {
    getCatalog: () => service().get(),
    refreshCatalog: (input) => service().refresh(input?.regions),
    cancelRefresh: async () => ({ cancelled: service().cancelRefresh() }),
    getModelAccess: ({ modelId, regions }) => service().modelAccess(modelId, regions),
    findModel: ({ query }) => service().findModel(query),
    bestRegions: ({ modelId, fromRegion }) => service().bestRegions(modelId, fromRegion),
  };
}
