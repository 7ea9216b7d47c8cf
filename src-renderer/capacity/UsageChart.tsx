import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RouteUsage } from '../../src-shared/contract/usage';
import { ChartFrame } from '../latency/charts/ChartFrame';
import type { ChartTheme } from '../latency/charts/chart-theme';
import { formatCompact, formatCount } from './format';
import { gapCount, tokensAxisTicks, usageRows, type UsageRow, type UsageScale } from './usage-series';

const QUOTA_DASH = '6 4';

const timeTick = (hourly: boolean) => (at: number) => {
  const date = new Date(at);
  return hourly ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
}

/** A period between two gaps is a line of no length: it gets a dot, or it would not be drawn at all. */
function isolatedDot(rows: readonly UsageRow[], color: string) {
  return function IsolatedDot({ cx, cy, index = 0 }: DotProps) {
    const alone = rows[index]?.tokensPerMinute !== null && (rows[index - 1]?.tokensPerMinute ?? null) === null && (rows[index + 1]?.tokensPerMinute ?? null) === null;
    return alone && cx !== undefined && cy !== undefined ? <circle key={index} cx={cx} cy={cy} r={2.5} fill={color} /> : <g key={index} />;
  };
}

/**
 * One route's use of its tokens-per-minute quota over the window: quota tokens per minute (CloudWatch's
 * EstimatedTPMQuotaUsage, burndown included) against the applied quota (dashed), gaps drawn as gaps; throttled
 * invocations over the same time below, when there were any.
 */
export function UsageChart({ route, from, to, scale, theme }: { route: RouteUsage; from: string; to: string; scale: UsageScale; theme: ChartTheme }) {
  const rows = useMemo(() => usageRows(route), [route]);
  const quota = route.quota.tokensPerMinute;
  const ticks = tokensAxisTicks(rows, quota, scale);
  const top = ticks.at(-1) ?? 1;
  const gaps = gapCount(rows);
  const domain: [number, number] = [Date.parse(from), Date.parse(to)];
  const color = theme.series[0];
  const throttleColor = theme.series[4];
  const quotaAbove = quota !== null && quota > top;
  const unit = route.perHour ? 'an hour’s average minute' : 'a minute';
  const description = [
    `Quota tokens per minute (each point ${unit}) against the tokens-per-minute quota${quota === null ? ' (no quota found)' : ` of ${formatCount(quota)}`}.`,
    quotaAbove ? 'The quota is above the top of this scale.' : '',
    gaps > 0 ? `${gaps} of ${rows.length} periods have no datapoint: drawn as gaps.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const legend = [{ label: 'quota tokens per minute', color }, ...(quota !== null ? [{ label: `quota ${formatCompact(quota)} (dashed)`, color: theme.muted }] : [])];

  return (
    <ChartFrame title={`${route.invokeId}`} description={description} legend={legend} theme={theme} fileName={`usage-${route.region}-${route.invokeId.replace(/[^\w.-]/g, '_')}`} testId="usage-chart">
      <ResponsiveContainer width="100%" height={190}>
        <LineChart data={rows} margin={{ top: 6, right: 16, bottom: 0, left: 4 }} title={`Quota tokens per minute of ${route.invokeId}`} desc={description} syncId={`usage-${route.invokeId}`}>
          <CartesianGrid stroke={theme.grid} />
          <XAxis type="number" dataKey="at" domain={domain} scale="time" tickFormatter={timeTick(route.perHour)} minTickGap={48} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="number" domain={[0, top]} ticks={ticks} tickFormatter={(value: number) => formatCompact(value)} width={48} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} allowDataOverflow />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            labelFormatter={(at) => new Date(Number(at)).toLocaleString()}
            formatter={(value) => (value === null || value === undefined ? 'no datapoint' : `${formatCount(Number(value))} tokens/min`)}
          />
          {quota !== null ? <ReferenceLine y={quota} stroke={theme.muted} strokeDasharray={QUOTA_DASH} strokeWidth={1.5} ifOverflow="discard" /> : null}
          <Line dataKey="tokensPerMinute" name="quota tokens per minute" stroke={color} strokeWidth={1.5} dot={isolatedDot(rows, color)} activeDot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
      {route.throttles > 0 ? (
        <div data-testid="throttle-chart">
          <p className="cap-chart-label">Throttled invocations ({formatCount(route.throttles)} in the window)</p>
          <ResponsiveContainer width="100%" height={64}>
            <BarChart data={rows} margin={{ top: 2, right: 16, bottom: 0, left: 4 }} title={`Throttles of ${route.invokeId}`} desc="Throttled invocations per period" syncId={`usage-${route.invokeId}`}>
              <XAxis type="number" dataKey="at" domain={domain} scale="time" hide />
              <YAxis type="number" allowDecimals={false} width={48} tick={{ fill: theme.muted, fontSize: 10 }} stroke={theme.grid} />
              <Tooltip isAnimationActive={false} contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }} labelFormatter={(at) => new Date(Number(at)).toLocaleString()} formatter={(value) => [`${value ?? 0}`, 'throttles']} />
              <Bar dataKey="throttles" fill={throttleColor} isAnimationActive={false} minPointSize={0} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <p className="cap-chart-label muted" data-testid="no-throttles">
          No throttled invocations in the window.
        </p>
      )}
    </ChartFrame>
  );
}
