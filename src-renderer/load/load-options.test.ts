import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type RunOptions } from '../latency/run-options';
import { HAIKU } from '../testing/small-catalog';
import { DEFAULT_LEVELS, DEFAULT_LOAD_OPTIONS, loadRunInput, withMode, type LoadOptions } from './load-options';

const RUN: RunOptions = { ...DEFAULT_OPTIONS, target: HAIKU, regions: ['us-east-1'], maxTokens: 64 };
const build = (patch: Partial<LoadOptions>) => loadRunInput(RUN, { ...DEFAULT_LOAD_OPTIONS, ...patch });
const problem = (patch: Partial<LoadOptions>) => {
  const built = build(patch);
  return built.ok ? null : built.message;
};

describe('load run input from the form', () => {
  it('closed loop by default: concurrency levels for 30 s each, the chat SLO, unique prompts, no budget', () => {
    expect(build({})).toEqual({
      ok: true,
      input: {
        target: HAIKU,
        regions: ['us-east-1'],
        load: { mode: 'concurrency', levels: [1, 2, 4, 8] },
        stepDurationMs: 30_000,
        promptSize: 'small',
        maxTokens: 64,
        latency: 'standard',
        autoProfile: true,
        uniquePrompts: true,
        slo: { preset: 'chat' },
        confirmed: false,
      },
    });
  });

  it('open loop carries its arrivals; a closed loop by count its requests per level; budgets and a custom SLO when given', () => {
    const rate = build({ mode: 'rate', levels: '0.5, 1,2', arrivals: 'constant', stepSeconds: 2.5, maxRequests: 300, maxCostUsd: 1.5 });
    expect(rate.ok && rate.input).toMatchObject({ load: { mode: 'rate', levels: [0.5, 1, 2], arrivals: 'constant' }, stepDurationMs: 2500, maxRequests: 300, maxCostUsd: 1.5 });
    const counted = build({ stepBy: 'requests', stepRequests: 50, slo: 'custom', sloTtftMs: 800, sloInterTokenMs: Number.NaN, sloE2eMs: 4000, sloPercentile: 95 });
    expect(counted.ok && counted.input).toMatchObject({ stepRequests: 50, slo: { preset: 'custom', ttftMs: 800, e2eMs: 4000, percentile: 95 } });
    expect(counted.ok && 'stepDurationMs' in counted.input).toBe(false);
    expect(counted.ok && counted.input.slo && 'interTokenMs' in counted.input.slo).toBe(false);
    const none = build({ slo: 'none' });
    expect(none.ok && none.input.slo).toBeNull();
  });

  it('refuses levels that are not numbers, zero, negative, unsorted or repeated, in words without the CLI’s forms', () => {
    expect(problem({ levels: '1,two,4' })).toBe('load levels must be numbers: "two" is not');
    expect(problem({ levels: '1,,4' })).toBe('load levels must be numbers: an empty one is not');
    expect(problem({ levels: '0,1' })).toBe('load levels must be greater than 0, not 0');
    expect(problem({ levels: '-2,1' })).toBe('load levels must be greater than 0, not -2');
    expect(problem({ levels: '4,2' })).toBe('load levels must increase: 2 comes after 4');
    expect(problem({ levels: '2,2' })).toBe('load levels must not repeat: 2 is given twice');
    expect(problem({ levels: '1.5' })).toBe('concurrency levels are whole numbers of requests in flight, not 1.5');
    expect(problem({ levels: '1,100' })).toMatch(/^concurrency levels are at most 50/);
  });

  it('refuses a step, a budget or a custom SLO out of range, naming the field as the form does', () => {
    expect(problem({ stepSeconds: 0.01 })).toBe('each level lasts between 0.1 and 3600 seconds');
    expect(problem({ stepSeconds: Number.NaN })).toBe('each level lasts between 0.1 and 3600 seconds');
    expect(problem({ stepBy: 'requests', stepRequests: 0 })).toBe('requests per level must be between 1 and 100000');
    expect(problem({ maxRequests: 0 })).toBe('max requests must be at least 1');
    expect(problem({ maxCostUsd: 0 })).toBe('max cost must be more than 0');
    expect(problem({ slo: 'custom', sloTtftMs: Number.NaN, sloInterTokenMs: Number.NaN, sloE2eMs: Number.NaN })).toBe('a custom SLO needs at least one bound: TTFT, inter-token or end-to-end milliseconds');
    expect(problem({ slo: 'custom', sloPercentile: 20 })).toBe('the SLO percentile is between 50 and 99.9');
    expect(loadRunInput({ ...RUN, regions: [] }, DEFAULT_LOAD_OPTIONS)).toEqual({ ok: false, message: 'Choose at least one region (or a preset).' });
  });

  it('switching the loop swaps untouched default levels and keeps typed ones', () => {
    expect(withMode(DEFAULT_LOAD_OPTIONS, 'rate').levels).toBe(DEFAULT_LEVELS.rate);
    expect(withMode({ ...DEFAULT_LOAD_OPTIONS, levels: '3,6' }, 'rate').levels).toBe('3,6');
  });
});
