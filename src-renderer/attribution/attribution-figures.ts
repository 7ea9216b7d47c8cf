import type { AttributionJob, ObservedRouting, RouteAttribution, ServedRegionFigures } from '../../src-shared/contract/attribution';

/**
 * Attribution in words and rows: how far a job got, the served regions of a route with the declared destinations it
 * never reached, and the served-region line a playground answer or a profile card shows. Pure functions.
 */

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '–');

/** Requests whose lookup is over, found or not, of those looked for: the job's progress. */
export function settled(job: AttributionJob): number {
  return job.counts.attributed + job.counts.unattributed + job.counts.unreadable;
}

/** One line saying where the job is: looking (and when it looks next and gives up), done, stopped, or not needed. */
export function jobSentence(job: AttributionJob): string {
  const { counts } = job;
  // The job looks for every profile request Bedrock answered with an id, throttled ones too; a route counts its answers.
  const found = `${counts.attributed} of ${counts.requests} profile requests attributed`;
  const never = counts.unattributed > 0 ? `; ${counts.unattributed} never found in CloudTrail (unattributed, still counted)` : '';
  const unreadable = counts.unreadable > 0 ? `; ${counts.unreadable} where CloudTrail could not be read` : '';
  switch (job.state) {
    case 'running':
      return `Looking up where each request ran in CloudTrail: ${found}, ${counts.pending} pending (events appear minutes after a call) · pass ${job.passes}${job.nextPassAt ? `, next at ${time(job.nextPassAt)}` : ''}, looks until ${time(job.deadline)}${never}${unreadable}.`;
    case 'done':
      return `Attribution done: ${found}${never}${unreadable}.`;
    case 'cancelled':
      return `Attribution stopped: ${found} (kept)${counts.pending > 0 ? `, ${counts.pending} not looked up further` : ''}${never}${unreadable}.`;
    case 'not-needed':
      return job.note ?? 'Nothing to look up.';
  }
}

export interface ServedRow extends ServedRegionFigures {
  declared: boolean;
}

/** A route's served regions (largest share first), then the declared destinations that served none of its requests. */
export function servedRows(route: RouteAttribution): ServedRow[] {
  const declared = new Set(route.declaredDestinations);
  const served = route.servedRegions.map((figures) => ({ ...figures, declared: route.via === 'route' || declared.has(figures.region) }));
  const unused = route.declaredDestinations
    .filter((region) => !route.servedRegions.some((figures) => figures.region === region))
    .map((region): ServedRow => ({ region, requests: 0, sharePercent: 0, ttftMs: null, e2eMs: null, serverLatencyMs: null, declared: true }));
  return [...served, ...unused];
}

/** Observed shares of one profile from one source region: "us-east-1 50 % · us-east-2 30 %". */
export function observedShares(routing: ObservedRouting): string {
  return routing.destinations
    .filter((destination) => destination.requests > 0)
    .map((destination) => `${destination.region} ${destination.sharePercent} %${destination.declared ? '' : ' (not declared)'}`)
    .join(' · ');
}

/** Observed routing by profile id, then by source region, for the Profiles page's cards. */
export function observedByProfile(routing: ObservedRouting[]): Map<string, ObservedRouting[]> {
  const byProfile = new Map<string, ObservedRouting[]>();
  for (const entry of routing) byProfile.set(entry.profileId, [...(byProfile.get(entry.profileId) ?? []), entry]);
  return byProfile;
}
