import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WhiskerRow } from '../figures';
import { ChartFrame } from './ChartFrame';
import type { ChartTheme } from './chart-theme';
import { barChartHeight, formatMs, niceTicks, routeLabel } from './route-label';

interface BarShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: WhiskerRow;
}

/** The p50 bar, then a whisker to p90 with a wide cap and on to p99 with a narrow one, on the bar's own scale. */
function whiskerShape(color: string, ink: string) {
  return function WhiskerBar({ x = 0, y = 0, width = 0, height = 0, payload }: BarShapeProps) {
    if (!payload) return <g />;
    const perMs = payload.p50 > 0 ? width / payload.p50 : 0;
    const [p90, p99] = [x + payload.p90 * perMs, x + payload.p99 * perMs];
    const middle = y + height / 2;
    return (
      <g>
        <rect x={x} y={y} width={width} height={height} fill={color} />
        <line x1={x + width} x2={p90} y1={middle} y2={middle} stroke={ink} strokeWidth={2} />
        <line x1={p90} x2={p90} y1={middle - 6} y2={middle + 6} stroke={ink} strokeWidth={2} />
        <line x1={p90} x2={p99} y1={middle} y2={middle} stroke={ink} strokeWidth={1} />
        <line x1={p99} x2={p99} y1={middle - 3} y2={middle + 3} stroke={ink} strokeWidth={1} />
      </g>
    );
  };
}

/** p50 bars with a wide-capped whisker to p90 and a narrow-capped one to p99, one row per route. */
export function LatencyBars({ title, metric, rows, theme, color, testId }: { title: string; metric: string; rows: WhiskerRow[]; theme: ChartTheme; color: string; testId: string }) {
  const data = rows.map((row) => ({ ...row, label: routeLabel(row.key) }));
  // Round steps (0, 500, 1000, 1500 ms) up to the slowest p99: never quarters of a round end (375, 1125 ms).
  const ticks = niceTicks(Math.max(...rows.map((row) => row.p99)));
  const end = ticks[ticks.length - 1] ?? 1;
  return (
    <ChartFrame
      title={title}
      description={`Bar: p50 ${metric}. Whiskers: to p90 (wide cap) and to p99 (narrow cap). Shorter is faster.`}
      legend={[{ label: `p50 ${metric}`, color }, { label: 'p90 / p99 whiskers', color: theme.text }]}
      theme={theme}
      fileName={`latency-${testId}`}
      testId={testId}
    >
      <ResponsiveContainer width="100%" height={barChartHeight(data.length)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} title={title} desc={`p50 ${metric} per route with p90 and p99 whiskers`}>
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" ms" domain={[0, end]} ticks={ticks} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="label" width={150} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(_value, _name, item) => {
              const row = item.payload as WhiskerRow;
              return [`p50 ${formatMs(row.p50)} · p90 ${formatMs(row.p90)} · p99 ${formatMs(row.p99)} · ${row.samples} samples`, metric];
            }}
          />
          <Bar dataKey="p50" fill={color} isAnimationActive={false} barSize={16} shape={whiskerShape(color, theme.text)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
