import { describe, expect, it } from 'vitest';
import { LatencyRunInputSchema } from '../../../src-shared/contract';
import { estimateRun, type RunPlan } from './plan';
import { interTokenLatency } from './measure-request';
import { summarize } from './stats';

const planOf = (routes: number): RunPlan => ({
  routes: Array.from({ length: routes }, (_, index) => ({
    key: `region-${index}`,
    route: { invokeId: 'm', callRegion: `region-${index}`, kind: 'on-demand' },
    resolved: { invokeId: 'm', callRegion: `region-${index}`, kind: 'on-demand', modelId: 'm', model: null, destinations: [] },
  })),
  unavailable: {},
});
const prompt = { size: 'small' as const, inputTokens: 40, countedBy: 'estimate' as const };

describe('run estimate', () => {
  it('asks confirmation above 100 requests against real AWS, warm-up included', () => {
    const input = LatencyRunInputSchema.parse({ target: 'm', runs: 50, warmup: 1, maxTokens: 10 });
    expect(estimateRun(planOf(2), input, prompt, false)).toMatchObject({ requests: 100, warmupRequests: 2, needsConfirmation: true, inputTokens: 40 * 102, outputTokens: 10 * 102 });
    expect(estimateRun(planOf(2), { ...input, warmup: 0 }, prompt, false).needsConfirmation).toBe(false);
    expect(estimateRun(planOf(3), input, prompt, true).needsConfirmation).toBe(false);
  });
});

describe('metrics', () => {
  it('excludes TTFT from inter-token latency and leaves it undefined below two tokens', () => {
    expect(interTokenLatency(200, 300, 11)).toBe(10);
    expect(interTokenLatency(200, 200, 1)).toBeNull();
    expect(interTokenLatency(200, 300, null)).toBeNull();
  });

  it('aggregates p50/p90/p99, mean, min, max and the sample standard deviation', () => {
    expect(summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ p50: 5.5, p90: 9.1, p99: 9.91, mean: 5.5, min: 1, max: 10, stddev: 3.03 });
    expect(summarize([7])).toEqual({ p50: 7, p90: 7, p99: 7, mean: 7, min: 7, max: 7, stddev: 0 });
    expect(summarize([])).toBeNull();
  });
});

describe('progress while the caller reads slowly', () => {
  it('lets a newer snapshot of a route replace the queued one, and keeps routes apart', async () => {
    const { latencyStreams } = await import('../../../src-shared/contract/latency');
    const progress = (key: string, done: number) => ({ key, route: { invokeId: 'm', callRegion: key, kind: 'on-demand' as const }, done, total: 10, errors: 0, p50TtftMs: null, phase: 'measuring' as const });
    const coalesce = latencyStreams.runLatency.coalesce!;
    expect(coalesce(progress('us-east-1', 1), progress('us-east-1', 2))).toEqual(progress('us-east-1', 2));
    expect(coalesce(progress('us-east-1', 1), progress('eu-west-1', 1))).toBeUndefined();
  });
});
