import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { cellRoute } from '../../src-shared/catalog/queries';
import { regionGroupOf } from '../../src-shared/regions';
import { ROUTE_STYLE, type MatrixData } from './matrix-model';

const ROW_HEIGHT = 24;
const COLUMN_WIDTH = 44;
const NAME_WIDTH = 300;
const HEADER_HEIGHT = 124;

export interface ActiveCell {
  /** Index into `data.modelRowIndexes`. */
  model: number;
  region: number;
}

interface Props {
  document: CatalogDocument;
  data: MatrixData;
  active: ActiveCell | null;
  onActivate: (cell: ActiveCell) => void;
  onOpen: (cell: ActiveCell) => void;
  onClose: () => void;
}

const Cell = memo(function Cell({
  document,
  modelId,
  region,
  failed,
  active,
  style,
  onClick,
}: {
  document: CatalogDocument;
  modelId: string;
  region: string;
  failed: boolean;
  active: boolean;
  style: React.CSSProperties;
  onClick: () => void;
}) {
  const route = cellRoute(document, modelId, region);
  // Listed in the region with no inference type at all (a customization or context-window variant).
  const listedOnly = route.primary === 'none' && Boolean(document.models[modelId]?.regions[region]);
  const { symbol, label } = listedOnly ? { symbol: '○', label: 'Listed here, but with no on-demand, profile or provisioned type' } : ROUTE_STYLE[route.primary];
  const also = route.onDemand && route.geoProfiles.length + route.globalProfiles.length > 0;
  return (
    <div
      role="gridcell"
      className={`cell route-${route.primary}${failed ? ' region-failed' : ''}${active ? ' active' : ''}`}
      style={style}
      onClick={onClick}
      title={`${modelId} in ${region}: ${label}${also ? ' (also through inference profiles)' : ''}${failed ? ' — this region failed in the last scan' : ''}`}
      aria-selected={active}
      data-route={route.primary}
    >
      {symbol}
      {also ? <sup>+</sup> : null}
    </div>
  );
});

export function MatrixGrid({ document, data, active, onActivate, onOpen, onClose }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders on scroll by design
  const rows = useVirtualizer({
    count: data.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const columns = useVirtualizer({
    horizontal: true,
    count: data.regions.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => COLUMN_WIDTH,
    overscan: 4,
  });

  useEffect(() => {
    if (!active) return;
    rows.scrollToIndex(data.modelRowIndexes[active.model], { align: 'auto' });
    columns.scrollToIndex(active.region, { align: 'auto' });
  }, [active, rows, columns, data.modelRowIndexes]);

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const models = data.modelRowIndexes.length;
    if (models === 0) return;
    const current = active ?? { model: 0, region: 0 };
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const moves: Record<string, ActiveCell> = {
      ArrowDown: { ...current, model: Math.min(models - 1, current.model + 1) },
      ArrowUp: { ...current, model: Math.max(0, current.model - 1) },
      ArrowRight: { ...current, region: Math.min(data.regions.length - 1, current.region + 1) },
      ArrowLeft: { ...current, region: Math.max(0, current.region - 1) },
      PageDown: { ...current, model: Math.min(models - 1, current.model + page) },
      PageUp: { ...current, model: Math.max(0, current.model - page) },
      Home: { ...current, region: 0 },
      End: { ...current, region: data.regions.length - 1 },
    };
    if (moves[event.key]) {
      event.preventDefault();
      onActivate(moves[event.key]);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(current);
    } else if (event.key === 'Escape') {
      onClose();
    }
  };

  const virtualColumns = columns.getVirtualItems();
  const totalWidth = NAME_WIDTH + columns.getTotalSize();
  const activeRow = active ? data.modelRowIndexes[active.model] : -1;

  // Geography labels above the region headers: one per run of visible columns of the same group.
  const groupLabels: { group: string; left: number; width: number }[] = [];
  for (const column of virtualColumns) {
    const group = regionGroupOf(data.regions[column.index]) ?? 'Other';
    const last = groupLabels[groupLabels.length - 1];
    if (last && last.group === group && last.left + last.width === NAME_WIDTH + column.start) last.width += column.size;
    else groupLabels.push({ group, left: NAME_WIDTH + column.start, width: column.size });
  }

  return (
    <div
      ref={scroller}
      className="matrix-scroller"
      tabIndex={0}
      role="grid"
      aria-label="Region by model availability"
      aria-rowcount={data.modelRowIndexes.length}
      aria-colcount={data.regions.length}
      onKeyDown={move}
      data-testid="matrix"
    >
      <div style={{ width: totalWidth, height: HEADER_HEIGHT + rows.getTotalSize(), position: 'relative' }}>
        <div className="matrix-header" style={{ width: totalWidth, height: HEADER_HEIGHT }} role="row">
          <div className="matrix-corner" style={{ width: NAME_WIDTH, height: HEADER_HEIGHT }}>
            <span>Model</span>
            <span className="muted">{data.modelRowIndexes.length} models × {data.regions.length} regions</span>
          </div>
          {groupLabels.map((label) => (
            <div key={`${label.group}-${label.left}`} className="group-label" style={{ left: label.left, width: label.width }} title={label.group}>
              {label.group}
            </div>
          ))}
          {virtualColumns.map((column) => {
            const region = data.regions[column.index];
            const failed = data.failedRegions.has(region);
            const scanned = region in document.regions;
            return (
              <div
                key={region}
                role="columnheader"
                className={`region-header${failed ? ' region-failed' : ''}${!scanned ? ' region-unscanned' : ''}${active?.region === column.index ? ' active' : ''}`}
                style={{ left: NAME_WIDTH + column.start, width: column.size }}
                title={failed ? `${region}: ${document.regions[region].error?.code}: ${document.regions[region].error?.message}` : scanned ? region : `${region}: not scanned`}
              >
                <span>{failed ? `⚠ ${region}` : region}</span>
              </div>
            );
          })}
        </div>
        <div style={{ position: 'relative', height: rows.getTotalSize() }}>
          <div className="matrix-names" style={{ width: NAME_WIDTH, height: rows.getTotalSize() }}>
            {rows.getVirtualItems().map((virtualRow) => {
              const row = data.rows[virtualRow.index];
              return row.kind === 'provider' ? (
                <div key={virtualRow.key} className="provider-row" style={{ top: virtualRow.start, height: virtualRow.size, width: totalWidth }}>
                  {row.provider} <span className="muted">{row.count}</span>
                </div>
              ) : (
                <div
                  key={virtualRow.key}
                  className={`model-name${virtualRow.index === activeRow ? ' active' : ''}`}
                  style={{ top: virtualRow.start, height: virtualRow.size }}
                  title={`${row.model.modelName} — ${row.model.modelId}${row.model.lifecycle !== 'ACTIVE' ? ` (${row.model.lifecycle})` : ''}`}
                >
                  <span className="model-label">{row.model.modelName}</span>
                  <code className="model-id">{row.model.modelId}</code>
                  {row.model.lifecycle !== 'ACTIVE' ? <span className="lifecycle">{row.model.lifecycle.toLowerCase()}</span> : null}
                </div>
              );
            })}
          </div>
          {rows.getVirtualItems().map((virtualRow) => {
            const row = data.rows[virtualRow.index];
            if (row.kind !== 'model') return null;
            const modelIndex = data.modelRowIndexes.indexOf(virtualRow.index);
            return virtualColumns.map((column) => {
              const region = data.regions[column.index];
              return (
                <Cell
                  key={`${virtualRow.key}:${region}`}
                  document={document}
                  modelId={row.model.modelId}
                  region={region}
                  failed={data.failedRegions.has(region)}
                  active={active?.model === modelIndex && active.region === column.index}
                  style={{ top: virtualRow.start, left: NAME_WIDTH + column.start, width: column.size, height: virtualRow.size }}
                  onClick={() => onOpen({ model: modelIndex, region: column.index })}
                />
              );
            });
          })}
        </div>
      </div>
    </div>
  );
}
