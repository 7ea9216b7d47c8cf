import { randomUUID } from 'node:crypto';
import type { CatalogDocument, RegionError } from '../../../src-shared/catalog/document';
import { getModel } from '../../../src-shared/catalog/queries';
import type { QuotaSection, RegionQuotas, RouteQuotas } from '../../../src-shared/catalog/quotas';
import { RouteError } from '../../../src-shared/catalog/resolve-route';
import type { AtlasHandlers, QuotasAnswer } from '../../../src-shared/contract';
import type { AtlasEvent, RegionProgress } from '../../../src-shared/events';
import type { AwsClientPool } from '../aws/client-pool';
import { ScanCancelledError, type StragglerRule } from '../catalog/discovery';
import { buildQuotaSection, mergeLateRegion } from './build-section';
import { fetchQuotasCuttingOffStragglers, type RegionQuotaFetch } from './fetch-quotas';
import { QuotaMatcher, routesFrom } from './tie-quotas';

/**
 * The quotas feature: the catalog document's quota section, read from it, fetched once when there is none (or it
 * is older than the cache's age limit, or lacks a region asked for), refreshed on demand with one refresh shared by
 * every caller, cancellable. Stragglers the refresh answered without are merged in when they arrive.
 */

export interface QuotasServiceOptions {
  clients: Pick<AwsClientPool, 'client' | 'profile' | 'redact'>;
  /** The catalog service: its document (the routes), and where the section is saved. */
  catalog: {
    get(): Promise<{ document: CatalogDocument }>;
    saveQuotas(section: QuotaSection): Promise<{ document: CatalogDocument }>;
  };
  /** Regions to fetch when the caller names none: the catalog's. */
  regions: () => readonly string[];
  /** A section older than this is fetched again when asked for (the catalog cache's age limit). */
  maxAgeMs: () => number;
  emit: (event: AtlasEvent) => void;
  log: (line: string) => void;
  fetch?: { regionTimeoutMs?: number; stragglerRule?: StragglerRule };
  now?: () => number;
}

/** A model's routes from one region with their quotas, and whether the region's quotas could be read. */
export interface ModelQuotasFrom {
  routes: RouteQuotas[];
  /** When the region's quotas were fetched (the last known ones for a region that failed since); null when never. */
  fetchedAt: string | null;
  /** Set when the region's quotas could not be read the last time they were asked for. */
  error?: RegionError;
}

/** A region whose quotas cannot be read, for a caller that needs them (`routeQuotas`). */
export class QuotasUnreadableError extends Error {
  override readonly name = 'QuotasUnreadable';
  readonly code: string;
  constructor(
    readonly region: string,
    readonly regionError: RegionError,
  ) {
    super(`The quotas of ${region} could not be read: ${regionError.message}`);
    this.code = regionError.code;
  }
}

interface Refresh {
  id: string;
  abort: AbortController;
  done: Promise<QuotaSection>;
  /** Started by `refresh` (concurrent refreshes share it), not by a read of what was missing or stale. */
  asked: boolean;
}

function waitOrAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new ScanCancelledError('Stopped waiting for the quotas.'));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new ScanCancelledError('Stopped waiting for the quotas.'));
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

export class QuotasService {
  private running: Refresh | null = null;
  /** Refreshes that answered while stragglers are still out: cancelling stops their requests too. */
  private readonly background = new Set<AbortController>();
  /** The refresh that last asked each region: a straggler's answer is merged only if no later refresh asked again. */
  private readonly latestRefreshOf = new Map<string, string>();

  constructor(private readonly options: QuotasServiceOptions) {}

  /** The section, filtered to the target's routes and the regions asked; fetched first when it is missing, stale or short of a region. */
  async get(query: { target?: string; regions?: readonly string[] } = {}, signal?: AbortSignal): Promise<QuotasAnswer> {
    const regions = query.regions ?? this.options.regions();
    const { document, section } = await this.ensure(regions, signal);
    let modelId: string | null = null;
    if (query.target !== undefined) {
      modelId = getModel(document, query.target)?.modelId ?? null;
      if (!modelId) {
        throw new RouteError('UnknownTarget', 'UNKNOWN_TARGET', `No model or inference profile matches "${query.target}". Search the matrix, or run \`bedrock-atlas where "${query.target}"\`.`);
      }
    }
    return answerOf(section, regions, modelId);
  }

  /** Fetches the regions again (the catalog's regions when none are named); concurrent callers share one refresh. */
  async refresh(regions?: readonly string[], signal?: AbortSignal): Promise<QuotasAnswer> {
    const asked = regions ?? this.options.regions();
    // Asked again, the quotas are read after the asking: a fetch already running (a first read of a region, say)
    // may have asked before what the user changed, so it is waited for and another one starts after it.
    const earlier = this.running;
    if (earlier && !earlier.asked) await waitOrAbort(earlier.done.catch(() => undefined), signal);
    const section = await waitOrAbort(this.start(asked, true).refresh.done, signal);
    return answerOf(section, asked, null);
  }

  /** Cancels the running refresh and stops waiting for its stragglers. True when there was something to cancel. */
  cancelRefresh(): boolean {
    const running = [...(this.running ? [this.running.abort] : []), ...this.background];
    for (const abort of running) abort.abort();
    this.background.clear();
    return running.length > 0;
  }

  /** Every route of the model from the region, as the catalog offers it now, with the quotas found for it. */
  async quotasFrom(modelId: string, region: string, signal?: AbortSignal): Promise<ModelQuotasFrom> {
    const { document, section } = await this.ensure([region], signal);
    const entry = section && Object.hasOwn(section.regions, region) ? section.regions[region] : undefined;
    const known = entry?.routes ?? [];
    const routes = routesFrom(document, modelId, region).flatMap((route) => {
      const found = known.filter((candidate) => candidate.invokeId === route.invokeId && candidate.routeKind === route.routeKind);
      const main = found.find((candidate) => candidate.variant === undefined) ?? route;
      return [{ ...main, modelId }, ...found.filter((candidate) => candidate.variant !== undefined)];
    });
    const fetchedAt = entry?.status === 'ok' ? (entry.fetchedAt ?? section?.fetchedAt ?? null) : (entry?.lastKnownAt ?? null);
    return { routes, fetchedAt, ...(entry?.status === 'error' && entry.error ? { error: entry.error } : {}) };
  }

  /** The model's routes from the region with their quotas; rejects when the region's quotas could not be read and none are known. */
  async routeQuotas(modelId: string, region: string, signal?: AbortSignal): Promise<RouteQuotas[]> {
    const found = await this.quotasFrom(modelId, region, signal);
    if (found.error && found.fetchedAt === null) throw new QuotasUnreadableError(region, found.error);
    return found.routes;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The regions of `section` to fetch before answering for `regions`: those it lacks, and those older than the age limit. */
  private wanted(section: QuotaSection | undefined, regions: readonly string[]): string[] {
    return regions.filter((region) => {
      const entry = section && Object.hasOwn(section.regions, region) ? section.regions[region] : undefined;
      const at = Date.parse(entry?.fetchedAt ?? section?.fetchedAt ?? '');
      return !entry || !(this.now() - at <= this.options.maxAgeMs());
    });
  }

  /** The document and its section, once the regions asked are in it (null only when nothing was asked and none exists). */
  private async ensure(regions: readonly string[], signal?: AbortSignal): Promise<{ document: CatalogDocument; section: QuotaSection | null }> {
    let { document } = await this.options.catalog.get();
    let section = document.quotas;
    let wanted = this.wanted(section, regions);
    // A refresh already running (maybe for other regions, started by another caller) is waited for first; then
    // what it left out is asked. Once a refresh of this caller's own regions has answered, what it could not read
    // stays unread (a failed region is data), so the loop ends there.
    while (wanted.length > 0) {
      const { refresh, ours } = this.start(wanted);
      const fresh = await waitOrAbort(refresh.done, signal);
      ({ document } = await this.options.catalog.get());
      const known = document.quotas ?? fresh;
      section = known;
      if (ours) break;
      wanted = regions.filter((region) => !Object.hasOwn(known.regions, region));
    }
    return { document, section: section ?? null };
  }

  /** The running refresh, or a new one of `regions` (`asked`: by `refresh`, not by a read); `ours` says which. */
  private start(regions: readonly string[], asked = false): { refresh: Refresh; ours: boolean } {
    if (this.running) return { refresh: this.running, ours: false };
    const id = randomUUID();
    const abort = new AbortController();
    const done = this.fetchAndSave(id, regions, abort).finally(() => {
      if (this.running?.id === id) this.running = null;
    });
    this.running = { id, abort, done, asked };
    return { refresh: this.running, ours: true };
  }

  private async fetchAndSave(id: string, regions: readonly string[], abort: AbortController): Promise<QuotaSection> {
    for (const region of regions) this.latestRefreshOf.set(region, id);
    const { document } = await this.options.catalog.get();
    const matcher = new QuotaMatcher(document);
    const progress = { completed: 0, waiting: new Set(regions) };
    const cutOff = new Set<string>();
    const emit = (payload: RegionProgress) => this.options.emit({ type: 'quotas.progress', payload });
    const { scans, stragglers } = await fetchQuotasCuttingOffStragglers(regions, {
      clients: this.options.clients,
      signal: abort.signal,
      ...this.options.fetch,
      onProgress: (event) => {
        if (event.phase !== 'started') {
          // A straggler was counted as failed when the refresh answered without it.
          if (!cutOff.has(event.region)) progress.completed++;
          progress.waiting.delete(event.region);
        }
        emit({ ...event, scanId: id, completed: progress.completed, total: regions.length, waiting: [...progress.waiting] });
      },
    });
    for (const scan of scans) {
      if (scan.ok || !stragglers.has(scan.region)) continue;
      cutOff.add(scan.region);
      progress.completed++;
      emit({ scanId: id, region: scan.region, phase: 'failed', error: scan.error, durationMs: scan.durationMs, completed: progress.completed, total: regions.length, waiting: [...progress.waiting] });
    }
    const previous = (await this.options.catalog.get()).document.quotas ?? null;
    const section = buildQuotaSection(scans, { matcher, previous, at: new Date(this.now()) });
    await this.options.catalog.saveQuotas(section);
    if (stragglers.size > 0) this.awaitStragglers(id, stragglers, matcher, abort);
    return section;
  }

  private awaitStragglers(id: string, stragglers: Map<string, Promise<RegionQuotaFetch>>, matcher: QuotaMatcher, abort: AbortController): void {
    this.background.add(abort);
    const arrivals = [...stragglers.entries()].map(([region, late]) =>
      late
        .then(async (fetch) => {
          if (abort.signal.aborted || this.latestRefreshOf.get(region) !== id) return;
          const section = (await this.options.catalog.get()).document.quotas;
          if (!section) return;
          await this.options.catalog.saveQuotas(mergeLateRegion(section, fetch, { matcher, at: new Date(this.now()) }));
        })
        .catch((error: unknown) => {
          if (!(error instanceof ScanCancelledError)) this.options.log(`Could not merge the late quotas of ${region}: ${(error as Error).message}`);
        }),
    );
    void Promise.all(arrivals).then(() => this.background.delete(abort));
  }
}

/** The section as the contract answers it: the regions asked (in that order), the target's routes only when one was given. */
export function answerOf(section: QuotaSection | null, regions: readonly string[], modelId: string | null): QuotasAnswer {
  if (!section) return { fetchedAt: null, regions: {}, unmatched: [], modelId };
  const asked = regions.filter((region) => Object.hasOwn(section.regions, region));
  const regionsOut: Record<string, RegionQuotas> = {};
  for (const region of asked) {
    const entry = section.regions[region]!;
    regionsOut[region] = modelId === null ? entry : { ...entry, routes: entry.routes.filter((route) => route.modelId === modelId) };
  }
  const unmatched = section.unmatched.filter((entry) => asked.includes(entry.region) && (modelId === null || entry.candidates?.includes(modelId)));
  return { fetchedAt: section.fetchedAt, regions: regionsOut, unmatched, modelId };
}

/** The contract's quota methods. */
export function createQuotasHandlers(service: QuotasService): Pick<AtlasHandlers, 'getQuotas' | 'refreshQuotas' | 'cancelQuotaRefresh'> {
  return {
    getQuotas: (input, { signal }) => service.get(input ?? {}, signal),
    refreshQuotas: (input, { signal }) => service.refresh(input?.regions, signal),
    cancelQuotaRefresh: async () => ({ cancelled: service.cancelRefresh() }),
  };
}
