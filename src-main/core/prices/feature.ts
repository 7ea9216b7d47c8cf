import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CatalogDocumentSchema } from '../../../src-shared/catalog/document';
import type { PriceRouteKind, PricesAnswer, PriceTableInfo, PriceTier, RoutePrice } from '../../../src-shared/contract/prices';
import { getModel } from '../../../src-shared/catalog/queries';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { defaultCacheDir } from '../catalog/cache';
import { catalogFeature } from '../catalog/feature';
import type { MatchableModel } from './model-match';
import type { PriceTable } from './price-table';

export type { PriceTable } from './price-table';
import { PriceService } from './price-service';
import { PRICE_TABLE_FILE_NAME } from './table-file';

/**
 * Prices per route from the AWS Price List API, tied to catalog models (`getPrices`, `refreshPrices`), and what
 * other features price with: the latency lab's estimate and actual cost, the capacity table's cost per requests.
 */

export class UnknownPriceTargetError extends Error {
  override readonly name = 'UnknownTarget';
  readonly code = 'UNKNOWN_TARGET';
}

export interface Prices {
  /** The table's rows and unused products, of one model (any name `where` takes) and regions, or of all. */
  get(query?: { target?: string; regions?: string[] }): Promise<PricesAnswer>;
  /** Asks the Price List API again and answers with the fresh table (or the fallback, which says why); `signal` cancels it. */
  refresh(signal?: AbortSignal): Promise<PricesAnswer>;
  /** One route's price from the table in force (fetched lazily, as `get`); null when it is not known. */
  priceFor(modelId: string, region: string, routeKind: PriceRouteKind, tier?: PriceTier): Promise<RoutePrice | null>;
  tableInfo(): Promise<PriceTableInfo>;
  /**
   * The table in force now, without waiting for AWS (this session's, else the cache or the bundled table), for
   * estimates that must come at once; the first call starts the lazy fetch, so later calls get the fresh table.
   */
  now(): Promise<PriceTable>;
}

/**
 * The bundled table ships beside the bundled catalog (`bundled/bedrock_prices.json`); the hosts' bundled setting
 * (`--no-bundled`) turns both off.
 */
export function bundledPricesPath(bundledCatalogPath: string | null): string | null {
  return bundledCatalogPath ? join(dirname(bundledCatalogPath), PRICE_TABLE_FILE_NAME) : null;
}

/**
 * The models prices are tied to: the catalog in force, and the bundled catalog's, which lists the models of every
 * region. A catalog narrowed to a few regions would otherwise leave the prices of models it did not scan unmatched.
 */
async function modelsToMatch(current: MatchableModel[], bundledCatalogPath: string | null): Promise<MatchableModel[]> {
  if (!bundledCatalogPath) return current;
  let bundled: MatchableModel[] = [];
  try {
    const parsed = CatalogDocumentSchema.safeParse(JSON.parse(await readFile(bundledCatalogPath, 'utf8')));
    if (parsed.success) bundled = Object.values(parsed.data.models);
  } catch {
    // An unreadable bundled catalog adds nothing; the catalog feature says what is wrong with it.
  }
  const known = new Set(current.map((model) => model.modelId));
  return [...current, ...bundled.filter((model) => !known.has(model.modelId))];
}

export const pricesFeature = defineFeature({
  name: 'prices',
  dependsOn: { aws: awsFeature, catalog: catalogFeature },
  // The service holds the cache path and mode; a new profile or catalog rebuilds it through its dependencies.
  rebuildOn: ['cacheMode', 'cacheDir', 'maxAgeHours'],
  create: ({ options, settings, log }, { aws, catalog }) => {
    const current = settings();
    const service = new PriceService({
      clients: aws,
      catalog: async () => {
        const { document } = await catalog.get();
        return { models: await modelsToMatch(Object.values(document.models), options.bundledPath), generatedAt: document.generatedAt };
      },
      cacheMode: current.cacheMode,
      cacheDir: current.cacheDir ?? defaultCacheDir(),
      maxAgeMs: current.maxAgeHours * 3_600_000,
      bundledPath: bundledPricesPath(options.bundledPath),
      log,
    });

    const answer = async (table: PriceTable, query: { target?: string; regions?: string[] } = {}): Promise<PricesAnswer> => {
      let modelId: string | null = null;
      if (query.target !== undefined) {
        const model = getModel((await catalog.get()).document, query.target);
        if (!model) throw new UnknownPriceTargetError(`No model matches "${query.target}" in the catalog. Search with \`bedrock-atlas where NAME\`.`);
        modelId = model.modelId;
      }
      const inRegions = (region: string | null) => !query.regions || (region !== null && query.regions.includes(region));
      const prices = table.rows().filter((row) => (modelId === null || row.modelId === modelId) && inRegions(row.region));
      const unused = (table.file?.unused ?? []).filter(
        (product) => (modelId === null || [...(product.modelIds ?? []), ...(product.candidates ?? [])].includes(modelId)) && inRegions(product.regionCode),
      );
      return { table: table.info, prices, unused, modelId };
    };

    const prices: Prices = {
      get: async (query) => answer(await service.get(), query),
      refresh: async (signal) => answer(await service.refresh({ signal })),
      priceFor: async (modelId, region, routeKind, tier) => (await service.get()).priceFor(modelId, region, routeKind, tier),
      tableInfo: async () => (await service.get()).info,
      now: () => service.now(),
    };
    return {
      exports: prices,
      methods: {
        getPrices: (input) => prices.get(input ?? {}),
        refreshPrices: (_input, { signal }) => prices.refresh(signal),
      },
      dispose: () => service.dispose(),
    };
  },
});
