import { z } from 'zod';
import type { LatencyRoute } from './latency';
import { method, ModelIdSchema, RegionListSchema, RegionNameSchema } from './define';

/**
 * Where a request really ran, and how much of its time was Bedrock's (issue 18, sections 2 to 4).
 *
 * Attribution: a request sent through a cross-Region inference profile is served in one of the profile's destination
 * regions, and only CloudTrail says which (`additionalEventData.inferenceRegion` of its event in the source region).
 * Events arrive minutes after the call, so attribution is a background job per run (or per playground answer): it
 * looks the run's window up in each source region, retries with backoff for up to ATTRIBUTION_RETRY_MINUTES after
 * the run's last request, and resumes after a restart. A request served where it was called (an on-demand route) needs
 * no lookup. Requests never found are counted as unattributed, never dropped; a region whose CloudTrail cannot be read
 * (no cloudtrail:LookupEvents, event history unavailable) says so, and the run's figures stay, without attribution.
 *
 * Server and client time: CloudWatch's TimeToFirstToken and InvocationLatency for a run's minutes beside the
 * client's own TTFT and E2E; the difference is the network and the client. Time of day: p50 TTFT per hour of the
 * week, per route, from every stored latency-run sample, in the user's time zone.
 */

/** How long after a run's last request its attribution keeps looking for events that have not arrived. */
export const ATTRIBUTION_RETRY_MINUTES = 30;

/**
 * pending: not found yet, still looked for; attributed: its event was found (served region known); unattributed:
 * looked for until the retry window closed and never found; unreadable: its source region's CloudTrail could not be
 * read (see the job's problems).
 */
export type AttributionStatus = 'pending' | 'attributed' | 'unattributed' | 'unreadable';

export interface AttributionCounts {
  /** Requests attribution looks for: those sent through a profile that Bedrock answered with a request id. */
  requests: number;
  attributed: number;
  pending: number;
  unattributed: number;
  unreadable: number;
  /** Attributed requests whose event CloudTrail answered more than once: each is counted once. */
  duplicatesResolved: number;
}

/** Why a source region's CloudTrail could not be read. denied and unavailable stop the lookup there; error is retried. */
export interface CloudTrailProblem {
  region: string;
  reason: 'denied' | 'unavailable' | 'error';
  code: string;
  /** What happened and the fix (the permission to add, for denied). */
  message: string;
}

/**
 * running: looking, or waiting for its next pass; done: nothing pending any more; cancelled: stopped by the user
 * (what was found is kept; startAttribution resumes it); not-needed: nothing to look up (every request was served where
 * it was called, or none carries a request id).
 */
export type AttributionJobState = 'running' | 'done' | 'cancelled' | 'not-needed';

export interface AttributionJob {
  /** A run's id, or `answer:<request id>` for a playground answer. */
  jobId: string;
  runId: string | null;
  state: AttributionJobState;
  counts: AttributionCounts;
  /** Lookup passes made over the window (each reads every page of every source region). */
  passes: number;
  /** LookupEvents calls made, pages included. */
  lookups: number;
  createdAt: string;
  /** When the next pass starts (running only). */
  nextPassAt: string | null;
  /** Past this, requests still not found become unattributed. */
  deadline: string;
  finishedAt: string | null;
  /** The source regions looked up. */
  sourceRegions: string[];
  problems: CloudTrailProblem[];
  /** Why there is nothing to look up (not-needed). */
  note?: string;
}

export interface RunAttribution {
  runId: string;
  startedAt: string;
  target: string | null;
  job: AttributionJob;
}

export const RunRefSchema = z.object({ runId: z.string().trim().min(1).max(100).optional() }).strict();
export const RunIdSchema = z.object({ runId: z.string().trim().min(1).max(100) }).strict();

// ---- Results per route ---------------------------------------------------------------------------------------

export interface Percentiles {
  p50: number;
  p90: number;
}

export interface ServedRegionFigures {
  /** The region that served the requests. */
  region: string;
  requests: number;
  /** Of the route's attributed requests, in percent (one decimal). */
  sharePercent: number;
  /** The client's TTFT and E2E of those requests. */
  ttftMs: Percentiles | null;
  e2eMs: Percentiles | null;
  /** Bedrock's own time for those requests, as their responses' metadata says it (`metrics.latencyMs`). */
  serverLatencyMs: Percentiles | null;
}

export interface RouteAttribution {
  /** The key of the route in the run's report. */
  key: string;
  route: LatencyRoute;
  /** Successful requests of the route, by attribution status (an on-demand route's are all attributed by the route). */
  counts: AttributionCounts;
  /** How the served regions are known: from CloudTrail, or by the route itself (on demand: where it was called). */
  via: 'cloudtrail' | 'route';
  /** Largest share first. */
  servedRegions: ServedRegionFigures[];
  /** The profile's destinations for the source region, as the catalog declares them (empty for on demand). */
  declaredDestinations: string[];
}

export interface AttributionResults {
  runId: string;
  job: AttributionJob;
  routes: RouteAttribution[];
}

// ---- Observed routing (the Profiles page) ---------------------------------------------------------------------

export const ObservedRoutingQuerySchema = z
  .object({
    profileId: ModelIdSchema.optional(),
    sourceRegion: RegionNameSchema.optional(),
    /** Observations of the last N days (default 30). */
    days: z.number().int().min(1, 'days must be at least 1').max(3650).default(30),
  })
  .strict();

export interface ObservedDestination {
  region: string;
  /** In the catalog's destinations for this source region. */
  declared: boolean;
  requests: number;
  /** Of the attributed requests of this profile from this source region, in percent (one decimal). */
  sharePercent: number;
}

export interface ObservedRouting {
  profileId: string;
  sourceRegion: string;
  /** Attributed requests (latency runs and playground answers). */
  requests: number;
  /** Declared destinations first (by share), then any the catalog does not declare. */
  destinations: ObservedDestination[];
  lastObservedAt: string;
}

// ---- A playground answer's served region ----------------------------------------------------------------------

export const AnswerRegionQuerySchema = z
  .object({
    /** The answer's `requestId` (ConverseResult.requestId). */
    requestId: z.string().trim().min(1).max(200),
    /** The region called (ConverseResult.route.callRegion). */
    region: RegionNameSchema,
    invokeId: ModelIdSchema,
    kind: z.enum(['on-demand', 'geo-profile', 'global-profile']),
    /** When the request was sent (ISO); now by default. The lookup window is around it. */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export interface AnswerRegion {
  requestId: string;
  status: AttributionStatus;
  /** Known once attributed ("served in eu-west-3"). */
  servedRegion: string | null;
  job: AttributionJob;
}

// ---- Server time and client time --------------------------------------------------------------------------------

export interface ServerSideFigures {
  /**
   * ok: CloudWatch has datapoints for the run's minutes; no-data: it answered with none (a short or very recent run:
   * CloudWatch publishes minutes after, or nothing was recorded under that model id); denied: the caller lacks
   * cloudwatch:GetMetricData; error: anything else.
   */
  status: 'ok' | 'no-data' | 'denied' | 'error';
  /** Why, for every status but ok. */
  message?: string;
  /** Means over the run's minutes, weighted by each minute's sample count. */
  ttftMeanMs: number | null;
  invocationLatencyMeanMs: number | null;
  /** Calls CloudWatch counted in those minutes under that model id: the account's, so others' too, and warm-ups. */
  invocations: number | null;
  from: string;
  to: string;
}

export interface RouteServerClientTime {
  key: string;
  route: LatencyRoute;
  /** The client's means over the run's successful requests of the route (comparable with CloudWatch's Average). */
  client: { requests: number; ttftMeanMs: number | null; e2eMeanMs: number | null };
  server: ServerSideFigures;
  /** Client − server: the network and the client's own time. Null without server figures. */
  overheadMs: { ttft: number | null; e2e: number | null };
  /** The share of the client's TTFT that is overhead, in percent; null without both. */
  overheadSharePercent: number | null;
  /** One sentence: where the time goes ("Bedrock is fast there, the path to it is not", or the reverse). */
  summary: string;
}

export interface ServerClientTime {
  runId: string;
  routes: RouteServerClientTime[];
}

// ---- Time of day -------------------------------------------------------------------------------------------------

export const TimeOfDayQuerySchema = z
  .object({
    /** An IANA time zone (Europe/Paris); cells are hours of the week there. */
    timeZone: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'timeZone is not an IANA time zone (Europe/Paris, America/New_York, UTC)'),
    target: ModelIdSchema.optional(),
    regions: RegionListSchema.optional(),
    /** Samples of the last N days (every stored sample by default). */
    days: z.number().int().min(1, 'days must be at least 1').max(36500).optional(),
  })
  .strict();
export type TimeOfDayQuery = z.input<typeof TimeOfDayQuerySchema>;

export interface TimeOfDayCell {
  /** ISO weekday: 1 is Monday, 7 Sunday. */
  weekday: number;
  /** 0 to 23, local time. */
  hour: number;
  p50TtftMs: number;
  samples: number;
}

export interface TimeOfDayRoute {
  region: string;
  invokeId: string;
  kind: string;
  samples: number;
  /** Only the hours with samples. */
  cells: TimeOfDayCell[];
}

export interface TimeOfDayHeatmap {
  timeZone: string;
  routes: TimeOfDayRoute[];
}

export const attributionMethods = {
  /**
   * A run's attribution (the latest latency or load run by default). Asking starts it the first time, and resumes it when this
   * process has no worker for it (after a restart); a cancelled one stays cancelled.
   */
  attributionStatus: method<RunAttribution>()(RunRefSchema),
  /** Starts or restarts a run's attribution: requests not found yet are looked up again for a new retry window. */
  startAttribution: method<RunAttribution>()(RunIdSchema),
  /** Stops a run's attribution; what was found is kept, and startAttribution resumes it. */
  cancelAttribution: method<RunAttribution>()(RunIdSchema),
  /** Per route of a run: the share of requests each region served, with TTFT and E2E by served region. */
  attributionResults: method<AttributionResults>()(RunRefSchema),
  /** Per profile and source region: the destinations the catalog declares beside the shares observed. */
  observedRouting: method<{ routing: ObservedRouting[] }>()(ObservedRoutingQuerySchema),
  /** Where a playground answer was served, once CloudTrail says; asking starts the lookup. */
  answerServedRegion: method<AnswerRegion>()(AnswerRegionQuerySchema),
  /** Per route of a run: CloudWatch's TimeToFirstToken and InvocationLatency beside the client's TTFT and E2E. */
  serverClientTime: method<ServerClientTime>()(RunRefSchema),
  /** p50 TTFT per hour of the week and route, from every stored latency-run sample (not load runs'), in the caller's time zone. */
  timeOfDay: method<TimeOfDayHeatmap>()(TimeOfDayQuerySchema),
};
