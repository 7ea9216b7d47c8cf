import { ERROR_CLASSES, type ErrorCounts, type LatencyStats } from '../../src-shared/contract/latency';
import { SLO_PRESET_VALUES, type LoadLevelReport, type LoadOffered, type LoadQuotaLine, type LoadRunView } from '../../src-shared/contract/load';
import { HAIKU_45_US } from './small-catalog';

/** Load runs small enough to read in a component test, each figure chosen to be told apart. */

export const stats = (p50: number, p90 = p50 * 1.2, p99 = p50 * 1.5): LatencyStats => ({ p50, p90, p99, mean: p50, min: p50 / 2, max: p99, stddev: 1 });

export const noErrors = (): ErrorCounts => Object.fromEntries(ERROR_CLASSES.map((name) => [name, 0])) as ErrorCounts;

export function level(index: number, offered: LoadOffered, patch: Partial<LoadLevelReport> = {}): LoadLevelReport {
  return {
    index,
    offered,
    status: 'completed',
    startedAt: `2026-11-23T01:0${index}:00.000Z`,
    durationMs: 10_000,
    sent: 20,
    samples: 20,
    errors: noErrors(),
    throttleRate: 0,
    achievedRps: 2 * (index + 1),
    outputTokensPerSecond: 100 * (index + 1),
    ttftMs: stats(300 + index * 10),
    interTokenMs: stats(20),
    e2eMs: stats(900),
    goodputRps: 2 * (index + 1),
    sloAttainment: 1,
    sloMet: true,
    connectionsOpened: 1,
    connectionsReused: 19,
    ...patch,
  };
}

export const QUOTA: LoadQuotaLine = { status: 'found', requestsPerMinute: 120, tokensPerMinute: 100_000, tokensPerRequest: 200, ratePerSecond: 2, binding: 'requestsPerMinute' };

export function loadView(patch: Partial<LoadRunView> = {}): LoadRunView {
  const levels = [
    level(0, { concurrency: 1 }),
    level(1, { concurrency: 2 }),
    level(2, { concurrency: 4 }, { sent: 40, throttleRate: 0.125, errors: { ...noErrors(), throttled: 5 }, achievedRps: 4.5, sloMet: false, sloAttainment: 0.8 }),
  ];
  return {
    id: 'load-1',
    startedAt: '2026-11-23T01:00:00.000Z',
    finishedAt: '2026-11-23T01:03:00.000Z',
    target: HAIKU_45_US,
    status: 'completed',
    load: { mode: 'concurrency', levels: [1, 2, 4] },
    step: { durationMs: 10_000 },
    uniquePrompts: true,
    slo: SLO_PRESET_VALUES.chat,
    budget: { maxRequests: null, maxCostUsd: null },
    regions: {
      'us-east-1': {
        route: { invokeId: HAIKU_45_US, callRegion: 'us-east-1', kind: 'geo-profile' },
        levels,
        knee: { levelIndex: 2, reason: 'throttles 12.5 % of 40 requests (above 1 %)' },
        quota: QUOTA,
      },
    },
    ...patch,
  };
}
