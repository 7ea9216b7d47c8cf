import type { CatalogDocument } from '../../src-shared/catalog/document';
import { bestRegions } from '../../src-shared/catalog/queries';
import type { QuotaRouteKind, RouteQuotas } from '../../src-shared/catalog/quotas';
import { ErrorNotice } from '../app/ErrorNotice';
import { IdText } from '../matrix/panel-parts';
import { NO_QUOTA_FOUND, QuotaRegionFailure, QuotaTable, shownRoutes } from './QuotaTable';
import { useQuotas } from './use-figures';
import { useQuotaRefresh } from './use-quota-refresh';

export const KIND_LABEL: Record<QuotaRouteKind, string> = { 'on-demand': 'on demand', 'geo-profile': 'geo profile', 'global-profile': 'global profile' };

interface ListedRoute {
  invokeId: string;
  kind: QuotaRouteKind;
  /** The quota entries of this route (a variant has its own); empty: no quota found. */
  entries: RouteQuotas[];
}

/** The catalog's routes from the region, each with its quota entries, then any route only Service Quotas names. */
function listRoutes(document: CatalogDocument, modelId: string, from: string, entries: readonly RouteQuotas[]): ListedRoute[] {
  const routes: ListedRoute[] = bestRegions(document, modelId, from)
    .filter((route) => route.callRegion === from)
    .map((route) => ({ invokeId: route.invokeId, kind: route.kind, entries: entries.filter((entry) => entry.invokeId === route.invokeId) }));
  for (const entry of entries) {
    const listed = routes.find((route) => route.invokeId === entry.invokeId);
    if (!listed) routes.push({ invokeId: entry.invokeId, kind: entry.routeKind, entries: [entry] });
  }
  return routes;
}

/** Section a: the model's quotas from the source region, route by route, with their fetch time and Refresh quotas. */
export function QuotasSection({ document, modelId, from }: { document: CatalogDocument; modelId: string; from: string }) {
  const quotas = useQuotas(modelId, [from]);
  const status = quotas.data?.regions[from];
  const routes = listRoutes(document, modelId, from, shownRoutes(status));
  const shown = status?.status === 'ok' || (status?.lastKnownAt !== undefined && status.routes.length > 0);
  return (
    <section className="cap-section" aria-labelledby="cap-quotas-title" data-testid="cap-quotas">
      <header className="cap-section-header">
        <h2 id="cap-quotas-title">Quotas from {from}</h2>
        <span className="muted" data-testid="quotas-fetched-at">
          {quotas.data?.fetchedAt ? `Service Quotas read ${new Date(status?.fetchedAt ?? quotas.data.fetchedAt).toLocaleString()}` : quotas.data ? 'never fetched' : ''}
        </span>
        <RefreshQuotas />
      </header>
      {quotas.isError ? <ErrorNotice error={quotas.error} /> : null}
      {quotas.isPending ? <p className="muted">Reading quotas…</p> : null}
      {quotas.data && !status ? <p className="muted">Quotas were not fetched for {from}: it is not among the regions the app scans (Settings).</p> : null}
      {status?.status === 'error' ? <QuotaRegionFailure region={from} status={status} /> : null}
      {shown && routes.length === 0 ? <p className="muted">Nothing to call from {from}: no quota applies.</p> : null}
      {shown ? (
        <div className="cap-quota-grid">
          {routes.map((route) => (
            <div key={route.invokeId} className="cap-quota-route" data-testid="cap-quota-route">
              <h3>
                <IdText id={route.invokeId} /> <span className="muted">{KIND_LABEL[route.kind]}</span>
              </h3>
              {route.entries.length === 0 ? (
                <p className="quota-none" data-testid="no-quota">
                  {NO_QUOTA_FOUND}
                </p>
              ) : (
                route.entries.map((entry) => (
                  <div key={entry.variant ?? ''}>
                    {entry.variant ? <p className="quota-variant muted">Variant: {entry.variant}</p> : null}
                    <QuotaTable route={entry} region={from} />
                  </div>
                ))
              )}
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}

/**
 * Refresh quotas in every scanned region, its progress region by region, and Cancel. One button that turns into
 * Cancel while the refresh runs, so keyboard focus stays on it.
 */
function RefreshQuotas() {
  const { refresh, cancel, progress, running } = useQuotaRefresh();
  return (
    <div className="cap-refresh">
      {running ? (
        <span role="status" aria-live="polite" className="cap-progress" data-testid="quota-progress">
          <progress max={progress?.total || 1} value={progress?.completed ?? 0} aria-label="Regions answered" />
          {progress ? `${progress.completed}/${progress.total} regions` : 'starting…'}
          {progress && progress.waiting.length > 0 ? (
            <span className="muted">
              {' '}
              · waiting for {progress.waiting.slice(0, 3).join(', ')}
              {progress.waiting.length > 3 ? ` and ${progress.waiting.length - 3} more` : ''}
            </span>
          ) : null}
          {progress && progress.failed.length > 0 ? <span className="quota-zero"> · {progress.failed.length} failed</span> : null}
        </span>
      ) : null}
      <button
        type="button"
        className={running ? 'cap-cancel' : undefined}
        onClick={() => (running ? cancel.mutate() : refresh.mutate())}
        disabled={running && cancel.isPending}
        title={running ? 'Stop asking Service Quotas' : 'Ask Service Quotas again in every region the app scans'}
      >
        {running ? 'Cancel refresh' : 'Refresh quotas'}
      </button>
      {refresh.isError ? (
        <span className="quota-zero" role="alert">
          {(refresh.error as Error).message}
        </span>
      ) : null}
    </div>
  );
}
