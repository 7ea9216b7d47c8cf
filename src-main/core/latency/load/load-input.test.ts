import { describe, expect, it } from 'vitest';
import { LoadRunInputSchema, loadStreams, parseLoadText, resolveSlo, SloInputSchema, type LoadLevelReport, type LoadProgress } from '../../../../src-shared/contract';
import { noErrors } from '../../../../src-shared/errors';
import { arrivalOffsets } from './arrivals';
import { LoadBudget } from './budget';
import { findKnee } from './level-summary';

/** What a load run accepts, and the arithmetic it is judged by: no network, no clock. */

const refusal = (input: unknown) => {
  const parsed = LoadRunInputSchema.safeParse(input);
  return parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
};
const load = (mode: 'concurrency' | 'rate', levels: number[]) => ({ target: 'm', load: { mode, levels } });

describe('load levels', () => {
  it.each([
    ['concurrency:1,two,4', /load levels must be numbers: "two" is not\. Use concurrency:1,2,4,8 \(requests in flight\) or rate:0\.5,1,2,4/],
    ['rate:1,,2', /load levels must be numbers: an empty one is not/],
    ['rate:1e3', /"1e3" is not/],
    ['speed:1,2', /"speed:1,2" is not a load\. Use concurrency:1,2,4,8/],
    ['1,2,4', /is not a load/],
  ])('refuses %s as text, naming the forms accepted', (text, message) => {
    expect(parseLoadText(text)).toEqual({ error: expect.stringMatching(message) });
  });

  it('reads both forms, spaces and case aside', () => {
    expect(parseLoadText('concurrency:1,2,4,8')).toEqual({ mode: 'concurrency', levels: [1, 2, 4, 8] });
    expect(parseLoadText(' Rate: 0.5, 1 ,2,4')).toEqual({ mode: 'rate', levels: [0.5, 1, 2, 4] });
  });

  it.each([
    [load('concurrency', [0, 1]), /load\.levels: load levels must be greater than 0, not 0\. Use concurrency:1,2,4,8/],
    [load('rate', [-1, 2]), /load levels must be greater than 0, not -1/],
    [load('rate', [1, 4, 2]), /load levels must increase: 2 comes after 4/],
    [load('concurrency', [1, 2, 2, 4]), /load levels must not repeat: 2 is given twice/],
    [load('concurrency', [1, 2.5]), /concurrency levels are whole numbers of requests in flight, not 2\.5/],
    [load('concurrency', [1, 51]), /concurrency levels are at most 50/],
    [load('rate', [Number.NaN]), /load levels must be numbers/],
    [load('rate', []), /give at least one load level/],
    [{ ...load('rate', [1, 2]), stepRequests: 10 }, /stepRequests applies to concurrency levels; rate levels last stepDurationMs/],
    [{ ...load('concurrency', [1, 2]), stepRequests: 10, stepDurationMs: 1000 }, /give stepRequests or stepDurationMs, not both/],
    [{ ...load('concurrency', [1]), slo: { preset: 'custom' } }, /a custom SLO needs at least one bound/],
    [{ ...load('concurrency', [1]), maxCostUsd: 0 }, /maxCostUsd must be more than 0/],
  ])('refuses %j', (input, message) => {
    expect(refusal(input)).toMatch(message);
  });

  it('takes the defaults of a load run: unique prompts, the chat SLO, Poisson arrivals seeded 1', () => {
    expect(LoadRunInputSchema.parse(load('rate', [0.5, 1]))).toMatchObject({ uniquePrompts: true, slo: { preset: 'chat' }, load: { arrivals: 'poisson', seed: 1 }, maxInFlight: 50, warmup: 1 });
  });
});

describe('SLOs', () => {
  it('quotes MLPerf\'s llama3.1-8b interactive targets and holds them at p99', () => {
    expect(resolveSlo(SloInputSchema.parse({ preset: 'mlperf-interactive' }))).toMatchObject({ name: 'mlperf-interactive', ttftMs: 500, interTokenMs: 30, percentile: 99, source: expect.stringMatching(/mlperf\.conf/) });
    expect(resolveSlo(SloInputSchema.parse({}))).toMatchObject({ name: 'chat', ttftMs: 1000, interTokenMs: 50, e2eMs: null });
  });

  it('makes a preset with a bound of its own a custom SLO, the other bounds kept', () => {
    expect(resolveSlo(SloInputSchema.parse({ preset: 'chat', ttftMs: 700 }))).toMatchObject({ name: 'custom', ttftMs: 700, interTokenMs: 50, source: 'custom, from the chat preset' });
    expect(resolveSlo(SloInputSchema.parse({ preset: 'custom', e2eMs: 5000 }))).toMatchObject({ name: 'custom', ttftMs: null, interTokenMs: null, e2eMs: 5000, percentile: 99 });
  });
});

function level(index: number, figures: { sent: number; throttled?: number; p90?: number }): LoadLevelReport {
  const throttled = figures.throttled ?? 0;
  const stats = figures.p90 === undefined ? null : { p50: figures.p90 / 2, p90: figures.p90, p99: figures.p90, mean: figures.p90 / 2, min: 1, max: figures.p90, stddev: 1 };
  return {
    index, offered: { concurrency: index + 1 }, status: 'completed', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000, sent: figures.sent, samples: figures.sent - throttled,
    errors: { ...noErrors(), throttled }, throttleRate: figures.sent ? throttled / figures.sent : 0, achievedRps: 1, outputTokensPerSecond: 1, ttftMs: stats, interTokenMs: null, e2eMs: stats,
    connectionsOpened: 0, connectionsReused: 0,
  };
}

describe('the knee', () => {
  it('is the first level whose throttles pass 1 % of its requests', () => {
    expect(findKnee([level(0, { sent: 100, throttled: 1, p90: 300 }), level(1, { sent: 100, throttled: 2, p90: 310 }), level(2, { sent: 100, throttled: 50, p90: 320 })])).toEqual({
      levelIndex: 1,
      reason: 'throttles 2 % of 100 requests (above 1 %)',
    });
  });

  it('is the first level whose p90 TTFT is twice the first level\'s, when nothing throttles', () => {
    expect(findKnee([level(0, { sent: 10, p90: 300 }), level(1, { sent: 10, p90: 599 }), level(2, { sent: 10, p90: 600 })])).toEqual({
      levelIndex: 2,
      reason: "p90 TTFT 600 ms, 2× the first level's 300 ms (2× or more)",
    });
  });

  it('can be the first level (it throttles already), is null when no level qualifies, and passes over levels that sent nothing', () => {
    expect(findKnee([level(0, { sent: 10, throttled: 5, p90: 300 })])?.levelIndex).toBe(0);
    expect(findKnee([level(0, { sent: 10, p90: 300 }), level(1, { sent: 10, p90: 500 })])).toBeNull();
    expect(findKnee([level(0, { sent: 0 }), level(1, { sent: 10, p90: 100 }), level(2, { sent: 10, p90: 250 })])?.levelIndex).toBe(2);
    expect(findKnee([])).toBeNull();
  });
});

describe('arrivals', () => {
  it('replays the same Poisson schedule for the same seed, another for another seed', () => {
    const first = [...arrivalOffsets('poisson', 50, 60_000, 7)];
    expect([...arrivalOffsets('poisson', 50, 60_000, 7)]).toEqual(first);
    expect([...arrivalOffsets('poisson', 50, 60_000, 8)]).not.toEqual(first);
    expect(first[0]).toBe(0);
    expect(first.every((at, index) => index === 0 || at > first[index - 1]!)).toBe(true);
    expect(first.at(-1)!).toBeLessThan(60_000);
    // 3 000 expected arrivals: a Poisson count within four standard deviations (±219).
    expect(Math.abs(first.length - 3000)).toBeLessThan(220);
  });

  it('spaces constant arrivals evenly: rate × duration of them', () => {
    expect([...arrivalOffsets('constant', 4, 1000, 1)]).toEqual([0, 250, 500, 750]);
    expect([...arrivalOffsets('constant', 0.5, 30_000, 1)]).toHaveLength(15);
  });
});

describe('the budget', () => {
  it('admits a request only while its worst case fits beside what is spent and in flight, then refuses every later one', () => {
    const budget = new LoadBudget(null, 1);
    const first = budget.admit(0.4);
    const second = budget.admit(0.4);
    expect(budget.admit(0.4)).toBe('maxCost');
    budget.settle(first as { usd: number }, 0.1);
    budget.settle(second as { usd: number }, 0.1);
    // Room again, but the run has stopped sending: a budget that refused once refuses for good.
    expect(budget.admit(0.4)).toBe('maxCost');
    expect(budget.summary()).toEqual({ requests: 2, spentUsd: 0.2 });
  });

  it('counts requests', () => {
    const budget = new LoadBudget(2, null);
    expect([budget.admit(0), budget.admit(0), budget.admit(0)]).toEqual([{ usd: 0 }, { usd: 0 }, 'maxRequests']);
    expect(budget.exhausted()).toBe('maxRequests');
  });
});

describe('load progress', () => {
  it('lets a newer chunk of a route replace an older one (it carries every finished level), never another route\'s', () => {
    const coalesce = loadStreams.runLoad.coalesce!;
    const chunk = (key: string, finished: number): LoadProgress => ({
      key, route: { invokeId: 'm', callRegion: key, kind: 'on-demand' }, levelIndex: finished, levelCount: 3, offered: { concurrency: 1 }, phase: 'running',
      sent: 0, done: 0, errors: 0, throttled: 0, p50TtftMs: null, lateSends: 0, finishedLevels: Array.from({ length: finished }, (_, index) => level(index, { sent: 1 })),
    });
    expect(coalesce(chunk('us-east-1', 1), chunk('us-east-1', 2))).toEqual(chunk('us-east-1', 2));
    expect(coalesce(chunk('us-east-1', 1), chunk('eu-west-1', 1))).toBeUndefined();
  });
});
