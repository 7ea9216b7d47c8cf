import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapacityAnswer, CapacityInput } from '../../../src-shared/contract/capacity';
import type { Envelope } from '../../../src-shared/envelope';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { emulatedCoreOptions } from '../../testing/emulated-core';

/**
 * The capacity method through the real composition root: the catalog, the quotas feature over the emulator's Service
 * Quotas, the usage feature over its CloudWatch, and the calculator. Quotas and usage are the scenario's, so every
 * figure is known in advance.
 */

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const GLOBAL = `global.${SONNET_45}`;
const US = `us.${SONNET_45}`;

const emulator = emulatorPerFile();
const cores: AtlasCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

/** The bundled files beside the bundled catalog (the price table among them) are used only where a test says so. */
const BUNDLED_CATALOG = fileURLToPath(new URL('../../../bundled/bedrock_catalog_bundled.json', import.meta.url));
const BUNDLED_PRICES = fileURLToPath(new URL('../../../bundled/bedrock_prices.json', import.meta.url));

async function coreFor(scenario: ScenarioInput, { bundled = false } = {}): Promise<AtlasCore> {
  emulator.setScenario(parseScenario(scenario));
  const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: ['us-east-1', 'us-west-2'] }, ...(bundled ? { bundledPath: BUNDLED_CATALOG } : {}) }));
  cores.push(core);
  return core;
}

/** 2,000 input, 500 written to the cache, 10,000 read from it, 400 out of 4,000 max_tokens: settled 4,500 at 5x. */
const WORKLOAD = { target: SONNET_45, from: 'us-east-1', rpm: 100, inputTokens: 2000, cacheWriteTokens: 500, cacheReadTokens: 10_000, outputTokens: 400, maxTokens: 4000 };

async function capacity(core: AtlasCore, input: CapacityInput): Promise<Envelope<CapacityAnswer>> {
  return (await core.dispatcher.dispatch('capacity', input)) as Envelope<CapacityAnswer>;
}

async function answered(core: AtlasCore, input: CapacityInput = WORKLOAD): Promise<CapacityAnswer> {
  const envelope = await capacity(core, input);
  if (!envelope.ok) throw new Error(`${envelope.error.name}: ${envelope.error.message}`);
  return envelope.value;
}

const rule = (routeKind: 'geo-profile' | 'global-profile', unit: 'requestsPerMinute' | 'tokensPerMinute' | 'tokensPerDay', applied: number) => ({ region: 'us-east-1', modelId: SONNET_45, routeKind, unit, applied });
const routeOf = (answer: CapacityAnswer, invokeId: string) => answer.routes.find((route) => route.invokeId === invokeId)!;

describe('capacity', () => {
  it('is exact for known quotas, burndown and tokens, every route from the region side by side, best first', async () => {
    const core = await coreFor({
      quotas: {
        rules: [
          rule('global-profile', 'requestsPerMinute', 1000),
          rule('global-profile', 'tokensPerMinute', 3_000_000),
          rule('global-profile', 'tokensPerDay', 7_200_000_000),
          rule('geo-profile', 'requestsPerMinute', 200),
          rule('geo-profile', 'tokensPerMinute', 5_000_000),
        ],
      },
    });
    const answer = await answered(core);
    expect(answer.burndown).toMatchObject({ rate: 5, asOf: '2026-03-12', source: 'https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html' });
    expect(answer.burndown.matchedEntry).toMatch(/^anthropic\.claude-sonnet-4-5 \(Claude Sonnet 4\.5, listed by AWS\)/);
    expect(answer.routes.map((route) => route.invokeId)).toEqual([GLOBAL, US]);
    expect(routeOf(answer, GLOBAL)).toMatchObject({
      routeKind: 'global-profile',
      settledTokensPerRequest: 2000 + 500 + 400 * 5,
      reservedTokensPerRequest: 2000 + 500 + 4000,
      burndownRate: 5,
      // TPM carries floor(3,000,000 / 4,500) = 666; RPM 1,000; TPD floor(7,200,000,000 / (1,440 x 4,500)) = 1,111.
      maxRequestsPerMinute: 666,
      bindingLimit: 'tokens-per-minute',
      maxInFlightByReservation: Math.floor(3_000_000 / 6500),
      tokensPerMinuteAtTarget: 450_000,
    });
    expect(routeOf(answer, US)).toMatchObject({ routeKind: 'geo-profile', maxRequestsPerMinute: 200, bindingLimit: 'requests-per-minute', maxInFlightByReservation: Math.floor(5_000_000 / 6500) });
    expect(answer.quotasFetchedAt).not.toBeNull();
    expect(answer.quotasError).toBeNull();
  });

  it('binds on tokens per day when Service Quotas says so, and never derives it from tokens per minute', async () => {
    const core = await coreFor({ quotas: { rules: [rule('global-profile', 'tokensPerMinute', 3_000_000), rule('global-profile', 'tokensPerDay', 1_000_000_000)] } });
    const global = routeOf(await answered(core), GLOBAL);
    // floor(1,000,000,000 / (1,440 x 4,500)) = 154, below TPM's 666.
    expect(global).toMatchObject({ maxRequestsPerMinute: 154, bindingLimit: 'tokens-per-day' });
    expect(global.quotas.tokensPerDay?.applied).toBe(1_000_000_000);
  });

  it('a large max_tokens lowers the requests in flight, not the requests per minute; cache reads change nothing', async () => {
    const core = await coreFor({ quotas: { rules: [rule('global-profile', 'tokensPerMinute', 3_000_000)] } });
    const modest = routeOf(await answered(core), GLOBAL);
    const large = routeOf(await answered(core, { ...WORKLOAD, maxTokens: 64_000 }), GLOBAL);
    const noCacheReads = routeOf(await answered(core, { ...WORKLOAD, cacheReadTokens: 0 }), GLOBAL);
    expect(large.maxRequestsPerMinute).toBe(modest.maxRequestsPerMinute);
    expect(large.maxInFlightByReservation).toBe(Math.floor(3_000_000 / (2000 + 500 + 64_000)));
    expect(modest.maxInFlightByReservation).toBe(Math.floor(3_000_000 / 6500));
    expect(noCacheReads.settledTokensPerRequest).toBe(modest.settledTokensPerRequest);
  });

  it('headroom is the room left for the target on top of the emulated peak', async () => {
    const core = await coreFor({
      quotas: { rules: [rule('global-profile', 'requestsPerMinute', 1000), rule('global-profile', 'tokensPerMinute', 3_000_000), rule('global-profile', 'tokensPerDay', 7_200_000_000)] },
      cloudwatch: {
        usage: [
          {
            region: 'us-east-1',
            modelId: GLOBAL,
            perMinute: [
              { minutesAgo: 3, invocations: 50, inputTokens: 100_000, outputTokens: 20_000 },
              { minutesAgo: 2, invocations: 80, inputTokens: 160_000, outputTokens: 32_000 },
            ],
          },
        ],
      },
    });
    const global = routeOf(await answered(core), GLOBAL);
    // The peak minute: 80 requests, 160,000 + 32,000 x 5 = 320,000 quota tokens.
    expect(global.currentPeak).toEqual({ requestsPerMinute: 80, tokensPerMinute: 320_000 });
    expect(global.usage).toMatchObject({ status: 'ok', quotaTokensLast24h: 200_000 + 320_000 });
    // RPM 100 x (1,000 - 180) / 1,000 = 82; TPM 100 x (3,000,000 - (450,000 + 320,000)) / 3,000,000 = 74.3;
    // TPD 100 x (7,200,000,000 - (648,000,000 + 520,000)) / 7,200,000,000 = 91.0: TPM leaves the least.
    expect(global).toMatchObject({ headroomPercent: 74.3, headroomLimit: 'tokens-per-minute' });
    expect(routeOf(await answered(core), US).currentPeak).toEqual({ requestsPerMinute: 0, tokensPerMinute: 0 });
  });

  it('a route with no quota found reads null, never a number; a quota of 0 carries 0; quotas that cannot be read say why', async () => {
    const noQuota = await answered(await coreFor({}), { ...WORKLOAD, target: 'anthropic.claude-opus-4-7', maxTokens: 4000 });
    expect(noQuota.routes.length).toBeGreaterThan(0);
    for (const route of noQuota.routes) expect(route).toMatchObject({ maxRequestsPerMinute: null, maxInFlightByReservation: null, bindingLimit: null, headroomPercent: null, quotas: {} });
    const mixed = await answered(await coreFor({ quotas: { rules: [rule('global-profile', 'tokensPerMinute', 0)] } }));
    expect(routeOf(mixed, GLOBAL)).toMatchObject({ maxRequestsPerMinute: 0, bindingLimit: 'tokens-per-minute', headroomPercent: null });
    const denied = await answered(await coreFor({ quotas: { denied: ['us-east-1'] } }));
    expect(denied.quotasError).toMatchObject({ code: 'AccessDeniedException', message: expect.stringContaining('servicequotas:ListServiceQuotas') });
    for (const route of denied.routes) expect(route.maxRequestsPerMinute).toBeNull();
  });

  it('the usage a denied CloudWatch could not read leaves the headroom unknown, not made up', async () => {
    const core = await coreFor({ cloudwatch: { denied: ['us-east-1'] }, quotas: { rules: [rule('global-profile', 'requestsPerMinute', 1000)] } });
    const global = routeOf(await answered(core), GLOBAL);
    expect(global).toMatchObject({ maxRequestsPerMinute: 1000, headroomPercent: null, currentPeak: null, usage: { status: 'denied' } });
    expect(global.usage.error?.message).toContain('cloudwatch:GetMetricData');
  });

  it('costs 1,000 requests at the billed token mix of each route, at that route\'s price from the table in force', async () => {
    const haiku = 'anthropic.claude-haiku-4-5-20251001-v1:0';
    const answer = await answered(await coreFor({}, { bundled: true }), { ...WORKLOAD, target: haiku });
    // A new session prices from the bundled table until the Price List has answered.
    expect(answer.priceTable?.source).toBe('bundled');
    const table = JSON.parse(readFileSync(BUNDLED_PRICES, 'utf8')) as { rows: { modelId: string; region: string; routeKind: string; tier: string; perMillion: Record<'input' | 'output' | 'cacheRead' | 'cacheWrite', number | null> }[] };
    const expected = (routeKind: string): number | null => {
      const row = table.rows.find((each) => each.modelId === haiku && each.region === 'us-east-1' && each.routeKind === routeKind && each.tier === 'standard');
      const { input, output, cacheRead, cacheWrite } = row?.perMillion ?? { input: null, output: null, cacheRead: null, cacheWrite: null };
      if (input === null || output === null || cacheRead === null || cacheWrite === null) return null;
      // 2,000 input, 400 output, 10,000 cache reads and 500 cache writes billed as they are (burndown is for quotas only).
      return ((2000 * input + 400 * output + 10_000 * cacheRead + 500 * cacheWrite) / 1_000_000) * 1000;
    };
    for (const [invokeId, routeKind] of [[`global.${haiku}`, 'global'], [`us.${haiku}`, 'geo']] as const) {
      const cost = expected(routeKind);
      if (cost === null) expect(routeOf(answer, invokeId).costPer1000Requests).toBeNull();
      else expect(routeOf(answer, invokeId).costPer1000Requests).toBeCloseTo(cost, 6);
    }
    expect(expected('global')).not.toBeNull();
  });

  it('a concurrency with a request duration is the rate it sustains', async () => {
    const core = await coreFor({});
    const answer = await answered(core, { ...WORKLOAD, rpm: undefined, concurrency: 20, durationMs: 4000 });
    expect(answer.targetRequestsPerMinute).toBe(300);
    expect(routeOf(answer, GLOBAL).tokensPerMinuteAtTarget).toBe(300 * 4500);
  });
});

describe('capacity: inputs it refuses, each with the valid range', () => {
  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    ['a negative rate', { rpm: -5 }, 'rpm', /from 1 to 10,000,000/],
    ['a zero rate', { rpm: 0 }, 'rpm', /from 1 to 10,000,000/],
    ['a non-numeric rate', { rpm: 'fast' }, 'rpm', /must be a whole number from 1 to 10,000,000/],
    ['a fractional token count', { inputTokens: 10.5 }, 'inputTokens', /Input tokens must be a whole number from 1 to 10,000,000/],
    ['zero input tokens', { inputTokens: 0 }, 'inputTokens', /from 1 to 10,000,000/],
    ['negative cache reads', { cacheReadTokens: -1 }, 'cacheReadTokens', /from 0 to 10,000,000/],
    ['more output than max_tokens', { outputTokens: 5000 }, 'outputTokens', /cannot exceed max_tokens/],
    ['a rate and a concurrency', { concurrency: 4, durationMs: 1000 }, '', /either a rate/],
  ];

  it.each(refusals)('%s', async (_name, change, path, message) => {
    const core = await coreFor({});
    const envelope = await capacity(core, { ...WORKLOAD, ...change } as CapacityInput);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('INVALID_ARGUMENT');
    expect(envelope.error.issues?.find((issue) => issue.path === path)?.message).toMatch(message);
    // Nothing was spent on a refused workload, and the next good one is answered.
    expect(emulator.stats().requests['us-east-1']?.['monitoring:GetMetricData'] ?? 0).toBe(0);
    expect((await answered(core)).routes.length).toBeGreaterThan(0);
  });

  it('a max_tokens above the model\'s output limit names the model\'s range and the table it comes from', async () => {
    const core = await coreFor({});
    const envelope = await capacity(core, { ...WORKLOAD, maxTokens: 100_000, outputTokens: 400 });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    if (envelope.ok) return;
    expect(envelope.error.issues).toEqual([
      {
        path: 'maxTokens',
        message: expect.stringMatching(/^max_tokens must be a whole number from 1 to 64,000 for anthropic\.claude-sonnet-4-5-20250929-v1:0: it writes at most 64,000 output tokens \(model limits table of 2026-07-24/),
      },
    ]);
    expect((await answered(core, { ...WORKLOAD, maxTokens: 64_000 })).workload.maxTokens).toBe(64_000);
  });

  it('a model that cannot be called from the region is refused with where it can be', async () => {
    const core = await coreFor({});
    const envelope = await capacity(core, { ...WORKLOAD, target: 'no-such-model-anywhere' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TARGET' } });
  });
});
