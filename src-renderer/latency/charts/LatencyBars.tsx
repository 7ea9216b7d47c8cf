import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WhiskerRow } from '../figures';
import { ChartFrame } from './ChartFrame';
import type { ChartTheme } from './chart-theme';
import { barChartHeight, formatMs, routeLabel } from './route-label';

/** p50 bars with a wide-capped whisker to p90 and a narrow-capped one to p99, one row per route. */
export function LatencyBars({ title, metric, rows, theme, color, testId }: { title: string; metric: string; rows: WhiskerRow[]; theme: ChartTheme; color: string; testId: string }) {
  const data = rows.map((row) => ({ ...row, label: routeLabel(row.key) }));
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
          <XAxis type="number" unit=" ms" tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
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
          <Bar dataKey="p50" fill={color} isAnimationActive={false} barSize={16}>
            <ErrorBar dataKey="toP90" width={10} strokeWidth={2} stroke={theme.text} direction="x" />
            <ErrorBar dataKey="toP99" width={4} strokeWidth={1} stroke={theme.text} direction="x" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
