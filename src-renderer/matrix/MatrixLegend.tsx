import { CELL_KINDS, CELL_STYLE } from './cell-kind';

/** Every symbol a cell can show, with the same explanation its tooltip and panel give. */
export function MatrixLegend() {
  return (
    <div className="legend" id="matrix-legend" aria-label="Legend" role="list">
      {CELL_KINDS.map((kind) => (
        <span key={kind} role="listitem" className={`legend-item kind-${kind}`} title={CELL_STYLE[kind].explanation} data-kind={kind}>
          <span className="cell-symbol">{CELL_STYLE[kind].symbol}</span> {CELL_STYLE[kind].short}
        </span>
      ))}
      <span role="listitem" className="legend-item kind-on-demand">
        <span className="cell-symbol">
          ●<sup>+</sup>
        </span>{' '}
        also via profiles
      </span>
      <span role="listitem" className="legend-item region-failed">
        ⚠ region failed
      </span>
    </div>
  );
}
