import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { credentials, hello, pooledHandler, readStream } from './emulator-harness';
import { EMPTY_SCENARIO, parseScenario, type ScenarioInput } from './scenario';
import { startEmulator, type RunningEmulator } from './server';

/**
 * Runtime calls throttled by the applied quotas Service Quotas serves, over real HTTP. The emulator's clock is the
 * test's: an offered rate is a step of the clock between calls, so what is throttled is counted, never timed.
 */

const START = Date.UTC(2026, 10, 20, 9, 0, 0);
let now = START;
let emulator: RunningEmulator;
const clients: BedrockRuntimeClient[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ clock: () => now });
});
afterAll(() => emulator.close());
afterEach(() => {
  now = START;
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const client of clients.splice(0)) client.destroy();
});

const NOVA_LITE = 'amazon.nova-lite-v1:0';
const NOVA_LITE_US = 'us.amazon.nova-lite-v1:0';
const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const SONNET_45_US = `us.${SONNET_45}`;

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
const runtime = () => {
  const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1, requestHandler: pooledHandler('http1') });
  clients.push(client);
  return client;
};
const quota = (modelId: string, routeKind: 'on-demand' | 'geo-profile' | 'global-profile', unit: 'requestsPerMinute' | 'tokensPerMinute', applied: number) => ({
  region: 'us-east-1',
  modelId,
  routeKind,
  unit,
  applied,
});

/** Sends `count` calls one after another, the clock stepping `stepMs` before each; counts the outcomes by message. */
async function offer(modelId: string, count: number, stepMs: number, maxTokens = 1) {
  const client = runtime();
  const outcomes: Record<string, number> = {};
  for (let call = 0; call < count; call++) {
    now += stepMs;
    let outcome = 'ok';
    try {
      await client.send(new ConverseCommand({ modelId, messages: hello, inferenceConfig: { maxTokens } }));
    } catch (error) {
      outcome = `${(error as Error).name}: ${(error as Error).message}`;
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return outcomes;
}

const TOO_MANY_REQUESTS = 'ThrottlingException: Too many requests, please wait before trying again.';
const TOO_MANY_TOKENS = 'ThrottlingException: Too many tokens, please wait before trying again.';

describe('requests per minute', () => {
  it('throttles an offered rate above the quota and lets one at or below it through', async () => {
    given({ enforceQuotas: true, quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'requestsPerMinute', 60)] } });
    // 2 a second for two minutes against 60 a minute: the full bucket's 60, then one a second.
    const above = await offer(NOVA_LITE, 240, 500);
    expect(above.ok).toBeGreaterThanOrEqual(179);
    expect(above.ok).toBeLessThanOrEqual(181);
    expect(above[TOO_MANY_REQUESTS]).toBe(240 - above.ok!);

    given({ enforceQuotas: true, quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'requestsPerMinute', 60)] } });
    expect(await offer(NOVA_LITE, 120, 1000)).toEqual({ ok: 120 });
    expect(await offer(NOVA_LITE, 60, 2000)).toEqual({ ok: 60 });
  });

  it('holds each route to its own quota: the geo profile’s, not the model’s on-demand one', async () => {
    given({ enforceQuotas: true, quotas: { rules: [quota(NOVA_LITE, 'geo-profile', 'requestsPerMinute', 10)] } });
    expect(await offer(NOVA_LITE_US, 12, 0)).toEqual({ ok: 10, [TOO_MANY_REQUESTS]: 2 });
    expect(await offer(NOVA_LITE, 12, 0)).toEqual({ ok: 12 });
  });

  it('is off unless the scenario enforces quotas, and a quota of 0 admits nothing', async () => {
    given({ quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'requestsPerMinute', 5)] } });
    expect(await offer(NOVA_LITE, 20, 0)).toEqual({ ok: 20 });
    given({ enforceQuotas: true, quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'requestsPerMinute', 0)] } });
    expect(await offer(NOVA_LITE, 3, 1000)).toEqual({ [TOO_MANY_REQUESTS]: 3 });
  });

  it('holds a smaller burst when the scenario says so', async () => {
    given({ enforceQuotas: { burstSeconds: 5 }, quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'requestsPerMinute', 60)] } });
    expect(await offer(NOVA_LITE, 8, 0)).toEqual({ ok: 5, [TOO_MANY_REQUESTS]: 3 });
  });
});

describe('tokens per minute', () => {
  it('reserves input plus max_tokens at the start: calls in flight together are throttled by what they might write', async () => {
    // Each call is held a second, long after the twelve have arrived and reserved.
    given({ enforceQuotas: true, timeToFirstTokenMs: { '*': 1000 }, quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'tokensPerMinute', 10_000)] } });
    const client = runtime();
    const together = (maxTokens: number) =>
      Promise.allSettled(Array.from({ length: 12 }, () => client.send(new ConverseCommand({ modelId: NOVA_LITE, messages: hello, inferenceConfig: { maxTokens } }))));
    // Each reserves its few input tokens and 1,000 more: nine fit in 10,000, three do not.
    const large = await together(1000);
    expect(large.filter((result) => result.status === 'fulfilled')).toHaveLength(9);
    const refused = large.filter((result) => result.status === 'rejected').map((result) => `${(result.reason as Error).name}: ${(result.reason as Error).message}`);
    expect(refused).toEqual([TOO_MANY_TOKENS, TOO_MANY_TOKENS, TOO_MANY_TOKENS]);
    // Settled at what they cost (a few dozen tokens each), the reservations came back: small ones all pass.
    const small = await together(10);
    expect(small.filter((result) => result.status === 'fulfilled')).toHaveLength(12);
  });

  it('settles at input + output × the model’s burndown: a 5× model runs out after the number of calls its cost predicts', async () => {
    const tpm = 2000;
    given({ enforceQuotas: true, quotas: { rules: [quota(SONNET_45, 'geo-profile', 'tokensPerMinute', tpm)] } });
    const client = runtime();
    const answer = await client.send(new ConverseCommand({ modelId: SONNET_45_US, messages: hello, inferenceConfig: { maxTokens: 20 } }));
    const cost = answer.usage!.inputTokens! + 5 * answer.usage!.outputTokens!;
    const reserved = answer.usage!.inputTokens! + 20;
    const outcomes = await offer(SONNET_45_US, 40, 0, 20);
    // The first call above took `cost`; the k-th more is admitted while tpm - k·cost ≥ reserved.
    expect(outcomes.ok).toBe(Math.floor((tpm - cost - reserved) / cost) + 1);
    expect(cost).toBeGreaterThan(reserved);
  });

  it('throttles a stream the same way, and CloudWatch and CloudTrail count the throttles', async () => {
    given({ enforceQuotas: true, cloudtrail: { ratePerSecond: 100 }, quotas: { rules: [quota(NOVA_LITE, 'on-demand', 'requestsPerMinute', 1)] } });
    const client = runtime();
    await readStream((await client.send(new ConverseStreamCommand({ modelId: NOVA_LITE, messages: hello, inferenceConfig: { maxTokens: 1 } }))).stream);
    const throttled = await client.send(new ConverseStreamCommand({ modelId: NOVA_LITE, messages: hello })).catch((error: Error) => error);
    expect(throttled).toMatchObject({ name: 'ThrottlingException', message: 'Too many requests, please wait before trying again.', $metadata: { httpStatusCode: 429 } });
    const trail = new CloudTrailClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
    const events = (await trail.send(new LookupEventsCommand({}))).Events!.map((event) => JSON.parse(event.CloudTrailEvent!) as { errorCode?: string });
    trail.destroy();
    expect(events.map((event) => event.errorCode ?? 'ok')).toEqual(['ThrottlingException', 'ok']);
  });
});
