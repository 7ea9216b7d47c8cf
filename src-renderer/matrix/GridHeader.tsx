import type { VirtualItem } from '@tanstack/react-virtual';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { GROUP_ABBREVIATIONS, columnEnd, columnStart, groupLabelText, matrixColumn, type MatrixData } from './matrix-model';
import { cellDomId } from './GridCells';
import { GROUP_ROW, REGION_ROW, type GridPosition } from './grid-navigation';
import { isKeyBoundRegion } from '../../src-shared/api-key-regions';

export const GROUP_ROW_HEIGHT = 20;
export const REGION_ROW_HEIGHT = 100;
export const HEADER_HEIGHT = GROUP_ROW_HEIGHT + REGION_ROW_HEIGHT;

export interface GroupSpan {
  group: string;
  first: number;
  last: number;
}

/** Runs of columns of the same geography. */
export function groupSpans(data: MatrixData): GroupSpan[] {
  const spans: GroupSpan[] = [];
  data.columns.forEach((column, index) => {
    const last = spans[spans.length - 1];
    if (last && last.group === column.group) last.last = index;
    else spans.push({ group: column.group, first: index, last: index });
  });
  return spans;
}

interface Props {
  document: CatalogDocument;
  data: MatrixData;
  spans: GroupSpan[];
  virtualColumns: VirtualItem[];
  nameWidth: number;
  idPrefix: string;
  active: GridPosition | null;
  onActivateHeader: (position: GridPosition) => void;
}

export function GridHeader({ document, data, spans, virtualColumns, nameWidth, idPrefix, active, onActivateHeader }: Props) {
  const width = nameWidth + data.totalWidth;
  const activeSpan = active?.row === GROUP_ROW ? spans.find((span) => active.column >= span.first && active.column <= span.last) : undefined;
  return (
    <div className="matrix-header" style={{ width, height: HEADER_HEIGHT }} role="rowgroup">
      <div role="row" aria-rowindex={1} className="header-row" style={{ height: GROUP_ROW_HEIGHT }}>
        <div role="columnheader" aria-colindex={1} className="matrix-corner corner-top" style={{ width: nameWidth }} id={cellDomId(idPrefix, GROUP_ROW, -1)}>
          <span className="muted">
            {data.modelRowIndexes.length} model{data.modelRowIndexes.length === 1 ? '' : 's'} × {data.regions.length} region{data.regions.length === 1 ? '' : 's'}
          </span>
        </div>
        {spans.map((span) => {
          const left = nameWidth + columnStart(data, span.first);
          const spanWidth = columnEnd(data, span.last) - columnStart(data, span.first);
          const collapsed = matrixColumn(data, span.first).kind === 'group';
          const label = groupLabelText(span.group, spanWidth);
          return (
            <div
              key={span.group}
              id={cellDomId(idPrefix, GROUP_ROW, span.first)}
              role="columnheader"
              aria-colindex={span.first + 2}
              aria-colspan={span.last - span.first + 1}
              aria-expanded={!collapsed}
              aria-label={`${span.group}: ${collapsed ? 'collapsed, Enter to expand' : 'Enter to collapse'}`}
              aria-selected={activeSpan === span}
              className={`group-label${collapsed ? ' collapsed' : ''}${activeSpan === span ? ' active' : ''}`}
              style={{ left, width: spanWidth }}
              data-group={span.group}
              onClick={() => onActivateHeader({ row: GROUP_ROW, column: span.first })}
            >
              {label === span.group ? label : <abbr title={span.group}>{label}</abbr>}
            </div>
          );
        })}
      </div>
      <div role="row" aria-rowindex={2} className="header-row" style={{ height: REGION_ROW_HEIGHT }}>
        <div role="columnheader" aria-colindex={1} className="matrix-corner corner-bottom" style={{ width: nameWidth }} id={cellDomId(idPrefix, REGION_ROW, -1)}>
          <span>Model</span>
          <span className="muted keys">↑↓←→ move · Enter open · Esc close · / search</span>
          <span className="muted keys">Click a region name for its region view</span>
        </div>
        {virtualColumns.map((virtualColumn) => {
          const column = matrixColumn(data, virtualColumn.index);
          const isActive = active?.row === REGION_ROW && active.column === virtualColumn.index;
          const common = {
            id: cellDomId(idPrefix, REGION_ROW, virtualColumn.index),
            role: 'columnheader',
            'aria-colindex': virtualColumn.index + 2,
            'aria-selected': isActive,
            'data-row': REGION_ROW,
            'data-col': virtualColumn.index,
            style: { left: nameWidth + virtualColumn.start, width: virtualColumn.size },
            onClick: () => onActivateHeader({ row: REGION_ROW, column: virtualColumn.index }),
          } as const;
          if (column.kind === 'group') {
            return (
              <div key={`group:${column.group}`} {...common} className={`region-header collapsed-group${isActive ? ' active' : ''}`} aria-label={`${column.group}, ${column.regions.length} regions collapsed: Enter to expand`}>
                <span>
                  ▸ {GROUP_ABBREVIATIONS[column.group] ?? column.group} ({column.regions.length})
                </span>
              </div>
            );
          }
          // A region a short-term API key cannot call is not a failed one: it says so, with its own mark.
          const keyBound = isKeyBoundRegion(document.regions[column.region]?.error);
          const failed = data.failedRegions.has(column.region) && !keyBound;
          const scanned = column.region in document.regions;
          return (
            <div
              key={column.region}
              {...common}
              className={`region-header${failed ? ' region-failed' : ''}${!scanned ? ' region-unscanned' : ''}${isActive ? ' active' : ''}`}
              aria-label={`${column.region}${failed ? ' (scan failed)' : keyBound ? ' (not callable with this key)' : ''}: Enter for the region view`}
              data-region={column.region}
            >
              <span>{failed ? `⚠ ${column.region}` : keyBound ? `⊘ ${column.region}` : column.region}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
