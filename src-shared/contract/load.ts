import { z } from 'zod';
import type { ErrorCounts } from '../errors';
import { method, ModelIdSchema, RegionListSchema, stream } from './define';
import { PROMPT_SIZES, type LatencyEstimate, type LatencyRoute, type LatencyRunCost, type LatencyRunStatus, type LatencyStats, type RegionFailure } from './latency';
import { LatencyModeSchema } from './playground';

/**
 * Load runs (issue 18 §1): a route measured at increasing load, level by level, to see how latency grows and where
 * throttling begins.
 * - Closed loop (`concurrency`): each level keeps N requests in flight, a new one sent as one ends, for a duration
 *   or a number of requests. Latency counts from each request's own send, as in the lab.
 * - Open loop (`rate`): requests arrive at a rate, by a seeded Poisson process (or evenly), whether or not earlier
 *   ones have answered. Latency counts from each request's SCHEDULED send time, so a client that falls behind its
 *   schedule never hides the wait (coordinated omission); intended and actual send times are both kept.
 * Per level: TTFT, inter-token and end-to-end latency, achieved throughput, throttles and errors by class,
 * connections opened, and the goodput under the run's SLO. The knee is the first level where throttles exceed 1 %
 * of its requests or p90 TTFT reaches twice the first level's.
 */

export const LOAD_MODES = ['concurrency', 'rate'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];
export const ARRIVAL_PROCESSES = ['poisson', 'constant'] as const;
export type ArrivalProcess = (typeof ARRIVAL_PROCESSES)[number];

/** The forms a load is written in, for every message that refuses one. */
export const LOAD_FORMS = 'concurrency:1,2,4,8 (requests in flight) or rate:0.5,1,2,4 (requests per second)';
export const MAX_LOAD_LEVELS = 20;
/** A region's runtime connections are pooled, 50 at most: more requests in flight would queue in the client. */
export const MAX_IN_FLIGHT = 50;
export const MAX_RATE_PER_SECOND = 1000;
/** Throttles above this share of a level's requests make it the knee. */
export const KNEE_THROTTLE_SHARE = 0.01;
/** A p90 TTFT this many times the first level's makes a level the knee. */
export const KNEE_TTFT_FACTOR = 2;

/** Why each level list is refused, in the user's terms, with the forms that are accepted. */
function levelProblem(mode: LoadMode, levels: readonly number[]): string | null {
  for (const level of levels) {
    if (!Number.isFinite(level)) return `load levels must be numbers. Use ${LOAD_FORMS}`;
    if (level <= 0) return `load levels must be greater than 0, not ${level}. Use ${LOAD_FORMS}`;
    if (mode === 'concurrency' && !Number.isInteger(level)) return `concurrency levels are whole numbers of requests in flight, not ${level}. Use ${LOAD_FORMS}`;
    if (mode === 'concurrency' && level > MAX_IN_FLIGHT) return `concurrency levels are at most ${MAX_IN_FLIGHT} (a region's connection pool), not ${level}`;
    if (mode === 'rate' && level > MAX_RATE_PER_SECOND) return `rate levels are at most ${MAX_RATE_PER_SECOND} requests per second, not ${level}`;
  }
  for (let index = 1; index < levels.length; index++) {
    const [before, level] = [levels[index - 1]!, levels[index]!];
    if (level === before) return `load levels must not repeat: ${level} is given twice. Use ${LOAD_FORMS}`;
    if (level < before) return `load levels must increase: ${level} comes after ${before}. Use ${LOAD_FORMS}`;
  }
  return null;
}

const LevelsSchema = z
  .array(z.number({ error: `load levels must be numbers. Use ${LOAD_FORMS}` }))
  .min(1, `give at least one load level. Use ${LOAD_FORMS}`)
  .max(MAX_LOAD_LEVELS, `at most ${MAX_LOAD_LEVELS} load levels`);

export const LoadSpecSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('concurrency'), levels: LevelsSchema }).strict(),
    z
      .object({
        mode: z.literal('rate'),
        levels: LevelsSchema,
        /** Poisson arrivals (exponential gaps, as real traffic and MLPerf's server scenario), or evenly spaced. */
        arrivals: z.enum(ARRIVAL_PROCESSES).default('poisson'),
        /** Seeds the arrival gaps: the same seed sends on the same schedule. */
        seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
      })
      .strict(),
  ])
  .superRefine((spec, context) => {
    const problem = levelProblem(spec.mode, spec.levels);
    if (problem) context.addIssue({ code: 'custom', path: ['levels'], message: problem });
  });
export type LoadSpec = z.output<typeof LoadSpecSchema>;

/**
 * `concurrency:1,2,4,8` or `rate:0.5,1,2,4` → the spec's mode and levels, or why the text is none (the caller
 * validates the levels with the schema, which says what is wrong with them).
 */
export function parseLoadText(text: string): { mode: LoadMode; levels: number[] } | { error: string } {
  const match = /^\s*(concurrency|rate)\s*:(.*)$/i.exec(text);
  if (!match) return { error: `"${text}" is not a load. Use ${LOAD_FORMS}` };
  const mode = match[1]!.toLowerCase() as LoadMode;
  const parts = match[2]!.split(',').map((part) => part.trim());
  const wrong = parts.find((part) => !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(part));
  if (wrong !== undefined) return { error: `load levels must be numbers: ${wrong === '' ? 'an empty one' : `"${wrong}"`} is not. Use ${LOAD_FORMS}` };
  return { mode, levels: parts.map(Number) };
}

// ---- SLO and goodput -----------------------------------------------------------------------------------------

export const SLO_PRESETS = ['chat', 'mlperf-interactive'] as const;
export type SloPreset = (typeof SLO_PRESETS)[number];

/** A per-request service level: a request meets it when every bound it sets holds. */
export interface Slo {
  name: SloPreset | 'custom';
  ttftMs: number | null;
  interTokenMs: number | null;
  e2eMs: number | null;
  /** The percentile a level's figures are held to for `sloMet` (MLPerf holds p99). */
  percentile: number;
  /** Where the bounds come from. */
  source: string;
}

export const SLO_PRESET_VALUES: Record<SloPreset, Slo> = {
  chat: {
    name: 'chat',
    ttftMs: 1000,
    interTokenMs: 50,
    e2eMs: null,
    percentile: 90,
    source: 'Bedrock Atlas chat preset: first token within 1 s, 50 ms between tokens (20 tokens/s, faster than reading), held at p90.',
  },
  // MLCommons' LoadGen configuration, mlcommons/inference loadgen/mlperf.conf (commit 001712e9daf80386e0dda43f97b8f36981d792c4):
  //   "# Target Latencies for interactive setting
  //    llama3_1-8b-interactive.Server.ttft_latency = 500
  //    llama3_1-8b-interactive.Server.tpot_latency = 30"
  // with "*.Server.target_latency_percentile = 99" and "All times are in milli seconds". LoadGen's TPOT is a
  // request's (latency − TTFT) / (tokens − 1): this lab's inter-token latency.
  'mlperf-interactive': {
    name: 'mlperf-interactive',
    ttftMs: 500,
    interTokenMs: 30,
    e2eMs: null,
    percentile: 99,
    source: 'MLPerf Inference, llama3.1-8b interactive (Server scenario): p99 TTFT 500 ms, p99 TPOT 30 ms (mlcommons/inference, loadgen/mlperf.conf).',
  },
};

const BoundSchema = z.number().positive('an SLO bound is a positive number of milliseconds').max(600_000);

export const SloInputSchema = z
  .object({
    /** A preset, or custom with bounds of its own; bounds given with a preset replace the preset's. */
    preset: z.enum([...SLO_PRESETS, 'custom']).default('chat'),
    ttftMs: BoundSchema.optional(),
    interTokenMs: BoundSchema.optional(),
    e2eMs: BoundSchema.optional(),
    percentile: z.number().min(50, 'the SLO percentile is between 50 and 99.9').max(99.9, 'the SLO percentile is between 50 and 99.9').optional(),
  })
  .strict()
  .refine((slo) => slo.preset !== 'custom' || slo.ttftMs !== undefined || slo.interTokenMs !== undefined || slo.e2eMs !== undefined, {
    message: 'a custom SLO needs at least one bound: TTFT, inter-token or end-to-end milliseconds',
  });
export type SloInput = z.input<typeof SloInputSchema>;

/** The SLO a run holds its requests to: the preset's bounds, replaced by any given; custom when any was given. */
export function resolveSlo(input: z.output<typeof SloInputSchema>): Slo {
  const base: Slo = input.preset === 'custom' ? { name: 'custom', ttftMs: null, interTokenMs: null, e2eMs: null, percentile: 99, source: 'custom' } : SLO_PRESET_VALUES[input.preset];
  const changed = input.ttftMs !== undefined || input.interTokenMs !== undefined || input.e2eMs !== undefined || input.percentile !== undefined;
  if (!changed) return base;
  return {
    name: 'custom',
    ttftMs: input.ttftMs ?? base.ttftMs,
    interTokenMs: input.interTokenMs ?? base.interTokenMs,
    e2eMs: input.e2eMs ?? base.e2eMs,
    percentile: input.percentile ?? base.percentile,
    source: input.preset === 'custom' ? 'custom' : `custom, from the ${input.preset} preset`,
  };
}

// ---- Run input -----------------------------------------------------------------------------------------------

export const LoadRunInputSchema = z
  .object({
    target: ModelIdSchema,
    regions: RegionListSchema.optional(),
    load: LoadSpecSchema,
    /** How long each level lasts. Closed loop: this or stepRequests (default 30 s); open loop: always (default 30 s). */
    stepDurationMs: z.number().int().min(100, 'stepDurationMs must be at least 100 ms').max(3_600_000, 'stepDurationMs must be at most 3600000 ms (an hour)').optional(),
    /** Closed loop only: requests per level instead of a duration. */
    stepRequests: z.number().int().min(1, 'stepRequests must be between 1 and 100000').max(100_000, 'stepRequests must be between 1 and 100000').optional(),
    /** Open loop: requests in flight at most per route; an arrival beyond it waits, and is counted late. */
    maxInFlight: z.number().int().min(1, `maxInFlight must be between 1 and ${MAX_IN_FLIGHT}`).max(MAX_IN_FLIGHT, `maxInFlight must be between 1 and ${MAX_IN_FLIGHT}`).default(MAX_IN_FLIGHT),
    /** Requests per route before the first level, not counted: a connection and credentials ready. */
    warmup: z.number().int().min(0).max(10).default(1),
    promptSize: z.enum(PROMPT_SIZES).default('small'),
    maxTokens: z.number().int().min(1).max(4096).default(128),
    latency: LatencyModeSchema.default('standard'),
    autoProfile: z.boolean().default(false),
    /** A nonce before every prompt, so Bedrock's prompt cache never answers a load run's requests faster. */
    uniquePrompts: z.boolean().default(true),
    /** The SLO goodput counts against; null for none. */
    slo: SloInputSchema.nullable().default({ preset: 'chat' }),
    /** Requests at most, warm-ups included: the run stops sending there (the level in progress is partial). */
    maxRequests: z.number().int().min(1, 'maxRequests must be at least 1').max(10_000_000).optional(),
    /** Dollars at most at list prices: requests are sent only while their worst case fits in what is left. */
    maxCostUsd: z.number().positive('maxCostUsd must be more than 0').max(1_000_000).optional(),
    confirmed: z.boolean().default(false),
    requestTimeoutMs: z.number().int().min(100, 'requestTimeoutMs must be at least 100').max(600_000).default(60_000),
  })
  .strict()
  .superRefine((input, context) => {
    if (input.load.mode === 'rate' && input.stepRequests !== undefined) {
      context.addIssue({ code: 'custom', path: ['stepRequests'], message: 'stepRequests applies to concurrency levels; rate levels last stepDurationMs' });
    }
    if (input.stepRequests !== undefined && input.stepDurationMs !== undefined) {
      context.addIssue({ code: 'custom', path: ['stepRequests'], message: 'give stepRequests or stepDurationMs, not both' });
    }
  });
export type LoadRunInput = z.input<typeof LoadRunInputSchema>;
export type ParsedLoadRunInput = z.output<typeof LoadRunInputSchema>;

export const DEFAULT_STEP_DURATION_MS = 30_000;

// ---- Results -------------------------------------------------------------------------------------------------

export type LoadOffered = { concurrency: number } | { ratePerSecond: number };

/** Why a level or a run stopped early. */
export type LoadStopReason = 'maxRequests' | 'maxCost' | 'cancelled' | 'routeFailed';

/** How well an open-loop level kept its schedule: lateness is the actual send (handed to the socket) after the intended one. */
export interface LoadSchedule {
  arrivals: ArrivalProcess;
  /** Requests scheduled in the level and sent. */
  sent: number;
  /** The mean gap between intended sends, and what the rate asks for. */
  meanInterArrivalMs: number | null;
  intendedInterArrivalMs: number;
  /** Sends more than LATE_SEND_MS after their intended time. */
  lateSends: number;
  p99LatenessMs: number | null;
  maxLatenessMs: number | null;
  /** The sender fell behind its schedule: any send late by more than LATE_SEND_MS. Its latencies include the wait. */
  fellBehind: boolean;
}

/** A send this much later than scheduled is late: above a timer's jitter, below any latency worth measuring. */
export const LATE_SEND_MS = 10;

export interface LoadLevelReport {
  index: number;
  offered: LoadOffered;
  /** partial: stopped before its end (a budget, a cancel, the route failing); its figures are what it measured. */
  status: 'completed' | 'partial';
  stoppedBy?: LoadStopReason;
  startedAt: string;
  /** From the level's start to its last answer (open loop: at least its scheduled duration). */
  durationMs: number;
  /** Requests sent; samples are those that answered. */
  sent: number;
  samples: number;
  errors: ErrorCounts;
  /** Throttled requests over requests sent. */
  throttleRate: number;
  /** Answered requests per second. */
  achievedRps: number;
  /** Output tokens per second of all answered requests together (the route's throughput, not one stream's speed). */
  outputTokensPerSecond: number;
  /** Open loop: from the scheduled send time; closed loop: from the request's send. */
  ttftMs: LatencyStats | null;
  interTokenMs: LatencyStats | null;
  e2eMs: LatencyStats | null;
  /** Requests per second that met every bound of the SLO (absent without an SLO). */
  goodputRps?: number;
  /** Share of the requests sent that met the SLO. */
  sloAttainment?: number;
  /** Whether the level's figures at the SLO's percentile are within every bound. */
  sloMet?: boolean;
  connectionsOpened: number;
  connectionsReused: number;
  /** Open loop only. */
  schedule?: LoadSchedule;
}

export interface LoadKnee {
  levelIndex: number;
  /** "throttles 12.5 % of 40 requests (above 1 %)", "p90 TTFT 812 ms, 2.3× the first level's 350 ms". */
  reason: string;
}

/**
 * The route's quota as a line on the charts: Service Quotas' requests and tokens per minute (applied, else AWS's
 * default) for the route called, and the request rate they allow at this run's prompt and max tokens.
 */
export interface LoadQuotaLine {
  status: 'found' | 'none' | 'unreadable';
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** Quota tokens one request holds while it runs: its input plus max tokens (what Bedrock reserves). */
  tokensPerRequest: number;
  /** The requests per second the tighter quota allows; null when neither is known. */
  ratePerSecond: number | null;
  binding: 'requestsPerMinute' | 'tokensPerMinute' | null;
  /** Why there is no figure (not found, or why the quotas could not be read). */
  message?: string;
}

export interface LoadRouteReport {
  route: LatencyRoute;
  levels: LoadLevelReport[];
  knee: LoadKnee | null;
  quota: LoadQuotaLine;
}

export interface LoadRunReport {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  target: string;
  load: LoadSpec;
  /** Per level: its duration (open loop, and closed loop without stepRequests) or its number of requests. */
  step: { durationMs: number } | { requests: number };
  options: { warmup: number; promptSize: (typeof PROMPT_SIZES)[number]; maxTokens: number; latency: 'standard' | 'optimized'; autoProfile: boolean; maxInFlight: number };
  /** Whether every prompt had a nonce before it (so the prompt cache never answered it). */
  uniquePrompts: boolean;
  slo: Slo | null;
  budget: { maxRequests: number | null; maxCostUsd: number | null };
  /** Set when a budget ended the run before its last level. */
  stopped?: { reason: 'maxRequests' | 'maxCost'; message: string };
  status: LatencyRunStatus;
  regions: Record<string, LoadRouteReport | RegionFailure>;
  stored: boolean;
  cost: LatencyRunCost;
}

export interface LoadProgress {
  key: string;
  route: LatencyRoute;
  levelIndex: number;
  levelCount: number;
  offered: LoadOffered;
  phase: 'warmup' | 'running' | 'done' | 'failed';
  sent: number;
  done: number;
  errors: number;
  throttled: number;
  /** The median TTFT of the level's latest answers (up to 512), as the level counts it. */
  p50TtftMs: number | null;
  /** Open loop: sends late by more than LATE_SEND_MS so far in this level. */
  lateSends: number;
  /** Every level of the route finished so far, whole: a newer chunk carries all an older one did. */
  finishedLevels: LoadLevelReport[];
}

export interface LoadEstimate extends LatencyEstimate {
  /** How `requests` was counted: exact, from the rates, or from an assumed request time (closed loop by duration). */
  requestsBasis: string;
  /** How long the levels last in all (null when they run by count). */
  expectedDurationMs: number | null;
  uniquePrompts: boolean;
  slo: Slo | null;
}

export const LoadRunQuerySchema = z.object({ runId: z.string().min(1).max(100) }).strict();

/** A stored load run, for its charts: latency against offered load, achieved against offered, throttles, the quota. */
export interface LoadRunView {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  target: string | null;
  status: LatencyRunStatus;
  load: LoadSpec;
  step: LoadRunReport['step'];
  uniquePrompts: boolean;
  slo: Slo | null;
  budget: LoadRunReport['budget'];
  stopped?: LoadRunReport['stopped'];
  regions: Record<string, LoadRouteReport | RegionFailure>;
}

export const loadMethods = {
  /** Plans a load run without sending anything: requests, tokens and dollars, and whether it must be confirmed. */
  estimateLoadRun: method<LoadEstimate>()(LoadRunInputSchema),
  /** A stored load run's levels per route, with its knee and the route's quota now. */
  loadRunLevels: method<LoadRunView>()(LoadRunQuerySchema),
};

export const loadStreams = {
  /** Progress is a snapshot of one route (its finished levels included): a newer one of the same route replaces it. */
  runLoad: stream<LoadProgress, LoadRunReport>()(LoadRunInputSchema, {
    coalesce: (previous, next) => (previous.key === next.key ? next : undefined),
  }),
};
