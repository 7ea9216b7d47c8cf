import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from '../latency/charts/ChartFrame';
import type { ChartTheme } from '../latency/charts/chart-theme';
import { barChartHeight, niceTicks } from '../latency/charts/route-label';
import type { ServedRow } from './attribution-figures';

/** The share of a route's attributed requests each region served; a declared destination that served none is a 0 row. */
export function ServedShareChart({ rows, title, theme, fileName }: { rows: ServedRow[]; title: string; theme: ChartTheme; fileName: string }) {
  const data = rows.map((row) => ({ ...row, label: row.declared ? row.region : `${row.region} ⚠` }));
  const color = theme.series[0];
  return (
    <ChartFrame
      title={`Served by region, ${title}`}
      description="Share of the route’s attributed requests each region served (CloudTrail’s inferenceRegion). ⚠: a region the catalog does not declare for this source."
      legend={[{ label: 'share of requests', color }]}
      theme={theme}
      fileName={`served-share-${fileName}`}
      testId="chart-served-share"
    >
      <ResponsiveContainer width="100%" height={barChartHeight(data.length)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 4 }} title={`Share of requests by served region, ${title}`} desc="Percent of attributed requests per served region">
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" %" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="label" width={120} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(_value, _name, item) => {
              const row = item.payload as ServedRow;
              return [`${row.sharePercent} % (${row.requests} requests)${row.declared ? '' : ', not declared'}`, 'served'];
            }}
          />
          <Bar dataKey="sharePercent" fill={color} isAnimationActive={false} barSize={14}>
            <LabelList dataKey="sharePercent" position="right" formatter={(value) => `${value} %`} fill={theme.text} fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

interface WhiskerProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: { p50: number; p90: number };
}

/** The p50 bar and a capped whisker to p90, on the bar's own scale. */
function p90Whisker(color: string, ink: string) {
  return function Whisker({ x = 0, y = 0, width = 0, height = 0, payload }: WhiskerProps) {
    if (!payload) return <g />;
    const end = payload.p50 > 0 ? x + (payload.p90 / payload.p50) * width : x;
    const middle = y + height / 2;
    return (
      <g>
        <rect x={x} y={y} width={width} height={height} fill={color} />
        <line x1={x + width} x2={end} y1={middle} y2={middle} stroke={ink} strokeWidth={2} />
        <line x1={end} x2={end} y1={middle - 5} y2={middle + 5} stroke={ink} strokeWidth={2} />
      </g>
    );
  };
}

/** TTFT by the region that served the requests: p50 bars with a whisker to p90. */
export function ServedLatencyChart({ rows, title, theme, fileName }: { rows: ServedRow[]; title: string; theme: ChartTheme; fileName: string }) {
  const data = rows.flatMap((row) => (row.ttftMs ? [{ label: row.region, p50: row.ttftMs.p50, p90: row.ttftMs.p90, requests: row.requests }] : []));
  const ticks = niceTicks(Math.max(...data.map((row) => row.p90), 1));
  const color = theme.series[1];
  return (
    <ChartFrame
      title={`TTFT by served region, ${title}`}
      description="Time to first token of the requests each region served, as the client measured them: bar p50, whisker to p90. Shorter is faster."
      legend={[
        { label: 'p50 TTFT', color },
        { label: 'p90 whisker', color: theme.text },
      ]}
      theme={theme}
      fileName={`served-ttft-${fileName}`}
      testId="chart-served-ttft"
    >
      <ResponsiveContainer width="100%" height={barChartHeight(data.length)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} title={`TTFT by served region, ${title}`} desc="p50 TTFT with a p90 whisker per served region">
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" ms" domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="label" width={120} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(_value, _name, item) => {
              const row = item.payload as (typeof data)[number];
              return [`p50 ${Math.round(row.p50)} ms · p90 ${Math.round(row.p90)} ms · ${row.requests} requests`, 'TTFT'];
            }}
          />
          <Bar dataKey="p50" fill={color} isAnimationActive={false} barSize={14} shape={p90Whisker(color, theme.text)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
