import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CatalogDocument, CatalogModel, ModelAccessStatus } from '../../src-shared/catalog/document';
import { cellRoute } from '../../src-shared/catalog/queries';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { ROUTE_STYLE } from './matrix-model';

const ACCESS_TEXT: Record<ModelAccessStatus, string> = {
  authorized: '✓ Authorized for this account',
  not_authorized: '✗ Not authorized (IAM/SCP or a Marketplace subscription is missing)',
  agreement_pending: '… Agreement pending: the subscription can take ~15 minutes after the first call',
  not_available: '✗ Not available in this region',
  unknown: '? Could not be determined',
};

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        })
      }
      aria-label={`Copy ${text}`}
    >
      {copied ? '✓ copied' : 'copy'}
    </button>
  );
}

function Access({ modelId, region }: { modelId: string; region: string }) {
  const { api } = useAtlas();
  const access = useQuery({
    queryKey: ['access', modelId, region],
    queryFn: () => api.getModelAccess({ modelId, regions: [region] }),
  });
  if (access.isLoading) return <span className="muted">Checking access…</span>;
  if (access.isError) return <ErrorNotice error={access.error} />;
  const entry = access.data?.[region];
  if (!entry) return <span className="muted">No answer for this region.</span>;
  return (
    <span className={`access access-${entry.status}`} data-testid="access-status" title={`checked ${entry.checkedAt}`}>
      {ACCESS_TEXT[entry.status]}
      {entry.message ? <span className="muted"> — {entry.message}</span> : null}
    </span>
  );
}

function BestRoutes({ modelId, region }: { modelId: string; region: string }) {
  const { api } = useAtlas();
  const routes = useQuery({ queryKey: ['bestRegions', modelId, region], queryFn: () => api.bestRegions({ modelId, fromRegion: region }) });
  if (routes.isError) return <ErrorNotice error={routes.error} />;
  if (!routes.data) return <span className="muted">Ranking…</span>;
  if (routes.data.length === 0) return <span className="muted">No region serves this model on demand or through a profile.</span>;
  return (
    <ol className="best-routes" data-testid="best-routes">
      {routes.data.slice(0, 6).map((route) => (
        <li key={`${route.callRegion}:${route.invokeId}`} title={route.reason}>
          <code>{route.invokeId}</code> <span className="muted">via {route.callRegion}</span>
          <div className="muted">{route.reason}</div>
        </li>
      ))}
    </ol>
  );
}

export function CellPanel({ document, model, region, onClose }: { document: CatalogDocument; model: CatalogModel; region: string; onClose: () => void }) {
  const route = cellRoute(document, model.modelId, region);
  const regionStatus = document.regions[region];
  const ids = [...(route.onDemand ? [model.modelId] : []), ...route.geoProfiles, ...route.globalProfiles];
  return (
    <aside className="side-panel" aria-label={`${model.modelName} in ${region}`} data-testid="cell-panel">
      <header>
        <div>
          <h2>{model.modelName}</h2>
          <div className="muted">
            {model.providerName} · from <strong>{region}</strong>
          </div>
        </div>
        <button type="button" className="link-button" onClick={onClose} aria-label="Close panel (Escape)">
          ✕
        </button>
      </header>
      <p className={`route-badge route-${route.primary}`}>
        <span aria-hidden>{ROUTE_STYLE[route.primary].symbol}</span> {ROUTE_STYLE[route.primary].label}
      </p>
      {regionStatus?.status === 'error' ? (
        <p className="warning">⚠ {region} failed in the last scan ({regionStatus.error?.code}); this may be older data.</p>
      ) : null}
      {route.profileOnly ? (
        <p className="warning" data-testid="profile-only-note">
          Calling <code>{model.modelId}</code> directly in {region} fails with “on-demand throughput isn’t supported”. Use an
          inference profile id below.
        </p>
      ) : null}

      <h3>Ids to call from {region}</h3>
      {ids.length === 0 ? (
        <p className="muted">{route.provisioned ? 'Only through provisioned throughput (a model ARN you purchase).' : 'Not callable from this region.'}</p>
      ) : (
        <ul className="id-list">
          {ids.map((id) => (
            <li key={id}>
              <code data-testid="invoke-id">{id}</code>
              <span className="muted">{id === model.modelId ? 'on demand' : document.profiles[id]?.global || id.startsWith('global.') ? 'global profile' : 'geo profile'}</span>
              <CopyButton text={id} />
            </li>
          ))}
        </ul>
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
                  <code>{id}</code>
                  <div>
                    {profile?.global
                      ? 'any supported commercial region (global; data may leave your geography)'
                      : `${region} → ${destinations.join(', ') || 'unknown'}`}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}

      <h3>Best routes from {region}</h3>
      <BestRoutes modelId={model.modelId} region={region} />

      <h3>Account access</h3>
      <Access modelId={model.modelId} region={region} />

      <h3>Model</h3>
      <dl className="facts">
        <dt>Id</dt>
        <dd>
          <code>{model.modelId}</code> <CopyButton text={model.modelId} />
        </dd>
        <dt>Lifecycle</dt>
        <dd>{model.lifecycle}</dd>
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
