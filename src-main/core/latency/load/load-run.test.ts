import { afterEach, describe, expect, it } from 'vitest';
import { LoadRunInputSchema, type LoadProgress, type LoadRouteReport, type LoadRunInput, type LoadRunReport } from '../../../../src-shared/contract';
import { noErrors } from '../../../../src-shared/errors';
import { openHistoryDatabase } from '../../storage/history-database';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../../testing/emulated-lab';
import { LatencyHistory } from '../history-store';

/** Load runs through the core, against the emulator over real HTTP: order, counts and causality, never elapsed time. */

const labs: EmulatedLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});
const lab = async (options: Parameters<typeof startEmulatedLab>[0] = {}) => {
  const started = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } }, overrides: { regions: ['us-east-1'] }, ...options });
  labs.push(started);
  return started;
};

function runLoad(target: EmulatedLab, input: LoadRunInput, options: { signal?: AbortSignal; onProgress?: (progress: LoadProgress) => void } = {}): Promise<LoadRunReport> {
  return target.core.streamHandlers.runLoad(LoadRunInputSchema.parse(input), {
    signal: options.signal ?? new AbortController().signal,
    emit: async (progress) => options.onProgress?.(progress),
  });
}

const routeOf = (report: LoadRunReport, key = 'us-east-1') => report.regions[key] as LoadRouteReport;
const signal = new AbortController().signal;

describe('closed-loop load runs', () => {
  it('keeps N requests in flight per level, sends exactly the step\'s requests, and stores the levels for the charts', async () => {
    // A TTFT long enough that a loaded machine's jitter cannot double a level's p90 and make a knee of it.
    const target = await lab({ scenario: { timeToFirstTokenMs: { '*': 300 } } });
    const progress: LoadProgress[] = [];
    const report = await runLoad(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2, 4] }, stepRequests: 8, maxTokens: 4 }, { onProgress: (chunk) => progress.push(chunk) });
    expect(report).toMatchObject({ status: 'completed', step: { requests: 8 }, uniquePrompts: true, slo: { name: 'chat', ttftMs: 1000, interTokenMs: 50 }, stored: true });
    const route = routeOf(report);
    expect(route.levels.map((level) => level.offered)).toEqual([{ concurrency: 1 }, { concurrency: 2 }, { concurrency: 4 }]);
    for (const level of route.levels) {
      expect(level).toMatchObject({ status: 'completed', sent: 8, samples: 8, errors: noErrors(), throttleRate: 0, goodputRps: expect.any(Number), sloAttainment: expect.any(Number) });
      expect(level.goodputRps).toBeLessThanOrEqual(level.achievedRps);
      expect(level.achievedRps).toBeGreaterThan(0);
      expect(level.outputTokensPerSecond).toBeGreaterThan(0);
      expect(level.ttftMs?.p50).toBeGreaterThan(0);
      expect(level.schedule).toBeUndefined();
    }
    // Each level's connections are opened before it starts: none of its measured requests opens one.
    expect(route.levels.map((level) => level.connectionsOpened)).toEqual([0, 0, 0]);
    expect(target.emulator.stats().peakConcurrentRequests['us-east-1']).toBeLessThanOrEqual(4);
    expect(route.knee).toBeNull();
    expect(route.quota).toMatchObject({ status: expect.stringMatching(/^(found|none)$/), tokensPerRequest: expect.any(Number) });
    // Progress: levels in order, each finished level carried whole by every later chunk.
    const finished = progress.map((chunk) => chunk.finishedLevels.length);
    expect(finished).toEqual([...finished].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', levelIndex: 2, finishedLevels: route.levels });

    const view = await target.core.handlers.loadRunLevels({ runId: report.id }, { signal });
    expect(view).toMatchObject({ id: report.id, status: 'completed', load: { mode: 'concurrency', levels: [1, 2, 4] }, step: { requests: 8 }, slo: report.slo, uniquePrompts: true });
    expect((view.regions['us-east-1'] as LoadRouteReport).levels).toEqual(route.levels);
    const { runs } = await target.core.handlers.latencyHistory({ limit: 5 }, { signal });
    expect(runs[0]).toMatchObject({ id: report.id, kind: 'load', regions: { 'us-east-1': { samples: 24 } } });
    // The ranking reads lab runs only: a route measured under load is not ranked by it.
    const { routes } = await target.core.handlers.rankRoutes({ target: HAIKU_3, from: 'us-east-1' }, { signal });
    expect(routes.find((entry) => entry.callRegion === 'us-east-1')).toMatchObject({ samples: 0, ttftP50Ms: null });
  });

  it('sends every request with its own prompt unless asked not to, and says so', async () => {
    const target = await lab({ scenario: { timeToFirstTokenMs: { '*': 5 } } });
    const unique = await runLoad(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1] }, stepRequests: 3, maxTokens: 2, warmup: 0 });
    const same = await runLoad(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1] }, stepRequests: 3, maxTokens: 2, warmup: 0, uniquePrompts: false });
    expect([unique.uniquePrompts, same.uniquePrompts]).toEqual([true, false]);
    // Bedrock counted the nonce: every unique request's input is longer than the shared prompt, by the same amount.
    expect([unique.cost.requests, same.cost.requests]).toEqual([3, 3]);
    expect(unique.cost.usage.input).toBeGreaterThan(same.cost.usage.input);
    expect((unique.cost.usage.input - same.cost.usage.input) % 3).toBe(0);
  });

  it('counts goodput against the SLO: a bound the route cannot meet leaves none, a generous one all', async () => {
    // The emulator never answers sooner than its fixed TTFT: a 150 ms bound cannot be met, a minute always is.
    const target = await lab({ scenario: { timeToFirstTokenMs: { '*': 200 } } });
    const base: LoadRunInput = { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [2] }, stepRequests: 4, maxTokens: 2, warmup: 0 };
    const missed = routeOf(await runLoad(target, { ...base, slo: { preset: 'custom', ttftMs: 150 } })).levels[0]!;
    expect(missed).toMatchObject({ samples: 4, goodputRps: 0, sloAttainment: 0, sloMet: false });
    const met = routeOf(await runLoad(target, { ...base, slo: { preset: 'custom', ttftMs: 60_000, e2eMs: 60_000 } })).levels[0]!;
    expect(met).toMatchObject({ samples: 4, goodputRps: met.achievedRps, sloAttainment: 1, sloMet: true });
    const none = await runLoad(target, { ...base, slo: null });
    expect(none.slo).toBeNull();
    expect(routeOf(none).levels[0]).not.toHaveProperty('goodputRps');
  });

  it('estimates before sending: requests from the rates or the step, capped by the budget, with tokens and dollars', async () => {
    const target = await lab();
    const rate = await target.core.handlers.estimateLoadRun(LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'rate', levels: [1, 2.5] }, stepDurationMs: 2000 }), { signal });
    expect(rate).toMatchObject({ requests: 7, warmupRequests: 1, requestsBasis: expect.stringMatching(/^about rate × 2 s per level \(poisson arrivals\)$/), expectedDurationMs: 4000, uniquePrompts: true, simulated: true, needsConfirmation: false, slo: { name: 'chat' } });
    expect(rate.inputTokens).toBe(8 * (rate.prompt.inputTokens + 10));
    expect(rate.outputTokens).toBe(8 * 128);
    const counted = await target.core.handlers.estimateLoadRun(LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2, 4] }, stepRequests: 20, maxRequests: 31, uniquePrompts: false }), { signal });
    expect(counted).toMatchObject({ requests: 30, warmupRequests: 1, requestsBasis: 'exactly 20 per level; capped by the budget of 31 requests (warm-ups included)', expectedDurationMs: null });
    expect(counted.inputTokens).toBe(31 * counted.prompt.inputTokens);
    const timed = await target.core.handlers.estimateLoadRun(LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [2] }, stepDurationMs: 10_000, maxTokens: 100 }), { signal });
    // Nothing measured yet: 300 ms to the first token and 5 ms for each of 100 tokens, 800 ms a request, two at a time for 10 s.
    expect(timed).toMatchObject({ requests: 25, requestsBasis: expect.stringMatching(/at 800 ms a request \(an assumed p50 TTFT of 300 ms/) });
  });

  it('refuses a dollar budget it could not keep: no price table, so the dollars are unknown, and nothing is sent', async () => {
    const target = await lab({ scenario: { timeToFirstTokenMs: { '*': 5 }, pricing: { denied: true } } });
    const input = { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2] }, stepRequests: 5, maxTokens: 10, warmup: 0 } satisfies LoadRunInput;
    await expect(runLoad(target, { ...input, maxCostUsd: 0.01 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/a dollar budget cannot be kept without the route's price: .*Budget requests instead/) });
    expect(target.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('stops at a dollar budget before the request that would pass it', async () => {
    const target = await lab();
    const input = { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2] }, stepRequests: 50, maxTokens: 10, warmup: 0 } satisfies LoadRunInput;
    await target.core.handlers.refreshPrices(undefined, { signal });
    const estimate = await target.core.handlers.estimateLoadRun(LoadRunInputSchema.parse(input), { signal });
    const perRequest = estimate.estimatedCostUsd! / estimate.requests;
    // Room for a little over ten requests at their worst case.
    const report = await runLoad(target, { ...input, maxCostUsd: perRequest * 10.5 });
    expect(report.stopped).toMatchObject({ reason: 'maxCost', message: expect.stringMatching(/budget of \$[\d.e-]+ was reached/) });
    const levels = routeOf(report).levels;
    expect(levels).toHaveLength(1);
    expect(levels[0]).toMatchObject({ status: 'partial', stoppedBy: 'maxCost' });
    expect(levels[0]!.sent).toBeGreaterThanOrEqual(10);
    expect(report.cost.usd!).toBeLessThanOrEqual(perRequest * 10.5);
  });

  it('fails a route its warm-up cannot get past, with the fix, and measures the others', async () => {
    const target = await lab({ scenario: { timeToFirstTokenMs: { '*': 5 }, accessDenied: [{ region: 'eu-west-1', modelId: HAIKU_3 }] }, overrides: { regions: ['us-east-1', 'eu-west-1'] } });
    const report = await runLoad(target, { target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], load: { mode: 'concurrency', levels: [1, 2] }, stepRequests: 2, maxTokens: 2 });
    expect(report.status).toBe('partial');
    expect(report.regions['eu-west-1']).toMatchObject({ error: { code: expect.any(String), message: expect.stringMatching(/access|denied|not authorized/i) } });
    expect(routeOf(report).levels.map((level) => level.samples)).toEqual([2, 2]);
  });

  it('answers NOT_FOUND for a run the history does not have', async () => {
    const target = await lab();
    await expect(target.core.handlers.loadRunLevels({ runId: 'no-such-run' }, { signal })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the samples of each level with its index in the history', async () => {
    const target = await lab();
    const report = await runLoad(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 3] }, stepRequests: 3, maxTokens: 2 });
    await target.close();
    labs.splice(labs.indexOf(target), 1);
    const db = await openHistoryDatabase({ dataDir: target.dataDir });
    try {
      await new LatencyHistory(async () => db, () => 1000).status();
      const rows = await db.all<{ level_index: number; n: bigint; scheduled: bigint }>(
        'select level_index, count(*) as n, count(scheduled_at) as scheduled from latency_samples where run_id = $1 group by level_index order by level_index',
        [report.id],
      );
      expect(rows.map((row) => [row.level_index, Number(row.n), Number(row.scheduled)])).toEqual([[0, 3, 0], [1, 3, 0]]);
    } finally {
      db.close();
    }
  });
});
