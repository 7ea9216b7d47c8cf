import type { AttributionJob, AttributionResults, RouteAttribution } from '../../src-shared/contract/attribution';
import { HAIKU_45_US } from './small-catalog';

/** Attribution answers for component tests: a job at any state, and a profile route served from two of its three destinations. */

const counts = (patch: Partial<AttributionJob['counts']> = {}): AttributionJob['counts'] => ({ requests: 40, attributed: 0, pending: 40, unattributed: 0, unreadable: 0, duplicatesResolved: 0, ...patch });

export function attributionJob(patch: Partial<AttributionJob> = {}, countPatch: Partial<AttributionJob['counts']> = {}): AttributionJob {
  return {
    jobId: 'run-1',
    runId: 'run-1',
    state: 'running',
    counts: counts(countPatch),
    passes: 1,
    lookups: 2,
    createdAt: '2026-11-23T01:00:00.000Z',
    nextPassAt: '2026-11-23T01:01:00.000Z',
    deadline: '2026-11-23T01:30:00.000Z',
    finishedAt: null,
    sourceRegions: ['us-east-1'],
    problems: [],
    ...patch,
  };
}

export function profileRoute(patch: Partial<RouteAttribution> = {}): RouteAttribution {
  return {
    key: 'us-east-1',
    route: { invokeId: HAIKU_45_US, callRegion: 'us-east-1', kind: 'geo-profile' },
    counts: counts({ attributed: 40, pending: 0 }),
    via: 'cloudtrail',
    servedRegions: [
      { region: 'us-east-1', requests: 30, sharePercent: 75, ttftMs: { p50: 310, p90: 380 }, e2eMs: { p50: 900, p90: 1000 }, serverLatencyMs: { p50: 800, p90: 880 } },
      { region: 'us-east-2', requests: 10, sharePercent: 25, ttftMs: { p50: 420, p90: 510 }, e2eMs: { p50: 1010, p90: 1100 }, serverLatencyMs: { p50: 880, p90: 950 } },
    ],
    declaredDestinations: ['us-east-1', 'us-east-2', 'us-west-2'],
    ...patch,
  };
}

export function attributionResults(job: AttributionJob, routes: RouteAttribution[] = [profileRoute()]): AttributionResults {
  return { runId: job.runId ?? 'run-1', job, routes };
}
