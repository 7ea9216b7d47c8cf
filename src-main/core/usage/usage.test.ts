import { afterEach, describe, expect, it } from 'vitest';
import type { RouteUsage, UsageAnswer } from '../../../src-shared/contract/usage';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { AwsClientPool } from '../aws/client-pool';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { emulatedCoreOptions, waitFor } from '../../testing/emulated-core';

/**
 * getUsage through the real composition root and dispatcher, the SDK's CloudWatch client and the emulator's
 * CloudWatch over loopback HTTP: what the scenario seeds is what each route reports, and a region that cannot be
 * read says why instead of reading as idle.
 */

const NOVA_LITE = 'amazon.nova-lite-v1:0';
const US_PROFILE = 'us.amazon.nova-lite-v1:0';
const EU_PROFILE = 'eu.amazon.nova-lite-v1:0';

const emulator = emulatorPerFile();
const cores: AtlasCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

/** A fresh core for each scenario: quotas are fetched once per core. */
async function usage(scenario: ScenarioInput, query: { target?: string; since?: '24h' | '14d'; regions?: string[] } = {}, catalogRegions = ['us-east-1', 'eu-west-1']): Promise<UsageAnswer> {
  emulator.setScenario(parseScenario(scenario));
  const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: catalogRegions } }));
  cores.push(core);
  const envelope = await core.dispatcher.dispatch('getUsage', { target: query.target ?? NOVA_LITE, ...query });
  if (!envelope.ok) throw new Error(`${envelope.error.name}: ${envelope.error.message}`);
  return envelope.value as UsageAnswer;
}

const route = (answer: UsageAnswer, invokeId: string, region = 'us-east-1'): RouteUsage => {
  const found = answer.routes.find((each) => each.invokeId === invokeId && each.region === region);
  if (!found) throw new Error(`no route ${invokeId} in ${region}: ${answer.routes.map((each) => `${each.region} ${each.invokeId}`).join(', ')}`);
  return found;
};

type SeededMinute = NonNullable<NonNullable<ScenarioInput['cloudwatch']>['usage']>[number]['perMinute'][number];
const seeded = (modelId: string, perMinute: SeededMinute[], region = 'us-east-1') => ({ region, modelId, perMinute });

describe('getUsage', () => {
  it('reads every route where the model is callable, by the id each invokes: ok where there are datapoints, no-invocations where none', async () => {
    const answer = await usage({ cloudwatch: { usage: [seeded(US_PROFILE, [{ minutesAgo: 3, invocations: 12, inputTokens: 12_000, outputTokens: 2400 }])] } });
    expect(answer.routes.map((each) => [each.region, each.invokeId, each.routeKind])).toEqual([
      ['us-east-1', NOVA_LITE, 'on-demand'],
      ['us-east-1', US_PROFILE, 'geo-profile'],
      ['eu-west-1', EU_PROFILE, 'geo-profile'],
    ]);
    expect(route(answer, US_PROFILE)).toMatchObject({ status: 'ok', periodSeconds: 60, perHour: false, invocations: 12, peak: { requestsPerMinute: 12, tokensPerMinute: 12_000 + 2400 } });
    expect(route(answer, NOVA_LITE)).toMatchObject({ status: 'no-invocations', points: [], peak: { requestsPerMinute: null, tokensPerMinute: null } });
    expect(route(answer, NOVA_LITE).error).toBeUndefined();
    expect(Date.parse(answer.to) - Date.parse(answer.from)).toBe(24 * 3_600_000);
  });

  it('a call the emulator served shows up under the id it invoked, with the tokens Bedrock reported for it', async () => {
    emulator.setScenario(parseScenario({}));
    const pool = new AwsClientPool({ endpointUrl: emulator.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
    try {
      const { ConverseCommand } = await import('@aws-sdk/client-bedrock-runtime');
      const reply = await (await pool.bedrockRuntime('us-east-1')).send(new ConverseCommand({ modelId: US_PROFILE, messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }], inferenceConfig: { maxTokens: 50 } }));
      const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: ['us-east-1'] } }));
      cores.push(core);
      const envelope = await core.dispatcher.dispatch('getUsage', { target: NOVA_LITE });
      if (!envelope.ok) throw new Error(envelope.error.message);
      const served = route(envelope.value as UsageAnswer, US_PROFILE);
      expect(served).toMatchObject({ status: 'ok', invocations: 1, peak: { requestsPerMinute: 1, tokensPerMinute: (reply.usage?.inputTokens ?? NaN) + (reply.usage?.outputTokens ?? NaN) } });
      expect(route(envelope.value as UsageAnswer, NOVA_LITE).status).toBe('no-invocations');
    } finally {
      pool.destroy();
    }
  });

  it('a minute without a datapoint is a gap (null), never a zero, and makes no peak', async () => {
    const answer = await usage({
      cloudwatch: {
        usage: [seeded(NOVA_LITE, [{ minutesAgo: 9, invocations: 30, inputTokens: 30_000, outputTokens: 3000 }, { minutesAgo: 5, invocations: 10, inputTokens: 10_000, outputTokens: 1000 }, { minutesAgo: 4, invocations: 20, inputTokens: 20_000, outputTokens: 2000 }])],
      },
    });
    const lite = route(answer, NOVA_LITE);
    expect(lite.points).toHaveLength(1440);
    const withData = lite.points.flatMap((point, index) => (point.invocations === null ? [] : [index]));
    expect(withData).toHaveLength(3);
    // 9, 5 and 4 minutes ago: four minutes apart, then one, whichever minute the clock has reached.
    expect(withData.map((index) => index - withData[0]!)).toEqual([0, 4, 5]);
    const between = lite.points[withData[0]! + 1]!;
    expect(between).toMatchObject({ invocations: null, inputTokens: null, outputTokens: null, quotaTokens: null });
    expect(lite.peak).toEqual({ requestsPerMinute: 30, tokensPerMinute: 33_000 });
    // The 1,437 empty minutes count for nothing: the median minute is the middle of 10, 20 and 30.
    expect(lite.median).toEqual({ requestsPerMinute: 20, tokensPerMinute: 22_000 });
    expect(lite.averageTokensPerRequest).toEqual({ input: 1000, output: 100, cacheRead: 0, cacheWrite: 0 });
  });

  it('headroom against the applied quotas matches the emulated usage; throttles are counted over time', async () => {
    const answer = await usage({
      quotas: {
        rules: [
          { region: 'us-east-1', modelId: NOVA_LITE, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 50 },
          { region: 'us-east-1', modelId: NOVA_LITE, routeKind: 'on-demand', unit: 'tokensPerMinute', applied: 100_000 },
        ],
      },
      cloudwatch: { usage: [seeded(NOVA_LITE, [{ minutesAgo: 2, invocations: 10, throttles: 4, inputTokens: 8000, cacheWriteTokens: 1000, cacheReadTokens: 50_000, outputTokens: 1000 }, { minutesAgo: 1, throttles: 3 }])] },
    });
    const lite = route(answer, NOVA_LITE);
    expect(lite.quota).toEqual({ requestsPerMinute: 50, tokensPerMinute: 100_000 });
    expect(lite.peak).toEqual({ requestsPerMinute: 10, tokensPerMinute: 8000 + 1000 + 1000 });
    // 100 x (50 - 10) / 50 = 80; 100 x (100,000 - 10,000) / 100,000 = 90 (the 50,000 cache reads burn nothing).
    expect(lite.headroomPercent).toEqual({ requestsPerMinute: 80, tokensPerMinute: 90 });
    expect(lite.throttles).toBe(7);
    expect(lite.points.filter((point) => point.throttles !== null).map((point) => point.throttles)).toEqual([4, 3]);
  });

  it('every region read has its quotas, asked of Service Quotas once for all of them', async () => {
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const answer = await usage(
      {
        quotas: {
          rules: [
            { region: 'us-east-1', modelId: NOVA_LITE, routeKind: 'geo-profile', unit: 'requestsPerMinute', applied: 111 },
            { region: 'us-west-2', modelId: NOVA_LITE, routeKind: 'geo-profile', unit: 'requestsPerMinute', applied: 333 },
            { region: 'eu-west-1', modelId: NOVA_LITE, routeKind: 'geo-profile', unit: 'requestsPerMinute', applied: 222 },
          ],
        },
      },
      {},
      regions,
    );
    expect(route(answer, US_PROFILE).quota.requestsPerMinute).toBe(111);
    expect(route(answer, US_PROFILE, 'us-west-2').quota.requestsPerMinute).toBe(333);
    expect(route(answer, EU_PROFILE, 'eu-west-1').quota.requestsPerMinute).toBe(222);
    for (const region of regions) expect(emulator.stats().requests[region]?.['servicequotas:ListServiceQuotas']).toBeGreaterThan(0);
  });

  it('a region whose caller lacks cloudwatch:GetMetricData says so on each of its routes, with the fix; the others are read', async () => {
    const answer = await usage({ cloudwatch: { denied: ['eu-west-1'], usage: [seeded(NOVA_LITE, [{ minutesAgo: 2, invocations: 1 }])] } });
    const eu = route(answer, EU_PROFILE, 'eu-west-1');
    expect(eu.status).toBe('denied');
    expect(eu.error?.message).toMatch(/may not read CloudWatch metrics in eu-west-1 \(cloudwatch:GetMetricData is not allowed\): add "cloudwatch:GetMetricData"/);
    expect(eu.points).toEqual([]);
    expect(route(answer, NOVA_LITE).status).toBe('ok');
  });

  it('"could not read" (a failing region) is not "no invocations" (a region that answered empty)', async () => {
    const answer = await usage({ cloudwatch: { failing: ['eu-west-1'] } });
    const failed = route(answer, EU_PROFILE, 'eu-west-1');
    expect(failed.status).toBe('error');
    expect(failed.error?.message).toMatch(/^CloudWatch in eu-west-1 failed on AWS's side \(HTTP 500\): retry in a little while/);
    expect(failed.peak).toEqual({ requestsPerMinute: null, tokensPerMinute: null });
    expect(failed.headroomPercent).toEqual({ requestsPerMinute: null, tokensPerMinute: null });
    expect(route(answer, NOVA_LITE).status).toBe('no-invocations');
  });

  it('over 14 days the periods are hours, each shown per minute of the hour', async () => {
    const answer = await usage({ cloudwatch: { usage: [seeded(NOVA_LITE, [{ minutesAgo: 24 * 60 * 3, invocations: 600, inputTokens: 60_000, outputTokens: 6000 }])] } }, { since: '14d' });
    const lite = route(answer, NOVA_LITE);
    expect(lite).toMatchObject({ periodSeconds: 3600, perHour: true, invocations: 600 });
    expect(lite.points).toHaveLength(336);
    expect(lite.peak).toEqual({ requestsPerMinute: 10, tokensPerMinute: 1100 });
  });

  it('a cancelled read stops waiting for a region that never answers, and says it was cancelled', async () => {
    emulator.setScenario(parseScenario({}));
    const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: ['us-east-1', 'eu-west-1'] } }));
    cores.push(core);
    // The catalog and the quotas are read first; then eu-west-1 stops answering.
    await core.dispatcher.dispatch('getQuotas', { target: NOVA_LITE });
    emulator.setScenario(parseScenario({ hang: ['eu-west-1'] }));
    const abort = new AbortController();
    const pending = core.dispatcher.dispatch('getUsage', { target: NOVA_LITE }, { signal: abort.signal });
    // Both regions were asked at once: once us-east-1 has answered, eu-west-1's request is the one left waiting.
    await waitFor(() => (emulator.stats().requests['us-east-1']?.['monitoring:GetMetricData'] ?? 0) > 0);
    abort.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('reads only the regions asked, and an unknown target is refused by name', async () => {
    const answer = await usage({}, { regions: ['eu-west-1'] });
    expect(answer.routes.map((each) => each.region)).toEqual(['eu-west-1']);
    const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: ['us-east-1'] } }));
    cores.push(core);
    const refused = await core.dispatcher.dispatch('getUsage', { target: 'no-such-model-anywhere' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TARGET' } });
  });
});
