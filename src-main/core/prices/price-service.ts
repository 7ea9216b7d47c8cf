import { join } from 'node:path';
import type { CacheMode } from '../../../src-shared/contract';
import type { AwsClientPool } from '../aws/client-pool';
import { isLoopbackUrl } from '../aws/client-pool';
import { removeStaleTemporaries } from '../storage/atomic-write';
import { priceTableFile } from './build-table';
import { fetchPriceList, PRICE_LIST_REGION, type PriceListProgress } from './fetch-price-list';
import type { MatchableModel } from './model-match';
import { PriceTable } from './price-table';
import { PRICE_TABLE_FILE_NAME, readPriceTableFile, writePriceTableFile, type PriceTableFile, type TableFileRead } from './table-file';

/**
 * Where the app's prices come from. Offline it answers from what it has without a call (the table fetched in this
 * session, else the newer of the cache file and the bundled table). The first `get` of a session asks the Price
 * List API unless the cache is younger than its maximum age, keeps the fresh table in the cache directory
 * (atomically, with its date), and answers with it; `refresh` always asks. When the API cannot be read, or a file
 * cannot be used, the table that answers says so in `fallbackReason`, and with nothing usable every price is unknown.
 */

export interface PriceServiceOptions {
  clients: AwsClientPool;
  /** The catalog's models and its date, to tie products to model ids. */
  catalog: () => Promise<{ models: MatchableModel[]; generatedAt: string | null }>;
  cacheMode: CacheMode;
  /** The cache directory (the catalog's); the table is `bedrock_prices.json` in it. */
  cacheDir: string;
  maxAgeMs: number;
  /** The bundled table; null when the bundled files are off (`--no-bundled`). */
  bundledPath: string | null;
  log: (line: string) => void;
  now?: () => number;
}

class CatalogUnavailableForPrices extends Error {}

/** A failed fetch is tried again by `get` after this long; `refresh` tries at once. */
const RETRY_FETCH_AFTER_MS = 5 * 60_000;

export class PriceService {
  private readonly cachePath: string | null;
  private memoryCache: PriceTableFile | null = null;
  /** The table in force since the last fetch (or fallback) of this session. */
  private table: PriceTable | null = null;
  private lastFailedFetchAt: number | null = null;
  private inFlight: Promise<PriceTable> | null = null;
  private readonly disposal = new AbortController();

  constructor(private readonly options: PriceServiceOptions) {
    this.cachePath = options.cacheMode === 'file' ? join(options.cacheDir, PRICE_TABLE_FILE_NAME) : null;
  }

  private clock(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * The table in force now, without waiting for AWS: this session's, else the newer of the cache and the bundled
   * table. The first call of a session also starts what `get` does in the background, so later calls see the
   * fresh table once it has come.
   */
  async now(): Promise<PriceTable> {
    if (!this.table && !this.inFlight && this.lastFailedFetchAt === null) void this.get().catch(() => {});
    return this.current();
  }

  private async current(): Promise<PriceTable> {
    if (this.table) return this.table;
    const offline = await this.offline();
    return withReasons(offline.table, offline.problems);
  }

  /** The table in force, asking the Price List API first when this session has not (or its cache is old). */
  async get(): Promise<PriceTable> {
    if (this.table && (this.table.info.source === 'api' || this.lastFailedFetchAt === null || this.clock() - this.lastFailedFetchAt < RETRY_FETCH_AFTER_MS)) return this.table;
    if (!this.table) {
      const offline = await this.offline();
      if (offline.fromCache && this.clock() - Date.parse(offline.fromCache.generatedAt) <= this.options.maxAgeMs) {
        this.table = withReasons(offline.table, offline.problems);
        return this.table;
      }
    }
    return this.fetch();
  }

  /** Asks the Price List API now (every page of the three service codes) and keeps the fresh table. */
  refresh(options: { signal?: AbortSignal; onProgress?: (progress: PriceListProgress) => void } = {}): Promise<PriceTable> {
    return this.fetch(options);
  }

  dispose(): void {
    this.disposal.abort();
  }

  private fetch(options: { signal?: AbortSignal; onProgress?: (progress: PriceListProgress) => void } = {}): Promise<PriceTable> {
    this.inFlight ??= this.fetchOnce(options).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetchOnce({ signal, onProgress }: { signal?: AbortSignal; onProgress?: (progress: PriceListProgress) => void }): Promise<PriceTable> {
    const { clients } = this.options;
    try {
      const abort = signal ? AbortSignal.any([signal, this.disposal.signal]) : this.disposal.signal;
      const [list, catalog] = await Promise.all([fetchPriceList(clients, { signal: abort, onProgress }), this.catalogForMatching()]);
      const endpoint = clients.endpointUrl ?? `https://api.pricing.${PRICE_LIST_REGION}.amazonaws.com`;
      const file = priceTableFile(list.documents, catalog.models, {
        generatedAt: list.fetchedAt,
        source: isLoopbackUrl(clients.endpointUrl)
          ? { kind: 'emulator', endpoint, note: 'read from the emulator (simulated prices)' }
          : { kind: 'aws', endpoint, note: `GetProducts of ${Object.entries(list.pages).map(([code, pages]) => `${code} (${pages} pages)`).join(', ')}` },
        catalogGeneratedAt: catalog.generatedAt,
      });
      const saveProblem = await this.save(file);
      this.lastFailedFetchAt = null;
      this.table = PriceTable.fromFile(file, 'api').describedAs(saveProblem ? { fallbackReason: saveProblem } : {});
      return this.table;
    } catch (error) {
      // A cancel, or the app closing, is not the API failing: nothing is kept, and nothing said.
      if (signal?.aborted || this.disposal.signal.aborted) throw error;
      this.lastFailedFetchAt = this.clock();
      const what = error instanceof CatalogUnavailableForPrices ? 'The prices could not be tied to models' : 'The Price List API could not be read';
      const reason = `${what} (${clients.redact((error as Error).message)})`;
      this.options.log(reason);
      const offline = await this.offline();
      this.table = withReasons(offline.table, [reason, ...offline.problems]);
      return this.table;
    }
  }

  private async catalogForMatching(): Promise<{ models: MatchableModel[]; generatedAt: string | null }> {
    try {
      return await this.options.catalog();
    } catch (error) {
      throw new CatalogUnavailableForPrices(`the catalog could not be loaded: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Keeps the fresh table; a cache that cannot be written is said, and the table stays in memory. */
  private async save(file: PriceTableFile): Promise<string | null> {
    if (this.options.cacheMode === 'none') return null;
    this.memoryCache = file;
    if (!this.cachePath) return null;
    try {
      await removeStaleTemporaries(this.cachePath);
      await writePriceTableFile(this.cachePath, file);
      return null;
    } catch (error) {
      const problem = `The price cache ${this.cachePath} could not be written (${(error as Error).message}); the fresh table is kept in memory for this session`;
      this.options.log(problem);
      return problem;
    }
  }

  private async readCache(): Promise<TableFileRead> {
    if (this.options.cacheMode === 'none') return { problem: 'the cache is off', missing: true };
    if (this.memoryCache) return { table: this.memoryCache };
    if (!this.cachePath) return { problem: 'no cache yet', missing: true };
    return readPriceTableFile(this.cachePath);
  }

  /**
   * The newer of the cache and the bundled table (by publication date; the cache wins a tie, as it was matched to
   * this catalog), and what was wrong with a file that could not be used.
   */
  private async offline(): Promise<{ table: PriceTable; problems: string[]; fromCache: PriceTableFile | null }> {
    const cache = await this.readCache();
    const bundled: TableFileRead = this.options.bundledPath ? await readPriceTableFile(this.options.bundledPath) : { problem: 'the bundled table is off (--no-bundled)', missing: true };
    const cached = 'table' in cache ? cache.table : null;
    const shipped = 'table' in bundled ? bundled.table : null;
    const problems = [
      ...('problem' in cache && !cache.missing ? [`the price cache cannot be used: ${cache.problem}`] : []),
      ...('problem' in bundled && (this.options.bundledPath !== null || !cached) ? [`the bundled price table cannot be used: ${bundled.problem}`] : []),
    ];
    const table =
      cached && (!shipped || (cached.asOf ?? '') >= (shipped.asOf ?? ''))
        ? PriceTable.fromFile(cached, 'cache')
        : shipped
          ? PriceTable.fromFile(shipped, 'bundled')
          : PriceTable.empty();
    return { table, problems, fromCache: cached };
  }
}

/** The table with the reasons it answers in place of a better one, and what answers, as its fallbackReason. */
function withReasons(table: PriceTable, reasons: readonly string[]): PriceTable {
  const stated = reasons.filter((reason) => reason.length > 0);
  if (stated.length === 0 && table.info.source !== 'none') return table.describedAs({ fallbackReason: undefined });
  return table.describedAs({ fallbackReason: `${[...stated, describeUse(table)].join('; ')}.` });
}

function describeUse(table: PriceTable): string {
  if (table.info.source === 'none') return 'no price table is at hand, so every price is unknown';
  return `prices come from the ${table.info.source === 'cache' ? 'cached' : 'bundled'} table of ${table.info.asOf?.slice(0, 10) ?? 'an unknown date'}`;
}
