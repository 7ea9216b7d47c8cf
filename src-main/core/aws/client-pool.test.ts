import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConverseCommand, ConverseStreamCommand, type Message } from '@aws-sdk/client-bedrock-runtime';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario } from '../../emulator/scenario';
import { AwsClientPool } from './client-pool';
import { cappedRetryStrategy, retryBackoffMs, RETRY_MAX_DELAY_MS } from './retry';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const hello: Message[] = [{ role: 'user', content: [{ text: 'Say hello' }] }];
const MODEL = 'us.amazon.nova-2-lite-v1:0';
let emulator: RunningEmulator;
const cleanup: (() => void)[] = [];

function clients(options: Partial<ConstructorParameters<typeof AwsClientPool>[0]> = {}) {
  const pool = new AwsClientPool({ endpointUrl: emulator.url, credentials, ...options });
  cleanup.push(() => pool.destroy());
  return pool;
}

async function stream(pool: AwsClientPool, region: string, options: { retries?: boolean } = {}): Promise<string> {
  const response = await (await pool.bedrockRuntime(region, { streaming: true, ...options })).send(new ConverseStreamCommand({ modelId: MODEL, messages: hello, inferenceConfig: { maxTokens: 8 } }));
  let text = '';
  for await (const event of response.stream!) text += event.contentBlockDelta?.delta?.text ?? '';
  return text;
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const done of cleanup.splice(0)) done();
});

describe('runtime connections', () => {
  it('runs 5 sequential ConverseStream calls over one connection', async () => {
    const pool = clients();
    for (let call = 0; call < 5; call++) expect(await stream(pool, 'us-east-1')).not.toBe('');
    expect(emulator.stats().runtimeConnections['us-east-1']).toBe(1);
    expect(pool.connectionStats('us-east-1')).toEqual({ opened: 1, reused: 4 });
  });

  it('opens at most 3 connections for calls 3 at a time', async () => {
    // Streams that take a while overlap for sure, so each round really needs three connections at once.
    emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 100 } }));
    const pool = clients();
    for (let round = 0; round < 3; round++) await Promise.all([0, 1, 2].map(() => stream(pool, 'us-west-2')));
    expect(emulator.stats().runtimeConnections['us-west-2']).toBe(3);
    expect(pool.connectionStats('us-west-2')).toEqual({ opened: 3, reused: 6 });
  });

  it('shares the pool between plain, streaming and no-retry clients of a region, and keeps regions apart', async () => {
    const pool = clients();
    await (await pool.bedrockRuntime('us-east-1')).send(new ConverseCommand({ modelId: MODEL, messages: hello }));
    await stream(pool, 'us-east-1', { retries: false });
    await stream(pool, 'us-east-1');
    await (await pool.bedrockRuntime('us-east-2')).send(new ConverseCommand({ modelId: MODEL, messages: hello }));
    expect(pool.connectionStats('us-east-1')).toEqual({ opened: 1, reused: 2 });
    expect(pool.connectionStats('us-east-2')).toEqual({ opened: 1, reused: 0 });
    expect(pool.connectionStats('eu-west-1')).toEqual({ opened: 0, reused: 0 });
    expect(emulator.stats().runtimeConnections).toEqual({ 'us-east-1': 1, 'us-east-2': 1 });
  });

  it('lets a stream stay silent longer than a plain call may', async () => {
    // 600 ms before the first token: past the plain read timeout, within the streaming one.
    emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 600 } }));
    const pool = clients({ runtimeTimeouts: { readTimeoutMs: 250, streamReadTimeoutMs: 5_000 } });
    expect(await stream(pool, 'us-east-1')).not.toBe('');
    await expect((await pool.bedrockRuntime('us-east-1', { retries: false })).send(new ConverseCommand({ modelId: MODEL, messages: hello }))).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(/timed out after 250 ms of inactivity/),
    });
  });

  it('tells a socket listener about each new and reused socket, before the socket connects', async () => {
    const pool = clients();
    const seen: { reused: boolean; connecting: boolean }[] = [];
    const stop = pool.runtimeConnections('us-east-1').onSocket((socket, { reused }) =>
      seen.push({ reused, connecting: (socket as unknown as { connecting: boolean }).connecting }),
    );
    await stream(pool, 'us-east-1');
    await stream(pool, 'us-east-1');
    stop();
    await stream(pool, 'us-east-1');
    expect(seen).toEqual([
      { reused: false, connecting: true },
      { reused: true, connecting: false },
    ]);
  });

  it('warms up one connection per region, paying its handshake, and the next call reuses it', async () => {
    emulator.setScenario(parseScenario({ connectionSetupMs: { '*': 300 } }));
    const pool = clients();
    const results = await pool.warmUp(['us-east-1', 'eu-west-1']);
    expect(results.map(({ region, reused, status }) => ({ region, reused, status }))).toEqual([
      { region: 'us-east-1', reused: false, status: 403 },
      { region: 'eu-west-1', reused: false, status: 403 },
    ]);
    expect(Math.min(...results.map((result) => result.ms))).toBeGreaterThanOrEqual(295);
    await stream(pool, 'us-east-1');
    expect(pool.connectionStats('us-east-1')).toEqual({ opened: 1, reused: 1 });
    expect(emulator.stats().runtimeConnections['us-east-1']).toBe(1);
    expect((await pool.warmUp(['us-east-1']))[0]?.reused).toBe(true);
    expect(pool.connectionStats('us-east-1')).toEqual({ opened: 1, reused: 2 });
  });

  it('reports a region it cannot warm up instead of throwing', async () => {
    const pool = clients({ endpointUrl: 'http://127.0.0.1:9' });
    const [result] = await pool.warmUp(['us-east-1']);
    expect(result).toBeDefined();
    expect(result!.status).toBeUndefined();
    expect(result!.error).toMatch(/ECONNREFUSED/);
    const [bad] = await clients({ endpointUrl: null }).warmUp(['not a region!']);
    expect(bad).toMatchObject({ region: 'not a region!', error: expect.stringMatching(/^no runtime endpoint for region "not a region!"/) });
  });
});

describe('retries', () => {
  it('retries a throttled stream, and a measurement client makes exactly one attempt', async () => {
    emulator.setScenario(parseScenario({ throttle: [{ region: 'us-east-1', operation: 'ConverseStream', firstN: 1 }] }));
    const pool = clients();
    expect(await stream(pool, 'us-east-1')).not.toBe('');
    expect(emulator.stats().requests['us-east-1']?.ConverseStream).toBe(2);

    emulator.setScenario(parseScenario({ throttle: [{ region: 'us-east-1', operation: 'ConverseStream', firstN: 1 }] }));
    await expect(stream(pool, 'us-east-1', { retries: false })).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 1 } });
    expect(emulator.stats().requests['us-east-1']?.ConverseStream).toBe(3);
  });

  it('retries throttled list calls after a short capped backoff, not the adaptive mode', async () => {
    emulator.setScenario(parseScenario({ throttle: [{ region: 'eu-west-1', operation: 'ListFoundationModels', firstN: 2 }] }));
    const client = await clients({ maxAttempts: 4 }).bedrock('eu-west-1');
    const answer = await client.send(new ListFoundationModelsCommand({}));
    expect(answer.$metadata.attempts).toBe(3);
    // Two retries: 50-100 ms, then 100-200 ms. Adaptive mode waited about 2 s here.
    expect(answer.$metadata.totalRetryDelay).toBeLessThanOrEqual(300);
    expect(await client.config.retryStrategy()).toBeInstanceOf(ConfiguredRetryStrategy);
  });

  it('waits as long as Retry-After asks before retrying', async () => {
    emulator.setScenario(parseScenario({ throttle: [{ region: 'eu-west-1', operation: 'ListFoundationModels', firstN: 1, retryAfterSeconds: 1 }] }));
    const answer = await (await clients().bedrock('eu-west-1')).send(new ListFoundationModelsCommand({}));
    expect(answer.$metadata.attempts).toBe(2);
    // The backoff alone would be 50-100 ms.
    expect(answer.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(950);
    expect(emulator.stats().requests['eu-west-1']?.ListFoundationModels).toBe(2);
  });

  it('gives up after maxAttempts with the service error', async () => {
    emulator.setScenario(parseScenario({ throttle: [{ region: 'eu-west-1', operation: 'ListFoundationModels', firstN: 10 }] }));
    const client = await clients({ maxAttempts: 2 }).bedrock('eu-west-1');
    await expect(client.send(new ListFoundationModelsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 2 } });
    expect(emulator.stats().requests['eu-west-1']?.ListFoundationModels).toBe(2);
  });

  it('backs off 50-100 ms, then doubles up to a 1 s cap', () => {
    expect([retryBackoffMs(1, () => 0), retryBackoffMs(1, () => 1)]).toEqual([50, 100]);
    expect([retryBackoffMs(2, () => 0), retryBackoffMs(2, () => 1)]).toEqual([100, 200]);
    expect(retryBackoffMs(10, () => 1)).toBe(RETRY_MAX_DELAY_MS);
    expect(retryBackoffMs(10, () => 0)).toBe(RETRY_MAX_DELAY_MS / 2);
  });

  it('refuses a retry count that is not a whole number of at least 1', async () => {
    expect(() => cappedRetryStrategy(0)).toThrow(/maxAttempts must be a whole number of at least 1 \(got 0\)/);
    expect(() => cappedRetryStrategy(1.5)).toThrow(/got 1.5/);
    await expect(clients({ maxAttempts: -1 }).bedrock('eu-west-1')).rejects.toThrow(/got -1/);
  });
});
