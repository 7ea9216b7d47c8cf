// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SLO_PRESET_VALUES, type LoadEstimate } from '../../src-shared/contract/load';
import { HAIKU } from '../testing/small-catalog';
import { formatDuration, LoadEstimateLine } from './LoadEstimate';

afterEach(cleanup);

const estimate = (requestsBasis: string, patch: Partial<LoadEstimate> = {}): LoadEstimate => ({
  requests: 276,
  warmupRequests: 4,
  inputTokens: 12_880,
  outputTokens: 4480,
  needsConfirmation: false,
  confirmationReasons: [],
  estimatedCostUsd: 0.0246,
  routeCosts: { 'us-east-1': { usd: 0.0246 } },
  priceTable: { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } },
  simulated: false,
  routes: { 'us-east-1': { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' } },
  unavailable: {},
  prompt: { size: 'small', inputTokens: 36, countedBy: 'estimate' },
  requestsBasis,
  expectedDurationMs: 150_000,
  uniquePrompts: true,
  slo: SLO_PRESET_VALUES['mlperf-interactive'],
  ...patch,
});

describe('LoadEstimateLine', () => {
  it('says requests, tokens, dollars, how long, the prompts and the SLO before anything is sent', () => {
    const { container } = render(<LoadEstimateLine estimate={estimate('exact: 3 levels × 92 requests')} />);
    expect(container.querySelector('p')?.textContent).toBe(
      'about 276 requests (exact: 3 levels × 92 requests) + 4 warm-up · about 12,880 input and up to 4,480 output tokens · prompt 36 tokens · estimated $0.0246 at most · lasts about 2 min 30 s · unique prompts · SLO MLPerf interactive (TTFT ≤ 500 ms, ITL ≤ 30 ms at p99)',
    );
    expect(screen.queryByText('How the requests are counted')).toBeNull();
  });

  it('a long account of how requests were counted (one clause per route) folds under the line', () => {
    const long = 'about concurrency × 2 s per level at 132 ms a request (the route’s measured p50 TTFT of 52 ms and 5 ms per output token); '.repeat(3);
    const { container } = render(<LoadEstimateLine estimate={estimate(long, { slo: null, uniquePrompts: false })} />);
    expect(container.querySelector('p')?.textContent).toMatch(/^about 276 requests \+ 4 warm-up/);
    expect(container.querySelector('p')?.textContent).toContain('repeated prompts (the cache may answer them) · no SLO');
    expect(container.querySelector('details')?.textContent).toBe(`How the requests are counted${long}`);
  });

  it('writes durations in minutes and seconds', () => {
    expect([formatDuration(45_000), formatDuration(120_000), formatDuration(150_400)]).toEqual(['45 s', '2 min', '2 min 30 s']);
  });
});
