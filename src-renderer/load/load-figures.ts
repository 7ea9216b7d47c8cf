import type { LatencyStats } from '../../src-shared/contract/latency';
import { KNEE_THROTTLE_SHARE, KNEE_TTFT_FACTOR, type LoadKnee, type LoadLevelReport, type LoadMode, type LoadOffered, type LoadQuotaLine, type LoadStopReason, type Slo } from '../../src-shared/contract/load';
import { ERROR_CLASSES, type ErrorCounts } from '../../src-shared/errors';
import { formatCount } from '../capacity/format';

/**
 * The numbers behind a load run's charts and table, and the sentences that read them: the knee, the quota, what
 * happened to a level. Pure functions, so each figure can be checked without a browser.
 */

export const offeredValue = (offered: LoadOffered): number => ('concurrency' in offered ? offered.concurrency : offered.ratePerSecond);

const trim = (value: number) => String(Number(value.toPrecision(4)));

/** "8 in flight", "2 req/s". */
export const offeredLabel = (offered: LoadOffered): string => ('concurrency' in offered ? `${offered.concurrency} in flight` : `${trim(offered.ratePerSecond)} req/s`);

/** What the load axis counts, in words. */
export const loadAxisLabel = (mode: LoadMode): string => (mode === 'concurrency' ? 'requests in flight' : 'offered requests per second');

/** A load axis on powers (1, 2, 4, 8…) reads better on a log scale; levels close together on a linear one. */
export function loadAxisScale(values: number[]): 'log' | 'linear' {
  const positive = values.filter((value) => value > 0);
  if (positive.length < 3) return 'linear';
  return Math.max(...positive) / Math.min(...positive) >= 8 ? 'log' : 'linear';
}

export type LatencyMetric = 'ttftMs' | 'interTokenMs' | 'e2eMs';
export const LATENCY_METRICS: { id: LatencyMetric; label: string; long: string }[] = [
  { id: 'ttftMs', label: 'TTFT', long: 'time to first token' },
  { id: 'interTokenMs', label: 'ITL', long: 'inter-token latency' },
  { id: 'e2eMs', label: 'E2E', long: 'end-to-end latency' },
];

export interface LatencyPoint {
  offered: number;
  label: string;
  p50: number;
  p90: number;
  p99: number;
  samples: number;
  partial: boolean;
}

/** A metric's percentiles per level; a level without answers has none and is left out. */
export function latencyPoints(levels: LoadLevelReport[], metric: LatencyMetric): LatencyPoint[] {
  return levels.flatMap((level) => {
    const stats: LatencyStats | null = level[metric];
    if (!stats) return [];
    return [{ offered: offeredValue(level.offered), label: offeredLabel(level.offered), p50: stats.p50, p90: stats.p90, p99: stats.p99, samples: level.samples, partial: level.status === 'partial' }];
  });
}

export interface ThroughputPoint {
  offered: number;
  label: string;
  achieved: number;
  /** What the level would achieve if nothing queued: the offered rate (open loop), or the first level's rate per request in flight times the level's (closed loop). */
  ideal: number | null;
  goodput: number | null;
  outputTokensPerSecond: number;
}

export function throughputPoints(levels: LoadLevelReport[]): ThroughputPoint[] {
  const first = levels[0];
  const perInFlight = first && 'concurrency' in first.offered && first.achievedRps > 0 ? first.achievedRps / first.offered.concurrency : null;
  return levels.map((level) => ({
    offered: offeredValue(level.offered),
    label: offeredLabel(level.offered),
    achieved: level.achievedRps,
    ideal: 'ratePerSecond' in level.offered ? level.offered.ratePerSecond : perInFlight === null ? null : perInFlight * level.offered.concurrency,
    goodput: level.goodputRps ?? null,
    outputTokensPerSecond: level.outputTokensPerSecond,
  }));
}

const errorsBesides = (errors: ErrorCounts, skip: keyof ErrorCounts) => ERROR_CLASSES.reduce((sum, name) => sum + (name === skip ? 0 : (errors[name] ?? 0)), 0);

export interface ThrottlePoint {
  offered: number;
  label: string;
  /** Throttled requests over requests sent, in percent. */
  throttledPercent: number;
  /** Every other error over requests sent, in percent. */
  otherErrorsPercent: number;
  sent: number;
}

export function throttlePoints(levels: LoadLevelReport[]): ThrottlePoint[] {
  return levels.map((level) => ({
    offered: offeredValue(level.offered),
    label: offeredLabel(level.offered),
    throttledPercent: round1(level.throttleRate * 100),
    otherErrorsPercent: level.sent > 0 ? round1((errorsBesides(level.errors, 'throttled') / level.sent) * 100) : 0,
    sent: level.sent,
  }));
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The knee threshold in percent, as the charts draw it. */
export const KNEE_THROTTLE_PERCENT = KNEE_THROTTLE_SHARE * 100;

/** One sentence naming the knee and why, or saying there is none through the last level. */
export function kneeSentence(knee: LoadKnee | null, levels: LoadLevelReport[]): string {
  const last = levels.at(-1);
  if (!last) return 'No level ran, so there is no knee to find.';
  if (!knee) {
    return `No knee through ${offeredLabel(last.offered)}: throttles stayed at or under ${KNEE_THROTTLE_PERCENT} % and p90 TTFT under ${KNEE_TTFT_FACTOR}× the first level’s at every level.`;
  }
  const level = levels.find((candidate) => candidate.index === knee.levelIndex);
  return `Knee at level ${knee.levelIndex + 1}${level ? ` (${offeredLabel(level.offered)})` : ''}: ${knee.reason}.`;
}

/** The quota line in words: the rate it allows and which quota binds, or why there is no line. */
export function quotaSentence(quota: LoadQuotaLine): string {
  if (quota.status === 'unreadable') return `The route’s quotas could not be read${quota.message ? `: ${quota.message}` : ''}.`;
  if (quota.ratePerSecond === null) return quota.message ?? 'No requests or tokens per minute quota was found for this route.';
  const parts = [
    quota.requestsPerMinute !== null ? `${formatCount(quota.requestsPerMinute)} requests per minute` : null,
    quota.tokensPerMinute !== null ? `${formatCount(quota.tokensPerMinute)} tokens per minute at ${formatCount(quota.tokensPerRequest)} tokens a request (input + max tokens, as Bedrock reserves them)` : null,
  ].filter((part) => part !== null);
  const binding = quota.binding === 'tokensPerMinute' ? 'tokens per minute' : 'requests per minute';
  return `The route’s quota allows about ${String(Number(quota.ratePerSecond.toPrecision(3)))} request${quota.ratePerSecond === 1 ? '' : 's'} per second (${parts.join('; ')}); the ${binding} quota binds.`;
}

const STOP_WORDS: Record<LoadStopReason, string> = {
  maxRequests: 'the request budget was reached',
  maxCost: 'the dollar budget was reached',
  cancelled: 'cancelled',
  routeFailed: 'the route failed',
};

/** What a reader must know about a level besides its figures: partial and why, a sender behind its schedule. */
export function levelNotes(level: LoadLevelReport): string[] {
  const notes: string[] = [];
  if (level.status === 'partial') notes.push(`partial: ${level.stoppedBy ? STOP_WORDS[level.stoppedBy] : 'stopped early'}`);
  const schedule = level.schedule;
  if (schedule?.fellBehind) {
    const late = schedule.p99LatenessMs === null ? '' : `, p99 ${Math.round(schedule.p99LatenessMs)} ms late`;
    notes.push(`fell behind schedule: ${schedule.lateSends} of ${schedule.sent} sends late${late} (latency counts from the scheduled time)`);
  }
  return notes;
}

/** "TTFT ≤ 1000 ms, ITL ≤ 50 ms at p90". */
export function sloBounds(slo: Slo): string {
  const bounds = [slo.ttftMs !== null ? `TTFT ≤ ${slo.ttftMs} ms` : null, slo.interTokenMs !== null ? `ITL ≤ ${slo.interTokenMs} ms` : null, slo.e2eMs !== null ? `E2E ≤ ${slo.e2eMs} ms` : null].filter((bound) => bound !== null);
  return `${bounds.join(', ')} at p${trim(slo.percentile)}`;
}

export const SLO_NAMES: Record<Slo['name'], string> = { chat: 'chat', 'mlperf-interactive': 'MLPerf interactive', custom: 'custom' };

/** The SLO's bound on a metric, for its line on the latency chart. */
export function sloBound(slo: Slo | null, metric: LatencyMetric): number | null {
  if (!slo) return null;
  return metric === 'ttftMs' ? slo.ttftMs : metric === 'interTokenMs' ? slo.interTokenMs : slo.e2eMs;
}

export const formatRps = (value: number | null): string => (value === null ? '–' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

export const formatStats = (stats: LatencyStats | null, digits = 0): string => (stats ? [stats.p50, stats.p90, stats.p99].map((value) => value.toFixed(digits)).join(' / ') : '–');
