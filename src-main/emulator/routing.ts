import { z } from 'zod';
import type { EmulatorData, InferenceProfileWire, RegionData } from './bedrock-data';
import { SeededStreams } from './random';

/**
 * Where a cross-region inference profile's request runs. Bedrock serves each profile request in one of the
 * profile's destination regions and says which only in CloudTrail (`additionalEventData.inferenceRegion`): the
 * response carries no hint. The scenario's `routing` rules weight the destinations per profile and source region;
 * without a rule that names any of them, every destination is equally likely.
 *
 * The choices are spread evenly rather than drawn like coin tosses, as a load balancer spreads them: the n-th
 * request of a source region and profile takes the point frac(start + n·φ⁻¹) of the cumulative weights, a golden-ratio
 * sequence whose start is drawn from the scenario's seed. Its shares stay within a point or two of the weights at
 * any count (independent draws would stray by 3.5 points over 200 requests at a 60 % weight), and the order of
 * destinations still looks irregular. The same scenario routes the same requests to the same places.
 */

/** 1/φ: successive multiples of it, modulo 1, fill the unit interval most evenly. */
const GOLDEN_STEP = (Math.sqrt(5) - 1) / 2;

const RoutingRule = z
  .object({
    /** A profile id (`us.amazon.nova-lite-v1:0`) or "*". */
    profileId: z.string().min(1).default('*'),
    /** The region called, or "*". */
    sourceRegion: z.string().min(1).default('*'),
    /**
     * Relative weights by destination region. Only the profile's own destinations count: a region it does not
     * route to is ignored, so one "*" rule can weight every profile that shares those destinations.
     */
    weights: z
      .record(z.string().min(1), z.number().nonnegative().max(1_000_000))
      .refine((weights) => Object.values(weights).some((weight) => weight > 0), { message: 'give at least one destination a weight above 0' }),
  })
  .strict();

export const RoutingScenarioSchema = z.array(RoutingRule).default([]);
export type RoutingScenario = z.output<typeof RoutingScenarioSchema>;

const MODEL_ARN_REGION = /^arn:aws:bedrock:([a-z0-9-]*)::foundation-model\//;

/**
 * The regions a profile can serve a request in, from the region it is called in: a geographic profile's are the
 * regions of its model ARNs (as GetInferenceProfile lists them); a global profile's ARN is region-less, and it
 * routes to every region that offers the same global profile.
 */
export function profileDestinations(data: EmulatorData, source: RegionData, profile: InferenceProfileWire): string[] {
  const named = profile.models.map((model) => MODEL_ARN_REGION.exec(model.modelArn)?.[1] ?? '').filter((region) => region !== '');
  const global = profile.models.some((model) => MODEL_ARN_REGION.exec(model.modelArn)?.[1] === '');
  if (!global) return [...new Set(named)];
  const offering = [...data.regions.values()].filter((region) => region.profilesById.has(profile.inferenceProfileId)).map((region) => region.region);
  return [...new Set([...offering, source.region])].sort();
}

export class Router {
  private readonly streams: SeededStreams;
  /** Per source region and profile: the sequence's seeded start and how many requests it has routed. */
  private readonly sequences = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly rules: RoutingScenario,
    seed: number,
  ) {
    this.streams = new SeededStreams(seed);
  }

  /** The destination that serves this request. */
  serve(sourceRegion: string, profileId: string, destinations: readonly string[]): string {
    const weights = this.weightsFor(sourceRegion, profileId, destinations);
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    const key = `routing:${sourceRegion}:${profileId}`;
    let sequence = this.sequences.get(key);
    if (!sequence) {
      sequence = { start: this.streams.uniform(key), count: 0 };
      this.sequences.set(key, sequence);
    }
    const point = (sequence.start + sequence.count++ * GOLDEN_STEP) % 1;
    let draw = point * total;
    for (const [region, weight] of weights) {
      if (draw < weight) return region;
      draw -= weight;
    }
    // Only reached through rounding at the very top of the range: the last destination with any weight.
    return weights.filter(([, weight]) => weight > 0).at(-1)![0];
  }

  /** The most specific rule that weights any of the destinations (a profile, then a source region), then the later. */
  private weightsFor(sourceRegion: string, profileId: string, destinations: readonly string[]): [string, number][] {
    const specificity = (rule: RoutingScenario[number]) => (rule.profileId === '*' ? 0 : 2) + (rule.sourceRegion === '*' ? 0 : 1);
    let chosen: RoutingScenario[number] | undefined;
    for (const rule of this.rules) {
      if (rule.profileId !== '*' && rule.profileId !== profileId) continue;
      if (rule.sourceRegion !== '*' && rule.sourceRegion !== sourceRegion) continue;
      if (!destinations.some((region) => (rule.weights[region] ?? 0) > 0)) continue;
      if (!chosen || specificity(rule) >= specificity(chosen)) chosen = rule;
    }
    return destinations.map((region) => [region, chosen ? (Object.hasOwn(chosen.weights, region) ? chosen.weights[region]! : 0) : 1]);
  }
}
