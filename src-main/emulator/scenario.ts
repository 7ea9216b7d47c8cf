import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CloudWatchScenarioSchema } from './metric-series';
import { PricingScenarioSchema } from './price-data';
import { QuotasScenarioSchema } from './quota-data';
import { EnforceQuotasSchema } from './quota-enforcement';
import { RoutingScenarioSchema } from './routing';
import { S3ScenarioSchema } from './services/s3-scenario';
import { SsoScenarioSchema } from './services/sso';
import { CloudTrailScenarioSchema } from './trail-log';

/**
 * Fault injection and timing for the emulator. A scenario is plain JSON (a file given with `--scenario`, or a body
 * sent to `PUT /_emulator/scenario`) so that tests, benchmarks and demos share one format.
 * Region keys accept a region name or "*" for every region; the specific entry wins.
 */

export const OPERATIONS = [
  'ListFoundationModels',
  'GetFoundationModel',
  'ListInferenceProfiles',
  'GetInferenceProfile',
  'GetFoundationModelAvailability',
  'Converse',
  'ConverseStream',
  'CountTokens',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const RUNTIME_OPERATIONS: readonly Operation[] = ['Converse', 'ConverseStream', 'CountTokens'];

const RegionOrAny = z.string().min(1);
const ModelOrAny = z.string().min(1).default('*');
const OperationOrAny = z.union([z.enum(OPERATIONS), z.literal('*')]).default('*');
const Milliseconds = z.number().nonnegative().max(600_000);
/** A fixed delay, or a log-normal distribution around a median (see timing.ts). */
const Delay = z.union([
  Milliseconds,
  z.object({ medianMs: Milliseconds, spreadMs: Milliseconds.default(0) }).strict(),
]);
const PerRegionDelay = z.record(RegionOrAny, Delay);

const exactlyOne = (...values: unknown[]) => values.filter((value) => value !== undefined).length === 1;
const atMostOne = (...values: unknown[]) => values.filter((value) => value !== undefined).length <= 1;

const ThrottleRule = z
  .object({
    region: RegionOrAny.default('*'),
    operation: OperationOrAny,
    /** Only runtime calls that reach this model (by model id, or by the profile id called). */
    modelId: z.string().min(1).optional(),
    /** Throttle the first N matching calls, then let calls through. */
    firstN: z.number().int().positive().optional(),
    /** Or a token bucket: at most this many calls per second, bursts up to the same number. */
    ratePerSecond: z.number().positive().optional(),
    /** Or a quota as Bedrock states them: requests per minute, bursts up to the same number. */
    requestsPerMinute: z.number().positive().optional(),
    /** Sent as `Retry-After` on each throttled answer. */
    retryAfterSeconds: z.number().int().positive().max(3600).optional(),
  })
  .strict()
  .refine((rule) => exactlyOne(rule.firstN, rule.ratePerSecond, rule.requestsPerMinute), {
    message: 'a throttle rule needs exactly one of firstN, ratePerSecond or requestsPerMinute',
  });

const FailureRule = z
  .object({
    region: RegionOrAny.default('*'),
    operation: OperationOrAny,
    status: z.union([z.literal(500), z.literal(503)]),
    firstN: z.number().int().positive().optional(),
    /** Fail this fraction of matching calls, drawn from the scenario's seeded generator. */
    probability: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((rule) => exactlyOne(rule.firstN, rule.probability), {
    message: 'a failure rule needs exactly one of firstN or probability',
  });

const ModelInRegion = z.object({ region: RegionOrAny.default('*'), modelId: z.string().min(1) }).strict();

/** Which matching streams a mid-stream fault hits: every one, the first N, or a seeded fraction. */
const StreamSelection = {
  firstN: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
};
const selectionMessage = { message: 'give at most one of firstN or probability (neither: every matching stream)' };

const MID_STREAM_EXCEPTIONS = [
  'throttlingException',
  'modelStreamErrorException',
  'internalServerException',
  'validationException',
  'serviceUnavailableException',
] as const;

const MidStreamError = z
  .object({
    region: RegionOrAny.default('*'),
    modelId: ModelOrAny,
    afterTokens: z.number().int().nonnegative(),
    exception: z.enum(MID_STREAM_EXCEPTIONS).default('modelStreamErrorException'),
    ...StreamSelection,
  })
  .strict()
  .refine((rule) => atMostOne(rule.firstN, rule.probability), selectionMessage);

const NetworkDrop = z
  .object({
    region: RegionOrAny.default('*'),
    modelId: ModelOrAny,
    /** The connection is destroyed (no exception frame, no clean end) after this many tokens. */
    afterTokens: z.number().int().nonnegative(),
    ...StreamSelection,
  })
  .strict()
  .refine((rule) => atMostOne(rule.firstN, rule.probability), selectionMessage);

const OptimizedQuota = z
  .object({
    region: RegionOrAny.default('*'),
    modelId: ModelOrAny,
    /** Optimized latency is served for this many requests per region and model, then silently standard. */
    afterRequests: z.number().int().nonnegative(),
  })
  .strict();

const CallerIdentity = z
  .object({
    account: z.string().regex(/^\d{12}$/).default('123456789012'),
    arn: z.string().min(1).default('arn:aws:iam::123456789012:user/Alice'),
    userId: z.string().min(1).default('AIDACKCEVSQ6C2EXAMPLE'),
  })
  .strict();

/**
 * What IAM's policy simulator answers for the caller (services/iam.ts). Without rules every action is allowed.
 * `deny` rules match an action and a resource ARN (`*` and `?` wildcards, as IAM's own patterns) and, optionally,
 * the request's `aws:RequestedRegion` context value (`unspecified` for a global profile's region-less ARN); a rule
 * `byOrganization` stands for a service control policy. `allowedRegions` is an identity policy's region allow-list:
 * any other `aws:RequestedRegion` is denied implicitly (nothing allows it).
 */
const IamDenyRule = z
  .object({
    action: z.string().min(1).default('*'),
    resource: z.string().min(1).default('*'),
    region: z.string().min(1).optional(),
    byOrganization: z.boolean().default(false),
  })
  .strict();

const IamScenario = z
  .object({
    /** The caller may not run the simulator: SimulatePrincipalPolicy answers AccessDenied, as IAM does. */
    simulatorDenied: z.boolean().default(false),
    /** The caller may not read roles: GetRole answers AccessDenied. */
    getRoleDenied: z.boolean().default(false),
    /** The caller's session has expired by the time IAM is asked (STS answered just before): IAM says ExpiredToken. */
    expiredSession: z.boolean().default(false),
    /** Roles by name with their path (`/aws-reserved/sso.amazonaws.com/`); any other role name is at `/`. */
    roles: z.array(z.object({ name: z.string().min(1), path: z.string().regex(/^\/(?:[^/]+\/)*$/) }).strict()).default([]),
    /** The account is in an organization: answers carry OrganizationsDecisionDetail (implied by a byOrganization rule). */
    inOrganization: z.boolean().default(false),
    allowedRegions: z.array(z.string().min(1)).optional(),
    deny: z.array(IamDenyRule).default([]),
    /** Delay before each IAM answer (IAM is answered from us-east-1, far from most callers). */
    latencyMs: Milliseconds.default(0),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    seed: z.number().int().default(1),
    /** Delay before every control-plane answer, per region: round trip plus service time. */
    controlPlaneLatencyMs: PerRegionDelay.default({}),
    /** Delay before the first token (and before a Converse answer), per region. */
    timeToFirstTokenMs: PerRegionDelay.default({}),
    /** Delay between tokens, per region; a distribution is drawn once per request (that request's speed). */
    perTokenMs: PerRegionDelay.default({}),
    /** Extra delay on the first request of each new connection (TCP and TLS handshakes), per region. */
    connectionSetupMs: PerRegionDelay.default({}),
    /**
     * The network round trip every request pays, warm or cold, per region: a refusal, a throttle or a probe is not
     * answered faster than the path allows. The control-plane latency and the TTFT above include it (it is waited
     * first, and the rest of their delay after).
     */
    roundTripMs: PerRegionDelay.default({}),
    throttle: z.array(ThrottleRule).default([]),
    failures: z.array(FailureRule).default([]),
    /** Regions that accept connections and never answer. */
    hang: z.array(RegionOrAny).default([]),
    /** Regions the account has not enabled (403 UnrecognizedClientException). */
    notEnabled: z.array(RegionOrAny).default([]),
    accessDenied: z.array(ModelInRegion).default([]),
    agreementPending: z.array(ModelInRegion).default([]),
    midStreamErrors: z.array(MidStreamError).default([]),
    networkDrops: z.array(NetworkDrop).default([]),
    optimizedQuota: z.array(OptimizedQuota).default([]),
    /**
     * Where cross-region profile requests run: weights per destination, by profile and source region (routing.ts).
     * Without a rule that weights any of a profile's destinations, they are equally likely.
     */
    routing: RoutingScenarioSchema,
    /**
     * Throttle runtime calls by the applied requests- and tokens-per-minute quotas of `quotas` (quota-enforcement.ts):
     * true, or `{ burstSeconds }` for buckets that hold less than a minute's quota. Off by default.
     */
    enforceQuotas: EnforceQuotasSchema,
    /** Who the caller is, as STS GetCallerIdentity answers (the AWS documentation's example user by default). */
    identity: CallerIdentity.prefault({}),
    /**
     * Bedrock API keys the emulator issued (`issueShortTermKey`, `issueLongTermKey` in api-keys.ts): bearer requests
     * with any other key, an expired short-term key, or a short-term key outside its region get Bedrock's 403.
     */
    apiKeys: z.array(z.string().min(1)).default([]),
    /** IAM Identity Center sign-in: how the user at the browser answers the device authorization (services/sso.ts). */
    sso: SsoScenarioSchema.prefault({}),
    /** IAM: the policy simulator's answers for the caller, and its roles' paths. */
    iam: IamScenario.prefault({}),
    /** Service Quotas: values per region, model, route and unit, made-up quotas, refused regions (quota-data.ts). */
    quotas: QuotasScenarioSchema.prefault({}),
    /** CloudWatch: seeded AWS/Bedrock usage series, refused and failing regions, page size (metric-series.ts). */
    cloudwatch: CloudWatchScenarioSchema.prefault({}),
    /** The Price List API: refused or failing, page size, extra raw price documents (price-data.ts). */
    pricing: PricingScenarioSchema.prefault({}),
    /** CloudTrail: when events become visible, LookupEvents' rate, refused regions, duplicated and lost events (trail-log.ts). */
    cloudtrail: CloudTrailScenarioSchema.prefault({}),
    /**
     * S3: buckets that exist from the start, denied, absent and failing requests, a delay, an upload that stalls, the
     * ListObjectsV2 page size and S3's clock skew (services/s3-scenario.ts).
     */
    s3: S3ScenarioSchema.prefault({}),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type MidStreamErrorRule = Scenario['midStreamErrors'][number];

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export function parseScenario(input: unknown, origin = 'scenario'): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
      .join('; ');
    throw new ScenarioError(`Invalid ${origin}: ${details}`);
  }
  return result.data;
}

export function readScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(`Cannot read scenario file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`Scenario file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json, `scenario file ${path}`);
}

export const BUILT_IN_SCENARIOS = ['realistic'] as const;
export type BuiltInScenario = (typeof BUILT_IN_SCENARIOS)[number];

export function loadBuiltInScenario(name: BuiltInScenario): Scenario {
  return parseScenario(JSON.parse(readFileSync(new URL(`./scenarios/${name}.json`, import.meta.url), 'utf8')), name);
}

export const EMPTY_SCENARIO: Scenario = parseScenario({});

export function matchesRegion(ruleRegion: string, region: string): boolean {
  return ruleRegion === '*' || ruleRegion === region;
}

export function matchesModel(ruleModel: string, modelId: string): boolean {
  return ruleModel === '*' || ruleModel === modelId;
}
