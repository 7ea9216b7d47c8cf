import { z } from 'zod';
import { ModelIdSchema, RegionListSchema } from '../contract/define';
import { LatencyRunInputSchema, PROMPT_SIZES, ProbeInputSchema } from '../contract/latency';

/**
 * The headless monitor's configuration (`bedrock-atlas monitor --config monitor.json`): where it stands, what it
 * measures and how often, what it may spend, and where the measurements go. Strict at every level, so a misspelt
 * field is refused rather than silently ignored; the measurement's own fields reuse the latency lab's schemas, so a
 * monitor accepts exactly what a lab run would. Every message names the valid values or range, because the user
 * reads it in a container's log, far from any help text.
 */

/** A vantage name becomes a Hive partition (`vantage=<name>`) in the store and an attribute in OTLP: path-safe. */
export const VANTAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const VANTAGE_RULE = '1 to 63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
export const VantageNameSchema = z.string({ error: `must be a name: ${VANTAGE_RULE}` }).regex(VANTAGE_NAME, `must be ${VANTAGE_RULE} (it names a partition of the store)`);

export const ROUTE_KINDS = ['on-demand', 'geo-profile', 'global-profile'] as const;
export type MonitorRouteKind = (typeof ROUTE_KINDS)[number];

/** `where-callable`: every region the catalog says the target can be called from, decided at each start. */
export const WHERE_CALLABLE = 'where-callable';

const VantageSchema = z.union(
  [
    VantageNameSchema,
    z
      .object({
        /** Used as it is when detection is off, and as the fallback when detection fails. */
        name: VantageNameSchema,
        detect: z.literal('aws', { error: 'must be "aws" (the ECS task metadata endpoint, then IMDSv2)' }),
      })
      .strict(),
  ],
  { error: 'must be a name ("team-berlin") or { "name": "…", "detect": "aws" }' },
);

const TargetSchema = z
  .object({
    /** A model id or name, an inference profile id, or a profile ARN, as `bedrock-atlas latency --target` takes. */
    target: ModelIdSchema,
    regions: z.union([z.literal(WHERE_CALLABLE), RegionListSchema], { error: `must be "${WHERE_CALLABLE}" or a list of region names` }),
    /** Which of the region's routes to measure; by default the one route the lab would pick (a profile where needed). */
    routeKinds: z
      .array(z.enum(ROUTE_KINDS, { error: `must be one of ${ROUTE_KINDS.join(', ')}` }))
      .min(1, `must name at least one of ${ROUTE_KINDS.join(', ')}`)
      .optional(),
  })
  .strict();

const ScheduleSchema = z
  .object({
    everyMinutes: z
      .number({ error: 'must be a number of minutes between 1 and 1440' })
      .int('must be a whole number of minutes between 1 and 1440')
      .min(1, 'must be between 1 and 1440 minutes')
      .max(1440, 'must be between 1 and 1440 minutes'),
    /** Each cycle starts up to this much after its slot, so monitors started together do not measure in lockstep. */
    jitterSeconds: z
      .number({ error: 'must be a number of seconds, 0 or more' })
      .int('must be a whole number of seconds, 0 or more')
      .min(0, 'must be 0 or more seconds')
      .default(0),
  })
  .strict()
  // A bad everyMinutes is said on its own; the jitter is held to the period only when there is one.
  .refine((schedule) => !(schedule.everyMinutes >= 1) || schedule.jitterSeconds < schedule.everyMinutes * 60, {
    message: 'must be shorter than the schedule\'s period (everyMinutes × 60 seconds)',
    path: ['jitterSeconds'],
  });

const latencyField = LatencyRunInputSchema.shape;

const MeasureSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('probe'),
        /** Cold and warm samples per region (the probe's `samples`). */
        runs: ProbeInputSchema.shape.samples.default(3),
      })
      .strict(),
    z
      .object({
        kind: z.literal('latency'),
        runs: latencyField.runs.default(3),
        concurrency: latencyField.concurrency,
        warmup: latencyField.warmup,
        promptSize: z.enum(PROMPT_SIZES, { error: `must be one of ${PROMPT_SIZES.join(', ')}` }).default('small'),
        maxTokens: latencyField.maxTokens.default(64),
        latency: latencyField.latency,
        requestTimeoutMs: latencyField.requestTimeoutMs,
      })
      .strict(),
  ],
  { error: 'kind must be "probe" or "latency"' },
);

const BudgetsSchema = z
  .object({
    maxRequestsPerHour: z
      .number({ error: 'must be a number of requests, 1 or more' })
      .int('must be a whole number of requests, 1 or more')
      .min(1, 'must be 1 or more requests per hour'),
    /** Dollars at the price table's list prices (output counted at max tokens): an upper bound. */
    maxCostPerDayUsd: z.number({ error: 'must be a number of dollars, more than 0' }).positive('must be more than 0 dollars').optional(),
  })
  .strict();

const SinksSchema = z
  .object({
    store: z
      .object({
        /** A local directory, or `s3://bucket/prefix`. */
        location: z.string({ error: 'must be a directory or s3://bucket/prefix' }).trim().min(1, 'must be a directory or s3://bucket/prefix'),
        spoolMaxMb: z.number({ error: 'must be a number of megabytes, 1 or more' }).int('must be a whole number of megabytes').min(1, 'must be 1 MB or more').optional(),
      })
      .strict()
      .optional(),
    otlp: z.object({ enabled: z.boolean({ error: 'must be true or false' }) }).strict().optional(),
  })
  .strict()
  .default({});

export const MonitorConfigSchema = z
  .object({
    vantage: VantageSchema,
    targets: z.array(TargetSchema).min(1, 'must list at least one target'),
    schedule: ScheduleSchema,
    measure: MeasureSchema,
    budgets: BudgetsSchema,
    sinks: SinksSchema,
    /** Where the monitor keeps its history, catalog cache and the store's spool; default: the app's data directory. */
    dataDir: z.string().trim().min(1, 'must be a directory').optional(),
  })
  .strict();

export type MonitorConfigInput = z.input<typeof MonitorConfigSchema>;
export type MonitorConfig = z.output<typeof MonitorConfigSchema>;
export type MonitorTarget = MonitorConfig['targets'][number];
export type MonitorMeasure = MonitorConfig['measure'];

/** The configured vantage name (the fallback when detection is on). */
export const vantageNameOf = (config: Pick<MonitorConfig, 'vantage'>): string => (typeof config.vantage === 'string' ? config.vantage : config.vantage.name);
export const detectsVantage = (config: Pick<MonitorConfig, 'vantage'>): boolean => typeof config.vantage !== 'string';

/** One problem of a config, by the path of its field (`budgets.maxRequestsPerHour`, `targets[0].regions[1]`). */
export interface MonitorConfigIssue {
  path: string;
  message: string;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/** The schema's issues in the user's words: the field's path and what it must be. */
export function monitorConfigIssues(error: z.ZodError): MonitorConfigIssue[] {
  return error.issues.flatMap((issue) => issueInWords(issue, []));
}

function issueInWords(issue: z.core.$ZodIssue, at: readonly PropertyKey[]): MonitorConfigIssue[] {
  const path = [...at, ...issue.path];
  if (issue.code === 'invalid_union') {
    // The branch that got past its first check (a list of regions with one unknown) says more than "none matched".
    const deeper = issue.errors.find((branch) => branch.some((inner) => inner.path.length > 0));
    if (deeper) return deeper.flatMap((inner) => issueInWords(inner, path));
  }
  if (issue.code === 'unrecognized_keys') {
    const where = pathText(path);
    return [
      {
        path: issue.keys.map((key) => (where ? `${where}.${key}` : key)).join(', '),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}${where ? ` in ${where}` : ''}; the fields here are ${knownFields(path)}`,
      },
    ];
  }
  return [{ path: pathText(path) || '(the whole file)', message: issue.message }];
}

/** The fields an object at this path takes, for the message of an unknown one. */
function knownFields(path: readonly PropertyKey[]): string {
  const named = path.filter((part): part is string => typeof part === 'string');
  const fields: Record<string, readonly string[]> = {
    '': Object.keys(MonitorConfigSchema.shape),
    vantage: ['name', 'detect'],
    targets: Object.keys(TargetSchema.shape),
    schedule: ['everyMinutes', 'jitterSeconds'],
    measure: ['kind, runs (a probe); kind, runs, concurrency, warmup, promptSize, maxTokens, latency, requestTimeoutMs (a latency run)'],
    budgets: Object.keys(BudgetsSchema.shape),
    sinks: ['store', 'otlp'],
    'sinks.store': ['location', 'spoolMaxMb'],
    'sinks.otlp': ['enabled'],
  };
  return (fields[named.join('.')] ?? []).join(', ');
}
