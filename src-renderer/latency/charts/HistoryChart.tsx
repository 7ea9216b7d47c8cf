import { useLayoutEffect, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../../../src-shared/contract/latency';
import { HISTORY_WINDOWS, historyLines, type HistoryWindow } from '../figures';
import { ChartFrame } from './ChartFrame';
import { seriesColor, seriesDash, type ChartTheme } from './chart-theme';
import { formatMs, routeLabel } from './route-label';

export interface HistoryChartProps {
  points: SeriesPoint[];
  window: HistoryWindow;
  onWindow(window: HistoryWindow): void;
  theme: ChartTheme;
  /** The vantage the samples were measured from, when not this machine: said in the description. */
  from?: string | null;
  /**
   * One line per key of `keyOf` (default: per route, `point.region`), named by `lineLabel`; the description's
   * "per route" becomes `lines` when given (the team view draws one line per vantage to a region).
   */
  keyOf?: (point: SeriesPoint) => string;
  lineLabel?: (key: string) => string;
  lines?: string;
}

const timeFormat = (span: number) => (at: number) => {
  const date = new Date(at);
  return span > 36 * 3_600_000 ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: span < 600_000 ? '2-digit' : undefined });
};

/** 1h, 24h, 7d, 30d: which stored samples the history shows and exports. */
export function WindowPicker({ window, onWindow }: { window: HistoryWindow; onWindow(window: HistoryWindow): void }) {
  return (
    <div className="lat-window" role="radiogroup" aria-label="History window">
      {HISTORY_WINDOWS.map((option) => (
        <button key={option.id} type="button" role="radio" aria-checked={window === option.id} className={window === option.id ? 'active' : undefined} onClick={() => onWindow(option.id)}>
          {option.id}
        </button>
      ))}
    </div>
  );
}

/** TTFT over time, one line per route: the p50 of each time bucket of the raw samples. */
export function HistoryChart({ points, window, onWindow, theme, from = null, keyOf, lineLabel = routeLabel, lines: linesAre = 'per route' }: HistoryChartProps) {
  const lines = useMemo(() => historyLines(points, undefined, keyOf), [points, keyOf]);
  const span = useMemo(() => {
    const times = lines.flatMap((line) => [line.points[0]?.at ?? 0, line.points[line.points.length - 1]?.at ?? 0]);
    return times.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
  }, [lines]);
  // The benchmark reads this mark: samples in hand → chart drawn (the frame after the DOM is built).
  useLayoutEffect(() => {
    if (points.length === 0) return;
    const frame = requestAnimationFrame(() => performance.mark('latency-history-rendered', { detail: { points: points.length } }));
    return () => cancelAnimationFrame(frame);
  }, [points]);

  return (
    <ChartFrame
      title="TTFT history"
      description={`p50 time to first token ${linesAre} over the last ${HISTORY_WINDOWS.find((option) => option.id === window)!.label}, from ${points.length} stored samples${from ? ` measured from ${from}` : ''} (each point: the median of its time bucket).`}
      legend={lines.map((line, index) => ({ label: lineLabel(line.key), color: seriesColor(theme, index) }))}
      theme={theme}
      fileName="latency-history"
      testId="chart-history"
      controls={<WindowPicker window={window} onWindow={onWindow} />}
    >
      <ResponsiveContainer width="100%" height={260}>
        <LineChart margin={{ top: 8, right: 24, bottom: 4, left: 4 }} title="TTFT history" desc="p50 time to first token per route over time">
          <CartesianGrid stroke={theme.grid} />
          <XAxis type="number" dataKey="at" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={timeFormat(span)} interval="preserveStartEnd" minTickGap={48} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} allowDuplicatedCategory={false} />
          <YAxis type="number" unit=" ms" width={70} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            labelFormatter={(at) => new Date(Number(at)).toLocaleString()}
            formatter={(value) => formatMs(Number(value))}
          />
          {lines.map((line, index) => (
            <Line
              key={line.key}
              data={line.points}
              dataKey="p50"
              name={lineLabel(line.key)}
              stroke={seriesColor(theme, index)}
              strokeDasharray={seriesDash(theme, index)}
              strokeWidth={2}
              dot={line.points.length <= 40 ? { r: 2.5, fill: seriesColor(theme, index) } : false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
