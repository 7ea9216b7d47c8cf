import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConverseInput, ConverseResult } from '../../../src-shared/contract';
import type { StreamFrame } from '../../../src-shared/stream-frames';
import { ConverseInputSchema } from '../../../src-shared/contract';
import type { FrameSink } from '../api/chunk-pump';
import { parseScenario } from '../../emulator/scenario';
import { pngHeader } from '../../emulator/image-samples';
import { loadEmulatorData } from '../../emulator/bedrock-data';
import { generateAnswer } from '../../emulator/converse';
import { emulatedCoreOptions, startEmulatedCore, waitFor, type EmulatedCore } from '../../testing/emulated-core';

/** The converse stream and countTokens through the real core, the real SDK and the emulator over HTTP. */

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const prompt = (text: string): ConverseInput['messages'] => [{ role: 'user', content: [{ text }] }];

let setup: EmulatedCore;
beforeAll(async () => {
  setup = await startEmulatedCore();
});
afterAll(() => setup?.close());
beforeEach(() => {
  setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 2 } }));
  setup.emulator.resetStats();
});

/** Runs the stream as a transport would: validated first, chunks collected, the result or the error frame. */
async function run(raw: unknown, options: { cancelAfterChunks?: number; cancelTwice?: boolean } = {}) {
  const chunks: string[] = [];
  let final: StreamFrame | null = null;
  let streamId = '';
  const sink: FrameSink = {
    closed: false,
    write: (frame) => {
      if (frame.type === 'chunk') {
        chunks.push((frame.data as { text: string }).text);
        if (options.cancelAfterChunks !== undefined && chunks.length >= options.cancelAfterChunks) {
          setup.core.streams.cancel(streamId);
          if (options.cancelTwice) setup.core.streams.cancel(streamId);
        }
      } else final = frame;
      return true;
    },
    onDrain: () => () => {},
  };
  const started = setup.core.streams.start('converse', raw, sink);
  if (!started.ok) return { chunks, error: started.error, result: null as ConverseResult | null, started: false };
  streamId = started.value.streamId;
  await started.value.done;
  const frame = final as StreamFrame | null;
  return {
    chunks,
    started: true,
    result: frame?.type === 'result' ? (frame.data as ConverseResult) : null,
    error: frame?.type === 'error' ? (frame.data as { name: string; code?: string; message: string }) : undefined,
  };
}

describe('converse: a conversation through one route', () => {
  it('streams token by token and reports route, usage and the latency lab’s metrics', async () => {
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('Tell me about regions.'), inferenceConfig: { maxTokens: 40 } });
    expect(outcome.chunks.length).toBeGreaterThan(5);
    const result = outcome.result!;
    expect(result.text).toBe(outcome.chunks.join(''));
    expect(result).toMatchObject({ api: 'ConverseStream', route: { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' }, stopReason: expect.any(String) });
    expect(result.usage!.outputTokens).toBeGreaterThan(1);
    expect(result.metrics.ttftMs).toBeGreaterThan(0);
    expect(result.metrics.e2eMs).toBeGreaterThanOrEqual(result.metrics.ttftMs!);
    expect(result.metrics.outputTokensPerSecond).toBeGreaterThan(0);
    expect(result.metrics.serverLatencyMs).toEqual(expect.any(Number));
  });

  it('times TTFT from before the request reaches the server, as the latency lab does: the whole server delay is in it', async () => {
    setup.emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 200 }, perTokenMs: { '*': 2 } }));
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('Timing, please.'), inferenceConfig: { maxTokens: 10 } });
    // The in-process emulator shares this clock and sends the first token no sooner than 200 ms after it received
    // the request: a clock started later (at the response headers, say) reads less. How close above it lands is
    // bench:latency's figure, not a loaded test run's.
    const { metrics } = outcome.result!;
    expect(metrics.ttftMs).toBeGreaterThanOrEqual(200 - 0.01);
    expect(metrics.e2eMs).toBeGreaterThanOrEqual(200 + 9 * 2 - 0.01);
    expect(metrics.serverLatencyMs).toBeGreaterThanOrEqual(200 + 9 * 2);
  });

  it('a throttled request is shown, not retried silently into a longer TTFT', async () => {
    setup.emulator.setScenario(parseScenario({ throttle: [{ operation: 'ConverseStream', firstN: 1 }] }));
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('hi') });
    expect(outcome.error).toMatchObject({ name: 'ThrottlingException', code: 'THROTTLED' });
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream).toBe(1);
  });

  it('keeps a multi-turn conversation, a system prompt and an image for a model that takes images', async () => {
    const image = pngHeader(64, 64).toString('base64');
    const outcome = await run({
      target: 'amazon.nova-lite-v1:0',
      region: 'us-east-1',
      system: 'Answer briefly.',
      messages: [
        { role: 'user', content: [{ text: 'Hello' }] },
        { role: 'assistant', content: [{ text: 'Hi.' }] },
        { role: 'user', content: [{ text: 'What is in this picture?' }, { image: { format: 'png', bytesBase64: image } }] },
      ],
      inferenceConfig: { maxTokens: 20, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result!.usage!.inputTokens).toBeGreaterThan(5);
  });

  it('reports what was served, and that optimized latency fell back to standard when its quota ran out', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 1 }, optimizedQuota: [{ region: '*', modelId: '*', afterRequests: 0 }] }));
    const outcome = await run({ target: 'us.amazon.nova-pro-v1:0', region: 'us-east-1', messages: prompt('hi'), latency: 'optimized', serviceTier: 'priority', inferenceConfig: { maxTokens: 10 } });
    expect(outcome.result!.route.kind).toBe('geo-profile');
    expect(outcome.result!.served).toEqual({ latency: 'standard', serviceTier: 'priority' });
  });

  it('calls a model without streaming with Converse, not ConverseStream', async () => {
    // The catalog's only text models without streaming are rerankers, which Bedrock refuses for chat: the call
    // still shows that Converse was used, and Bedrock's own words come back.
    const outcome = await run({ target: 'cohere.rerank-v3-5:0', region: 'us-east-1', messages: prompt('rank these'), inferenceConfig: { maxTokens: 10 } });
    expect(outcome.error).toMatchObject({ name: 'ValidationException', message: expect.stringContaining("doesn't support the model") });
    expect(setup.emulator.stats().requests['us-east-1']).toMatchObject({ Converse: 1 });
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream).toBeUndefined();
  });
});

describe('converse: a chat model without streaming', () => {
  // Bedrock lists some models with responseStreamingSupported false; the recorded catalog's only such text models
  // are rerankers, so here Claude 3 Haiku is listed without streaming, and the emulator refuses ConverseStream for it.
  let plain: EmulatedCore;
  beforeAll(async () => {
    const data = loadEmulatorData();
    for (const region of data.regions.values()) {
      for (const model of region.models) if (model.modelId === HAIKU) model.responseStreamingSupported = false;
    }
    plain = await startEmulatedCore({ data, scenario: { timeToFirstTokenMs: { '*': 30 }, perTokenMs: { '*': 2 } } });
  });
  afterAll(() => plain?.close());

  it('answers through Converse: the whole text as one chunk, Bedrock’s usage and stop reason, E2E over the server’s time, no TTFT', async () => {
    const chunks: string[] = [];
    let final: StreamFrame | null = null;
    const started = plain.core.streams.start('converse', { target: HAIKU, region: 'us-east-1', messages: prompt('Tell me about regions.'), inferenceConfig: { maxTokens: 12 } }, {
      closed: false,
      write: (frame) => {
        if (frame.type === 'chunk') chunks.push((frame.data as { text: string }).text);
        else final = frame;
        return true;
      },
      onDrain: () => () => {},
    });
    if (!started.ok) throw new Error(started.error.message);
    await started.value.done;
    const frame = final as StreamFrame | null;
    expect(frame?.type).toBe('result');
    const result = frame!.data as ConverseResult;
    // The emulator's deterministic answer to this prompt, cut at 12 tokens.
    const expected = generateAnswer(HAIKU, { messages: prompt('Tell me about regions.'), inferenceConfig: { maxTokens: 12 } });
    expect(result).toMatchObject({
      api: 'Converse',
      text: expected.tokens.join(''),
      stopReason: expected.stopReason,
      route: { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' },
      usage: { outputTokens: expected.tokens.length },
    });
    expect(chunks).toEqual([result.text]);
    expect(result.usage!.inputTokens).toBeGreaterThan(0);
    expect(result.metrics).toMatchObject({ ttftMs: null, outputTokensPerSecond: null });
    // The server held the answer 30 + 11 x 2 ms; the client's span covers the server's.
    expect(result.metrics.serverLatencyMs).toBeGreaterThanOrEqual(30 + 11 * 2);
    expect(result.metrics.e2eMs).toBeGreaterThanOrEqual(result.metrics.serverLatencyMs! - 0.5);
    expect(plain.emulator.stats().requests['us-east-1']).toMatchObject({ Converse: 1 });
    expect(plain.emulator.stats().requests['us-east-1']?.ConverseStream).toBeUndefined();
  });
});

describe('converse: pre-flight catches what Bedrock would refuse', () => {
  it('a bare id that the region serves only through profiles: names the profiles, nothing is sent', async () => {
    const outcome = await run({ target: HAIKU_45, region: 'us-east-1', messages: prompt('hi') });
    expect(outcome.error).toMatchObject({ name: 'NeedsInferenceProfile', code: 'NEEDS_INFERENCE_PROFILE' });
    expect(outcome.error!.message).toMatch(/us\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    expect(outcome.error!.message).toMatch(/global\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('with auto-profile, the best profile (geo before global) is called and the result says so', async () => {
    const outcome = await run({ target: HAIKU_45, region: 'us-east-1', messages: prompt('hi'), autoProfile: true, inferenceConfig: { maxTokens: 8 } });
    expect(outcome.result!.route).toEqual({ invokeId: `us.${HAIKU_45}`, callRegion: 'us-east-1', kind: 'geo-profile', autoRoutedFrom: HAIKU_45 });
  });

  it('a profile not offered in the region names the regions that offer it', async () => {
    const outcome = await run({ target: `eu.${HAIKU_45}`, region: 'us-east-1', messages: prompt('hi') });
    expect(outcome.error).toMatchObject({ name: 'NotOfferedInRegion', code: 'PROFILE_NOT_IN_REGION' });
    expect(outcome.error!.message).toMatch(/not offered in us-east-1\. Call it from .*eu-west-1/);
  });

  it.each([
    ['an empty prompt', { messages: prompt('   ') }, /The prompt is empty/],
    ['no messages at all', { messages: [] }, /write a prompt/],
    ['maxTokens above the bound', { inferenceConfig: { maxTokens: 200_001 } }, /maxTokens may be at most 200000/],
    ['maxTokens of zero', { inferenceConfig: { maxTokens: 0 } }, /maxTokens must be at least 1/],
    ['an image over 3.75 MB', { messages: [{ role: 'user', content: [{ image: { format: 'png', bytesBase64: Buffer.alloc(4 * 1024 * 1024).toString('base64') } }] }] }, /Bedrock accepts at most 3\.75 MB per image/],
    ['an image of an unsupported type', { messages: [{ role: 'user', content: [{ image: { format: 'bmp', bytesBase64: 'AAAA' } }] }] }, /Images must be one of png, jpeg, gif, webp/],
    ['a last message from the assistant', { messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] }, /last message must be from the user/],
    ['an unknown region', { region: 'mars-1' }, /Unknown region "mars-1"/],
  ])('refuses %s before anything is sent', async (_case, patch, message) => {
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('hi'), ...patch });
    expect(outcome.started).toBe(false);
    expect(outcome.error).toMatchObject({ name: 'ValidationError' });
    expect(outcome.error!.message).toMatch(message);
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('an image for a model without IMAGE input is refused by Bedrock with its own words', async () => {
    const image = pngHeader(8, 8).toString('base64');
    const outcome = await run({ target: 'amazon.nova-micro-v1:0', region: 'us-east-1', messages: [{ role: 'user', content: [{ text: 'see' }, { image: { format: 'png', bytesBase64: image } }] }] });
    expect(outcome.error).toMatchObject({ name: 'ValidationException', code: 'VALIDATION' });
    expect(outcome.error!.message).toMatch(/doesn't support the image field/);
  });
});

describe('converse: faults mid-stream keep the text that arrived', () => {
  it.each([
    ['throttlingException', 'THROTTLED', /throttled .* \(the text received before it is kept\)/],
    ['modelStreamErrorException', 'ModelStreamErrorException', /failed \(the text received before it is kept\)/],
  ])('%s after 5 tokens: the partial text was streamed and the error names it', async (exception, code, message) => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 1 }, midStreamErrors: [{ region: '*', modelId: '*', afterTokens: 5, exception }] }));
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('long story'), inferenceConfig: { maxTokens: 50 } });
    expect(outcome.chunks.join('').length).toBeGreaterThan(0);
    expect(outcome.error).toMatchObject({ code });
    expect(outcome.error!.message).toMatch(message);
  });

  it('the network dropping mid-stream: a lost connection, the partial text kept', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 1 }, networkDrops: [{ region: '*', modelId: '*', afterTokens: 4 }] }));
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('long story'), inferenceConfig: { maxTokens: 50 } });
    expect(outcome.chunks.length).toBeGreaterThanOrEqual(1);
    expect(outcome.error).toMatchObject({ code: 'CONNECTION_LOST', message: expect.stringMatching(/connection to us-east-1 dropped \(the text received before it is kept\)/) });
  });

  it('cancel aborts the upstream request and ends with the text so far, marked cancelled; a second cancel is harmless', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('long story'), inferenceConfig: { maxTokens: 400 } }, { cancelAfterChunks: 3, cancelTwice: true });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ cancelled: true, stopReason: null });
    expect(outcome.result!.text).toBe(outcome.chunks.join(''));
    expect(outcome.chunks.length).toBeGreaterThanOrEqual(3);
    await waitFor(() => (setup.emulator.stats().abortedStreams['us-east-1'] ?? 0) === 1);
    expect(setup.core.streams.size).toBe(0);
  });

  it('access denied names the console page where access is requested', async () => {
    setup.emulator.setScenario(parseScenario({ accessDenied: [{ region: 'us-east-1', modelId: HAIKU }] }));
    const outcome = await run({ target: HAIKU, region: 'us-east-1', messages: prompt('hi') });
    expect(outcome.error).toMatchObject({ name: 'AccessDeniedException', code: 'ACCESS_DENIED' });
    expect(outcome.error!.message).toContain('https://console.aws.amazon.com/bedrock/home?region=us-east-1#/modelaccess');
  });
});

describe('countTokens', () => {
  it('counts a conversation before it is sent, for a profile through its model', async () => {
    const input = ConverseInputSchema.parse({ target: `us.${HAIKU_45}`, region: 'us-east-1', messages: prompt('How many tokens is this prompt?') });
    const count = await setup.core.handlers.countTokens(input, { signal: new AbortController().signal });
    expect(count).toMatchObject({ modelId: HAIKU_45, region: 'us-east-1' });
    expect(count.inputTokens).toBeGreaterThan(3);
  });

  it('says so when the model does not offer token counting', async () => {
    const input = ConverseInputSchema.parse({ target: 'amazon.nova-micro-v1:0', region: 'us-east-1', messages: prompt('hi') });
    await expect(setup.core.handlers.countTokens(input, { signal: new AbortController().signal })).rejects.toMatchObject({
      name: 'TokenCountUnavailable',
      message: expect.stringContaining('does not offer token counting'),
    });
  });
});

describe('converse with expired credentials', () => {
  it('names the fix instead of the SDK’s words', async () => {
    const { createAtlasCore } = await import('../app/atlas-core');
    const core = await createAtlasCore(
      emulatedCoreOptions(setup.emulator.url, {
        overrides: { regions: ['us-east-1'] },
        // The scan fails with the same credentials: the bundled catalog stands in, as it would for the user.
        bundledPath: fileURLToPath(new URL('../../../bundled/bedrock_catalog_bundled.json', import.meta.url)),
        credentials: { accessKeyId: 'ASIAEXPIRED1', secretAccessKey: 'x', sessionToken: 'old' },
      }),
    );
    try {
      const input = ConverseInputSchema.parse({ target: HAIKU, region: 'us-east-1', messages: prompt('hi') });
      const error = await core.streamHandlers.converse(input, { signal: new AbortController().signal, emit: async () => {} }).catch((failure: Error) => failure);
      expect(error).toMatchObject({ name: expect.stringMatching(/Expired/) });
      expect((error as Error).message).toMatch(/expired/i);
    } finally {
      await core.close();
    }
  });
});
