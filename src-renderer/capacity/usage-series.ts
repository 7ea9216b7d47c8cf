import type { RouteUsage } from '../../src-shared/contract/usage';
import { niceTicks } from '../latency/charts/route-label';

/** A route's CloudWatch periods as the usage chart draws them: per minute, with a gap (null) wherever a period has no datapoint. */

export interface UsageRow {
  at: number;
  /** Quota tokens per minute (an hourly period's average minute over 14 days); null: a gap. */
  tokensPerMinute: number | null;
  requestsPerMinute: number | null;
  throttles: number | null;
}

export function usageRows(route: RouteUsage): UsageRow[] {
  const minutes = route.periodSeconds / 60;
  const perMinute = (value: number | null) => (value === null ? null : value / minutes);
  return route.points.map((point) => ({
    at: Date.parse(point.at),
    tokensPerMinute: perMinute(point.quotaTokens),
    requestsPerMinute: perMinute(point.invocations),
    throttles: point.throttles,
  }));
}

export const USAGE_SCALES = ['quota', 'usage'] as const;
export type UsageScale = (typeof USAGE_SCALES)[number];

/**
 * The tokens axis' round ticks, up to the quota (how close the use comes to it, at a glance) or to the use itself
 * (its shape, when the quota dwarfs it); 5 % above the larger figure keeps the quota line off the frame.
 */
export function tokensAxisTicks(rows: readonly UsageRow[], quota: number | null, scale: UsageScale): number[] {
  const peak = rows.reduce((top, row) => Math.max(top, row.tokensPerMinute ?? 0), 0);
  const top = scale === 'quota' && quota !== null ? Math.max(peak, quota) : peak;
  return niceTicks(top * 1.05);
}

/** How many periods have no datapoint: said under the chart, since a gap is drawn as a gap, never as a quiet minute. */
export function gapCount(rows: readonly UsageRow[]): number {
  return rows.filter((row) => row.tokensPerMinute === null).length;
}
