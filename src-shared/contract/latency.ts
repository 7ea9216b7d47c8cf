import { z } from 'zod';
import { method, ModelIdSchema, NoInput, RegionListSchema, RegionNameSchema, stream } from './define';
import { LatencyModeSchema } from './playground';
import type { PriceTableInfo } from './prices';
import { VantageChoiceSchema } from './vantage';

/**
 * The latency lab: network probes per region, model latency runs through any route, their history and the
 * ranking built from it. Definitions (README, "Latency: definitions"): TTFT from the request handed to the
 * socket to the first non-empty content delta; E2E to the last content delta (or messageStop when later);
 * inter-token latency (E2E − TTFT) / (outputTokens − 1) with Bedrock's own usage.outputTokens; output speed
 * 1 / ITL, which excludes TTFT. Measured requests are never retried: a throttle is counted, not hidden.
 */

export interface LatencyStats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  stddev: number;
}

export { ERROR_CLASSES, type ErrorClass, type ErrorCounts } from '../errors';
import type { ErrorCounts } from '../errors';

export interface RegionFailure {
  error: { code: string; message: string };
}

// ---- Network probe -------------------------------------------------------------------------------------------

export interface ProbeTimings {
  dnsMs: number | null;
  connectMs: number;
  /** null over plain HTTP (an endpoint override such as the emulator). */
  tlsMs: number | null;
  ttfbMs: number;
  totalMs: number;
}

export interface ProbeRegionResult {
  endpoint: string;
  /** A new connection: DNS, TCP, TLS and the first byte of a cheap unsigned request (the median of the cold samples). */
  cold: ProbeTimings;
  /** Requests on a connection taken from the pool: the first byte only. */
  warm: { ttfbMs: Omit<LatencyStats, 'stddev'> & { stddev?: number } };
  samples: number;
}

export const ProbeInputSchema = z
  .object({
    /** Default: the regions in the settings (every commercial region when none are chosen). */
    regions: RegionListSchema.optional(),
    samples: z.number().int().min(1, 'samples must be at least 1').max(100, 'samples may be at most 100').default(5),
  })
  .strict();
export type ProbeInput = z.input<typeof ProbeInputSchema>;

export interface ProbeReport {
  id: string;
  startedAt: string;
  status: 'completed' | 'cancelled';
  regions: Record<string, ProbeRegionResult | RegionFailure>;
}

export type ProbeChunk = { region: string; result: ProbeRegionResult | RegionFailure };

// ---- Model latency run ---------------------------------------------------------------------------------------

export const PROMPT_SIZES = ['small', 'medium', 'large'] as const;
export type PromptSize = (typeof PROMPT_SIZES)[number];

export const LatencyRunInputSchema = z
  .object({
    /** A model id or forgiving name, an inference profile id, or a profile ARN. */
    target: ModelIdSchema,
    /** Default: every region the target is callable from (from the catalog). */
    regions: RegionListSchema.optional(),
    runs: z.number().int().min(1, 'runs must be between 1 and 1000').max(1000, 'runs must be between 1 and 1000').default(10),
    concurrency: z.number().int().min(1, 'concurrency must be between 1 and 32').max(32, 'concurrency must be between 1 and 32').default(1),
    /** Requests per route before measuring, not counted: the first sample's handshake stays out of the figures. */
    warmup: z.number().int().min(0).max(10).default(1),
    promptSize: z.enum(PROMPT_SIZES).default('small'),
    maxTokens: z.number().int().min(1).max(4096).default(128),
    latency: LatencyModeSchema.default('standard'),
    /** A bare model id that a region serves only through profiles goes through the best profile there. */
    autoProfile: z.boolean().default(false),
    /** Also measure every profile route from each region beside the direct one (direct vs cross-region). */
    compareRoutes: z.boolean().default(false),
    /** Required for runs over 100 requests or $1, or of unknown cost, against real AWS: they cost money. */
    confirmed: z.boolean().default(false),
    /** A request with no answer for this long counts as a timeout (a hanging region), and the run goes on. */
    requestTimeoutMs: z.number().int().min(100, 'requestTimeoutMs must be at least 100').max(600_000).default(60_000),
  })
  .strict();
export type LatencyRunInput = z.input<typeof LatencyRunInputSchema>;
export type ParsedLatencyRunInput = z.output<typeof LatencyRunInputSchema>;

export interface LatencyRoute {
  invokeId: string;
  callRegion: string;
  kind: 'on-demand' | 'geo-profile' | 'global-profile';
  /** Set when auto-profile replaced a bare id. */
  autoRoutedFrom?: string;
}

export interface LatencyRouteReport {
  route: LatencyRoute;
  samples: number;
  errors: ErrorCounts;
  ttftMs: LatencyStats | null;
  e2eMs: LatencyStats | null;
  interTokenMs: LatencyStats | null;
  outputTokensPerSecond: LatencyStats | null;
  /** outputTokens / E2E: comparable with LLMPerf's figure; includes TTFT, so labelled apart. */
  endToEndTokensPerSecond: LatencyStats | null;
  serverLatencyMs: LatencyStats | null;
  /** E2E − server latency. */
  clientOverheadMs: LatencyStats | null;
  largestGapMs: LatencyStats | null;
  connectionsOpened: number;
  connectionsReused: number;
  /** What the metadata said was served when it differed from what was asked (optimized falling back). */
  servedLatency?: Record<string, number>;
  /**
   * The route stopped before its runs were done: consecutive connection failures (a dead endpoint), named with
   * their cause. The figures above are what was measured before.
   */
  stopped?: { code: string; message: string };
}

export interface LatencyRunReport {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  target: string;
  runs: number;
  concurrency: number;
  options: { warmup: number; promptSize: PromptSize; maxTokens: number; latency: 'standard' | 'optimized'; autoProfile: boolean };
  /**
   * completed: every route produced samples and ran to its end; partial: some route failed, stopped or produced
   * none; failed: no route produced a sample; cancelled: stopped by the user (what was measured is kept).
   */
  status: LatencyRunStatus;
  /** Keyed by region; with compareRoutes, extra routes of a region are keyed `<region> <invokeId>`. */
  regions: Record<string, LatencyRouteReport | RegionFailure>;
  /** Whether this run was stored in the history (off when the database is locked or unwritable). */
  stored: boolean;
  /** What the run cost, from the token usage Bedrock reported for its requests (warm-ups included). */
  cost: LatencyRunCost;
}

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Dollars of one route (or the whole run); null when a price the tokens need is not known. */
export interface LatencyRouteCost {
  usd: number | null;
  usage: TokenUsage;
  /** Requests whose usage Bedrock reported (measured and warm-up). */
  requests: number;
  /** Requests that ended without usage (failed, cancelled, timed out): not in the figures, said apart. */
  requestsWithoutUsage: number;
  /** Why `usd` is null: the price the table lacks. */
  unknown?: string;
}

export interface LatencyRunCost extends LatencyRouteCost {
  /** Per route, keyed as the report's regions. */
  routes: Record<string, LatencyRouteCost>;
  /** The price table used, with its date. */
  priceTable: PriceTableInfo;
}

/** More requests than this against real AWS cost enough to ask first. */
export const CONFIRMATION_REQUESTS = 100;
/** More estimated dollars than this (at list prices, output at max tokens) against real AWS ask first too. */
export const CONFIRMATION_USD = 1;

export interface LatencyEstimate {
  requests: number;
  warmupRequests: number;
  inputTokens: number;
  outputTokens: number;
  /**
   * Against real AWS, asked first (the UI asks, the CLI needs --yes) when the run sends more than
   * CONFIRMATION_REQUESTS requests, when its estimated cost is over CONFIRMATION_USD, or when its cost cannot be
   * estimated because a route's price is unknown: an unknown price never passes as $0.
   */
  needsConfirmation: boolean;
  /** Why it needs confirmation, one sentence each (empty when it does not). */
  confirmationReasons: string[];
  /**
   * Dollars at the price table's list prices for every request (warm-ups included): the prompt's input tokens and
   * max tokens of output each, so an upper bound on output. null when a route's price is unknown.
   */
  estimatedCostUsd: number | null;
  /** Per route key: its estimated dollars, or null with what price is unknown. */
  routeCosts: Record<string, { usd: number | null; unknown?: string }>;
  /** The price table the estimate used, with its date. */
  priceTable: PriceTableInfo;
  simulated: boolean;
  routes: Record<string, LatencyRoute>;
  /** Regions that cannot be measured, with the reason and the fix (needs a profile, not offered there…). */
  unavailable: Record<string, { code: string; message: string }>;
  /** `countedBy`: Bedrock's CountTokens where the model offers it, else about 4 characters per token. */
  prompt: { size: PromptSize; inputTokens: number; countedBy: 'CountTokens' | 'estimate' };
}

export interface LatencyProgress {
  /** The region key as in the report. */
  key: string;
  route: LatencyRoute;
  done: number;
  total: number;
  errors: number;
  /** The running median TTFT of this route so far. */
  p50TtftMs: number | null;
  phase: 'warmup' | 'measuring' | 'done' | 'failed';
}

export type LatencyRunChunk = LatencyProgress;

// ---- History and ranking -------------------------------------------------------------------------------------

const SINCE_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** A window longer than this means nothing for latency history, and a larger number is not a date any more. */
const MAX_SINCE_MS = 100 * 365 * 86_400_000;
export const SinceSchema = z
  .string()
  .regex(/^(\d+[mhdw]|\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?)$/, 'since is a duration (30m, 12h, 7d, 4w) or an ISO date')
  .refine((since) => {
    const duration = /^(\d+)([mhdw])$/.exec(since);
    if (duration) return Number(duration[1]) * SINCE_UNIT_MS[duration[2] as keyof typeof SINCE_UNIT_MS] <= MAX_SINCE_MS;
    return !Number.isNaN(new Date(since).getTime());
  }, 'since is at most 100 years back, and a date must exist')
  .optional();

export const HistoryQuerySchema = z
  .object({
    target: ModelIdSchema.optional(),
    regions: RegionListSchema.optional(),
    since: SinceSchema,
    limit: z.number().int().min(1).max(1000).default(50),
    /** Whose runs: this machine's (local, the default), a team vantage's, or all (contract/fleet.ts). */
    vantage: VantageChoiceSchema.optional(),
  })
  .strict();
export type HistoryQuery = z.input<typeof HistoryQuerySchema>;

export type LatencyRunStatus = 'completed' | 'partial' | 'failed' | 'cancelled';

export interface HistoryRun {
  id: string;
  /** A load run's levels are read with `loadRunLevels`. */
  kind: 'latency' | 'probe' | 'load';
  startedAt: string;
  target: string | null;
  status: LatencyRunStatus;
  /** Where it was measured from: `local` or a team vantage (set when the query named a vantage). */
  vantage?: string;
  regions: Record<string, { samples: number; ttftMs: LatencyStats | null; e2eMs: LatencyStats | null; outputTokensPerSecond: LatencyStats | null }>;
}

export const SeriesQuerySchema = z
  .object({
    target: ModelIdSchema,
    regions: RegionListSchema.optional(),
    since: SinceSchema,
    metric: z.enum(['ttftMs', 'e2eMs', 'outputTokensPerSecond']).default('ttftMs'),
    /** Whose samples: local (the default), a team vantage, or all (each point then names its vantage). */
    vantage: VantageChoiceSchema.optional(),
  })
  .strict();

export interface SeriesPoint {
  at: string;
  region: string;
  value: number;
  /** Where it was measured from (set when the query named a vantage): one chart per vantage. */
  vantage?: string;
}

export interface RankedLatencyRoute {
  invokeId: string;
  callRegion: string;
  kind: 'on-demand' | 'geo-profile' | 'global-profile';
  ttftP50Ms: number | null;
  samples: number;
  measuredAt: string | null;
  reason: string;
}

export interface HistoryStatus {
  state: 'open' | 'memory' | 'off';
  path: string | null;
  samples: number;
  limit: number;
  warnings: string[];
}

export const ExportQuerySchema = z
  .object({ format: z.enum(['csv', 'json', 'parquet']), target: ModelIdSchema.optional(), since: SinceSchema, runId: z.string().max(100).optional() })
  .strict();

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  /** The file's bytes, base64: Parquet is binary and both transports carry JSON. */
  base64: string;
}

export const latencyMethods = {
  /** Plans a run without sending anything: requests, tokens, routes, and where the target cannot be measured. */
  estimateLatencyRun: method<LatencyEstimate>()(LatencyRunInputSchema),
  latencyHistory: method<{ runs: HistoryRun[] }>()(HistoryQuerySchema),
  /** Every stored sample of a metric over time, per region, for the history chart and the distribution. */
  latencySeries: method<{ points: SeriesPoint[] }>()(SeriesQuerySchema),
  /** Routes from a home region, by measured p50 TTFT, then by access type for routes not measured yet. */
  rankRoutes: method<{ routes: RankedLatencyRoute[] }>()(
    z.object({ target: ModelIdSchema, from: RegionNameSchema, /** Ranked by whose measurements (local by default). */ vantage: VantageChoiceSchema.optional() }).strict(),
  ),
  exportLatency: method<ExportedFile>()(ExportQuerySchema),
  historyStatus: method<HistoryStatus>()(NoInput),
};

export const latencyStreams = {
  probeNetwork: stream<ProbeChunk, ProbeReport>()(ProbeInputSchema),
  /** Progress is a snapshot of one route: while the caller reads slowly, a newer one of the same route replaces it. */
  runLatency: stream<LatencyRunChunk, LatencyRunReport>()(LatencyRunInputSchema, {
    coalesce: (previous, next) => (previous.key === next.key ? next : undefined),
  }),
};
