import type {
  ErrorCounts,
  HistoryRun,
  LatencyRoute,
  LatencyRunCost,
  LatencyRunReport,
  LatencyRunStatus,
  LatencyStats,
  ProbeChunk,
  RegionFailure,
  SeriesPoint,
} from '../../src-shared/contract/latency';

/**
 * The numbers behind the Latency page's charts, computed from a run's report, a stored run, a probe or raw
 * samples. Pure functions, so that each chart's figures can be checked without a browser.
 */

export interface RouteFigures {
  /** The report's key: a region, or `<region> <invokeId>` for compared routes. */
  key: string;
  route: LatencyRoute | null;
  samples: number;
  errors: ErrorCounts | null;
  ttftMs: LatencyStats | null;
  e2eMs: LatencyStats | null;
  interTokenMs: LatencyStats | null;
  outputTokensPerSecond: LatencyStats | null;
  /** Includes TTFT: shown apart from output speed, for comparison with LLMPerf. Absent in stored runs. */
  endToEndTokensPerSecond: LatencyStats | null;
  serverLatencyMs: LatencyStats | null;
  clientOverheadMs: LatencyStats | null;
  largestGapMs: LatencyStats | null;
  servedLatency: Record<string, number> | null;
}

export interface RunFigures {
  id: string;
  status: LatencyRunStatus;
  startedAt: string;
  routes: RouteFigures[];
  failures: Array<{ key: string; code: string; message: string }>;
  /** What the run cost, from the usage Bedrock reported; null for a stored run (the history keeps no usage). */
  cost: LatencyRunCost | null;
}

const isFailure = (entry: unknown): entry is RegionFailure => typeof entry === 'object' && entry !== null && 'error' in entry;

export function fromReport(report: LatencyRunReport): RunFigures {
  const routes: RouteFigures[] = [];
  const failures: RunFigures['failures'] = [];
  for (const [key, entry] of Object.entries(report.regions)) {
    if (isFailure(entry)) failures.push({ key, ...entry.error });
    else
      routes.push({
        key,
        route: entry.route,
        samples: entry.samples,
        errors: entry.errors,
        ttftMs: entry.ttftMs,
        e2eMs: entry.e2eMs,
        interTokenMs: entry.interTokenMs,
        outputTokensPerSecond: entry.outputTokensPerSecond,
        endToEndTokensPerSecond: entry.endToEndTokensPerSecond,
        serverLatencyMs: entry.serverLatencyMs,
        clientOverheadMs: entry.clientOverheadMs,
        largestGapMs: entry.largestGapMs,
        servedLatency: entry.servedLatency ?? null,
      });
  }
  return { id: report.id, status: report.status, startedAt: report.startedAt, routes, failures, cost: report.cost };
}

/** A stored run (what remains of a cancelled run once the core has saved it): fewer figures, same charts. */
export function fromHistoryRun(run: HistoryRun): RunFigures {
  const routes = Object.entries(run.regions).map(([key, figures]) => ({
    key,
    route: null,
    samples: figures.samples,
    errors: null,
    ttftMs: figures.ttftMs,
    e2eMs: figures.e2eMs,
    interTokenMs: null,
    outputTokensPerSecond: figures.outputTokensPerSecond,
    endToEndTokensPerSecond: null,
    serverLatencyMs: null,
    clientOverheadMs: null,
    largestGapMs: null,
    servedLatency: null,
  }));
  return { id: run.id, status: run.status, startedAt: run.startedAt, routes, failures: [], cost: null };
}

export interface WhiskerRow {
  key: string;
  p50: number;
  p90: number;
  p99: number;
  samples: number;
}

/** Bars at p50 with whiskers to p90 and p99, for one metric, in the report's order; routes without it are left out. */
export function whiskerRows(routes: RouteFigures[], metric: 'ttftMs' | 'e2eMs'): WhiskerRow[] {
  return routes.flatMap((route) => {
    const stats = route[metric];
    if (!stats) return [];
    return [{ key: route.key, p50: stats.p50, p90: stats.p90, p99: stats.p99, samples: route.samples }];
  });
}

export interface SpeedRow {
  key: string;
  /** 1 / inter-token latency, p50: excludes TTFT. */
  outputSpeed: number | null;
  /** outputTokens / E2E, p50: includes TTFT. */
  endToEnd: number | null;
}

export function speedRows(routes: RouteFigures[]): SpeedRow[] {
  return routes
    .filter((route) => route.outputTokensPerSecond || route.endToEndTokensPerSecond)
    .map((route) => ({ key: route.key, outputSpeed: route.outputTokensPerSecond?.p50 ?? null, endToEnd: route.endToEndTokensPerSecond?.p50 ?? null }));
}

export interface NetworkRow {
  region: string;
  dns: number;
  tcp: number;
  tls: number;
  ttfbCold: number;
  ttfbWarm: number;
  coldTotal: number;
}

/** Cold (DNS + TCP + TLS + first byte on a new connection) beside warm (first byte on a pooled one), per region. */
export function networkRows(chunks: ProbeChunk[]): { rows: NetworkRow[]; failures: Array<{ region: string; code: string; message: string }> } {
  const rows: NetworkRow[] = [];
  const failures: Array<{ region: string; code: string; message: string }> = [];
  for (const { region, result } of chunks) {
    if (isFailure(result)) {
      failures.push({ region, ...result.error });
      continue;
    }
    const cold = result.cold;
    const parts = { dns: cold.dnsMs ?? 0, tcp: cold.connectMs, tls: cold.tlsMs ?? 0, ttfbCold: cold.ttfbMs };
    rows.push({ region, ...parts, ttfbWarm: result.warm.ttfbMs.p50, coldTotal: parts.dns + parts.tcp + parts.tls + parts.ttfbCold });
  }
  return { rows, failures };
}

/** Interpolated quantile of sorted values, as DuckDB's quantile_cont (the core's figures use the same rule). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  // 0 <= below <= above <= length - 1 on a non-empty array: both values are there.
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

export interface BoxRow {
  key: string;
  min: number;
  p10: number;
  q1: number;
  median: number;
  q3: number;
  p90: number;
  max: number;
  /** The bar's extent (recharts range bar): whiskers from p10 to p90; the box is drawn inside it. */
  range: [number, number];
  samples: number;
}

/** A box per route from raw samples: the middle half as a box, whiskers p10–p90, min and max as dots. */
export function boxRows(points: SeriesPoint[]): BoxRow[] {
  const byKey = new Map<string, number[]>();
  for (const point of points) {
    const values = byKey.get(point.region) ?? [];
    values.push(point.value);
    byKey.set(point.region, values);
  }
  return [...byKey].map(([key, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => quantile(sorted, q);
    // A key is in the map only once it has a value, so the first and last are there.
    return { key, min: sorted[0]!, p10: at(0.1), q1: at(0.25), median: at(0.5), q3: at(0.75), p90: at(0.9), max: sorted[sorted.length - 1]!, range: [at(0.1), at(0.9)], samples: sorted.length };
  });
}

export interface HistoryPoint {
  /** Epoch milliseconds, the middle of the bucket. */
  at: number;
  p50: number;
  p90: number;
  samples: number;
}

/**
 * Raw samples over time as one line per route (or per `keyOf`: the team view keys by vantage): the p50 (and p90) of each time bucket. A bucket is 1/160 of the
 * span the samples cover (at least a second), so a 10 000-sample history draws a readable line, not noise.
 */
export function historyLines(points: SeriesPoint[], buckets = 160, keyOf: (point: SeriesPoint) => string = (point) => point.region): Array<{ key: string; points: HistoryPoint[] }> {
  if (points.length === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  const parsed = points.map((point) => {
    const at = Date.parse(point.at);
    if (at < first) first = at;
    if (at > last) last = at;
    return { at, key: keyOf(point), value: point.value };
  });
  const width = Math.max(1000, (last - first) / buckets);
  const grouped = new Map<string, Map<number, number[]>>();
  for (const { at, key, value } of parsed) {
    const lines = grouped.get(key) ?? new Map<number, number[]>();
    grouped.set(key, lines);
    const bucket = Math.floor((at - first) / width);
    const values = lines.get(bucket);
    if (values) values.push(value);
    else lines.set(bucket, [value]);
  }
  return [...grouped].map(([key, lines]) => ({
    key,
    points: [...lines]
      .sort(([a], [b]) => a - b)
      .map(([bucket, values]) => {
        values.sort((a, b) => a - b);
        return { at: first + (bucket + 0.5) * width, p50: quantile(values, 0.5), p90: quantile(values, 0.9), samples: values.length };
      }),
  }));
}

export const HISTORY_WINDOWS = [
  { id: '1h', label: '1 hour' },
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;
export type HistoryWindow = (typeof HISTORY_WINDOWS)[number]['id'];

/**
 * The action that fixes a refused region, by the error's code, where the page can take it for the user. The
 * core's message already names the fix in words (request access, refresh credentials, use profile X).
 */
export type RegionFix = 'auto-profile' | 'callable-regions' | null;

export function fixFor(code: string | undefined): RegionFix {
  if (code === 'NEEDS_INFERENCE_PROFILE') return 'auto-profile';
  if (code === 'NOT_OFFERED_IN_REGION' || code === 'PROFILE_NOT_IN_REGION' || code === 'PROVISIONED_ONLY') return 'callable-regions';
  return null;
}
