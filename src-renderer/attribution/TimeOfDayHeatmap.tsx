import { useQuery } from '@tanstack/react-query';
import { HeatLegend } from './HeatLegend';
import { memo, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TimeOfDayCell, TimeOfDayRoute } from '../../src-shared/contract/attribution';
import { useAtlas } from '../api/atlas-context';
import { bandOf, heatBands, heatGrid, hourSpan, moveCell, weekdayNames } from './heatmap-scale';
import './attribution.css';

/**
 * When a route is slow (issue 18 §4): p50 TTFT per hour of the week, Monday first, in the user's time zone, from every
 * stored latency-run sample of the target. The figure is written in each cell (or the sample count, by the toggle),
 * so the colour only repeats it; the grid moves by arrow keys, Home/End and PageUp/PageDown, and the active cell's
 * tooltip says its hour, figure and samples.
 */

const routeKeyOf = (route: TimeOfDayRoute) => `${route.region} ${route.invokeId}`;
const routeName = (route: TimeOfDayRoute) => `${route.region} · ${route.invokeId} (${route.kind})`;

/** The browser's IANA zone, which the core turns each sample's instant into local hours with. */
export const userTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export const TimeOfDaySection = memo(function TimeOfDaySection({ target, refreshKey }: { target: string; refreshKey: string | null }) {
  const { api } = useAtlas();
  const timeZone = useMemo(() => userTimeZone(), []);
  const trimmed = target.trim();
  const heatmap = useQuery({
    queryKey: ['timeOfDay', trimmed, timeZone, refreshKey],
    queryFn: () => api.timeOfDay({ timeZone, ...(trimmed ? { target: trimmed } : {}) }),
  });
  const routes = useMemo(() => [...(heatmap.data?.routes ?? [])].sort((a, b) => b.samples - a.samples), [heatmap.data]);
  const [picked, setPicked] = useState<string | null>(null);
  const [show, setShow] = useState<'p50' | 'samples'>('p50');
  const route = routes.find((candidate) => routeKeyOf(candidate) === picked) ?? routes[0];

  return (
    <div className="tod" data-testid="time-of-day">
      <header className="lat-section-header">
        <h3>When it is slow: p50 TTFT by hour and weekday</h3>
        <span className="muted" data-testid="tod-zone">
          in {heatmap.data?.timeZone ?? timeZone}
        </span>
        {routes.length > 1 ? (
          <label className="lat-field lat-inline">
            <span>Route</span>
            <select value={route ? routeKeyOf(route) : ''} onChange={(event) => setPicked(event.target.value)}>
              {routes.map((candidate) => (
                <option key={routeKeyOf(candidate)} value={routeKeyOf(candidate)}>
                  {routeName(candidate)} · {candidate.samples} samples
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="lat-window" role="radiogroup" aria-label="Figure in each cell">
          {(['p50', 'samples'] as const).map((option) => (
            <button key={option} type="button" role="radio" aria-checked={show === option} className={show === option ? 'active' : undefined} onClick={() => setShow(option)}>
              {option === 'p50' ? 'p50 ms' : 'samples'}
            </button>
          ))}
        </div>
      </header>
      {heatmap.error ? (
        <p className="lat-error" role="alert">
          {(heatmap.error as Error).message}
        </p>
      ) : !heatmap.data ? (
        <p className="muted">Reading the stored samples…</p>
      ) : !route ? (
        <p className="lat-empty">No stored latency-run samples{trimmed ? ' for this target' : ''} yet. Every run adds its samples to the hours it ran in; runs at different times fill the week.</p>
      ) : (
        <Heatmap key={routeKeyOf(route)} route={route} show={show} />
      )}
    </div>
  );
});

/** The grid's fixed sizes (attribution.css): the weekday column, the hours row and each day's row. */
const DAY_COLUMN_PX = 44;
const HOURS_ROW_PX = 20;
const DAY_ROW_PX = 26;

/** Under the cell, centred on it, kept inside the grid at either end of the day. */
function tooltipPlace(at: { row: number; column: number }) {
  const shift = at.column < 4 ? '-15%' : at.column > 19 ? '-85%' : '-50%';
  return {
    left: `calc(${DAY_COLUMN_PX}px + (100% - ${DAY_COLUMN_PX}px) * ${(at.column + 0.5) / 24})`,
    top: `${HOURS_ROW_PX + (at.row + 1) * DAY_ROW_PX + 4}px`,
    transform: `translateX(${shift})`,
  };
}

function describe(cell: TimeOfDayCell | null, day: string, hour: number): string {
  return cell ? `${day} ${hourSpan(hour)}: p50 TTFT ${Math.round(cell.p50TtftMs)} ms from ${cell.samples} sample${cell.samples === 1 ? '' : 's'}` : `${day} ${hourSpan(hour)}: no samples`;
}

function Heatmap({ route, show }: { route: TimeOfDayRoute; show: 'p50' | 'samples' }) {
  const id = useId();
  const grid = useMemo(() => heatGrid(route.cells), [route]);
  const bands = useMemo(() => heatBands(route.cells.map((cell) => cell.p50TtftMs)), [route]);
  const days = useMemo(() => weekdayNames(), []);
  const slowest = route.cells.reduce<TimeOfDayCell | null>((most, cell) => (!most || cell.p50TtftMs > most.p50TtftMs ? cell : most), null);
  const fastest = route.cells.reduce<TimeOfDayCell | null>((least, cell) => (!least || cell.p50TtftMs < least.p50TtftMs ? cell : least), null);
  const firstFilled = route.cells[0] ? { row: route.cells[0].weekday - 1, column: route.cells[0].hour } : { row: 0, column: 0 };
  const [active, setActive] = useState(firstFilled);
  const [tip, setTip] = useState<{ row: number; column: number } | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const dayName = (row: number) => days[row]?.long ?? '';

  const focusCell = (at: { row: number; column: number }) => {
    setActive(at);
    setTip(at);
    table.current?.querySelector<HTMLElement>(`[data-row="${at.row}"][data-column="${at.column}"]`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const next = moveCell(active, event.key, event.ctrlKey || event.metaKey);
    if (!next) {
      if (event.key === 'Escape') setTip(null);
      return;
    }
    event.preventDefault();
    focusCell(next);
  };
  const tipCell = tip ? (grid[tip.row]?.[tip.column] ?? null) : null;

  return (
    <div className="tod-body">
      <p className="tod-reading" data-testid="tod-reading">
        {route.cells.length === 1 && slowest ? (
          <>
            {route.samples} samples, all in <strong>{days[slowest.weekday - 1]?.short} {hourSpan(slowest.hour)}</strong> ({Math.round(slowest.p50TtftMs)} ms): runs at other hours fill in the week.
          </>
        ) : slowest && fastest ? (
          <>
            Slowest <strong>{days[slowest.weekday - 1]?.short} {hourSpan(slowest.hour)}</strong> ({Math.round(slowest.p50TtftMs)} ms), fastest <strong>{days[fastest.weekday - 1]?.short} {hourSpan(fastest.hour)}</strong> ({Math.round(fastest.p50TtftMs)} ms) · {route.samples} samples in {route.cells.length} of 168 hours of the week.
          </>
        ) : null}
      </p>
      <div className="tod-grid-wrap">
        <table ref={table} className="tod-grid" role="grid" aria-label={`p50 TTFT by weekday and hour, ${routeName(route)}`} aria-describedby={`${id}-help`} onKeyDown={onKeyDown} data-testid="tod-grid">
          <thead>
            <tr>
              <th scope="col" className="tod-corner">
                <span className="visually-hidden">Weekday</span>
              </th>
              {Array.from({ length: 24 }, (_, hour) => (
                <th key={hour} scope="col" className="tod-hour">
                  {String(hour).padStart(2, '0')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, rowIndex) => (
              <tr key={rowIndex}>
                <th scope="row" className="tod-day" title={dayName(rowIndex)}>
                  {days[rowIndex]?.short}
                </th>
                {row.map((cell, column) => {
                  const band = cell ? bandOf(bands, cell.p50TtftMs) : undefined;
                  const isActive = active.row === rowIndex && active.column === column;
                  return (
                    <td
                      key={column}
                      role="gridcell"
                      tabIndex={isActive ? 0 : -1}
                      data-row={rowIndex}
                      data-column={column}
                      className={cell ? 'tod-cell' : 'tod-cell tod-empty'}
                      style={band ? { background: band.color, color: band.ink } : undefined}
                      aria-label={describe(cell, dayName(rowIndex), column)}
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
                      {cell ? (show === 'p50' ? Math.round(cell.p50TtftMs) : cell.samples) : ''}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {tip ? (
          <div className="tod-tooltip" role="tooltip" data-testid="tod-tooltip" style={tooltipPlace(tip)}>
            {describe(tipCell, dayName(tip.row), tip.column)}
          </div>
        ) : null}
      </div>
      <HeatLegend bands={bands} classPrefix="tod" emptySwatchClass="tod-swatch-empty" testId="tod-legend" />
      <p id={`${id}-help`} className="muted tod-help">
        Each cell: the median TTFT of the samples measured in that hour (local time), on any date. Arrow keys move, Home/End go to the day’s first or last hour, PageUp/PageDown to Monday or Sunday.
      </p>
    </div>
  );
}
