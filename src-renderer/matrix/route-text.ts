import type { RankedRoute } from '../../src-shared/contract';
import { describeAge } from '../../src-shared/describe-age';

/** What the latency lab measured for one route (p50 time to first token, how many samples, when). */
export type MeasuredFigures = NonNullable<RankedRoute['measured']>;

export const NOT_MEASURED = 'not measured yet — run the latency lab';

/** The one label of a measured figure, in the cell panel and on the matrix's TTFT overlay alike. */
export const MEASURED_LABEL = 'time to first token p50, last 30 days';

export function describeMeasurement(measured: MeasuredFigures | undefined, now: number): string {
  if (!measured) return NOT_MEASURED;
  const age = describeAge(Math.max(0, now - Date.parse(measured.measuredAt)));
  return `time to first token p50 ${Math.round(measured.ttftP50Ms)} ms, last 30 days · ${measured.samples} sample${measured.samples === 1 ? '' : 's'} · measured ${age}`;
}

/**
 * The figure a matrix cell (a model, a region) stands for: the first measured route of its cell panel called from
 * that region (on demand there first, then its geo and global profiles), so the overlay and the panel show the same
 * number. Null when no route from the region was measured.
 */
export function cellFigure(routes: readonly RankedRoute[], region: string): { invokeId: string; ttftP50Ms: number; samples: number } | null {
  const route = routes.find((candidate) => candidate.callRegion === region && candidate.measured);
  return route?.measured ? { invokeId: route.invokeId, ttftP50Ms: route.measured.ttftP50Ms, samples: route.measured.samples } : null;
}

/** "call us-east-1's endpoint", and why: the region you are in, or a hop to another one. */
export function describeCallRegion(route: Pick<RankedRoute, 'callRegion'>, fromRegion: string): string {
  if (route.callRegion === fromRegion) return `call ${route.callRegion}'s endpoint — the region you are in, so no extra network hop`;
  return `call ${route.callRegion}'s endpoint — a cross-region call from ${fromRegion}`;
}
