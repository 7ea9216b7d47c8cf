import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { NetworkRow } from '../figures';
import { ChartFrame } from './ChartFrame';
import type { ChartTheme } from './chart-theme';
import { barChartHeight } from './route-label';

/** `color` is an index into the theme's palette. */
const PARTS = [
  { key: 'dns', label: 'DNS', stack: 'cold', color: 4 },
  { key: 'tcp', label: 'TCP connect', stack: 'cold', color: 1 },
  { key: 'tls', label: 'TLS handshake', stack: 'cold', color: 3 },
  { key: 'ttfbCold', label: 'first byte (cold)', stack: 'cold', color: 0 },
  { key: 'ttfbWarm', label: 'first byte (warm, pooled)', stack: 'warm', color: 2 },
] as const;

/** Per region two bars: a new connection's DNS + TCP + TLS + first byte, stacked, and a pooled one's first byte. */
export function NetworkChart({ rows, theme }: { rows: NetworkRow[]; theme: ChartTheme }) {
  return (
    <ChartFrame
      title="Network: cold vs warm"
      description="Upper bar per region: a new connection (DNS, TCP, TLS, then the first byte). Lower bar: the first byte over a pooled keep-alive connection. TLS is absent over plain HTTP (an endpoint override)."
      legend={PARTS.map((part) => ({ label: part.label, color: theme.series[part.color] }))}
      theme={theme}
      fileName="latency-network"
      testId="chart-network"
    >
      <ResponsiveContainer width="100%" height={barChartHeight(rows.length * 1.6)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} title="Network: cold vs warm" desc="Cold connection time stacked by phase beside warm first-byte time, per region">
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" ms" tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="region" width={110} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(value) => `${Number(value).toFixed(1)} ms`}
          />
          {PARTS.map((part) => (
            <Bar key={part.key} dataKey={part.key} name={part.label} stackId={part.stack} fill={theme.series[part.color]} isAnimationActive={false} barSize={11} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
