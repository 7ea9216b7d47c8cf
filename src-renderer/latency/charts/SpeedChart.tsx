import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpeedRow } from '../figures';
import { ChartFrame } from './ChartFrame';
import type { ChartTheme } from './chart-theme';
import { barChartHeight, routeLabel } from './route-label';

const SPEED = 'output speed (1 / ITL)';
const END_TO_END = 'end-to-end tokens/s (includes TTFT)';

/** Output speed (excludes TTFT) beside the end-to-end rate (includes it), labelled apart, p50 per route. */
export function SpeedChart({ rows, theme }: { rows: SpeedRow[]; theme: ChartTheme }) {
  const data = rows.map((row) => ({ ...row, label: routeLabel(row.key) }));
  const [speedColor, endToEndColor] = [theme.series[2], theme.series[5]];
  return (
    <ChartFrame
      title="Output speed per region"
      description="Tokens per second at p50. Output speed is 1 / inter-token latency and excludes TTFT; the end-to-end rate (outputTokens / E2E) includes it, for comparison with LLMPerf. Longer is faster."
      legend={[
        { label: SPEED, color: speedColor },
        { label: END_TO_END, color: endToEndColor },
      ]}
      theme={theme}
      fileName="latency-output-speed"
      testId="chart-speed"
    >
      <ResponsiveContainer width="100%" height={barChartHeight(data.length * 1.6)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} title="Output speed per region" desc="p50 output speed and end-to-end tokens per second per route">
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" tok/s" tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="label" width={150} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(value) => `${Number(value).toFixed(1)} tok/s`}
          />
          <Bar dataKey="outputSpeed" name={SPEED} fill={speedColor} isAnimationActive={false} barSize={12} />
          <Bar dataKey="endToEnd" name={END_TO_END} fill={endToEndColor} isAnimationActive={false} barSize={12} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
