import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Fault injection for the emulator. A scenario is plain JSON (a file given with `--scenario`, or a body sent to
 * `PUT /_emulator/scenario`) so that tests, benchmarks and demos share one format.
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
] as const;
export type Operation = (typeof OPERATIONS)[number];

const RegionOrAny = z.string().min(1);
const OperationOrAny = z.union([z.enum(OPERATIONS), z.literal('*')]).default('*');
const PerRegionMs = z.record(RegionOrAny, z.number().nonnegative().max(600_000));

const ThrottleRule = z
  .object({
    region: RegionOrAny.default('*'),
    operation: OperationOrAny,
    /** Throttle the first N matching calls, then let calls through. */
    firstN: z.number().int().positive().optional(),
    /** Or allow at most this many calls per second (a token bucket), throttling the rest. */
    ratePerSecond: z.number().positive().optional(),
  })
  .strict()
  .refine((rule) => (rule.firstN === undefined) !== (rule.ratePerSecond === undefined), {
    message: 'a throttle rule needs exactly one of firstN or ratePerSecond',
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
  .refine((rule) => (rule.firstN === undefined) !== (rule.probability === undefined), {
    message: 'a failure rule needs exactly one of firstN or probability',
  });

const ModelInRegion = z.object({ region: RegionOrAny.default('*'), modelId: z.string().min(1) }).strict();

const MidStreamError = z
  .object({
    region: RegionOrAny.default('*'),
    modelId: z.string().min(1).default('*'),
    afterTokens: z.number().int().nonnegative(),
    exception: z
      .enum([
        'throttlingException',
        'modelStreamErrorException',
        'internalServerException',
        'validationException',
        'serviceUnavailableException',
      ])
      .default('modelStreamErrorException'),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    seed: z.number().int().default(1),
    /** Delay before every control-plane answer, per region: round trip plus service time. */
    controlPlaneLatencyMs: PerRegionMs.default({}),
    /** Delay before the first token (and before a Converse answer), per region. */
    timeToFirstTokenMs: PerRegionMs.default({}),
    /** Delay between tokens, per region. */
    perTokenMs: PerRegionMs.default({}),
    throttle: z.array(ThrottleRule).default([]),
    failures: z.array(FailureRule).default([]),
    /** Regions that accept connections and never answer. */
    hang: z.array(RegionOrAny).default([]),
    /** Regions the account has not enabled (403 UnrecognizedClientException). */
    notEnabled: z.array(RegionOrAny).default([]),
    accessDenied: z.array(ModelInRegion).default([]),
    agreementPending: z.array(ModelInRegion).default([]),
    midStreamErrors: z.array(MidStreamError).default([]),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

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

export function loadBuiltInScenario(name: 'realistic'): Scenario {
  return parseScenario(JSON.parse(readFileSync(new URL(`./scenarios/${name}.json`, import.meta.url), 'utf8')), name);
}

export const EMPTY_SCENARIO: Scenario = parseScenario({});

export function perRegion(table: Record<string, number>, region: string): number {
  return table[region] ?? table['*'] ?? 0;
}

export function matchesRegion(ruleRegion: string, region: string): boolean {
  return ruleRegion === '*' || ruleRegion === region;
}

export function matchesModel(ruleModel: string, modelId: string): boolean {
  return ruleModel === '*' || ruleModel === modelId;
}
