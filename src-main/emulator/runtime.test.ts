import { describe, expect, it } from 'vitest';
import {
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { hello, PROTOCOLS, readStream, rejection, useEmulator } from './emulator-harness';
import { gifHeader, jpegHeader, pngHeader, webpHeader } from './image-samples';
import { parseScenario } from './scenario';

const { emulator, runtime } = useEmulator();

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET_4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const NOVA_PRO_US = 'us.amazon.nova-pro-v1:0';

function withImages(...images: { format: string; bytes: Buffer }[]): Message[] {
  return [
    {
      role: 'user',
      content: [
        { text: 'What is in these pictures?' },
        ...images.map(({ format, bytes }) => ({ image: { format: format as 'png', source: { bytes } } })),
      ],
    },
  ];
}

describe('CountTokens', () => {
  it('counts the same input tokens that Converse then reports, for text and images', async () => {
    const client = runtime('us-east-1');
    const messages = withImages({ format: 'png', bytes: pngHeader(750, 750) });
    const system = [{ text: 'Answer in one word.' }];
    const counted = await client.send(new CountTokensCommand({ modelId: SONNET_4, input: { converse: { messages, system } } }));
    const again = await client.send(new CountTokensCommand({ modelId: SONNET_4, input: { converse: { messages, system } } }));
    expect(counted.inputTokens).toBe(again.inputTokens);
    expect(counted.inputTokens).toBeGreaterThan(750);
    const answered = await client.send(new ConverseCommand({ modelId: `us.${SONNET_4}`, messages, system }));
    expect(answered.usage!.inputTokens).toBe(counted.inputTokens);
    const invoke = await client.send(
      new CountTokensCommand({ modelId: SONNET_4, input: { invokeModel: { body: new TextEncoder().encode('{"prompt":"12345678"}') } } }),
    );
    expect(invoke.inputTokens).toBe(Math.ceil('{"prompt":"12345678"}'.length / 4));
    expect(emulator().stats().requests['us-east-1']?.CountTokens).toBe(3);
  });

  it('refuses profile ids, and models that do not count tokens, with Bedrock’s texts', async () => {
    const client = runtime('us-east-1');
    const input = { converse: { messages: hello } };
    const viaProfile = await rejection(client.send(new CountTokensCommand({ modelId: `us.${SONNET_4}`, input })));
    expect([viaProfile.name, viaProfile.message]).toEqual(['ValidationException', 'The provided model identifier is invalid.']);
    const older = await rejection(client.send(new CountTokensCommand({ modelId: HAIKU, input })));
    expect([older.name, older.message]).toEqual(['ValidationException', "The provided model doesn't support counting tokens."]);
    const noInput = await rejection(client.send(new CountTokensCommand({ modelId: SONNET_4, input: {} as never })));
    expect(noInput.message).toMatch(/'input' failed to satisfy constraint/);
  });
});

describe.each(PROTOCOLS)('latency mode and service tier over %s', (protocol) => {
  it('serves optimized latency faster for a model that offers it, and says so in the metadata', async () => {
    emulator().setScenario(parseScenario({ timeToFirstTokenMs: { '*': 600 }, perTokenMs: { '*': 40 } }));
    const client = runtime('us-east-1', protocol);
    const ask = async (latency: 'standard' | 'optimized') => {
      const response = await client.send(
        new ConverseStreamCommand({ modelId: NOVA_PRO_US, messages: hello, inferenceConfig: { maxTokens: 6 }, performanceConfig: { latency } }),
      );
      const read = await readStream(response.stream);
      return { serverMs: read.metadata!.metrics!.latencyMs!, served: read.metadata?.performanceConfig?.latency };
    };
    // Sent together: standard ends on a deadline 600 + 5 x 40 ms after it arrived, optimized (TTFT x 0.7, tokens
    // x 0.5) on one 520 ms after. Timers fire in deadline order however late a busy machine makes them, so the
    // optimized answer ends first; each server figure is at or above its own schedule.
    const finished: string[] = [];
    const timed = (latency: 'standard' | 'optimized') => ask(latency).then((answer) => (finished.push(latency), answer));
    const [standard, optimized] = await Promise.all([timed('standard'), timed('optimized')]);
    expect([standard.served, optimized.served]).toEqual(['standard', 'optimized']);
    expect(finished).toEqual(['optimized', 'standard']);
    expect(standard.serverMs).toBeGreaterThanOrEqual(800);
    expect(optimized.serverMs).toBeGreaterThanOrEqual(520);
    const plain = await readStream(
      (await client.send(new ConverseStreamCommand({ modelId: NOVA_PRO_US, messages: hello, inferenceConfig: { maxTokens: 2 } }))).stream,
    );
    expect(plain.metadata?.performanceConfig).toBeUndefined();
  });

  it('echoes the service tier in the stream metadata and in a Converse answer', async () => {
    const client = runtime('us-east-1', protocol);
    const streamed = await client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: hello, serviceTier: { type: 'flex' } }));
    expect((await readStream(streamed.stream)).metadata?.serviceTier).toEqual({ type: 'flex' });
    const answered = await client.send(new ConverseCommand({ modelId: HAIKU, messages: hello, serviceTier: { type: 'priority' } }));
    expect(answered.serviceTier).toEqual({ type: 'priority' });
  });
});

describe('runtime validation', () => {
  it('refuses optimized latency for a model without it, naming the model, and unknown enum values', async () => {
    const client = runtime('us-east-1');
    const refused = await rejection(
      client.send(new ConverseCommand({ modelId: HAIKU, messages: hello, performanceConfig: { latency: 'optimized' } })),
    );
    expect(refused.name).toBe('ValidationException');
    expect(refused.message).toContain(HAIKU);
    const badMode = await rejection(
      client.send(new ConverseCommand({ modelId: HAIKU, messages: hello, performanceConfig: { latency: 'fast' as 'standard' } })),
    );
    expect(badMode.message).toBe(
      "1 validation error detected: Value 'fast' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set: [standard, optimized]",
    );
    const badTier = await rejection(client.send(new ConverseCommand({ modelId: HAIKU, messages: hello, serviceTier: { type: 'gold' as 'flex' } })));
    expect(badTier.message).toMatch(/'serviceTier\.type'.*\[priority, default, flex, reserved\]/);
  });

  it('answers ConverseStream on a model without streaming, and Converse on a model that is not a chat model, with Bedrock’s errors', async () => {
    const client = runtime('us-west-2');
    const streamed = await rejection(client.send(new ConverseStreamCommand({ modelId: 'cohere.rerank-v3-5:0', messages: hello })));
    expect([streamed.name, streamed.message, streamed.$metadata?.httpStatusCode]).toEqual([
      'ValidationException',
      'The model is unsupported for streaming.',
      400,
    ]);
    const rerank = await rejection(client.send(new ConverseCommand({ modelId: 'cohere.rerank-v3-5:0', messages: hello })));
    expect(rerank.message).toBe("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
    await expect(client.send(new ConverseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: hello }))).resolves.toBeDefined();
    const embedding = await rejection(client.send(new ConverseCommand({ modelId: 'amazon.titan-embed-text-v2:0', messages: hello })));
    expect(embedding.message).toMatch(/^This action doesn't support the model that you provided/);
  });

  it('refuses bodies no SDK would send with a 400 naming the member', async () => {
    const post = (body: unknown) =>
      fetch(`${emulator().url}/model/${encodeURIComponent(HAIKU)}/converse`, {
        method: 'POST',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/bedrock/aws4_request, Signature=x' },
        body: JSON.stringify(body),
      });
    const notAList = await post({ messages: [{ role: 'user', content: 'hello' }] });
    expect([notAList.status, notAList.headers.get('x-amzn-errortype')?.split(':')[0]]).toEqual([400, 'SerializationException']);
    expect((await notAList.json()).message).toBe('Expected a list at messages.0.content.');
    const noMessages = await post({ system: [{ text: 'hi' }] });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).message).toMatch(/messages: field required/);
    const zeroTokens = await post({ messages: [], inferenceConfig: { maxTokens: 0 } });
    expect((await zeroTokens.json()).message).toMatch(/'inferenceConfig\.maxTokens' failed to satisfy constraint/);
  });

  it('reports Converse latencyMs consistent with the scenario’s delays', async () => {
    emulator().setScenario(parseScenario({ timeToFirstTokenMs: { '*': 120 }, perTokenMs: { '*': 10 } }));
    const started = performance.now();
    const answer = await runtime('eu-west-1').send(
      new ConverseCommand({ modelId: 'eu.amazon.nova-2-lite-v1:0', messages: hello, inferenceConfig: { maxTokens: 11 } }),
    );
    const elapsed = performance.now() - started;
    expect(answer.usage!.outputTokens).toBe(11);
    // The answer is held until its last token's deadline; the client's span covers the server's.
    expect(answer.metrics!.latencyMs).toBeGreaterThanOrEqual(120 + 10 * 10);
    expect(elapsed).toBeGreaterThanOrEqual(answer.metrics!.latencyMs! - 1);
  });
});

describe('images', () => {
  it('takes png, jpeg, gif and webp for a model with image input, and counts their tokens', async () => {
    const client = runtime('us-east-1');
    const plain = await client.send(new ConverseCommand({ modelId: HAIKU, messages: withImages() }));
    const pictured = await client.send(
      new ConverseCommand({
        modelId: HAIKU,
        messages: withImages(
          { format: 'png', bytes: pngHeader(750, 750) },
          { format: 'jpeg', bytes: jpegHeader(75, 10) },
          { format: 'gif', bytes: gifHeader(75, 10) },
          { format: 'webp', bytes: webpHeader(75, 10) },
        ),
      }),
    );
    expect(pictured.usage!.inputTokens! - plain.usage!.inputTokens!).toBe(750 + 3);
  });

  it('refuses what Bedrock refuses, with its texts', async () => {
    const client = runtime('us-east-1');
    const send = (...images: { format: string; bytes: Buffer }[]) =>
      rejection(client.send(new ConverseCommand({ modelId: HAIKU, messages: withImages(...images) })));
    expect((await send({ format: 'jpg', bytes: jpegHeader(10, 10) })).message).toBe(
      "1 validation error detected: Value at 'messages.1.member.content.2.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
    );
    const oversized = pngHeader(100, 100, 3.75 * 1024 * 1024 + 3);
    expect((await send({ format: 'png', bytes: oversized })).message).toBe(
      `The model returned the following errors: messages.0.content.1.image.source.bytes: image exceeds 5 MB maximum: ${Math.ceil(oversized.length / 3) * 4} bytes > 5242880 bytes`,
    );
    expect((await send({ format: 'png', bytes: pngHeader(8001, 20) })).message).toBe(
      'The model returned the following errors: messages.0.content.1.image.source.bytes: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect((await send({ format: 'png', bytes: jpegHeader(10, 10) })).message).toMatch(
      /image\/png media type, but the image appears to be a image\/jpeg image$/,
    );
    expect((await send({ format: 'gif', bytes: Buffer.from('not a picture') })).message).toMatch(/does not appear to be a valid image$/);
    const many = Array.from({ length: 21 }, () => ({ format: 'png', bytes: pngHeader(10, 10) }));
    expect((await send(...many)).message).toBe('The model returned the following errors: too many images and documents: 21 + 0 > 20');
  });

  it('refuses an image for a model without image input', async () => {
    const error = await rejection(
      runtime('us-west-2').send(
        new ConverseCommand({ modelId: 'meta.llama3-1-70b-instruct-v1:0', messages: withImages({ format: 'png', bytes: pngHeader(10, 10) }) }),
      ),
    );
    expect([error.name, error.message]).toEqual(['ValidationException', "This model doesn't support the image field for user messages."]);
  });
});

describe('prompt caching', () => {
  it('writes a cache-point prefix once, then reads it back, apart from the uncached input', async () => {
    const client = runtime('us-east-1', 'http1');
    const cached = { text: 'You are a careful assistant. '.repeat(40) };
    const system = [cached, { cachePoint: { type: 'default' as const } }];
    const first = await client.send(new ConverseCommand({ modelId: HAIKU, system, messages: hello }));
    const second = await client.send(new ConverseCommand({ modelId: HAIKU, system, messages: hello }));
    const prefix = Math.ceil(cached.text.length / 4);
    expect(first.usage).toMatchObject({ cacheWriteInputTokens: prefix, cacheReadInputTokens: 0 });
    expect(second.usage).toMatchObject({ cacheWriteInputTokens: 0, cacheReadInputTokens: prefix });
    expect(second.usage!.inputTokens).toBe(first.usage!.inputTokens);
    expect(second.usage!.totalTokens).toBe(second.usage!.inputTokens! + prefix + second.usage!.outputTokens!);
    const uncached = await client.send(new ConverseCommand({ modelId: HAIKU, system: [cached], messages: hello }));
    expect(uncached.usage!.cacheReadInputTokens).toBeUndefined();
  });
});
