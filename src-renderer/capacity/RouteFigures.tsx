import type { QuotaRouteKind } from '../../src-shared/catalog/quotas';
import type { PricesAnswer, QuotasAnswer } from '../../src-shared/contract';
import { ErrorNotice } from '../app/ErrorNotice';
import { NO_QUOTA_FOUND, QuotaRegionFailure, QuotaTable, shownRoutes } from './QuotaTable';
import { PriceLines, PriceTableDate, pricesOfRoute } from './RoutePrices';
import { capacityLink } from './capacity-link';

/** What one invoke id of a cell carries and costs, under the id in the cell panel. */

interface Answer<T> {
  data: T | undefined;
  error: unknown;
}

export function RouteFigures({ invokeId, kind, region, quotas, prices }: { invokeId: string; kind: QuotaRouteKind; region: string; quotas: Answer<QuotasAnswer>; prices: Answer<PricesAnswer> }) {
  const status = quotas.data?.regions[region];
  const routes = shownRoutes(status).filter((route) => route.invokeId === invokeId);
  // A failed region with nothing known says so once, below the ids; one with last known quotas shows them.
  const known = status?.status === 'ok' || routes.length > 0;
  // A variant's quotas ("1M Context Length") are its own: folded under the model's, which stand for the route.
  const own = routes.filter((route) => !route.variant);
  const variants = routes.filter((route) => route.variant);
  return (
    <div className="route-figures" data-testid="route-figures">
      {known ? (
        own.length === 0 ? (
          <p className="quota-none" data-testid="no-quota">
            Quotas: {NO_QUOTA_FOUND}
          </p>
        ) : (
          own.map((route, index) => <QuotaTable key={index} route={route} region={region} compact />)
        )
      ) : null}
      {prices.data ? <PriceLines rows={pricesOfRoute(prices.data.prices, region, kind)} /> : null}
      {variants.map((route) => (
        <details key={route.variant} className="quota-variant">
          <summary>Quotas of the variant {route.variant}</summary>
          <QuotaTable route={route} region={region} compact />
        </details>
      ))}
    </div>
  );
}

/** Below the ids: how the quotas and prices were read (loading, failed, the region's failure, when, which table). */
export function RouteFiguresNotes({ modelId, region, quotas, prices }: { modelId: string; region: string; quotas: Answer<QuotasAnswer>; prices: Answer<PricesAnswer> }) {
  const status = quotas.data?.regions[region];
  return (
    <div className="route-figures-notes">
      {quotas.error ? <ErrorNotice error={quotas.error} /> : null}
      {!quotas.data && !quotas.error ? <p className="muted">Reading quotas…</p> : null}
      {quotas.data && !status ? (
        <p className="muted" data-testid="quota-not-fetched">
          Quotas were not fetched for <span className="region-name">{region}</span> (it is not among the regions asked): refresh quotas on the Capacity page.
        </p>
      ) : null}
      {status?.status === 'error' ? <QuotaRegionFailure region={region} status={status} /> : null}
      {status?.status === 'ok' && quotas.data?.fetchedAt ? (
        <p className="muted quota-fetched" data-testid="quota-fetched">
          Service Quotas read {new Date(status.fetchedAt ?? quotas.data.fetchedAt).toLocaleString()}. <a href={capacityLink(modelId, region)}>Capacity</a>: usage, headroom and what a workload needs.
        </p>
      ) : null}
      {prices.error ? <ErrorNotice error={prices.error} /> : null}
      {prices.data ? <PriceTableDate table={prices.data.table} /> : null}
    </div>
  );
}
