import { noErrors } from '../../../../src-shared/errors';
import {
  KNEE_THROTTLE_SHARE,
  KNEE_TTFT_FACTOR,
  LATE_SEND_MS,
  type ArrivalProcess,
  type LoadKnee,
  type LoadLevelReport,
  type LoadOffered,
  type LoadSchedule,
  type LoadStopReason,
  type Slo,
} from '../../../../src-shared/contract/load';
import type { FailedSample, MeasuredSample } from '../measure-request';
import { percentile, round, summarize } from '../stats';

/**
 * A level's figures from its requests, and the knee over a route's levels: pure arithmetic, no clock and no I/O.
 * Latency in an open-loop level counts from each request's scheduled send time, never its actual one: a sender that
 * fell behind adds its lateness to every figure, as the user waiting on it would see it (coordinated omission).
 */

export interface LevelRequest {
  outcome: MeasuredSample | FailedSample;
  /** Open loop: when the schedule meant to send it, on the run's clock; null in closed loop. */
  scheduledAtMs: number | null;
  /** When its answer ended (or it failed), on the run's clock. */
  endedAtMs: number;
}

export interface LevelRecord {
  index: number;
  offered: LoadOffered;
  /** On the run's clock, and as wall-clock time for the report. */
  startedAtMs: number;
  startedAtEpochMs: number;
  /** Open loop: how long the schedule ran (the level lasts at least this long unless it stopped early). */
  scheduledDurationMs: number | null;
  arrivals: ArrivalProcess | null;
  requests: readonly LevelRequest[];
  stoppedBy: LoadStopReason | null;
}

/** How long the request waited past its schedule before it was sent (0 in closed loop). */
export function sendDelayMs(request: LevelRequest): number {
  return request.scheduledAtMs === null ? 0 : Math.max(0, request.outcome.sentAtMs - request.scheduledAtMs);
}

/** TTFT as the level counts it: from the scheduled send in open loop. */
export function levelTtftMs(request: LevelRequest): number | null {
  return request.outcome.ok ? request.outcome.ttftMs + sendDelayMs(request) : null;
}

function levelE2eMs(request: LevelRequest): number | null {
  return request.outcome.ok ? request.outcome.e2eMs + sendDelayMs(request) : null;
}

/** Whether a request met every bound the SLO sets; a failed request never does, one token has no inter-token bound to miss. */
export function meetsSlo(request: LevelRequest, slo: Slo): boolean {
  const { outcome } = request;
  if (!outcome.ok) return false;
  if (slo.ttftMs !== null && levelTtftMs(request)! > slo.ttftMs) return false;
  if (slo.e2eMs !== null && levelE2eMs(request)! > slo.e2eMs) return false;
  if (slo.interTokenMs !== null && outcome.interTokenMs !== null && outcome.interTokenMs > slo.interTokenMs) return false;
  return true;
}

/**
 * Whether the level holds the SLO at its percentile: for each bound, at least that share of the requests sent
 * (failed ones counted as missing it) are within it.
 */
function holdsSlo(requests: readonly LevelRequest[], slo: Slo): boolean {
  if (requests.length === 0) return false;
  const share = slo.percentile / 100;
  const within = (read: (request: LevelRequest) => number | null, bound: number | null, sent: readonly LevelRequest[]) =>
    bound === null || sent.filter((request) => request.outcome.ok && (read(request) ?? 0) <= bound).length >= share * sent.length;
  const withTokenGaps = requests.filter((request) => !request.outcome.ok || request.outcome.interTokenMs !== null);
  return (
    within(levelTtftMs, slo.ttftMs, requests) &&
    within(levelE2eMs, slo.e2eMs, requests) &&
    within((request) => (request.outcome.ok ? request.outcome.interTokenMs : null), slo.interTokenMs, withTokenGaps)
  );
}

function scheduleOf(record: LevelRecord, ratePerSecond: number): LoadSchedule {
  const sent = [...record.requests].sort((a, b) => a.outcome.sentAtMs - b.outcome.sentAtMs);
  const lateness = record.requests.map(sendDelayMs).sort((a, b) => a - b);
  const late = lateness.filter((value) => value > LATE_SEND_MS).length;
  const scheduled = record.requests.map((request) => request.scheduledAtMs ?? 0).sort((a, b) => a - b);
  const meanGap = (times: readonly number[]) => (times.length < 2 ? null : round((times.at(-1)! - times[0]!) / (times.length - 1)));
  return {
    arrivals: record.arrivals ?? 'poisson',
    sent: record.requests.length,
    meanInterArrivalMs: meanGap(sent.map((request) => request.outcome.sentAtMs)),
    intendedInterArrivalMs: meanGap(scheduled) ?? round(1000 / ratePerSecond),
    lateSends: late,
    p99LatenessMs: lateness.length > 0 ? round(percentile(lateness, 0.99)) : null,
    maxLatenessMs: lateness.length > 0 ? round(lateness.at(-1)!) : null,
    fellBehind: late > 0,
  };
}

export function summarizeLevel(record: LevelRecord, slo: Slo | null): LoadLevelReport {
  const { requests } = record;
  const answered = requests.filter((request): request is LevelRequest & { outcome: MeasuredSample } => request.outcome.ok);
  const errors = noErrors();
  for (const request of requests) if (!request.outcome.ok) errors[request.outcome.errorClass]++;
  const lastEnd = requests.reduce((latest, request) => Math.max(latest, request.endedAtMs), record.startedAtMs);
  const scheduledEnd = record.scheduledDurationMs !== null && record.stoppedBy === null ? record.startedAtMs + record.scheduledDurationMs : record.startedAtMs;
  const durationMs = Math.max(lastEnd, scheduledEnd) - record.startedAtMs;
  const seconds = durationMs / 1000;
  const perSecond = (count: number) => (seconds > 0 ? round(count / seconds) : 0);
  const outputTokens = answered.reduce((sum, request) => sum + (request.outcome.outputTokens ?? 0), 0);
  const pick = (read: (request: LevelRequest) => number | null) => summarize(answered.map(read).filter((value): value is number => value !== null));
  const opened = requests.filter((request) => request.outcome.reusedSocket === false).length;
  const reused = requests.filter((request) => request.outcome.reusedSocket === true).length;
  const report: LoadLevelReport = {
    index: record.index,
    offered: record.offered,
    status: record.stoppedBy === null ? 'completed' : 'partial',
    ...(record.stoppedBy === null ? {} : { stoppedBy: record.stoppedBy }),
    startedAt: new Date(record.startedAtEpochMs).toISOString(),
    durationMs: round(durationMs),
    sent: requests.length,
    samples: answered.length,
    errors,
    throttleRate: requests.length > 0 ? round((errors.throttled / requests.length) * 10_000) / 10_000 : 0,
    achievedRps: perSecond(answered.length),
    outputTokensPerSecond: perSecond(outputTokens),
    ttftMs: pick(levelTtftMs),
    interTokenMs: pick((request) => (request.outcome.ok ? request.outcome.interTokenMs : null)),
    e2eMs: pick(levelE2eMs),
    connectionsOpened: opened,
    connectionsReused: reused,
  };
  if (slo) {
    const meeting = requests.filter((request) => meetsSlo(request, slo)).length;
    report.goodputRps = perSecond(meeting);
    report.sloAttainment = requests.length > 0 ? round((meeting / requests.length) * 10_000) / 10_000 : 0;
    report.sloMet = holdsSlo(requests, slo);
  }
  if ('ratePerSecond' in record.offered) report.schedule = scheduleOf(record, record.offered.ratePerSecond);
  return report;
}

const percent = (share: number) => `${round(share * 100)} %`;

/**
 * The knee: the first level where throttles exceed 1 % of the requests sent, or whose p90 TTFT is at least twice the
 * first level's. Levels that sent nothing are passed over; null when no level qualifies.
 */
export function findKnee(levels: readonly LoadLevelReport[]): LoadKnee | null {
  const measured = levels.filter((level) => level.sent > 0);
  const baseline = measured[0]?.ttftMs?.p90 ?? null;
  for (const level of measured) {
    if (level.throttleRate > KNEE_THROTTLE_SHARE) {
      return { levelIndex: level.index, reason: `throttles ${percent(level.throttleRate)} of ${level.sent} requests (above ${percent(KNEE_THROTTLE_SHARE)})` };
    }
    const p90 = level.ttftMs?.p90 ?? null;
    if (level !== measured[0] && baseline !== null && baseline > 0 && p90 !== null && p90 >= KNEE_TTFT_FACTOR * baseline) {
      return { levelIndex: level.index, reason: `p90 TTFT ${Math.round(p90)} ms, ${round(p90 / baseline)}× the first level's ${Math.round(baseline)} ms (${KNEE_TTFT_FACTOR}× or more)` };
    }
  }
  return null;
}
