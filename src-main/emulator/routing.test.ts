import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { data, hello, readStream, useEmulator } from './emulator-harness';
import { profileDestinations, Router, RoutingScenarioSchema } from './routing';
import { loadBuiltInScenario, parseScenario } from './scenario';

const { emulator, runtime } = useEmulator();

const NOVA_LITE_US = 'us.amazon.nova-lite-v1:0';
const SONNET_GLOBAL = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const usEast1 = data.regions.get('us-east-1')!;

function shares(router: Router, source: string, profileId: string, destinations: string[], count: number) {
  const served: Record<string, number> = {};
  for (let request = 0; request < count; request++) {
    const region = router.serve(source, profileId, destinations);
    served[region] = (served[region] ?? 0) + 1;
  }
  return served;
}

describe('profile destinations', () => {
  it('are the regions of a geographic profile’s model ARNs, and every region offering a global profile', () => {
    expect(profileDestinations(data, usEast1, usEast1.profilesById.get(NOVA_LITE_US)!).sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    const global = profileDestinations(data, usEast1, usEast1.profilesById.get(SONNET_GLOBAL)!);
    expect(global).toContain('us-east-1');
    expect(global).toContain('eu-west-1');
    expect(global.length).toBeGreaterThan(5);
    expect(global.every((region) => data.regions.get(region)!.profilesById.has(SONNET_GLOBAL))).toBe(true);
  });
});

describe('the router', () => {
  const destinations = ['us-east-1', 'us-east-2', 'us-west-2'];

  it('spreads requests by the weights: over 200 requests every share is within 2 points whatever the seed, and the same seed routes the same way', () => {
    const rules = RoutingScenarioSchema.parse([{ profileId: NOVA_LITE_US, weights: { 'us-east-1': 6, 'us-east-2': 3, 'us-west-2': 1 } }]);
    for (const seed of [1, 7, 42, 1234, -5]) {
      const served = shares(new Router(rules, seed), 'us-east-1', NOVA_LITE_US, destinations, 200);
      expect(Math.abs(served['us-east-1']! / 200 - 0.6), `seed ${seed}`).toBeLessThanOrEqual(0.02);
      expect(Math.abs(served['us-east-2']! / 200 - 0.3), `seed ${seed}`).toBeLessThanOrEqual(0.02);
      expect(Math.abs(served['us-west-2']! / 200 - 0.1), `seed ${seed}`).toBeLessThanOrEqual(0.02);
    }
    const order = (seed: number) => {
      const router = new Router(rules, seed);
      return Array.from({ length: 30 }, () => router.serve('us-east-1', NOVA_LITE_US, destinations));
    };
    expect(order(7)).toEqual(order(7));
    expect(order(8)).not.toEqual(order(7));
  });

  it('routes evenly without a rule, and never to a destination weighted 0 or not named', () => {
    const even = shares(new Router([], 3), 'us-east-1', NOVA_LITE_US, destinations, 300);
    for (const region of destinations) expect(Math.abs(even[region]! / 300 - 1 / 3)).toBeLessThanOrEqual(0.02);
    const rules = RoutingScenarioSchema.parse([{ weights: { 'us-east-2': 1, 'us-west-2': 0 } }]);
    expect(shares(new Router(rules, 3), 'us-east-1', NOVA_LITE_US, destinations, 50)).toEqual({ 'us-east-2': 50 });
  });

  it('takes the most specific rule that weights one of the profile’s destinations: a profile, then a source region, then the later', () => {
    const rules = RoutingScenarioSchema.parse([
      { profileId: NOVA_LITE_US, weights: { 'us-east-2': 1 } },
      { sourceRegion: 'us-east-1', weights: { 'us-west-2': 1 } },
      { profileId: NOVA_LITE_US, sourceRegion: 'us-east-1', weights: { 'eu-west-1': 1 } },
      { weights: { 'us-east-1': 1 } },
    ]);
    const router = new Router(rules, 1);
    // The most specific rule names no destination of a us. profile: it does not apply.
    expect(shares(router, 'us-east-1', NOVA_LITE_US, destinations, 20)).toEqual({ 'us-east-2': 20 });
    expect(shares(router, 'us-east-1', 'us.amazon.nova-pro-v1:0', destinations, 20)).toEqual({ 'us-west-2': 20 });
    expect(shares(router, 'us-west-2', 'us.amazon.nova-pro-v1:0', destinations, 20)).toEqual({ 'us-east-1': 20 });
  });

  it('refuses rules without a positive weight, naming the field', () => {
    expect(() => parseScenario({ routing: [{ weights: { 'us-east-1': 0 } }] })).toThrow(/routing\.0\.weights: give at least one destination a weight above 0/);
    expect(() => parseScenario({ routing: [{ weights: { 'us-east-1': -1 } }] })).toThrow(/routing\.0\.weights\.us-east-1/);
    expect(() => parseScenario({ routing: [{ weights: { 'us-east-1': 1 }, region: 'x' }] })).toThrow(/routing\.0/);
  });
});

describe('a profile request served in its destination', () => {
  it('takes the destination’s time to first token, while a direct call takes the region called', async () => {
    // Timers are only ever late, so each figure is at or above its configured delay; the direct call's 20 ms and the
    // profile's 150 ms lie far enough apart that one cannot pass for the other.
    emulator().setScenario(
      parseScenario({ timeToFirstTokenMs: { 'us-east-1': 20, 'us-west-2': 150, '*': 20 }, routing: [{ profileId: NOVA_LITE_US, weights: { 'us-west-2': 1 } }] }),
    );
    const client = runtime('us-east-1');
    const latencyOf = async (modelId: string) =>
      (await readStream((await client.send(new ConverseStreamCommand({ modelId, messages: hello, inferenceConfig: { maxTokens: 1 } }))).stream)).metadata!.metrics!.latencyMs!;
    const routed = await latencyOf(NOVA_LITE_US);
    const direct = await latencyOf('amazon.nova-lite-v1:0');
    expect(routed).toBeGreaterThanOrEqual(150);
    expect(direct).toBeGreaterThanOrEqual(20);
    expect(direct).toBeLessThan(150);
  });

  it('takes the destination’s service time, not its round trip: the caller’s round trip stays its own', async () => {
    // us-west-2 answers its own callers in 400 ms, 300 of them the round trip; served there for a caller in
    // us-east-1 (round trip 10 ms), the service's 100 ms remain.
    emulator().setScenario(
      parseScenario({
        timeToFirstTokenMs: { 'us-west-2': 400, '*': 10 },
        roundTripMs: { 'us-west-2': 300, 'us-east-1': 10 },
        routing: [{ profileId: NOVA_LITE_US, weights: { 'us-west-2': 1 } }],
      }),
    );
    const client = runtime('us-east-1');
    const started = performance.now();
    const read = await readStream((await client.send(new ConverseStreamCommand({ modelId: NOVA_LITE_US, messages: hello, inferenceConfig: { maxTokens: 1 } }))).stream);
    const clientTtft = read.arrivals[0]! - started;
    expect(read.metadata!.metrics!.latencyMs!).toBeGreaterThanOrEqual(100);
    expect(clientTtft).toBeGreaterThanOrEqual(110);
    expect(clientTtft).toBeLessThan(400);
  });
});

describe('the realistic scenario', () => {
  it('weights every destination it names among the profile’s own, for a couple of profiles', () => {
    const realistic = loadBuiltInScenario('realistic');
    expect(realistic.routing.length).toBeGreaterThanOrEqual(2);
    for (const rule of realistic.routing) {
      const sources = rule.sourceRegion === '*' ? [...data.regions.values()].filter((region) => region.profilesById.has(rule.profileId)) : [data.regions.get(rule.sourceRegion)!];
      expect(sources.length, rule.profileId).toBeGreaterThan(0);
      const destinations = new Set(sources.flatMap((source) => profileDestinations(data, source, source.profilesById.get(rule.profileId)!)));
      for (const region of Object.keys(rule.weights)) expect(destinations, `${rule.profileId} → ${region}`).toContain(region);
    }
    expect(realistic.enforceQuotas).toBe(true);
    expect(realistic.cloudtrail.delayMs).toBeGreaterThan(0);
  });
});
