import { PRICE_TIERS, priceRouteKindOf, type PriceTableInfo, type RoutePrice, type TokenPrices } from '../../src-shared/contract/prices';
import type { QuotaRouteKind } from '../../src-shared/catalog/quotas';
import { formatUsd } from './format';

/** A route's prices per million tokens, and the date of the table they come from (always shown). */

/** The price rows of one route called from `region` (a profile is priced in its source region), standard tier first. */
export function pricesOfRoute(prices: readonly RoutePrice[], region: string, kind: QuotaRouteKind): RoutePrice[] {
  const routeKind = priceRouteKindOf(kind);
  return prices.filter((price) => price.region === region && price.routeKind === routeKind).sort((a, b) => PRICE_TIERS.indexOf(a.tier) - PRICE_TIERS.indexOf(b.tier));
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
        <p key={row.tier} className="price-line" data-testid="route-price" title={`${row.serviceCode}: ${row.skus.join(', ') || 'no SKU'}${row.derivedFrom ? ' (the source region’s in-region price: a geo profile is billed at it)' : ''}`}>
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

/** "Prices as of 2026-11-01 (the bundled table)", with why the API, the cache or the bundled file was not used, when it was not. */
export function PriceTableDate({ table }: { table: PriceTableInfo }) {
  const source = { api: 'fresh from the AWS Price List API', cache: 'the price list read earlier', bundled: 'the bundled table', none: 'no price table' }[table.source];
  return (
    <p className="price-date muted" data-testid="price-date">
      {table.asOf ? (
        <>
          Prices as of <time dateTime={table.asOf}>{table.asOf.slice(0, 10)}</time> ({source}).
        </>
      ) : (
        'No price table could be read: every price is unknown.'
      )}
      {table.fallbackReason ? <span className="price-fallback"> ⚠ {table.fallbackReason}</span> : null}
    </p>
  );
}
