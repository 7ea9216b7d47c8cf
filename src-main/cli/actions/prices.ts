import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { cellRoute } from '../../../src-shared/catalog/queries';
import { priceRouteKindOf, PRICE_TIERS, type PricesAnswer, type PriceTableInfo, type RoutePrice, type TokenPrices, type UnusedPriceProduct } from '../../../src-shared/contract/prices';
import type { AtlasCore } from '../../core/app/atlas-core';
import { openCommandCore } from '../command-core';
import { callMethod } from '../core-calls';
import type { CommandIo } from '../io';
import type { ActionContext } from '../lazy-action';
import { formatTable } from '../table';

/**
 * `bedrock-atlas prices`: the price table (USD per million tokens, per model, region, route kind and tier), or one
 * model's routes with their prices, and `where --prices`. The table's date is always printed, and a price the
 * table does not know reads "unknown", never 0.
 */

type RouteKind = 'on-demand' | 'geo-profile' | 'global-profile';

const KIND_LABEL: Record<RouteKind, string> = { 'on-demand': 'on demand', 'geo-profile': 'geo profile', 'global-profile': 'global profile' };
const PRICE_KIND_LABEL: Record<RoutePrice['routeKind'], string> = { 'in-region': 'in-region', geo: 'geo profile', global: 'global profile' };

/** "$3.00", "$0.049", "$1.4875" per million tokens; "unknown" when the table has no price. */
export function perMillionText(value: number | null): string {
  if (value === null) return 'unknown';
  const [whole, fraction = ''] = String(Number(value.toPrecision(8))).split('.');
  return `$${whole}.${fraction.padEnd(2, '0')}`;
}

const priceCells = (prices: TokenPrices | null) => (['input', 'output', 'cacheRead', 'cacheWrite'] as const).map((part) => perMillionText(prices?.[part] ?? null));
const PRICE_HEADER = ['INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE'];

/** "Prices as of 2026-01-19 (the bundled table, made from …), USD per million tokens, list prices before any discount." */
export function priceTableLine(table: PriceTableInfo): string {
  if (table.source === 'none') return 'Prices: no price table is at hand, so every price is unknown.';
  const source =
    table.source === 'api' ? 'fetched from the Price List API now' : table.source === 'cache' ? `the cached table fetched ${table.fetchedAt?.slice(0, 10) ?? 'earlier'}` : 'the bundled table';
  const date = table.asOf ? `as of ${table.asOf.slice(0, 10)}` : `read ${table.fetchedAt?.slice(0, 10) ?? 'at an unknown date'} (its documents carry no publication date)`;
  return `Prices ${date} (${source}${table.origin ? `, from ${table.origin}` : ''}), USD per million tokens, list prices before any discount.`;
}

export interface ModelRoute {
  region: string;
  invokeId: string;
  kind: RouteKind;
}

/** Every way to call the model in these regions: on demand, and each geo and global profile. */
export function routesOfModel(document: CatalogDocument, modelId: string, regions: readonly string[]): ModelRoute[] {
  return regions.flatMap((region) => {
    const cell = cellRoute(document, modelId, region);
    return [
      ...(cell.onDemand ? [{ region, invokeId: modelId, kind: 'on-demand' as const }] : []),
      ...cell.geoProfiles.map((invokeId) => ({ region, invokeId, kind: 'geo-profile' as const })),
      ...cell.globalProfiles.map((invokeId) => ({ region, invokeId, kind: 'global-profile' as const })),
    ];
  });
}

/** A route's priced tiers (standard first); a route the table does not price has one row of unknowns. */
function routeRows(route: ModelRoute, prices: readonly RoutePrice[]): { tier: string; price: RoutePrice | null }[] {
  const kind = priceRouteKindOf(route.kind);
  const tiers = prices.filter((price) => price.region === route.region && price.routeKind === kind).sort((a, b) => PRICE_TIERS.indexOf(a.tier) - PRICE_TIERS.indexOf(b.tier));
  return tiers.length > 0 ? tiers.map((price) => ({ tier: price.tier, price })) : [{ tier: 'standard', price: null }];
}

/** One model's routes and their prices, a row per tier, with a note where a geo price is the regional one. */
export function modelRouteLines(routes: readonly ModelRoute[], prices: readonly RoutePrice[]): string[] {
  if (routes.length === 0) return ['No route to call it on demand or through a profile in the regions asked.'];
  const rows = routes.flatMap((route) =>
    routeRows(route, prices).map(({ tier, price }) => [route.region, KIND_LABEL[route.kind], route.invokeId, tier, ...priceCells(price?.perMillion ?? null)]),
  );
  const derived = routes.some((route) => routeRows(route, prices).some(({ price }) => price?.derivedFrom === 'in-region'));
  return [
    ...formatTable(['REGION', 'ROUTE', 'INVOKE WITH', 'TIER', ...PRICE_HEADER], rows),
    ...(derived ? ['', 'A geo profile is billed at its source region’s regional price where the price list names no geo price of its own.'] : []),
  ];
}

function unusedLines(unused: readonly UnusedPriceProduct[], forModel: boolean): string[] {
  if (unused.length === 0) return [];
  if (forModel) {
    return ['', `${unused.length} price product${unused.length === 1 ? '' : 's'} for this model could not be used:`, ...unused.map((product) => `  ${product.sku} ${product.regionCode ?? '?'} ${product.usageType}: ${product.reason}${product.detail ? ` (${product.detail})` : ''}`)];
  }
  const byReason = new Map<string, number>();
  for (const product of unused) byReason.set(product.reason, (byReason.get(product.reason) ?? 0) + 1);
  return ['', `${unused.length} price products could not be used: ${[...byReason].map(([reason, count]) => `${count} ${reason}`).join(', ')} (listed with --json).`];
}

function tableLines(answer: PricesAnswer): string[] {
  const rows = answer.prices.map((price) => [price.modelId, price.region, PRICE_KIND_LABEL[price.routeKind], price.tier, ...priceCells(price.perMillion)]);
  if (rows.length === 0) return ['The table prices no model.'];
  return formatTable(['MODEL', 'REGION', 'ROUTE', 'TIER', ...PRICE_HEADER], rows);
}

/** The prices, fetched as the app fetches them (the cache, else the Price List API, else the bundled table), or fresh. */
export async function loadPrices(core: AtlasCore, target: string | undefined, refresh: boolean, io: CommandIo): Promise<PricesAnswer> {
  if (refresh) await callMethod(core, 'refreshPrices', undefined);
  const answer = await callMethod(core, 'getPrices', target === undefined ? {} : { target }, { flags: { target: '--target' } });
  if (answer.table.fallbackReason) io.stderr(`warning: ${answer.table.fallbackReason}`);
  return answer;
}

export async function pricesAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  try {
    const target = opts.target as string | undefined;
    const answer = await loadPrices(core, target, opts.refresh === true, io);
    let routes: ModelRoute[] | null = null;
    if (answer.modelId) {
      const { document } = await callMethod(core, 'getCatalog', undefined);
      const chosen = core.settings().regions;
      routes = routesOfModel(document, answer.modelId, chosen.length > 0 ? chosen : Object.keys(document.regions));
    }
    if (opts.json) {
      io.stdout(JSON.stringify({ ...answer, ...(routes ? { routes: routes.map((route) => ({ ...route, prices: routeRows(route, answer.prices).map(({ tier, price }) => ({ tier, perMillion: price?.perMillion ?? null })) })) } : {}) }, null, 2));
      io.stderr(priceTableLine(answer.table));
      return;
    }
    io.stdout(priceTableLine(answer.table));
    io.stdout('');
    for (const line of routes ? [`${answer.modelId}:`, ...modelRouteLines(routes, answer.prices)] : tableLines(answer)) io.stdout(line);
    for (const line of unusedLines(answer.unused, routes !== null)) io.stdout(line);
  } finally {
    await core.close();
  }
}
