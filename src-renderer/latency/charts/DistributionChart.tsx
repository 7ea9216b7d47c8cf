import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BoxRow } from '../figures';
import { ChartFrame } from './ChartFrame';
import type { ChartTheme } from './chart-theme';
import { barChartHeight, formatMs, routeLabel } from './route-label';

interface BoxShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: BoxRow;
}

/** Drawn inside the bar's extent (p10 to p90): whiskers, the middle half as a box, the median as a line. */
function boxShape(color: string, ink: string) {
  return function BoxShape({ x = 0, y = 0, width = 0, height = 0, payload }: BoxShapeProps) {
    if (!payload) return <g />;
    const [low, high] = payload.range;
    const at = (value: number) => (high === low ? x : x + ((value - low) / (high - low)) * width);
    const middle = y + height / 2;
    return (
      <g>
        <line x1={x} x2={x + width} y1={middle} y2={middle} stroke={ink} strokeWidth={1} />
        <line x1={x} x2={x} y1={y + 3} y2={y + height - 3} stroke={ink} strokeWidth={1} />
        <line x1={x + width} x2={x + width} y1={y + 3} y2={y + height - 3} stroke={ink} strokeWidth={1} />
        <rect x={at(payload.q1)} y={y} width={Math.max(1, at(payload.q3) - at(payload.q1))} height={height} fill={color} stroke={ink} strokeWidth={1} />
        <line x1={at(payload.median)} x2={at(payload.median)} y1={y} y2={y + height} stroke={ink} strokeWidth={2.5} />
      </g>
    );
  };
}

/** How TTFT spreads per route in the latest run, from its raw samples: a box plot, p10 to p90. */
export function DistributionChart({ rows, theme }: { rows: BoxRow[]; theme: ChartTheme }) {
  const data = rows.map((row) => ({ ...row, label: routeLabel(row.key) }));
  const color = theme.series[5];
  return (
    <ChartFrame
      title="TTFT distribution"
      description="Per route, from this run's raw samples: the box holds the middle half (p25–p75), the thick line is the median, whiskers reach p10 and p90. A wide box means an unsteady region."
      legend={[{ label: 'p25–p75, median line, p10–p90 whiskers', color }]}
      theme={theme}
      fileName="latency-ttft-distribution"
      testId="chart-distribution"
    >
      <ResponsiveContainer width="100%" height={barChartHeight(data.length)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} title="TTFT distribution" desc="Box plot of time to first token per route">
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" ms" domain={['auto', 'auto']} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="label" width={150} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(_value, _name, item) => {
              const row = item.payload as BoxRow;
              return [`p10 ${formatMs(row.p10)} · p25 ${formatMs(row.q1)} · median ${formatMs(row.median)} · p75 ${formatMs(row.q3)} · p90 ${formatMs(row.p90)} (${row.samples} samples)`, 'TTFT'];
            }}
          />
          <Bar dataKey="range" fill={color} isAnimationActive={false} barSize={16} shape={boxShape(color, theme.text)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
