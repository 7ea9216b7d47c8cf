import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BedrockRuntimeClient, ConverseCommand, type Message } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConverseInputSchema, LatencyRunInputSchema } from '../../../src-shared/contract';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { API_KEY_REFUSED, issueLongTermKey, issueShortTermKey, REGION_HEADER } from '../../emulator/api-keys';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario } from '../../emulator/scenario';
import { BedrockApiKeys } from './bedrock-api-key';
import { AwsClientPool } from './client-pool';
import { explainAwsError } from './errors';

/**
 * Bedrock calls authenticated with an API key, from the pool's real SDK clients to the emulator over loopback
 * HTTP. No AWS credentials are given: a call that is answered was answered for the key.
 */

const MODEL = 'minimax.minimax-m2';
const hello: Message[] = [{ role: 'user', content: [{ text: 'Say hello' }] }];
let emulator: RunningEmulator;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
});

function poolWithKey(key: string): AwsClientPool {
  const pool = new AwsClientPool({ endpointUrl: emulator.url, apiKeys: new BedrockApiKeys(key, null), maxAttempts: 1 });
  cleanup.push(() => pool.destroy());
  return pool;
}

const converse = async (pool: AwsClientPool, region: string) => (await pool.bedrockRuntime(region)).send(new ConverseCommand({ modelId: MODEL, messages: hello, inferenceConfig: { maxTokens: 4 } }));

function explained(pool: AwsClientPool, region: string, error: unknown) {
  return explainAwsError(error, { service: 'Bedrock', region, redact: (text) => pool.redact(text) });
}

async function failure(pool: AwsClientPool, region: string) {
  try {
    await converse(pool, region);
  } catch (error) {
    return explained(pool, region, error);
  }
  throw new Error('the call was answered');
}

const requestsIn = (region: string) => Object.values(emulator.stats().requests[region] ?? {}).reduce((sum, count) => sum + count, 0);
/** Bedrock's own operations: the emulator counts other services' as `service:Operation`. */
const bedrockRequestsIn = (region: string) =>
  Object.entries(emulator.stats().requests[region] ?? {}).reduce((sum, [operation, count]) => (operation.includes(':') ? sum : sum + count), 0);

describe('Bedrock calls with an API key', () => {
  it('sends the key as a bearer token: answered when the emulator issued it, refused with Bedrock 403 when not', async () => {
    const key = issueShortTermKey({ region: 'eu-west-1' });
    const pool = poolWithKey(key);
    const refused = await failure(pool, 'eu-west-1');
    expect(refused.code).toBe('ApiKeyRejected');
    expect(refused.errorClass).toBe('credentials');
    expect(refused.message).toMatch(/^Bedrock did not accept the API key in eu-west-1: check that the key is complete/);
    expect(refused.message).toContain(API_KEY_REFUSED);
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    const answer = await converse(pool, 'eu-west-1');
    expect(answer.output?.message?.content?.[0]?.text).toBeTruthy();
    expect(requestsIn('eu-west-1')).toBe(2);
  });

  it('refuses a short-term key outside its region before sending anything, naming the one region it works in', async () => {
    const key = issueShortTermKey({ region: 'eu-west-1' });
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    const refusal = await failure(poolWithKey(key), 'us-east-1');
    expect(refusal.code).toBe('ApiKeyRegion');
    expect(refusal.errorClass).toBe('credentials');
    expect(refusal.message).toBe(
      'This short-term API key works only in eu-west-1: us-east-1 is not callable with this key. Use AWS credentials or a long-term API key to call other regions.',
    );
    expect(requestsIn('us-east-1')).toBe(0);
  });

  it('refuses an expired short-term key before sending anything, with when it expired', async () => {
    const signedAt = new Date(Math.floor((Date.now() - 13 * 3600_000) / 1000) * 1000);
    const key = issueShortTermKey({ region: 'eu-west-1', signedAt, expiresSeconds: 43_200 });
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    const refusal = await failure(poolWithKey(key), 'eu-west-1');
    expect(refusal.code).toBe('ApiKeyExpired');
    expect(refusal.message).toContain(`expired at ${new Date(signedAt.getTime() + 43_200_000).toISOString()}`);
    expect(requestsIn('eu-west-1')).toBe(0);
  });

  it('refuses a malformed key before sending anything, and its message never holds the key', async () => {
    const key = `bedrock-api-key-${Buffer.from('bedrock.amazonaws.com/?Action=CallWithBearerToken&Version=1').toString('base64')}`;
    const refusal = await failure(poolWithKey(key), 'eu-west-1');
    expect(refusal.code).toBe('ApiKeyMalformed');
    expect(refusal.message).toMatch(/no X-Amz-Credential, so it names no region/);
    expect(refusal.message).not.toContain(key);
    expect(requestsIn('eu-west-1')).toBe(0);
  });

  it('calls every region with a long-term key the emulator issued', async () => {
    const key = issueLongTermKey();
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    const pool = poolWithKey(key);
    for (const region of ['us-east-1', 'ap-northeast-1']) await converse(pool, region);
    expect([requestsIn('us-east-1'), requestsIn('ap-northeast-1')]).toEqual([1, 1]);
  });

  it('redacts the key from any text the pool lets out', () => {
    const key = issueLongTermKey({ id: 'redx' });
    expect(poolWithKey(key).redact(`proxy echoed: Authorization=${key} and ${key.slice(4)}`)).not.toContain(key);
  });
});

describe('the emulator as Bedrock answers bearer requests', () => {
  /** A plain SDK client, as any program would make one: the key, and the region header the emulator needs. */
  function rawClient(region: string, key: string, regionHeader = region) {
    const client = new BedrockRuntimeClient({
      region,
      endpoint: emulator.url,
      token: async () => ({ token: key }),
      authSchemePreference: ['httpBearerAuth'],
      credentials: { accessKeyId: 'AKIDNOTUSED', secretAccessKey: 'x' },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    client.middlewareStack.add((next) => async (args) => ((args.request as { headers: Record<string, string> }).headers[REGION_HEADER] = regionHeader, next(args)), { step: 'build' });
    cleanup.push(() => client.destroy());
    return client;
  }

  it('answers a short-term key used in another region with 403 AccessDeniedException', async () => {
    const key = issueShortTermKey({ region: 'eu-west-1' });
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    await rawClient('eu-west-1', key).send(new ConverseCommand({ modelId: MODEL, messages: hello }));
    const error = await rawClient('us-east-1', key).send(new ConverseCommand({ modelId: MODEL, messages: hello })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AccessDeniedException', message: API_KEY_REFUSED, $metadata: { httpStatusCode: 403 } });
  });

  it('answers an expired short-term key with 403, even one it issued', async () => {
    const key = issueShortTermKey({ region: 'eu-west-1', signedAt: new Date(Date.now() - 2 * 3600_000), expiresSeconds: 3600 });
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    const error = await rawClient('eu-west-1', key).send(new ConverseCommand({ modelId: MODEL, messages: hello })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });
});

describe('a catalog scan with a short-term key', () => {
  let core: AtlasCore;
  afterEach(() => core?.close());

  it('scans the key region, and marks the others "not callable with this key" with one cause, without calling them', async () => {
    const key = issueShortTermKey({ region: 'eu-west-1' });
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    core = await createAtlasCore({
      version: '0.0.0-test',
      endpointUrl: emulator.url,
      bedrockApiKey: key,
      overrides: { cacheMode: 'none', regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] },
    });
    const envelope = await core.dispatcher.dispatch('refreshCatalog', undefined);
    if (!envelope.ok) throw new Error(envelope.error.message);
    const { document, meta } = envelope.value as { document: { regions: Record<string, { status: string; error?: unknown }> }; meta: { warnings: string[] } };
    expect(document.regions['eu-west-1']?.status).toBe('ok');
    for (const region of ['us-east-1', 'ap-northeast-1']) {
      expect(document.regions[region]).toMatchObject({
        status: 'error',
        error: { code: 'ApiKeyRegion', errorClass: 'credentials', message: expect.stringMatching(`^This short-term API key works only in eu-west-1: ${region} is not callable with this key`) },
      });
      expect(requestsIn(region)).toBe(0);
    }
    expect(meta.warnings).toEqual(['This short-term API key works only in eu-west-1: 2 regions are not callable with this key (us-east-1, ap-northeast-1)']);
    expect(JSON.stringify(envelope)).not.toContain(key);
  });
});

describe('latency runs and prompts with a short-term key', () => {
  let core: AtlasCore;
  afterEach(() => core?.close());
  const signal = new AbortController().signal;

  async function keyCore() {
    const key = issueShortTermKey({ region: 'eu-west-1' });
    emulator.setScenario(parseScenario({ apiKeys: [key] }));
    core = await createAtlasCore({ version: '0.0.0-test', endpointUrl: emulator.url, bedrockApiKey: key, overrides: { cacheMode: 'none', regions: ['us-east-1', 'eu-west-1'] } });
    await core.dispatcher.dispatch('refreshCatalog', undefined);
    emulator.resetStats();
    return key;
  }

  it('plans a run only where the key works and sets the other regions aside with the one cause', async () => {
    await keyCore();
    const input = LatencyRunInputSchema.parse({ target: MODEL, regions: ['us-east-1', 'eu-west-1'], runs: 2, warmup: 0, maxTokens: 4 });
    const estimate = await core.handlers.estimateLatencyRun(input, { signal });
    expect(Object.keys(estimate.routes)).toEqual(['eu-west-1']);
    expect(estimate.unavailable['us-east-1']).toEqual({ code: 'ApiKeyRegion', message: expect.stringMatching(/^This short-term API key works only in eu-west-1: us-east-1 is not callable/) });
    const report = await core.streamHandlers.runLatency(input, { signal, emit: async () => {} });
    expect(report.regions['us-east-1']).toMatchObject({ error: { code: 'ApiKeyRegion' } });
    expect(report.regions['eu-west-1']).toMatchObject({ samples: 2 });
    // No Bedrock call there (the Price List API answers in us-east-1 whatever the key's region: it is not Bedrock).
    expect(bedrockRequestsIn('us-east-1')).toBe(0);
  });

  it('refuses a prompt outside the key region with one named error, sending nothing', async () => {
    await keyCore();
    const input = ConverseInputSchema.parse({ target: MODEL, region: 'us-east-1', messages: hello, inferenceConfig: { maxTokens: 4 } });
    const error = await core.streamHandlers.converse(input, { signal, emit: async () => {} }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ApiKeyRegion', message: expect.stringMatching(/^This short-term API key works only in eu-west-1/) });
    expect(requestsIn('us-east-1')).toBe(0);
  });
});
