import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { ROW_HEIGHT, columnEnd, columnStart, matrixColumn, matrixRow, modelRowIndex, rowStart, type MatrixColumn, type MatrixData, type MatrixRow } from './matrix-model';
import { Cell, CellTooltip, ModelTooltip, RegionTooltip, RowHeader, cellDomId, describeGroupCell, groupSummary } from './GridCells';
import { GridHeader, groupSpans, HEADER_HEIGHT } from './GridHeader';
import { GridTooltip, createTooltipStore } from './GridTooltip';
import { GROUP_ROW, NAME_COLUMN, REGION_ROW, firstAtOrAfter, nextPosition, revealScroll, type GridPosition } from './grid-navigation';
import type { CellNote } from './cell-notes';
import './grid.css';
import { visibleText } from '../../src-shared/text/visible-text';

export const NAME_WIDTH = 320;

interface Props {
  document: CatalogDocument;
  data: MatrixData;
  active: GridPosition | null;
  onActivate: (position: GridPosition) => void;
  onOpenCell: (position: GridPosition, region: string) => void;
  onOpenRegion: (region: string) => void;
  onToggleGroup: (group: string) => void;
  onToggleVariants: (baseId: string) => void;
  onClose: () => void;
  /** Rows are sorted by the number of regions where the model is callable: show that number. */
  showCallable: boolean;
  /** Told the model rows on screen (not the overscan) whenever they change: the access overlay asks about these. */
  onRowsShown?: (modelIds: readonly string[]) => void;
  /** An overlay's line for a cell's tooltip (the quota overlay names the route its figure is of). */
  cellNote?: CellNote;
}

const rowKey = (row: MatrixRow) => (row.kind === 'provider' ? `provider:${row.provider}` : row.model.modelId);
const columnKey = (column: MatrixColumn) => (column.kind === 'group' ? `group:${column.group}` : column.region);

/** Always render the active row and column, so that `aria-activedescendant` never points at nothing. */
function keepIndex(index: number | undefined) {
  return (range: Range) => {
    const indexes = defaultRangeExtractor(range);
    if (index === undefined || index < 0 || indexes.includes(index)) return indexes;
    return [...indexes, index].sort((a, b) => a - b);
  };
}

export function MatrixGrid({ document, data, active, onActivate, onOpenCell, onOpenRegion, onToggleGroup, onToggleVariants, onClose, showCallable, onRowsShown, cellNote }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const rowBand = useRef<HTMLDivElement>(null);
  const columnBand = useRef<HTMLDivElement>(null);
  const idPrefix = `matrix${useId().replace(/:/g, '')}`;
  const [tooltip] = useState(createTooltipStore);
  const spans = useMemo(() => groupSpans(data), [data]);
  const modelPositions = useMemo(() => new Map(data.modelRowIndexes.map((rowIndex, position) => [rowIndex, position])), [data]);
  const activeRowIndex = active && active.row >= 0 ? data.modelRowIndexes[active.row] : undefined;

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders on scroll by design
  const rows = useVirtualizer({
    count: data.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => ROW_HEIGHT[matrixRow(data, index).kind],
    getItemKey: useCallback((index: number) => rowKey(matrixRow(data, index)), [data]),
    rangeExtractor: useCallback((range: Range) => keepIndex(activeRowIndex)(range), [activeRowIndex]),
    overscan: 8,
  });
  const columns = useVirtualizer({
    horizontal: true,
    count: data.columns.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => columnEnd(data, index) - columnStart(data, index),
    getItemKey: useCallback((index: number) => columnKey(matrixColumn(data, index)), [data]),
    rangeExtractor: useCallback((range: Range) => keepIndex(active?.column)(range), [active?.column]),
    overscan: 4,
  });

  /** Scrolls just enough to show the active cell whole, clear of the sticky header and name column. */
  const reveal = useCallback(() => {
    const element = scroller.current;
    if (!element || !active) return;
    const viewport = { scrollTop: element.scrollTop, scrollLeft: element.scrollLeft, width: element.clientWidth, height: element.clientHeight };
    const rowIndex = (active.row >= 0 ? data.modelRowIndexes[active.row] : undefined) ?? -1;
    // A geography label spans its group's columns: show the whole label.
    const span = active.row === GROUP_ROW ? spans.find((candidate) => active.column >= candidate.first && active.column <= candidate.last) : undefined;
    const first = span?.first ?? active.column;
    const last = span?.last ?? active.column;
    const box = {
      top: rowIndex >= 0 ? HEADER_HEIGHT + rowStart(data, rowIndex) : viewport.scrollTop,
      height: rowIndex >= 0 ? ROW_HEIGHT.model : 0,
      left: active.column >= 0 ? NAME_WIDTH + columnStart(data, first) : viewport.scrollLeft,
      width: active.column >= 0 ? columnEnd(data, last) - columnStart(data, first) : 0,
    };
    const target = revealScroll(viewport, box, rowIndex >= 0 ? HEADER_HEIGHT : 0, active.column >= 0 ? NAME_WIDTH : 0);
    if (target.top !== viewport.scrollTop) element.scrollTop = target.top;
    if (target.left !== viewport.scrollLeft) element.scrollLeft = target.left;
  }, [active, data, spans]);

  useLayoutEffect(reveal, [reveal]);

  // The panel opening or the window resizing narrows the grid: keep the active cell in view.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => reveal());
    observer.observe(element);
    return () => observer.disconnect();
  }, [reveal]);

  const firstVisibleCell = (): GridPosition => {
    const element = scroller.current!;
    const row = firstAtOrAfter(
      data.modelRowIndexes.map((index) => rowStart(data, index)),
      element.scrollTop,
    );
    return { row, column: firstAtOrAfter(data.columnStarts, element.scrollLeft) };
  };

  const activate = (position: GridPosition) => {
    if (position.row >= 0 && position.column >= 0) {
      const column = matrixColumn(data, position.column);
      if (column.kind === 'region') onOpenCell(position, column.region);
      else onToggleGroup(column.group);
    } else if (position.row >= 0) {
      const row = matrixRow(data, modelRowIndex(data, position.row));
      if (row.kind === 'model' && row.variants > 0) onToggleVariants(row.model.modelId);
    } else if (position.column >= 0) {
      const column = matrixColumn(data, position.column);
      if (position.row === GROUP_ROW || column.kind === 'group') onToggleGroup(column.group);
      else onOpenRegion(column.region);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const current = active ?? firstVisibleCell();
    const spanOf = (column: number) => spans.find((span) => column >= span.first && column <= span.last)!;
    const next = nextPosition(current, event, {
      rows: data.modelRowIndexes.length,
      columns: data.columns.length,
      pageRows: Math.max(1, Math.floor(((scroller.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT.model) - 1),
      groupStart: (column) => spanOf(column).first,
      groupEnd: (column) => spanOf(column).last,
    });
    if (next) {
      event.preventDefault();
      onActivate(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(current);
    } else if (event.key === 'Escape') {
      onClose();
    }
  };

  const onMouseOver = (event: MouseEvent<HTMLDivElement>) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
    if (!target) return;
    const row = Number(target.dataset.row);
    const column = Number(target.dataset.col);
    const rowIndex = row >= 0 ? modelRowIndex(data, row) : -1;
    showBand(rowBand.current, rowIndex >= 0 ? { top: `${HEADER_HEIGHT + rowStart(data, rowIndex)}px`, height: `${ROW_HEIGHT.model}px` } : null);
    showBand(
      columnBand.current,
      column >= 0 ? { left: `${NAME_WIDTH + columnStart(data, column)}px`, width: `${columnEnd(data, column) - columnStart(data, column)}px` } : null,
    );
    const modelRow = rowIndex >= 0 ? data.rows[rowIndex] : undefined;
    const dataColumn = column >= 0 ? data.columns[column] : undefined;
    const body =
      modelRow?.kind === 'model' && dataColumn?.kind === 'region' ? (
        <CellTooltip document={document} modelId={modelRow.model.modelId} region={dataColumn.region} note={cellNote?.(modelRow.model.modelId, dataColumn.region) ?? null} />
      ) : modelRow?.kind === 'model' && dataColumn?.kind === 'group' ? (
        describeGroupCell(dataColumn.group, dataColumn.regions, groupSummary(document, modelRow.model.modelId, dataColumn.regions))
      ) : modelRow?.kind === 'model' ? (
        <ModelTooltip row={modelRow} />
      ) : dataColumn?.kind === 'region' && row === REGION_ROW ? (
        <RegionTooltip document={document} region={dataColumn.region} />
      ) : null;
    if (body === null) return tooltip.hide();
    const box = target.getBoundingClientRect();
    tooltip.show({ body, anchor: { top: box.top, left: box.left, bottom: box.bottom, right: box.right } });
  };

  const onMouseLeave = () => {
    showBand(rowBand.current, null);
    showBand(columnBand.current, null);
    tooltip.hide();
  };

  const virtualColumns = columns.getVirtualItems();
  // The rows in the viewport (the virtualizer's range leaves out its overscan), as one key so the effect runs on a change only.
  // The range is brought up to date by getVirtualItems(), so it is read after it.
  const virtualRows = rows.getVirtualItems();
  const range = rows.range;
  const shownKey = range
    ? virtualRows
        .filter((item) => item.index >= range.startIndex && item.index <= range.endIndex)
        .flatMap((item) => {
          const row = matrixRow(data, item.index);
          return row.kind === 'model' ? [row.model.modelId] : [];
        })
        .join('\n')
    : '';
  useEffect(() => onRowsShown?.(shownKey ? shownKey.split('\n') : []), [onRowsShown, shownKey]);
  const width = NAME_WIDTH + data.totalWidth;
  const activeId = active ? cellDomId(idPrefix, active.row, active.row === GROUP_ROW ? (spans.find((span) => active.column >= span.first && active.column <= span.last)?.first ?? active.column) : active.column) : undefined;

  return (
    <>
      <div
        ref={scroller}
        id="matrix-grid"
        className="matrix-scroller"
        tabIndex={0}
        role="grid"
        aria-label="Models by region: how each model can be called from each region"
        aria-rowcount={2 + data.rows.length}
        aria-colcount={1 + data.columns.length}
        aria-activedescendant={activeId}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.target !== event.currentTarget) return;
          // Start where the user is looking; an active cell scrolled away by the mouse comes back into view.
          if (!active) onActivate(firstVisibleCell());
          else reveal();
        }}
        onMouseOver={onMouseOver}
        onClick={(event) => {
          const target = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
          const position = target ? { row: Number(target.dataset.row), column: Number(target.dataset.col) } : null;
          if (!position || position.row < 0) return;
          tooltip.hide();
          onActivate(position);
          // The name cell's own button toggles variants; a click elsewhere on it only selects it.
          if (position.column >= 0) activate(position);
        }}
        onMouseLeave={onMouseLeave}
        onScroll={tooltip.hideShown}
        data-testid="matrix"
      >
        <div className="matrix-content" style={{ width, height: HEADER_HEIGHT + data.totalHeight }}>
          <GridHeader
            document={document}
            data={data}
            spans={spans}
            virtualColumns={virtualColumns}
            nameWidth={NAME_WIDTH}
            idPrefix={idPrefix}
            active={active}
            onActivateHeader={(position) => {
              tooltip.hide();
              onActivate(position);
              activate(position);
            }}
          />
          <div className="matrix-rows" role="rowgroup" style={{ height: data.totalHeight }}>
            {virtualRows.map((virtualRow) => {
              const row = matrixRow(data, virtualRow.index);
              const style = { top: virtualRow.start, height: virtualRow.size, width };
              if (row.kind === 'provider') {
                return (
                  <div key={virtualRow.key} role="row" aria-rowindex={virtualRow.index + 3} className="matrix-row provider-row" style={style}>
                    <div role="rowheader" aria-colindex={1} aria-colspan={data.columns.length + 1} className="provider-label" style={{ width: NAME_WIDTH }}>
                      {visibleText(row.provider)} <span className="muted">{row.count}</span>
                    </div>
                  </div>
                );
              }
              const position = modelPositions.get(virtualRow.index)!;
              const rowActive = active?.row === position;
              return (
                <div key={virtualRow.key} role="row" aria-rowindex={virtualRow.index + 3} className={`matrix-row${rowActive ? ' active-row' : ''}`} style={style}>
                  <RowHeader
                    row={row}
                    index={position}
                    id={cellDomId(idPrefix, position, NAME_COLUMN)}
                    active={rowActive && active?.column === NAME_COLUMN}
                    onToggleVariants={onToggleVariants}
                    showCallable={showCallable}
                  />
                  {virtualColumns.map((virtualColumn) => (
                    <Cell
                      key={virtualColumn.key}
                      document={document}
                      modelId={row.model.modelId}
                      column={matrixColumn(data, virtualColumn.index)}
                      row={position}
                      columnIndex={virtualColumn.index}
                      id={cellDomId(idPrefix, position, virtualColumn.index)}
                      active={rowActive && active?.column === virtualColumn.index}
                      left={NAME_WIDTH + virtualColumn.start}
                      width={virtualColumn.size}
                    />
                  ))}
                </div>
              );
            })}
          </div>
          <div ref={rowBand} className="hover-band row-band" aria-hidden style={{ width }} />
          <div ref={columnBand} className="hover-band column-band" aria-hidden style={{ height: HEADER_HEIGHT + data.totalHeight }} />
        </div>
      </div>
      <GridTooltip store={tooltip} />
    </>
  );

  function showBand(band: HTMLDivElement | null, position: Record<string, string> | null) {
    if (!band) return;
    band.style.display = position ? 'block' : 'none';
    if (position) Object.assign(band.style, position);
  }
}
