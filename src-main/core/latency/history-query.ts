import type { LatencyStats } from '../../../src-shared/contract/latency';
import { round } from './stats';

/**
 * What the history's queries share: the window a `since` means, bound parameters (every value reaches SQL as one),
 * and the percentile columns DuckDB computes with `quantile_cont`, read back as the lab's stats.
 */

const MAX_SINCE_MS = 100 * 365 * 86_400_000;
const UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export class InvalidSince extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'INVALID_ARGUMENT';
}

/** `7d`, `12h`, `30m`, `4w` or an ISO date → the instant it means; a window past 100 years or a date that is none is refused. */
export function sinceInstant(since: string | undefined, now = Date.now()): Date | null {
  if (!since) return null;
  const duration = /^(\d+)([mhdw])$/.exec(since);
  if (duration) {
    const span = Number(duration[1]) * UNITS_MS[duration[2] as keyof typeof UNITS_MS];
    if (!Number.isFinite(span) || span > MAX_SINCE_MS) throw new InvalidSince(`since: ${since} reaches back more than 100 years`);
    return new Date(now - span);
  }
  const instant = new Date(since);
  if (Number.isNaN(instant.getTime())) throw new InvalidSince(`since: ${JSON.stringify(since)} is not a date`);
  return instant;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** Placeholders for bound values: `add(value)` gives `$n`, `values` the list to bind. */
export function parameters() {
  const values: (string | number | boolean | null)[] = [];
  return {
    values,
    add: (value: string | number | boolean | null) => {
      values.push(value);
      return `$${values.length}`;
    },
    list: (items: readonly string[]) => items.map((item) => {
      values.push(item);
      return `$${values.length}`;
    }).join(', '),
  };
}

export function statsColumns(column: string, alias: string): string {
  return `count(${column}) as ${alias}_n, quantile_cont(${column}, 0.5) as ${alias}_p50, quantile_cont(${column}, 0.9) as ${alias}_p90,
    quantile_cont(${column}, 0.99) as ${alias}_p99, avg(${column}) as ${alias}_mean, min(${column}) as ${alias}_min,
    max(${column}) as ${alias}_max, coalesce(stddev_samp(${column}), 0) as ${alias}_sd`;
}

export function readStats(row: Record<string, unknown>, alias: string): LatencyStats | null {
  if (!Number(row[`${alias}_n`])) return null;
  const value = (name: string) => round(Number(row[`${alias}_${name}`]));
  return { p50: value('p50'), p90: value('p90'), p99: value('p99'), mean: value('mean'), min: value('min'), max: value('max'), stddev: value('sd') };
}
