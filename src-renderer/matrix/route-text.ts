import type { RankedRoute } from '../../src-shared/contract';
import { describeAge } from '../../src-shared/describe-age';

/** What the latency lab measured for one route (p50 time to first token, how many samples, when). */
export type MeasuredFigures = NonNullable<RankedRoute['measured']>;

export const NOT_MEASURED = 'not measured yet — run the latency lab';

export function describeMeasurement(measured: MeasuredFigures | undefined, now: number): string {
  if (!measured) return NOT_MEASURED;
  const age = describeAge(Math.max(0, now - Date.parse(measured.measuredAt)));
  return `time to first token p50 ${Math.round(measured.ttftP50Ms)} ms · ${measured.samples} sample${measured.samples === 1 ? '' : 's'} · measured ${age}`;
}

/** "call us-east-1's endpoint", and why: the region you are in, or a hop to another one. */
export function describeCallRegion(route: Pick<RankedRoute, 'callRegion'>, fromRegion: string): string {
  if (route.callRegion === fromRegion) return `call ${route.callRegion}'s endpoint — the region you are in, so no extra network hop`;
  return `call ${route.callRegion}'s endpoint — a cross-region call from ${fromRegion}`;
}
