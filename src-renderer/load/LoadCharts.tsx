import { Area, CartesianGrid, ComposedChart, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LoadKnee, LoadLevelReport, LoadMode, LoadQuotaLine, Slo } from '../../src-shared/contract/load';
import { ChartFrame } from '../latency/charts/ChartFrame';
import type { ChartTheme } from '../latency/charts/chart-theme';
import { niceTicks } from '../latency/charts/route-label';
import {
  formatRps,
  KNEE_THROTTLE_PERCENT,
  LATENCY_METRICS,
  latencyPoints,
  loadAxisLabel,
  loadAxisScale,
  offeredValue,
  sloBound,
  throttlePoints,
  throughputPoints,
  type LatencyMetric,
} from './load-figures';

/**
 * A route's load curves, on one load axis each (the levels as ticks; a log scale when they double): latency
 * percentiles, achieved against offered throughput with the ideal dashed, and the throttle rate. The knee is a
 * vertical line on each; the quota a line where it is a rate the run can be read against.
 */

export interface LoadChartProps {
  levels: LoadLevelReport[];
  mode: LoadMode;
  knee: LoadKnee | null;
  quota: LoadQuotaLine;
  theme: ChartTheme;
  /** Names the exported PNGs. */
  routeKey: string;
}

const trim = (value: number) => String(Number(value.toPrecision(3)));

function loadAxis(levels: LoadLevelReport[], mode: LoadMode, theme: ChartTheme) {
  const values = levels.map((level) => offeredValue(level.offered));
  const scale = loadAxisScale(values);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const domain: [number, number] = scale === 'log' ? [low / 1.25, high * 1.25] : [0, high * 1.08];
  return (
    <XAxis
      type="number"
      dataKey="offered"
      scale={scale}
      domain={domain}
      ticks={values}
      tickFormatter={trim}
      allowDataOverflow
      tick={{ fill: theme.muted, fontSize: 11 }}
      stroke={theme.grid}
      label={{ value: loadAxisLabel(mode), position: 'insideBottom', offset: -2, fill: theme.muted, fontSize: 11 }}
      height={34}
    />
  );
}

const kneeOffered = (knee: LoadKnee | null, levels: LoadLevelReport[]) => {
  const level = knee ? levels.find((candidate) => candidate.index === knee.levelIndex) : undefined;
  return level ? offeredValue(level.offered) : null;
};

/** The knee as a vertical line, and in open loop the quota's rate as another: both read against the load axis. */
function verticalMarks({ levels, mode, knee, quota, theme }: LoadChartProps) {
  const at = kneeOffered(knee, levels);
  return [
    // The page's ink, not a series colour: the knee is a mark on the load axis, never mistaken for a curve.
    at === null ? null : <ReferenceLine key="knee" x={at} stroke={theme.text} strokeWidth={2} label={{ value: 'knee', position: 'insideTopLeft', fill: theme.text, fontSize: 11 }} />,
    mode === 'rate' && quota.ratePerSecond !== null ? (
      <ReferenceLine key="quota" x={quota.ratePerSecond} stroke={theme.muted} strokeDasharray="6 4" ifOverflow="discard" label={{ value: 'quota', position: 'insideTopRight', fill: theme.muted, fontSize: 11 }} />
    ) : null,
  ];
}

const tooltipStyle = (theme: ChartTheme) => ({ background: theme.background, borderColor: theme.grid, color: theme.text });
const tooltipLabel = (mode: LoadMode) => (value: unknown) => (mode === 'concurrency' ? `${value} in flight` : `${value} req/s offered`);

export function MetricPicker({ metric, onMetric }: { metric: LatencyMetric; onMetric(metric: LatencyMetric): void }) {
  return (
    <div className="lat-window" role="radiogroup" aria-label="Latency metric">
      {LATENCY_METRICS.map((option) => (
        <button key={option.id} type="button" role="radio" aria-checked={metric === option.id} className={metric === option.id ? 'active' : undefined} onClick={() => onMetric(option.id)} title={option.long}>
          {option.label}
        </button>
      ))}
    </div>
  );
}

export function LoadLatencyChart(props: LoadChartProps & { metric: LatencyMetric; onMetric(metric: LatencyMetric): void; slo: Slo | null }) {
  const { levels, mode, theme, metric, slo } = props;
  const points = latencyPoints(levels, metric);
  const named = LATENCY_METRICS.find((option) => option.id === metric)!;
  const bound = sloBound(slo, metric);
  const top = Math.max(...points.map((point) => point.p99), 1);
  const ticks = niceTicks(Math.max(top, bound !== null && bound <= top * 3 ? bound : 0));
  const lines = [
    { key: 'p50', color: theme.series[0], dash: '' },
    { key: 'p90', color: theme.series[1], dash: '6 3' },
    { key: 'p99', color: theme.series[3], dash: '2 3' },
  ] as const;
  const description = `${named.long[0]!.toUpperCase()}${named.long.slice(1)} at p50, p90 and p99 per level, against ${loadAxisLabel(props.mode)}.${bound !== null ? ` Dashed: the SLO’s ${bound} ms${bound > (ticks.at(-1) ?? 0) ? ' (above this scale)' : ''}.` : ''}`;
  return (
    <ChartFrame
      title={`${named.label} vs load`}
      description={description}
      legend={[
        ...lines.map((line) => ({ label: line.key === 'p50' ? `p50 ${named.label}` : line.key, color: line.color })),
        ...(props.knee ? [{ label: 'knee', color: theme.text }] : []),
      ]}
      theme={theme}
      fileName={`load-latency-${props.routeKey}`}
      testId="chart-load-latency"
      controls={<MetricPicker metric={metric} onMetric={props.onMetric} />}
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 10, right: 18, bottom: 4, left: 4 }} title={`${named.label} percentiles vs load`} desc={description}>
          <CartesianGrid stroke={theme.grid} />
          {loadAxis(levels, mode, theme)}
          <YAxis type="number" unit=" ms" domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} width={66} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} allowDataOverflow />
          <Tooltip isAnimationActive={false} contentStyle={tooltipStyle(theme)} labelFormatter={tooltipLabel(mode)} formatter={(value, name) => [`${Math.round(Number(value))} ms`, name]} />
          {bound !== null ? <ReferenceLine y={bound} stroke={theme.series[2]} strokeDasharray="6 4" ifOverflow="discard" label={{ value: `SLO ${bound} ms`, position: 'insideTopLeft', fill: theme.muted, fontSize: 11 }} /> : null}
          {verticalMarks(props)}
          {lines.map((line) => (
            <Line key={line.key} dataKey={line.key} name={line.key} stroke={line.color} strokeWidth={2} strokeDasharray={line.dash} dot={{ r: 3, fill: line.color }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function LoadThroughputChart(props: LoadChartProps) {
  const { levels, mode, quota, theme } = props;
  const points = throughputPoints(levels);
  const hasGoodput = points.some((point) => point.goodput !== null);
  const top = Math.max(...points.flatMap((point) => [point.achieved, point.ideal ?? 0]), 0.01);
  const quotaRate = quota.ratePerSecond;
  const quotaShown = quotaRate !== null && quotaRate <= top * 3;
  const ticks = niceTicks(Math.max(top, quotaShown ? quotaRate : 0));
  const ideal = mode === 'rate' ? 'the offered rate' : 'the first level’s rate per request in flight, times the level’s';
  const description = [
    `Requests answered per second against ${loadAxisLabel(mode)}. Dashed: the ideal (${ideal}); the gap is queueing or throttling.`,
    hasGoodput ? 'Goodput (wide, under achieved): requests per second that met every bound of the SLO.' : '',
    quotaRate === null ? '' : quotaShown ? `Dotted: the route’s quota, about ${formatRps(quotaRate)} req/s.` : `The route’s quota, about ${formatRps(quotaRate)} req/s, is far above this scale.`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <ChartFrame
      title="Throughput vs load"
      description={description}
      legend={[
        { label: 'achieved', color: theme.series[0] },
        { label: 'ideal (dashed)', color: theme.muted },
        ...(hasGoodput ? [{ label: 'goodput', color: theme.series[2] }] : []),
        ...(quotaShown ? [{ label: 'quota (dotted)', color: theme.muted }] : []),
      ]}
      theme={theme}
      fileName={`load-throughput-${props.routeKey}`}
      testId="chart-load-throughput"
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 10, right: 18, bottom: 4, left: 4 }} title="Achieved vs offered throughput" desc={description}>
          <CartesianGrid stroke={theme.grid} />
          {loadAxis(levels, mode, theme)}
          <YAxis type="number" domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} width={56} tickFormatter={(value: number) => trim(value)} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} allowDataOverflow label={{ value: 'req/s', angle: -90, position: 'insideLeft', fill: theme.muted, fontSize: 11 }} />
          <Tooltip isAnimationActive={false} contentStyle={tooltipStyle(theme)} labelFormatter={tooltipLabel(mode)} formatter={(value, name) => [value === null || value === undefined ? '–' : `${formatRps(Number(value))} req/s`, name]} />
          {quotaShown ? <ReferenceLine y={quotaRate} stroke={theme.muted} strokeWidth={1.5} strokeDasharray="2 3" label={{ value: `quota ${formatRps(quotaRate)}/s`, position: 'insideTopLeft', fill: theme.muted, fontSize: 11 }} /> : null}
          {verticalMarks(props)}
          <Line dataKey="ideal" name="ideal" stroke={theme.muted} strokeDasharray="6 4" strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
          {/* Goodput under achieved, wider: where every request met the SLO the two coincide and both still show. */}
          {hasGoodput ? <Line dataKey="goodput" name="goodput" stroke={theme.series[2]} strokeWidth={6} strokeOpacity={0.55} dot={false} activeDot={{ r: 4, fill: theme.series[2] }} isAnimationActive={false} /> : null}
          <Line dataKey="achieved" name="achieved" stroke={theme.series[0]} strokeWidth={2} dot={{ r: 3, fill: theme.series[0] }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function LoadThrottleChart(props: LoadChartProps) {
  const { levels, mode, theme } = props;
  const points = throttlePoints(levels);
  const top = Math.max(...points.map((point) => point.throttledPercent + point.otherErrorsPercent), 0);
  const ticks = niceTicks(Math.max(top, KNEE_THROTTLE_PERCENT * 4));
  const worst = points.reduce<(typeof points)[number] | null>((most, point) => (most === null || point.throttledPercent > most.throttledPercent ? point : most), null);
  const description = `Throttled requests per level, in percent of those sent; other errors apart. Dotted: ${KNEE_THROTTLE_PERCENT} %, above which a level is the knee.${worst && worst.throttledPercent > 0 ? ` Most: ${worst.throttledPercent} % at ${worst.label}.` : ' No level was throttled.'}`;
  const color = theme.series[4];
  return (
    <ChartFrame
      title="Throttles vs load"
      description={description}
      legend={[
        { label: 'throttled %', color },
        { label: 'other errors %', color: theme.series[1] },
      ]}
      theme={theme}
      fileName={`load-throttles-${props.routeKey}`}
      testId="chart-load-throttles"
    >
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={points} margin={{ top: 10, right: 34, bottom: 4, left: 4 }} title="Throttle rate vs load" desc={description}>
          <CartesianGrid stroke={theme.grid} />
          {loadAxis(levels, mode, theme)}
          <YAxis type="number" unit=" %" domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} width={56} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} allowDataOverflow />
          <Tooltip
            isAnimationActive={false}
            contentStyle={tooltipStyle(theme)}
            labelFormatter={tooltipLabel(mode)}
            formatter={(value, name, item) => [`${value} % of ${(item.payload as { sent: number }).sent} sent`, name]}
          />
          <ReferenceLine y={KNEE_THROTTLE_PERCENT} stroke={theme.text} strokeDasharray="2 3" label={{ value: `${KNEE_THROTTLE_PERCENT} %`, position: 'right', fill: theme.muted, fontSize: 11 }} />
          {verticalMarks(props)}
          <Area dataKey="throttledPercent" name="throttled" stroke={color} fill={color} fillOpacity={0.25} strokeWidth={2} dot={{ r: 3, fill: color }} isAnimationActive={false} />
          <Line dataKey="otherErrorsPercent" name="other errors" stroke={theme.series[1]} strokeWidth={1.5} strokeDasharray="6 3" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
