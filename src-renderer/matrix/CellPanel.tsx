import type { KeyboardEvent } from 'react';
import type { CatalogDocument, CatalogModel } from '../../src-shared/catalog/document';
import { isGlobalProfile } from '../../src-shared/catalog/queries';
import { CELL_STYLE, cellState, knownKind } from './cell-kind';
import { Access, CopyableId, IdText, RegionText } from './panel-parts';
import { BestRoutes } from './BestRoutes';
import { CheckAccess } from '../access/CheckAccess';
import './panels.css';
import { visibleText } from '../../src-shared/text/visible-text';
import type { QuotaRouteKind } from '../../src-shared/catalog/quotas';
import { RouteFigures, RouteFiguresNotes } from '../capacity/RouteFigures';
import { usePrices, useQuotas } from '../capacity/use-figures';
import type { VantageRead } from '../fleet/vantage-read';

/** Escape closes a panel from anywhere inside it, after a click on "copy" too. */
export function onPanelKey(onClose: () => void) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    onClose();
  };
}

/** When and why a region's scan failed, and what the catalog last knew about the model there. */
export function RegionFailure({ document, region, modelId }: { document: CatalogDocument; region: string; modelId?: string }) {
  const status = document.regions[region];
  if (status?.status !== 'error') return null;
  const when = new Date(status.failedAt ?? document.generatedAt).toLocaleString();
  // The document keeps a failed region's earlier models only when it says when they were fetched.
  const lastKnownAt = status.lastKnownAt ? new Date(status.lastKnownAt).toLocaleString() : null;
  const lastKnown = modelId && lastKnownAt ? knownKind(document, modelId, region, cellState(document, modelId, region).route) : null;
  return (
    <div className="region-failure" role="note" data-testid="region-failure">
      <strong>⚠ The scan of {region} failed</strong> at {when}:{' '}
      {status.error ? (
        <>
          <code>{status.error.code}</code> — <RegionText text={status.error.message} />
        </>
      ) : (
        'no reason was recorded'
      )}
      <div data-testid="last-known">
        {lastKnown
          ? `Last known state (fetched ${lastKnownAt}): ${CELL_STYLE[lastKnown].explanation}`
          : lastKnownAt
            ? `Last known data fetched ${lastKnownAt}.`
            : `Nothing earlier is cached for ${region}, so what it offers is unknown.`}
      </div>
    </div>
  );
}

export function CellPanel({
  document,
  model,
  region,
  onClose,
  from,
}: {
  document: CatalogDocument;
  model: CatalogModel;
  region: string;
  onClose: () => void;
  /** Whose measurements the best routes carry (the matrix's "from" choice); this machine's by default. */
  from?: VantageRead;
}) {
  const state = cellState(document, model.modelId, region);
  const { route } = state;
  const ids = [...(route.onDemand ? [model.modelId] : []), ...route.geoProfiles, ...route.globalProfiles];
  const style = CELL_STYLE[state.kind];
  const kindOf = (id: string): QuotaRouteKind => (id === model.modelId ? 'on-demand' : isGlobalProfile(document, id) ? 'global-profile' : 'geo-profile');
  // Asked only for a cell with something to call: the quotas and prices are per invoke id.
  const quotas = useQuotas(model.modelId, [region], ids.length > 0);
  const prices = usePrices(model.modelId, ids.length > 0);
  return (
    <aside className="side-panel" aria-label={`${model.modelName} in ${region}`} data-testid="cell-panel" onKeyDown={onPanelKey(onClose)}>
      <header>
        <div>
          <h2>{visibleText(model.modelName)}</h2>
          <div className="muted">
            {visibleText(model.providerName)} · from <strong>{region}</strong>
          </div>
        </div>
        <button type="button" className="link-button close" onClick={onClose} aria-label="Close panel (Escape)">
          ✕
        </button>
      </header>
      <p className={`route-badge kind-${state.kind}`} data-testid="cell-explanation">
        <span aria-hidden>{style.symbol}</span> {style.explanation}
        {state.alsoProfiles ? ' Also through inference profiles.' : ''}
      </p>
      <RegionFailure document={document} region={region} modelId={model.modelId} />
      {route.profileOnly ? (
        <p className="warning" data-testid="profile-only-note">
          Calling <code>{model.modelId}</code> directly in <span className="region-name">{region}</span> fails with “on-demand throughput isn’t supported”. Use an
          inference profile id below.
        </p>
      ) : null}

      <h3>Ids to call from {region}, their quotas and prices</h3>
      {ids.length === 0 ? (
        <p className="muted">
          {route.provisioned
            ? 'Only through provisioned throughput (a model ARN you purchase).'
            : state.kind === 'unknown'
              ? 'Unknown until the region scans again.'
              : `Not callable from ${region}.`}
        </p>
      ) : (
        <>
          <ul className="id-list">
            {ids.map((id) => (
              <li key={id}>
                <CopyableId id={id} testId="invoke-id" note={id === model.modelId ? 'on demand' : isGlobalProfile(document, id) ? 'global profile' : 'geo profile'} />
                <RouteFigures invokeId={id} kind={kindOf(id)} region={region} quotas={quotas} prices={prices} />
              </li>
            ))}
          </ul>
          <RouteFiguresNotes modelId={model.modelId} region={region} quotas={quotas} prices={prices} />
        </>
      )}

      {route.geoProfiles.length + route.globalProfiles.length > 0 ? (
        <>
          <h3>Where the profiles route from {region}</h3>
          <ul className="route-list">
            {[...route.geoProfiles, ...route.globalProfiles].map((id) => {
              const profile = document.profiles[id];
              const destinations = profile?.routes[region] ?? [];
              return (
                <li key={id}>
                  <IdText id={id} />
                  <div>
                    <RegionText
                      text={
                        isGlobalProfile(document, id)
                          ? 'any supported commercial region (global; data may leave your geography)'
                          : `${region} → ${destinations.join(', ') || 'unknown'}`
                      }
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}

      <h3>Best routes from {region}</h3>
      <BestRoutes modelId={model.modelId} region={region} from={from} />

      <h3>Account access</h3>
      <Access modelId={model.modelId} region={region} />

      <h3>Can I call it?</h3>
      {ids.length > 0 ? (
        <CheckAccess target={model.modelId} from={region} autoProfile />
      ) : (
        <p className="muted">Nothing to check: {model.modelId} is not callable from {region} on demand or through a profile.</p>
      )}

      <h3>Model</h3>
      <CopyableId id={model.modelId} />
      <dl className="facts">
        <dt>Lifecycle</dt>
        <dd>{visibleText(model.lifecycle)}</dd>
        <dt>Input</dt>
        <dd>{model.inputModalities.join(', ') || '–'}</dd>
        <dt>Output</dt>
        <dd>{model.outputModalities.join(', ') || '–'}</dd>
        <dt>Streaming</dt>
        <dd>{model.streaming === null ? 'not stated' : model.streaming ? 'yes' : 'no'}</dd>
        <dt>Provisioned</dt>
        <dd>{route.provisioned ? 'yes' : 'no'}</dd>
        <dt>Regions</dt>
        <dd>{Object.keys(model.regions).length}</dd>
      </dl>
    </aside>
  );
}
