import { PRICE_TIERS, priceRouteKindOf, type PriceTableInfo, type RoutePrice, type TokenPrices } from '../../src-shared/contract/prices';
import type { QuotaRouteKind } from '../../src-shared/catalog/quotas';
import { formatUsd } from './format';

/** A route's prices per million tokens, and the date of the table they come from (always shown). */

/** The price rows of one route called from `region` (a profile is priced in its source region), standard tier first. */
export function pricesOfRoute(prices: readonly RoutePrice[], region: string, kind: QuotaRouteKind): RoutePrice[] {
  const routeKind = priceRouteKindOf(kind);
  return prices.filter((price) => price.region === region && price.routeKind === routeKind).sort((a, b) => PRICE_TIERS.indexOf(a.tier) - PRICE_TIERS.indexOf(b.tier));
}

/** The standard tier's row of a route, or the only tier priced; undefined when the price list has none. */
export function standardPrice(prices: readonly RoutePrice[], region: string, kind: QuotaRouteKind): RoutePrice | undefined {
  const rows = pricesOfRoute(prices, region, kind);
  return rows.find((row) => row.tier === 'standard') ?? (rows.length === 1 ? rows[0] : undefined);
}

const PARTS: [keyof TokenPrices, string][] = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache read'],
  ['cacheWrite', 'cache write'],
];

/** "input $0.25 · output $1.25 · cache read unknown · cache write unknown", per tier, USD per million tokens. */
export function PriceLines({ rows }: { rows: readonly RoutePrice[] }) {
  if (rows.length === 0) {
    return (
      <p className="price-line price-unknown" data-testid="route-price">
        Price: unknown <span className="muted">(the price list has no price for this route)</span>
      </p>
    );
  }
  return (
    <>
      {rows.map((row) => (
        <p key={row.tier} className="price-line" data-testid="route-price" title={`${row.serviceCode}: ${row.skus.join(', ')}`}>
          <span className="muted">USD per 1M tokens{rows.length > 1 || row.tier !== 'standard' ? `, ${row.tier}` : ''}:</span>{' '}
          {PARTS.map(([part, label], index) => (
            <span key={part} className={row.perMillion[part] === null ? 'price-unknown' : undefined}>
              {index > 0 ? ' · ' : ''}
              {label} {formatUsd(row.perMillion[part])}
            </span>
          ))}
        </p>
      ))}
    </>
  );
}

/** "Prices as of 2026-11-01 (bundled table)", with why the bundled file or the cache was not used, when it was not. */
export function PriceTableDate({ table }: { table: PriceTableInfo }) {
  const source = table.source === 'api' ? 'fresh from the AWS Price List API' : table.source === 'cache' ? 'the price list fetched earlier' : 'the bundled table';
  return (
    <p className="price-date muted" data-testid="price-date">
      Prices as of <time dateTime={table.asOf}>{table.asOf.slice(0, 10)}</time> ({source}); on-demand list prices, before any discount.
      {table.fallbackReason ? <span className="price-fallback"> ⚠ {table.fallbackReason}</span> : null}
    </p>
  );
}
