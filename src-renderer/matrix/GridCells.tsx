import { memo } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { regionGroupOf } from '../../src-shared/regions';
import { CELL_KINDS, CELL_STYLE, cellState, type CellKind } from './cell-kind';
import type { MatrixColumn, ModelRow } from './matrix-model';
import { visibleText } from '../../src-shared/text/visible-text';
import { isKeyBoundRegion, keyBoundCause } from '../../src-shared/api-key-regions';

/** The pieces of one matrix row: the model's row header and its cells. */

export const cellDomId = (prefix: string, row: number, column: number) => `${prefix}-r${row}-c${column}`;

/** A collapsed geography shows the best way to call the model anywhere in it. */
export function groupSummary(document: CatalogDocument, modelId: string, regions: string[]): { kind: CellKind; count: number } {
  const kinds = regions.map((region) => cellState(document, modelId, region).kind);
  const kind = CELL_KINDS.find((candidate) => kinds.includes(candidate)) ?? 'none';
  return { kind, count: kinds.filter((candidate) => candidate === kind).length };
}

export function describeGroupCell(group: string, regions: string[], summary: { kind: CellKind; count: number }): string {
  return `${group} (collapsed, ${regions.length} regions): ${CELL_STYLE[summary.kind].short} in ${summary.count} of ${regions.length}`;
}

interface CellProps {
  document: CatalogDocument;
  modelId: string;
  column: MatrixColumn;
  row: number;
  columnIndex: number;
  id: string;
  active: boolean;
  left: number;
  width: number;
}

export const Cell = memo(function Cell({ document, modelId, column, row, columnIndex, id, active, left, width }: CellProps) {
  const common = {
    id,
    role: 'gridcell',
    'aria-colindex': columnIndex + 2,
    'aria-selected': active,
    'data-row': row,
    'data-col': columnIndex,
    style: { left, width },
  } as const;
  if (column.kind === 'group') {
    const summary = groupSummary(document, modelId, column.regions);
    return (
      <div {...common} className={`cell summary kind-${summary.kind}${active ? ' active' : ''}`} aria-label={describeGroupCell(column.group, column.regions, summary)}>
        {CELL_STYLE[summary.kind].symbol}
      </div>
    );
  }
  const state = cellState(document, modelId, column.region);
  const { symbol, short } = CELL_STYLE[state.kind];
  return (
    <div
      {...common}
      className={`cell kind-${state.kind}${state.regionFailed ? ' region-failed' : ''}${active ? ' active' : ''}`}
      aria-label={`${short}${state.alsoProfiles ? ', also through profiles' : ''}`}
      data-kind={state.kind}
      data-region={column.region}
      data-model={modelId}
    >
      {symbol}
      {state.alsoProfiles ? <sup aria-hidden>+</sup> : null}
    </div>
  );
});

export function RowHeader({
  row,
  index,
  id,
  active,
  onToggleVariants,
  showCallable,
}: {
  row: ModelRow;
  /** Show how many regions can call the model (when rows are sorted by it). */
  showCallable: boolean;
  index: number;
  id: string;
  active: boolean;
  onToggleVariants: (baseId: string) => void;
}) {
  const { model } = row;
  return (
    <div
      id={id}
      role="rowheader"
      aria-colindex={1}
      aria-selected={active}
      aria-expanded={row.variants > 0 ? row.expanded : undefined}
      className={`row-header${row.variantOf ? ' variant' : ''}${active ? ' active' : ''}`}
      data-row={index}
      data-col={-1}
      data-model={model.modelId}
    >
      <div className="row-header-line">
        {row.suffix ? (
          <span className="variant-suffix">{visibleText(row.suffix)}</span>
        ) : (
          <span className="model-label">{visibleText(model.modelName)}</span>
        )}
        {model.lifecycle !== 'ACTIVE' ? <span className="lifecycle">{model.lifecycle.toLowerCase()}</span> : null}
        {showCallable ? (
          <span className="callable-count" data-testid="callable-count" aria-label={`callable in ${row.callableRegions} regions`}>
            {row.callableRegions} regions
          </span>
        ) : null}
        {row.variants > 0 ? (
          <button
            type="button"
            tabIndex={-1}
            className="variant-toggle"
            aria-label={`${row.expanded ? 'Hide' : 'Show'} ${row.variants} variant${row.variants > 1 ? 's' : ''} of ${model.modelId}`}
            onClick={() => onToggleVariants(model.modelId)}
          >
            {row.expanded ? '▾' : '▸'} {row.variants} variant{row.variants > 1 ? 's' : ''}
          </button>
        ) : null}
      </div>
      <code className="model-id">{visibleText(model.modelId)}</code>
    </div>
  );
}

/** The tooltip text of a hovered cell, row header or region header. */
export function CellTooltip({ document, modelId, region, note = null }: { document: CatalogDocument; modelId: string; region: string; note?: string | null }) {
  const model = document.models[modelId];
  const state = cellState(document, modelId, region);
  const status = document.regions[region];
  const keyBound = isKeyBoundRegion(status?.error);
  return (
    <>
      <strong>{visibleText(model?.modelName ?? modelId)}</strong> in <strong>{region}</strong>
      <span className="muted"> · {regionGroupOf(region) ?? 'other'}</span>
      <code className="tooltip-id">{visibleText(modelId)}</code>
      {keyBound ? (
        // A region the short-term API key cannot call was not scanned, and did not fail: say why, once.
        <div className="tooltip-kind tooltip-key-bound">Not callable with this key: {visibleText(keyBoundCause(status?.error?.message ?? ''))}.</div>
      ) : (
        <div className={`tooltip-kind kind-${state.kind}`}>
          <span className="cell-symbol">{CELL_STYLE[state.kind].symbol}</span> {CELL_STYLE[state.kind].explanation}
          {state.alsoProfiles ? ' Also through inference profiles.' : ''}
        </div>
      )}
      {state.regionFailed && status?.error && !keyBound ? (
        <div className="tooltip-failure">
          Last scan failed: {visibleText(status.error.code)}: {visibleText(status.error.message)}
        </div>
      ) : null}
      {note ? <div className="tooltip-overlay-note" data-testid="tooltip-overlay-note">{visibleText(note)}</div> : null}
      <div className="muted">Click or Enter: ids to call from {region}</div>
    </>
  );
}

export function ModelTooltip({ row }: { row: ModelRow }) {
  const { model } = row;
  return (
    <>
      <strong>{visibleText(model.modelName)}</strong> <span className="muted">· {visibleText(model.providerName)}</span>
      <code className="tooltip-id">{visibleText(model.modelId)}</code>
      <div>
        Callable (on demand or through a profile) in {row.callableRegions} of the regions shown · {model.lifecycle.toLowerCase()}
        {row.variantOf ? ` · variant ${visibleText(row.suffix)} of ${visibleText(row.variantOf)}` : ''}
      </div>
      {row.variants > 0 ? <div className="muted">{row.variants} variants (context window or modality): Enter or click ▸ to show them.</div> : null}
    </>
  );
}

export function RegionTooltip({ document, region }: { document: CatalogDocument; region: string }) {
  const status = document.regions[region];
  return (
    <>
      <strong>{region}</strong> <span className="muted">· {regionGroupOf(region) ?? 'other'}</span>
      <div>
        {!status
          ? 'Not scanned (not among the regions in Settings).'
          : status.status === 'error' && isKeyBoundRegion(status.error)
            ? `Not callable with this key: ${keyBoundCause(status.error?.message ?? '')}.`
            : status.status === 'error'
              ? `Last scan failed: ${status.error?.code ?? 'error'}: ${status.error?.message ?? ''}`
            : `Scanned: ${status.modelCount ?? '?'} models, ${status.profileCount ?? '?'} profiles.`}
      </div>
      <div className="muted">Click or Enter: every model callable from {region}</div>
    </>
  );
}
