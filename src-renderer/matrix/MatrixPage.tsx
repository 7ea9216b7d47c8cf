import { useEffect, useMemo, useRef, useState } from 'react';
import { REGION_GROUPS, type RegionGroup } from '../../src-shared/regions';
import { CALL_ROUTES } from '../../src-shared/catalog/queries';
import { useCatalog } from '../catalog/use-catalog';
import { ErrorNotice } from '../app/ErrorNotice';
import { MatrixGrid, type ActiveCell } from './MatrixGrid';
import { CellPanel } from './CellPanel';
import { buildMatrix, download, matrixCsv, ROUTE_STYLE, type MatrixFilters } from './matrix-model';

const ACCESS_OPTIONS: { value: NonNullable<MatrixFilters['access']>; label: string }[] = [
  { value: 'on-demand', label: 'On demand' },
  { value: 'geo-profile', label: 'Geo profile' },
  { value: 'global-profile', label: 'Global profile' },
  { value: 'profile-only', label: 'Profile only (no on-demand)' },
  { value: 'provisioned', label: 'Provisioned' },
];

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

export function MatrixPage() {
  const catalog = useCatalog();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<MatrixFilters>({});
  const [active, setActive] = useState<ActiveCell | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);
  const document = catalog.data?.document;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
      if (event.key === '/' && !typing) {
        event.preventDefault();
        searchBox.current?.focus();
      } else if (event.key === 'Escape') {
        setPanelOpen(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const data = useMemo(
    () => (document ? buildMatrix(document, { ...filters, search: search || undefined }) : null),
    [document, filters, search],
  );

  useEffect(() => {
    if (data) performance.mark('matrix-rendered');
  }, [data]);

  const facets = useMemo(() => {
    const models = document ? Object.values(document.models) : [];
    return {
      providers: uniqueSorted(models.map((model) => model.providerName)),
      modalities: uniqueSorted(models.flatMap((model) => [...model.inputModalities, ...model.outputModalities])),
      lifecycles: uniqueSorted(models.map((model) => model.lifecycle)),
    };
  }, [document]);

  if (catalog.isLoading) return <div className="loading">Loading the catalog: cache, then every region, then the bundled data…</div>;
  if (catalog.isError) {
    return (
      <div className="page-error">
        <h2>No catalog</h2>
        <ErrorNotice error={catalog.error} />
        <button type="button" onClick={() => void catalog.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (!document || !data) return null;

  const update = (patch: Partial<MatrixFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setActive(null);
    setPanelOpen(false);
  };
  const activeModel = active ? data.rows[data.modelRowIndexes[active.model]] : null;
  const activeRegion = active ? data.regions[active.region] : null;

  return (
    <div className={`matrix-page${panelOpen ? ' with-panel' : ''}`}>
      <div className="toolbar" role="search">
        <input
          ref={searchBox}
          type="search"
          placeholder="Search models by id or name  ( / )"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setActive(null);
          }}
          aria-label="Search models"
        />
        <select aria-label="Provider" value={filters.providers?.[0] ?? ''} onChange={(event) => update({ providers: event.target.value ? [event.target.value] : undefined })}>
          <option value="">All providers</option>
          {facets.providers.map((provider) => (
            <option key={provider}>{provider}</option>
          ))}
        </select>
        <select aria-label="Modality" value={filters.modality ?? ''} onChange={(event) => update({ modality: event.target.value || undefined })}>
          <option value="">Any modality</option>
          {facets.modalities.map((modality) => (
            <option key={modality}>{modality}</option>
          ))}
        </select>
        <select
          aria-label="Streaming"
          value={filters.streaming === undefined ? '' : String(filters.streaming)}
          onChange={(event) => update({ streaming: event.target.value === '' ? undefined : event.target.value === 'true' })}
        >
          <option value="">Streaming: any</option>
          <option value="true">Streams</option>
          <option value="false">No streaming</option>
        </select>
        <select aria-label="Lifecycle" value={filters.lifecycle ?? ''} onChange={(event) => update({ lifecycle: event.target.value || undefined })}>
          <option value="">Any lifecycle</option>
          {facets.lifecycles.map((lifecycle) => (
            <option key={lifecycle}>{lifecycle}</option>
          ))}
        </select>
        <select
          aria-label="Access type"
          value={filters.access ?? ''}
          onChange={(event) => update({ access: (event.target.value || undefined) as MatrixFilters['access'] })}
        >
          <option value="">Any access type</option>
          {ACCESS_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <select
          aria-label="Region group"
          value={filters.regionGroup ?? ''}
          onChange={(event) => update({ regionGroup: (event.target.value || undefined) as RegionGroup | undefined })}
        >
          <option value="">All geographies</option>
          {Object.keys(REGION_GROUPS).map((group) => (
            <option key={group}>{group}</option>
          ))}
        </select>
        <span className="spacer" />
        <button type="button" onClick={() => download(`bedrock-matrix-${document.generatedAt.slice(0, 10)}.csv`, matrixCsv(document, data), 'text/csv')}>
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => download(`bedrock_catalog-${document.generatedAt.slice(0, 10)}.json`, `${JSON.stringify(document, null, 2)}\n`, 'application/json')}
        >
          Export JSON
        </button>
      </div>
      <div className="legend" aria-label="Legend">
        {CALL_ROUTES.map((route) => (
          <span key={route} className={`legend-item route-${route}`} title={ROUTE_STYLE[route].label}>
            <span className="cell-symbol">{ROUTE_STYLE[route].symbol}</span> {ROUTE_STYLE[route].short}
          </span>
        ))}
        <span className="legend-item">
          <span className="cell-symbol">
            ●<sup>+</sup>
          </span>{' '}
          on demand and through profiles
        </span>
        <span className="legend-item region-failed">⚠ region failed in the last scan</span>
        <span className="muted keys">↑↓←→ move · Enter details · Esc close · / search · Alt+R refresh</span>
      </div>
      <div className="matrix-body">
        {data.modelRowIndexes.length === 0 ? (
          <div className="empty-state">No model matches these filters.</div>
        ) : (
          <MatrixGrid
            document={document}
            data={data}
            active={active}
            onActivate={(cell) => {
              setActive(cell);
            }}
            onOpen={(cell) => {
              setActive(cell);
              setPanelOpen(true);
            }}
            onClose={() => setPanelOpen(false)}
          />
        )}
        {panelOpen && activeModel?.kind === 'model' && activeRegion ? (
          <CellPanel document={document} model={activeModel.model} region={activeRegion} onClose={() => setPanelOpen(false)} />
        ) : null}
      </div>
    </div>
  );
}
