import { describe, expect, it } from 'vitest';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { hello, PROTOCOLS, readStream, rejection, useEmulator } from './emulator-harness';
import { parseScenario } from './scenario';

const { emulator, runtime, control } = useEmulator();

const NOVA_LITE = 'amazon.nova-lite-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('throttling per model at requests per minute', () => {
  it('lets a burst of the quota through, then throttles that model in that region only', async () => {
    emulator().setScenario(parseScenario({ throttle: [{ region: 'us-east-1', modelId: NOVA_LITE, requestsPerMinute: 3 }] }));
    const client = runtime('us-east-1', 'http1');
    const converse = (modelId: string, region = client) => region.send(new ConverseCommand({ modelId, messages: hello, inferenceConfig: { maxTokens: 1 } }));
    for (let call = 0; call < 2; call++) await converse(NOVA_LITE);
    // The profile id reaches the same model, so it spends the same quota.
    await converse(`us.${NOVA_LITE}`);
    const throttled = await rejection(converse(NOVA_LITE));
    expect([throttled.name, throttled.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 429]);
    await expect(converse(HAIKU)).resolves.toBeDefined();
    await expect(converse(NOVA_LITE, runtime('us-west-2', 'http1'))).resolves.toBeDefined();
    // Control-plane calls reach no model: a model's quota never throttles them.
    await expect(control('us-east-1').send(new ListFoundationModelsCommand({}))).resolves.toBeDefined();
  });

  it('sends Retry-After when the rule names one', async () => {
    emulator().setScenario(parseScenario({ throttle: [{ region: 'eu-west-1', firstN: 1, retryAfterSeconds: 2 }] }));
    const response = await fetch(`${emulator().url}/foundation-models`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261122/eu-west-1/bedrock/aws4_request, Signature=x' },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
  });
});

describe.each(PROTOCOLS)('mid-stream faults over %s', (protocol) => {
  it('delivers the earlier tokens, then a ModelStreamErrorException with its original status', async () => {
    emulator().setScenario(parseScenario({ midStreamErrors: [{ region: 'us-west-2', afterTokens: 3 }] }));
    const response = await runtime('us-west-2', protocol).send(new ConverseStreamCommand({ modelId: `us.${NOVA_LITE}`, messages: hello }));
    const read = await readStream(response.stream);
    expect(read.deltas).toHaveLength(3);
    expect(read.error?.name).toBe('ModelStreamErrorException');
    expect(read.error?.originalStatusCode).toBe(500);
  });

  it('throttles mid-stream only the first N streams when the rule says so', async () => {
    emulator().setScenario(parseScenario({ midStreamErrors: [{ afterTokens: 2, exception: 'throttlingException', firstN: 1 }] }));
    const client = runtime('us-east-1', protocol);
    const first = await readStream((await client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: hello }))).stream);
    expect([first.deltas.length, first.error?.name, first.error?.message]).toEqual([
      2,
      'ThrottlingException',
      'Too many requests, please wait before trying again.',
    ]);
    const second = await readStream((await client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: hello }))).stream);
    expect(second.error).toBeUndefined();
    expect(second.metadata?.usage?.outputTokens).toBe(second.deltas.length);
  });

  it('drops the connection after N tokens, with no exception frame, and serves the next call on a new one', async () => {
    emulator().setScenario(parseScenario({ networkDrops: [{ region: 'eu-west-1', afterTokens: 4, firstN: 1 }] }));
    const client = runtime('eu-west-1', protocol);
    const dropped = await readStream(
      (await client.send(new ConverseStreamCommand({ modelId: 'eu.amazon.nova-2-lite-v1:0', messages: hello }))).stream,
    );
    expect(dropped.deltas).toHaveLength(4);
    // Over HTTP/1.1 the SDK throws on the cut body; over HTTP/2 it ends the stream quietly when the session closes,
    // so a client must notice the missing messageStop.
    if (protocol === 'http1') expect(dropped.error).toBeDefined();
    expect(dropped.error?.name ?? '').not.toMatch(/Exception$/);
    expect([dropped.stopReason, dropped.metadata]).toEqual([undefined, undefined]);
    const next = await readStream(
      (await client.send(new ConverseStreamCommand({ modelId: 'eu.amazon.nova-2-lite-v1:0', messages: hello }))).stream,
    );
    expect(next.error).toBeUndefined();
    expect(emulator().stats().runtimeConnections['eu-west-1']).toBe(2);
  });

  it('counts a stream the client abandons', async () => {
    emulator().setScenario(parseScenario({ perTokenMs: { '*': 30 } }));
    const abort = new AbortController();
    const response = await runtime('ap-northeast-1', protocol).send(
      new ConverseStreamCommand({ modelId: `apac.${NOVA_LITE}`, messages: hello }),
      { abortSignal: abort.signal },
    );
    let deltas = 0;
    // Over HTTP/2 the SDK may end the iteration quietly rather than throw: either way the stream is gone.
    await (async () => {
      for await (const event of response.stream!) if (event.contentBlockDelta && ++deltas === 2) abort.abort();
    })().catch(() => undefined);
    await expect.poll(() => emulator().stats().abortedStreams['ap-northeast-1'], { timeout: 2000 }).toBe(1);
  });
});

describe('seeded stream faults', () => {
  it('hit a seeded fraction of streams, the same ones again when the scenario is set again', async () => {
    const scenario = parseScenario({ seed: 3, midStreamErrors: [{ afterTokens: 1, exception: 'serviceUnavailableException', probability: 0.5 }] });
    const client = runtime('us-east-1', 'http1');
    const pattern = async () => {
      emulator().setScenario(scenario);
      const failed: boolean[] = [];
      for (let call = 0; call < 10; call++) {
        const read = await readStream(
          (await client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: hello, inferenceConfig: { maxTokens: 3 } }))).stream,
        );
        if (read.error) expect(read.error.name).toBe('ServiceUnavailableException');
        failed.push(read.error !== undefined);
      }
      return failed;
    };
    const first = await pattern();
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await pattern()).toEqual(first);
  });
});

describe('optimized latency quota', () => {
  it('serves optimized for N requests, then silently standard', async () => {
    emulator().setScenario(parseScenario({ optimizedQuota: [{ region: 'us-east-2', afterRequests: 2 }] }));
    const client = runtime('us-east-2', 'http1');
    const served: (string | undefined)[] = [];
    for (let call = 0; call < 3; call++) {
      const answer = await client.send(
        new ConverseCommand({ modelId: 'us.amazon.nova-pro-v1:0', messages: hello, inferenceConfig: { maxTokens: 1 }, performanceConfig: { latency: 'optimized' } }),
      );
      served.push(answer.performanceConfig?.latency);
    }
    expect(served).toEqual(['optimized', 'optimized', 'standard']);
    const elsewhere = await runtime('us-west-2', 'http1').send(
      new ConverseCommand({ modelId: 'us.amazon.nova-pro-v1:0', messages: hello, inferenceConfig: { maxTokens: 1 }, performanceConfig: { latency: 'optimized' } }),
    );
    expect(elsewhere.performanceConfig?.latency).toBe('optimized');
  });
});
