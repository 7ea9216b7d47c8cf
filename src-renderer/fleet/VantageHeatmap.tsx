import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { HeatLegend } from '../attribution/HeatLegend';
import type { TtftByVantage, VantageRegionTtft } from '../../src-shared/contract/fleet';
import { bandOf, heatBands } from '../attribution/heatmap-scale';
import { vantageLabel } from './use-fleet';
import { describeFigures, moveInGrid, vantageGrid } from './vantage-grid';

const describeCell = (cell: VantageRegionTtft | null, vantage: string, region: string) => `From ${vantageLabel(vantage)} to ${region}: ${cell ? describeFigures(cell) : 'no samples'}`;

/**
 * Vantages (rows) by call regions (columns), each cell its p50 TTFT in ms on the time-of-day heatmap's sequential
 * blues (one scale over every cell: the vantages are compared with each other). The figure is written in the cell,
 * so the colour only repeats it. Arrow keys move between cells (Home/End along a row, Ctrl+Home/End to the
 * corners); the active cell's tooltip gives p90, p99 and the samples too.
 */
export function VantageHeatmap({ answer }: { answer: TtftByVantage }) {
  const id = useId();
  const grid = useMemo(() => vantageGrid(answer), [answer]);
  const bands = useMemo(() => heatBands(answer.cells.map((cell) => cell.p50Ms)), [answer]);
  const [active, setActive] = useState({ row: 0, column: 0 });
  const [tip, setTip] = useState<{ row: number; column: number } | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const size = { rows: answer.vantages.length, columns: answer.regions.length };

  const focusCell = (at: { row: number; column: number }) => {
    setActive(at);
    setTip(at);
    table.current?.querySelector<HTMLElement>(`[data-row="${at.row}"][data-column="${at.column}"]`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const next = moveInGrid(active, event.key, size, event.ctrlKey || event.metaKey);
    if (!next) {
      if (event.key === 'Escape') setTip(null);
      return;
    }
    event.preventDefault();
    focusCell(next);
  };
  const tipCell = tip ? (grid[tip.row]?.[tip.column] ?? null) : null;

  return (
    <div className="fleet-heatmap">
      <div className="fleet-heatmap-scroll">
        <table ref={table} className="fleet-grid" role="grid" aria-label={`p50 TTFT by vantage and region, ${answer.target}`} aria-describedby={`${id}-help`} onKeyDown={onKeyDown} data-testid="by-vantage-heatmap">
          <thead>
            <tr>
              <th scope="col" className="fleet-grid-corner">
                Vantage \ region
              </th>
              {answer.regions.map((region) => (
                <th key={region} scope="col" className="fleet-grid-region">
                  {region}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, rowIndex) => {
              const vantage = answer.vantages[rowIndex] ?? '';
              return (
                <tr key={vantage}>
                  <th scope="row" className="fleet-grid-vantage">
                    {vantageLabel(vantage)}
                  </th>
                  {row.map((cell, column) => {
                    const region = answer.regions[column] ?? '';
                    const band = cell ? bandOf(bands, cell.p50Ms) : undefined;
                    const isActive = active.row === rowIndex && active.column === column;
                    return (
                      <td
                        key={region}
                        role="gridcell"
                        tabIndex={isActive ? 0 : -1}
                        data-row={rowIndex}
                        data-column={column}
                        data-testid="by-vantage-cell"
                        data-vantage={vantage}
                        data-region={region}
                        className={cell ? 'fleet-cell' : 'fleet-cell fleet-cell-empty'}
                        style={band ? { background: band.color, color: band.ink } : undefined}
                        aria-label={describeCell(cell, vantage, region)}
                        aria-selected={isActive}
                        onFocus={() => {
                          setActive({ row: rowIndex, column });
                          setTip({ row: rowIndex, column });
                        }}
                        onBlur={() => setTip(null)}
                        onMouseEnter={() => setTip({ row: rowIndex, column })}
                        onMouseLeave={() => setTip(null)}
                        onClick={() => focusCell({ row: rowIndex, column })}
                      >
                        {cell ? Math.round(cell.p50Ms) : ''}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="fleet-tip" role="status" data-testid="by-vantage-tooltip">
        {tip ? describeCell(tipCell, answer.vantages[tip.row] ?? '', answer.regions[tip.column] ?? '') : <span className="muted">Point at or move to a cell for its p90, p99 and samples.</span>}
      </p>
      <HeatLegend bands={bands} classPrefix="fleet" emptySwatchClass="fleet-cell-empty" testId="by-vantage-legend" />
      <p id={`${id}-help`} className="muted fleet-help">
        Each cell: the median time to first token of the target’s successful samples from that vantage to that region, in ms. Arrow keys move between cells; Home and End go along the row.
      </p>
    </div>
  );
}
