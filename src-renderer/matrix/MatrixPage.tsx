import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { useCatalog } from '../catalog/use-catalog';
import { ErrorNotice } from '../app/ErrorNotice';
import { MatrixGrid } from './MatrixGrid';
import { MatrixToolbar, type Facets } from './MatrixToolbar';
import { MatrixLegend } from './MatrixLegend';
import { CellPanel } from './CellPanel';
import { RegionPanel } from './RegionPanel';
import { buildColumns, buildMatrix, DEFAULT_VIEW, download, matrixCsv, matrixRow, modelRowIndex, splitVariant, type MatrixFilters, type MatrixView } from './matrix-model';
import type { GridPosition } from './grid-navigation';
import './matrix.css';
import { MatrixTtftOverlay } from '../latency/MatrixTtftOverlay';
import { MatrixAccessOverlay } from '../access/MatrixAccessOverlay';
import { createRowsShown } from './rows-shown';
import { createCellNotes } from './cell-notes';
import { MatrixQuotaOverlay } from '../capacity/MatrixQuotaOverlay';
import { useLiveWork } from '../app/live-work';
import { useVantageChoice } from '../fleet/use-fleet';

type Panel = { kind: 'cell'; modelId: string; region: string } | { kind: 'region'; region: string } | null;

/** The overlays that write a figure in each cell: one at a time, since both write it in the same corner. */
type FigureOverlay = 'ttft' | 'quota' | null;

const LEGEND_KEY = 'bedrock-atlas.matrix.legend';

/** `#/matrix?model=ID` (the Profiles page links here) asks for that model's row. */
function modelFromHash(): string | null {
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('model');
}

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

function toggled(set: ReadonlySet<string>, value: string): Set<string> {
  const next = new Set(set);
  if (!next.delete(value)) next.add(value);
  return next;
}

export function MatrixPage() {
  const catalog = useCatalog();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<MatrixFilters>({});
  const [view, setView] = useState<MatrixView>(DEFAULT_VIEW);
  const [active, setActive] = useState<GridPosition | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [legendOpen, setLegendOpen] = useState(() => localStorage.getItem(LEGEND_KEY) !== 'closed');
  const [linkedModel, setLinkedModel] = useState(modelFromHash);
  const [linkAttempts, setLinkAttempts] = useState(0);
  const searchBox = useRef<HTMLInputElement>(null);
  const [rowsShown] = useState(createRowsShown);
  const [cellNotes] = useState(createCellNotes);
  const [figureOverlay, setFigureOverlay] = useState<FigureOverlay>(null);
  // Whose measurements the TTFT overlay and the cell panel show: the latency lab's "from" choice.
  const from = useVantageChoice(useLiveWork().fleet);
  const document = catalog.data?.document;

  const data = useMemo(() => (document ? buildMatrix(document, { ...filters, search: search || undefined }, view) : null), [document, filters, search, view]);

  useEffect(() => {
    if (data) performance.mark('matrix-rendered');
  }, [data]);

  /** Closes the panel; focus that was inside it (or left on nothing) returns to the grid. */
  const closePanel = () => {
    const focus = window.document.activeElement;
    const focusWasInPanel = !focus || focus === window.document.body || Boolean(focus.closest('.side-panel'));
    setPanel(null);
    if (focusWasInPanel) requestAnimationFrame(() => window.document.getElementById('matrix-grid')?.focus());
  };
  const onEscape = useEffectEvent(closePanel);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
      if (event.key === '/' && !typing) {
        event.preventDefault();
        searchBox.current?.focus();
      } else if (event.key === 'Escape') {
        onEscape();
      }
    };
    const onHash = () => {
      setLinkedModel(modelFromHash());
      setLinkAttempts(0);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  const facets: Facets = useMemo(() => {
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

  // A linked model becomes the active row; when filters hide it, they are cleared once (and its base expanded).
  if (linkedModel) {
    const position = data.modelRowIndexes.findIndex((index) => {
      const row = matrixRow(data, index);
      return row.kind === 'model' && row.model.modelId === linkedModel;
    });
    if (position >= 0 || linkAttempts > 0 || !document.models[linkedModel]) {
      setLinkedModel(null);
      if (position >= 0) {
        const row = matrixRow(data, modelRowIndex(data, position));
        const callable = data.columns.findIndex((column) => column.kind === 'region' && row.kind === 'model' && row.model.regions[column.region]);
        setActive({ row: position, column: Math.max(0, callable) });
      }
    } else {
      const base = splitVariant(linkedModel)?.base;
      setLinkAttempts(1);
      setSearch('');
      setFilters({});
      setView((current) => ({ ...current, hideProvisionedOnly: false, expanded: base ? new Set([...current.expanded, base]) : current.expanded }));
    }
  }

  const updateFilters = (patch: Partial<MatrixFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setActive(null);
    setPanel(null);
  };
  const updateView = (patch: Partial<MatrixView>) => {
    setView((current) => ({ ...current, ...patch }));
    setActive(null);
  };
  const onActivate = (position: GridPosition) => {
    setActive(position);
    // An open cell panel follows the active cell.
    const column = position.column >= 0 ? data.columns[position.column] : undefined;
    const rowIndex = position.row >= 0 ? data.modelRowIndexes[position.row] : undefined;
    const row = rowIndex === undefined ? undefined : data.rows[rowIndex];
    if (panel?.kind === 'cell' && column?.kind === 'region' && row?.kind === 'model') setPanel({ kind: 'cell', modelId: row.model.modelId, region: column.region });
  };
  const toggleGroup = (group: string) => {
    const collapsedGroups = toggled(view.collapsedGroups, group);
    setView((current) => ({ ...current, collapsedGroups }));
    // Stay on the group that was toggled: its first column in the new layout.
    const column = buildColumns(data.regions, collapsedGroups).findIndex((candidate) => candidate.group === group);
    setActive((current) => (current ? { ...current, column } : current));
  };
  const legend = (open: boolean) => {
    setLegendOpen(open);
    if (!open) setFigureOverlay((current) => (current === 'quota' ? null : current));
    localStorage.setItem(LEGEND_KEY, open ? 'open' : 'closed');
  };
  const stamp = document.generatedAt.slice(0, 10);
  const panelModel = panel?.kind === 'cell' ? document.models[panel.modelId] : undefined;

  return (
    <div className={`matrix-page${panel ? ' with-panel' : ''}`}>
      <h1 className="visually-hidden">Matrix: models by region</h1>
      <MatrixToolbar
        searchBox={searchBox}
        search={search}
        onSearch={(text) => {
          setSearch(text);
          setActive(null);
        }}
        filters={filters}
        onFilters={updateFilters}
        view={view}
        onView={updateView}
        facets={facets}
        hiddenProvisionedOnly={data.hiddenProvisionedOnly}
        legendOpen={legendOpen}
        onLegend={legend}
        onExportCsv={() => download(`bedrock-matrix-${stamp}.csv`, matrixCsv(document, data), 'text/csv')}
        onExportJson={() => download(`bedrock_catalog-${stamp}.json`, `${JSON.stringify(document, null, 2)}\n`, 'application/json')}
        extra={<MatrixTtftOverlay document={document} on={figureOverlay === 'ttft'} onToggle={(on) => setFigureOverlay(on ? 'ttft' : null)} from={from} />}
      />
      {legendOpen ? (
        // The quota and access overlays' toggles end the legend row (the toolbar is full at 1280 px); closing the legend turns them off.
        <div className="matrix-legend-row">
          <MatrixLegend />
          <MatrixQuotaOverlay document={document} regions={data.regions} rowsShown={rowsShown} cellNotes={cellNotes} on={figureOverlay === 'quota'} onToggle={(on) => setFigureOverlay(on ? 'quota' : null)} />
          <MatrixAccessOverlay document={document} regions={data.regions} rowsShown={rowsShown} />
        </div>
      ) : (
        <div hidden id="matrix-legend" />
      )}
      <div className="matrix-body">
        {data.modelRowIndexes.length === 0 ? (
          <div className="empty-state">
            No model matches these filters.
            {data.hiddenProvisionedOnly > 0 ? ` ${data.hiddenProvisionedOnly} provisioned-only models are hidden.` : ''}
          </div>
        ) : (
          <MatrixGrid
            document={document}
            data={data}
            active={active}
            onActivate={onActivate}
            onOpenCell={(position, region) => {
              setActive(position);
              const row = matrixRow(data, modelRowIndex(data, position.row));
              if (row.kind === 'model') setPanel({ kind: 'cell', modelId: row.model.modelId, region });
            }}
            onOpenRegion={(region) => setPanel({ kind: 'region', region })}
            onToggleGroup={toggleGroup}
            onToggleVariants={(baseId) => setView((current) => ({ ...current, expanded: toggled(current.expanded, baseId) }))}
            onClose={closePanel}
            showCallable={view.sort === 'regions'}
            onRowsShown={rowsShown.set}
            cellNote={cellNotes.get}
          />
        )}
        {panelModel && panel?.kind === 'cell' ? <CellPanel document={document} model={panelModel} region={panel.region} onClose={closePanel} from={{ vantage: from.vantage, stamp: from.stamp }} /> : null}
        {panel?.kind === 'region' ? <RegionPanel document={document} region={panel.region} onClose={closePanel} /> : null}
      </div>
    </div>
  );
}
