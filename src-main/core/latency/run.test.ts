import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatencyRunInputSchema, type LatencyRouteReport, type LatencyRunReport, type RegionFailure } from '../../../src-shared/contract';
import { BUNDLED_CATALOG, projectFile } from '../../cli/project-files';
import { waitFor } from '../../testing/emulated-core';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../testing/emulated-lab';
import { PROGRESS_INTERVAL_MS } from './run';
import { noErrors } from '../../../src-shared/errors';

const labs: EmulatedLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});
const lab = async (options: Parameters<typeof startEmulatedLab>[0] = {}) => {
  const started = await startEmulatedLab(options);
  labs.push(started);
  return started;
};
const measured = (report: LatencyRunReport, key: string) => {
  const entry = report.regions[key];
  if (!entry || 'error' in entry) throw new Error(`${key} was not measured: ${JSON.stringify(entry)}`);
  return entry as LatencyRouteReport;
};
const failed = (report: LatencyRunReport, key: string) => {
  const entry = report.regions[key];
  if (!entry || !('error' in entry)) throw new Error(`${key} did not fail: ${JSON.stringify(entry)}`);
  return (entry as RegionFailure).error;
};

describe('latency run: the figures', () => {
  it('counts TTFT from before the request reaches the server, so it holds the whole server delay; E2E, ITL and the speeds follow their definitions', async () => {
    const { run } = await lab({ scenario: { timeToFirstTokenMs: { '*': 150 }, perTokenMs: { '*': 8 } } });
    const report = await run({ target: HAIKU_3, regions: ['us-east-1'], runs: 8, maxTokens: 20 });
    const route = measured(report, 'us-east-1');
    expect(route.samples).toBe(8);
    // The in-process emulator shares this clock and writes the first token no sooner than 150 ms after it received
    // the request, the 20th no sooner than 150 + 19 x 8 ms: a clock started any later than the request leaving
    // (after the response headers, say) measures less. How close above the delay it lands is an accuracy figure,
    // bench:latency's to check on a quiet machine, not a loaded test run's.
    expect(route.ttftMs!.min).toBeGreaterThanOrEqual(150 - 0.01);
    expect(route.e2eMs!.min).toBeGreaterThanOrEqual(150 + 19 * 8 - 0.01);
    // Bedrock's own figure (the emulator's here) covers the same server time.
    expect(route.serverLatencyMs!.min).toBeGreaterThanOrEqual(150 + 19 * 8);
    expect(route.ttftMs!.p50).toBeLessThanOrEqual(route.ttftMs!.p90);
    // Output speed is 1 / ITL; the end-to-end rate includes TTFT, so it is lower than the output speed.
    expect(route.outputTokensPerSecond!.p50).toBeCloseTo(1000 / route.interTokenMs!.p50, 0);
    expect(route.endToEndTokensPerSecond!.p50).toBeLessThan(route.outputTokensPerSecond!.p50);
    expect(route.largestGapMs!.p50).toBeGreaterThanOrEqual(route.interTokenMs!.p50 * 0.9);
    expect(report).toMatchObject({ status: 'completed', runs: 8, concurrency: 1, stored: true });
  }, 20_000);

  it('opens at most C connections, all during the warm-up: 50 requests at concurrency 4', async () => {
    const { run, emulator } = await lab({ scenario: { timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } } });
    const report = await run({ target: HAIKU_3, regions: ['eu-west-1'], runs: 50, concurrency: 4, maxTokens: 5 });
    const route = measured(report, 'eu-west-1');
    expect(route.samples).toBe(50);
    expect(route.connectionsOpened).toBe(0);
    expect(route.connectionsReused).toBe(50);
    expect(emulator.stats().runtimeConnections['eu-west-1']).toBeLessThanOrEqual(4);
  }, 20_000);
});

describe('latency run: targets and routes', () => {
  it('refuses an unknown target and suggests close names', async () => {
    const { run } = await lab();
    await expect(run({ target: 'anthropic.claude-3-haiky', regions: ['us-east-1'] })).rejects.toThrow(
      /No model or inference profile matches "anthropic\.claude-3-haiky"\. Did you mean .*anthropic\.claude-3-haiku-20240307-v1:0/,
    );
  });

  it('names the regions where a target is offered when a chosen region does not offer it', async () => {
    const { run } = await lab();
    const report = await run({ target: 'ai21.jamba-1-5-mini-v1:0', regions: ['us-east-1', 'eu-west-1'], runs: 1 });
    expect(failed(report, 'eu-west-1')).toMatchObject({ code: 'NOT_OFFERED_IN_REGION', message: expect.stringMatching(/not offered in eu-west-1\. It is offered in .*us-east-1/) });
    expect(measured(report, 'us-east-1').samples).toBe(1);
  });

  it('names the profile to use for a bare id that needs one, and uses it with auto-profile', async () => {
    const { run, core } = await lab();
    const target = 'meta.llama3-1-8b-instruct-v1:0';
    const plain = await run({ target, regions: ['us-east-1'], runs: 1 });
    expect(failed(plain, 'us-east-1')).toMatchObject({ code: 'NEEDS_INFERENCE_PROFILE', message: expect.stringMatching(/only through inference profiles.*Use us\.meta\.llama3-1-8b-instruct-v1:0/) });
    const estimate = await core.handlers.estimateLatencyRun(LatencyRunInputSchema.parse({ target, regions: ['us-east-1'], autoProfile: true }), { signal: new AbortController().signal });
    expect(estimate.routes['us-east-1']).toMatchObject({ invokeId: 'us.meta.llama3-1-8b-instruct-v1:0', autoRoutedFrom: target });
    const auto = await run({ target, regions: ['us-east-1'], runs: 1, autoProfile: true });
    expect(measured(auto, 'us-east-1').route).toMatchObject({ invokeId: 'us.meta.llama3-1-8b-instruct-v1:0', kind: 'geo-profile', autoRoutedFrom: target });
  });

  it('measures the direct and the profile route of one region side by side with compareRoutes', async () => {
    const { run } = await lab();
    const report = await run({ target: 'amazon.nova-micro-v1:0', regions: ['us-east-1'], runs: 2, compareRoutes: true });
    expect(measured(report, 'us-east-1').route).toMatchObject({ invokeId: 'amazon.nova-micro-v1:0', kind: 'on-demand' });
    expect(measured(report, 'us-east-1 us.amazon.nova-micro-v1:0').route).toMatchObject({ kind: 'geo-profile', callRegion: 'us-east-1' });
  });

  it('estimates requests and tokens before a run, and asks no confirmation of the emulator', async () => {
    const { core } = await lab();
    const estimate = await core.handlers.estimateLatencyRun(
      LatencyRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 100, warmup: 1, maxTokens: 50, promptSize: 'medium' }),
      { signal: new AbortController().signal },
    );
    expect(estimate).toMatchObject({ requests: 200, warmupRequests: 2, simulated: true, needsConfirmation: false, outputTokens: 202 * 50 });
    expect(estimate.prompt).toMatchObject({ size: 'medium', countedBy: 'estimate' });
    expect(estimate.prompt.inputTokens).toBeGreaterThan(450);
    expect(estimate.inputTokens).toBe(estimate.prompt.inputTokens * 202);
  });

  it('refuses runs and concurrency out of range with the limits named', () => {
    expect(() => LatencyRunInputSchema.parse({ target: HAIKU_3, runs: 0 })).toThrow(/runs must be between 1 and 1000/);
    expect(() => LatencyRunInputSchema.parse({ target: HAIKU_3, runs: 1001 })).toThrow(/runs must be between 1 and 1000/);
    expect(() => LatencyRunInputSchema.parse({ target: HAIKU_3, concurrency: 33 })).toThrow(/concurrency must be between 1 and 32/);
    expect(() => LatencyRunInputSchema.parse({ target: HAIKU_3, concurrency: 0 })).toThrow(/concurrency must be between 1 and 32/);
  });
});

describe('latency run: faults', () => {
  it('counts throttling mid-run and goes on', async () => {
    const { run } = await lab({
      scenario: { timeToFirstTokenMs: { '*': 5 }, throttle: [{ region: 'us-east-1', operation: 'ConverseStream', requestsPerMinute: 4 }] },
    });
    const report = await run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 7, warmup: 0, maxTokens: 5 });
    const throttled = measured(report, 'us-east-1');
    expect(throttled.samples).toBe(4);
    expect(throttled.errors).toEqual({ ...noErrors(), throttled: 3 });
    expect(measured(report, 'eu-west-1').samples).toBe(7);
    expect(report.status).toBe('completed');
  });

  it('reports access denied in one region with the fix, and measures the others', async () => {
    const { run } = await lab({ scenario: { accessDenied: [{ region: 'us-east-1', modelId: HAIKU_3 }] } });
    const report = await run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 2 });
    expect(failed(report, 'us-east-1')).toMatchObject({ code: 'ACCESS_DENIED', message: expect.stringMatching(/no access to .* in us-east-1: request access in the Bedrock console/) });
    expect(measured(report, 'eu-west-1').samples).toBe(2);
  });

  it('reports expired credentials with what to do', async () => {
    const { run } = await lab({ credentials: { accessKeyId: 'ASIAEXPIREDLAB', secretAccessKey: 'x', sessionToken: 'old' }, bundledPath: projectFile(BUNDLED_CATALOG) });
    const report = await run({ target: HAIKU_3, regions: ['us-east-1'], runs: 2 });
    expect(failed(report, 'us-east-1')).toMatchObject({ code: 'ExpiredTokenException', message: expect.stringMatching(/expired/i) });
  });

  it('times out a hanging region and finishes the others', async () => {
    const { run, core } = await lab({ scenario: { hang: ['eu-west-1'], timeToFirstTokenMs: { '*': 5 } } });
    await core.catalog().get(); // the catalog scan waits for the hanging region's straggler deadline first
    const report = await run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 3, maxTokens: 5, requestTimeoutMs: 300 });
    expect(failed(report, 'eu-west-1')).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/No answer from eu-west-1/) });
    expect(measured(report, 'us-east-1').samples).toBe(3);
    const counted = await run({ target: HAIKU_3, regions: ['eu-west-1'], runs: 2, warmup: 0, requestTimeoutMs: 200 });
    expect(measured(counted, 'eu-west-1').errors.timeout).toBe(2);
  }, 20_000);

  it('cancels mid-run: requests in flight aborted upstream, partial results kept and saved', async () => {
    const { run, emulator, core } = await lab({ scenario: { timeToFirstTokenMs: { '*': 20 }, perTokenMs: { '*': 5 } } });
    const abort = new AbortController();
    let cancelling = false;
    // Cancelled once 4 are done and one is on the wire: two workers in step can both be between requests just then.
    const cancelWhileSending = () => {
      cancelling = true;
      void waitFor(() => (emulator.stats().inFlightRequests['us-east-1'] ?? 0) >= 1)
        .catch(() => undefined)
        .then(() => abort.abort());
    };
    const report = await run(
      { target: HAIKU_3, regions: ['us-east-1'], runs: 200, concurrency: 2, maxTokens: 20 },
      { signal: abort.signal, onProgress: (progress) => (progress.done >= 4 && !cancelling ? cancelWhileSending() : undefined) },
    );
    expect(report.status).toBe('cancelled');
    const route = measured(report, 'us-east-1');
    expect(route.samples).toBeGreaterThanOrEqual(4);
    expect(route.samples).toBeLessThan(200);
    expect(report.stored).toBe(true);
    expect(emulator.stats().abortedStreams['us-east-1']).toBeGreaterThanOrEqual(1);
    const { runs } = await core.handlers.latencyHistory({ limit: 5 }, { signal: new AbortController().signal });
    expect(runs[0]).toMatchObject({ id: report.id, status: 'cancelled', regions: { 'us-east-1': { samples: route.samples } } });
  });

  it('reports a silent fallback from optimized to standard latency', async () => {
    const model = 'amazon.nova-pro-v1:0';
    const { run } = await lab({ scenario: { optimizedQuota: [{ modelId: model, afterRequests: 2 }], timeToFirstTokenMs: { '*': 5 } } });
    const report = await run({ target: model, regions: ['us-east-1'], runs: 4, warmup: 0, maxTokens: 5, latency: 'optimized' });
    expect(measured(report, 'us-east-1').servedLatency).toEqual({ standard: 2 });
  });

  it('sends progress per route on a 50 ms ticker, not per sample: one update per tick at most, then the final one', async () => {
    // Only the progress ticker's interval is faked: the run, the SDK and the emulator keep real timers and sockets.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { run, emulator } = await lab({ scenario: { timeToFirstTokenMs: { '*': 20 }, perTokenMs: { '*': 1 } } });
      const seen: { key: string; phase: string; done: number }[] = [];
      const updatesOf = (key: string) => seen.filter((update) => update.key === key);
      // A run far longer than the test (1000 requests of at least 20 ms each, two at a time), cancelled at the end.
      const abort = new AbortController();
      const finished = run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 1000, concurrency: 2, maxTokens: 3 }, {
        signal: abort.signal,
        onProgress: (progress) => seen.push({ key: progress.key, phase: progress.phase, done: progress.done }),
      });
      // Samples are being measured (the warm-up's and some measured requests have reached the emulator)...
      await waitFor(() => ['us-east-1', 'eu-west-1'].every((region) => (emulator.stats().requests[region]?.ConverseStream ?? 0) >= 6), 10_000);
      await Promise.resolve();
      // ...yet each route has sent only its first update: nothing goes out between ticks.
      for (const key of ['us-east-1', 'eu-west-1']) expect(updatesOf(key)).toEqual([{ key, phase: 'warmup', done: 0 }]);
      vi.advanceTimersByTime(PROGRESS_INTERVAL_MS - 1);
      await waitFor(() => false, 20).catch(() => {});
      for (const key of ['us-east-1', 'eu-west-1']) expect(updatesOf(key)).toHaveLength(1);
      // One tick: one update per route, with what was measured so far.
      vi.advanceTimersByTime(1);
      await waitFor(() => seen.length === 4);
      for (const key of ['us-east-1', 'eu-west-1']) {
        expect(updatesOf(key)).toHaveLength(2);
        expect(updatesOf(key)[1]).toMatchObject({ phase: 'measuring', done: expect.any(Number) });
        expect(updatesOf(key)[1]?.done).toBeLessThan(1000);
      }
      abort.abort();
      const report = await finished;
      // The end sends the final state at once, without waiting for a tick.
      for (const key of ['us-east-1', 'eu-west-1']) {
        expect(updatesOf(key)).toHaveLength(3);
        const route = measured(report, key);
        const errors = Object.values(route.errors).reduce((sum, count) => sum + count, 0);
        expect(updatesOf(key)[2]).toEqual({ key, phase: 'done', done: route.samples + errors });
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
