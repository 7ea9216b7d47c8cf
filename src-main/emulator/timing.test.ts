import { describe, expect, it } from 'vitest';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { hello, PROTOCOLS, readStream, useEmulator } from './emulator-harness';
import { SeededStreams } from './random';
import { loadBuiltInScenario, parseScenario } from './scenario';
import { perRegion, sampleDelay } from './timing';

const { emulator, runtime, control } = useEmulator();

// NaN for no values: every comparison with it fails the test.
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] ?? NaN;

describe('delay distributions', () => {
  it('draw around the median with a right tail, and repeat for the same seed', () => {
    const distribution = { medianMs: 400, spreadMs: 80 };
    const draw = (seed: number, count: number) => {
      const streams = new SeededStreams(seed);
      return Array.from({ length: count }, () => sampleDelay(distribution, streams, 'ttft:eu-west-1'));
    };
    const draws = draw(7, 4001);
    expect(Math.abs(quantile(draws, 0.5) - 400)).toBeLessThan(400 * 0.03);
    expect(quantile(draws, 0.9) - quantile(draws, 0.5)).toBeGreaterThan(80);
    expect(quantile(draws, 0.99) - quantile(draws, 0.5)).toBeGreaterThan(quantile(draws, 0.5) - quantile(draws, 0.01));
    expect(Math.min(...draws)).toBeGreaterThan(0);
    expect(draw(7, 20)).toEqual(draws.slice(0, 20));
    expect(draw(8, 20)).not.toEqual(draws.slice(0, 20));
  });

  it('give each region its own stream, so one region’s traffic does not change another’s figures', () => {
    const quiet = new SeededStreams(3);
    const busy = new SeededStreams(3);
    for (let call = 0; call < 50; call++) sampleDelay({ medianMs: 100, spreadMs: 30 }, busy, 'ttft:us-east-1');
    const a = Array.from({ length: 5 }, () => sampleDelay({ medianMs: 100, spreadMs: 30 }, quiet, 'ttft:eu-west-1'));
    const b = Array.from({ length: 5 }, () => sampleDelay({ medianMs: 100, spreadMs: 30 }, busy, 'ttft:eu-west-1'));
    expect(b).toEqual(a);
  });

  it('keeps fixed numbers fixed, and looks regions up as own keys only', () => {
    expect(sampleDelay(250, new SeededStreams(1), 'x')).toBe(250);
    expect(perRegion({ '*': 5, 'eu-west-1': 9 }, 'eu-west-1')).toBe(9);
    expect(perRegion({ '*': 5 }, 'constructor')).toBe(5);
    expect(perRegion({}, 'constructor')).toBeUndefined();
  });
});

describe.each(PROTOCOLS)('timing served over %s', (protocol) => {
  it('serves the seeded TTFT draws, one per request, again from the start when the scenario is set again', async () => {
    const distribution = { medianMs: 60, spreadMs: 20 };
    const scenario = parseScenario({ seed: 11, timeToFirstTokenMs: { 'us-west-2': distribution }, routing: [{ weights: { 'us-west-2': 1 } }] });
    const streams = new SeededStreams(11);
    const expected = Array.from({ length: 5 }, () => sampleDelay(distribution, streams, 'ttft:us-west-2'));
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(8);
    const client = runtime('us-west-2', protocol);
    // The server's own latencyMs (one token: the TTFT it served) leaves the client's jitter out. A busy machine can
    // only make a timer late, never early, so each figure lies at or above its draw: the draws are distinct, so
    // serving them in another order (or not from the start again) would put some request below its own draw.
    for (let series = 0; series < 2; series++) {
      emulator().setScenario(scenario);
      for (const draw of expected) {
        const response = await client.send(
          new ConverseStreamCommand({ modelId: 'us.amazon.nova-lite-v1:0', messages: hello, inferenceConfig: { maxTokens: 1 } }),
        );
        const served = (await readStream(response.stream)).metadata!.metrics!.latencyMs!;
        expect(served).toBeGreaterThanOrEqual(Math.floor(draw));
      }
    }
  });

  it('draws one token speed per request from the per-token distribution', async () => {
    const distribution = { medianMs: 20, spreadMs: 8 };
    const scenario = parseScenario({ seed: 5, perTokenMs: { 'eu-central-1': distribution }, routing: [{ weights: { 'eu-central-1': 1 } }] });
    const streams = new SeededStreams(5);
    const expected = Array.from({ length: 4 }, () => sampleDelay(distribution, streams, 'perToken:eu-central-1'));
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(3);
    emulator().setScenario(scenario);
    const client = runtime('eu-central-1', protocol);
    for (const draw of expected) {
      const response = await client.send(
        new ConverseStreamCommand({ modelId: 'eu.amazon.nova-lite-v1:0', messages: hello, inferenceConfig: { maxTokens: 6 } }),
      );
      // No TTFT here: the server's latencyMs is the five gaps between six tokens.
      const served = (await readStream(response.stream)).metadata!.metrics!.latencyMs!;
      expect(served).toBeGreaterThanOrEqual(Math.floor(5 * draw));
    }
  });

  it('adds the handshake delay to the first request of each new connection only', async () => {
    emulator().setScenario(parseScenario({ connectionSetupMs: { 'ap-southeast-2': 1_000, '*': 0 } }));
    const call = (client: ReturnType<typeof runtime>) =>
      client.send(new ConverseCommand({ modelId: 'apac.amazon.nova-lite-v1:0', messages: hello, inferenceConfig: { maxTokens: 1 } }));
    const warm = runtime('ap-southeast-2', protocol);
    const started = performance.now();
    await call(warm);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    // Order, not a stopwatch: while a new connection pays its handshake once, the warm one answers two calls in a
    // row. Were the handshake charged per request, those two would take twice as long as the cold one.
    const order: string[] = [];
    const cold = call(runtime('ap-southeast-2', protocol)).then(() => order.push('cold'));
    await call(warm);
    await call(warm);
    order.push('warm twice');
    await cold;
    expect(order).toEqual(['warm twice', 'cold']);
    expect(emulator().stats().runtimeConnections['ap-southeast-2']).toBe(2);
  });
});

describe('timing accuracy', () => {
  it('streams with a fixed TTFT, every token no earlier than its deadline from the request', async () => {
    emulator().setScenario(parseScenario({ timeToFirstTokenMs: { '*': 80 }, perTokenMs: { '*': 12 } }));
    const client = runtime('us-east-1', 'http1');
    const started = performance.now();
    const read = await readStream(
      (await client.send(new ConverseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: hello, inferenceConfig: { maxTokens: 40 } }))).stream,
    );
    // The emulator shares this clock and received the request after `started`: token i is never before 80 + 12 i.
    // (How close to the deadlines it lands, 12 ms gaps within 5 %, is bench:latency's figure on a quiet machine.)
    expect(read.arrivals.length).toBeGreaterThanOrEqual(20);
    read.arrivals.forEach((arrival, index) => expect(arrival - started).toBeGreaterThanOrEqual(80 + 12 * index));
  });

  it('ships a realistic scenario with distributions, handshakes and ocean-crossing round trips', async () => {
    const realistic = loadBuiltInScenario('realistic');
    const medianOf = (delay: unknown) => (typeof delay === 'number' ? delay : (delay as { medianMs: number }).medianMs);
    expect(Object.keys(realistic.controlPlaneLatencyMs)).toHaveLength(33);
    expect(medianOf(realistic.controlPlaneLatencyMs['us-east-1'])).toBeLessThan(100);
    expect(medianOf(realistic.controlPlaneLatencyMs['ap-southeast-2'])).toBeGreaterThanOrEqual(150);
    expect(realistic.timeToFirstTokenMs['eu-west-1']).toMatchObject({ spreadMs: expect.any(Number) });
    expect(realistic.perTokenMs['*']).toMatchObject({ spreadMs: expect.any(Number) });
    expect(medianOf(realistic.connectionSetupMs['ap-southeast-2'])).toBeGreaterThan(medianOf(realistic.connectionSetupMs['us-east-1']));
    // The catalog scan's figures depend on these: a keep-alive client pays the handshake once per region.
    emulator().setScenario(realistic);
    const client = control('us-east-1');
    const started = performance.now();
    await client.send(new ListFoundationModelsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(medianOf(realistic.controlPlaneLatencyMs['us-east-1']));
  });
});
