// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CLASSES, type ErrorCounts, type LatencyRunReport, type LatencyStats } from '../../src-shared/contract/latency';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { useChartTheme } from './charts/chart-theme';
import { fromReport } from './figures';
import { RunResults } from './RunResults';

afterEach(cleanup);

const stats = (p50: number): LatencyStats => ({ p50, p90: p50, p99: p50, mean: p50, min: p50, max: p50, stddev: 0 });
const noErrors = Object.fromEntries(ERROR_CLASSES.map((name) => [name, 0])) as ErrorCounts;
const measured = (callRegion: string) => ({
  route: { invokeId: HAIKU, callRegion, kind: 'on-demand' as const },
  samples: 10,
  errors: noErrors,
  ttftMs: stats(300),
  e2eMs: stats(600),
  interTokenMs: stats(10),
  outputTokensPerSecond: stats(100),
  endToEndTokensPerSecond: stats(50),
  serverLatencyMs: stats(500),
  clientOverheadMs: stats(100),
  largestGapMs: stats(40),
  connectionsOpened: 1,
  connectionsReused: 9,
});

const report = (cost: LatencyRunReport['cost']): LatencyRunReport => ({
  id: 'run-1',
  startedAt: '2026-11-23T01:00:00.000Z',
  finishedAt: '2026-11-23T01:00:10.000Z',
  target: HAIKU,
  runs: 10,
  concurrency: 2,
  options: { warmup: 1, promptSize: 'small', maxTokens: 64, latency: 'standard', autoProfile: false },
  status: 'completed',
  regions: { 'us-east-1': measured('us-east-1'), 'eu-west-1': measured('eu-west-1') },
  stored: true,
  cost,
});

const TABLE = { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled' as const, origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } };
const usage = { input: 350, output: 640, cacheRead: 0, cacheWrite: 0 };

function Results({ run }: { run: LatencyRunReport }) {
  return <RunResults run={fromReport(run)} target={HAIKU} theme={useChartTheme()} />;
}

describe('RunResults: the run’s actual cost (issue 17 §4)', () => {
  it('says what the run cost from Bedrock’s usage, per route too, and the requests it could not count', () => {
    const { wrapper } = fakeClient({ latencySeries: () => new Promise(() => {}) });
    const run = report({
      usd: 0.0018,
      usage: { input: 700, output: 1280, cacheRead: 0, cacheWrite: 0 },
      requests: 21,
      requestsWithoutUsage: 1,
      routes: { 'us-east-1': { usd: 0.0009, usage, requests: 11, requestsWithoutUsage: 0 }, 'eu-west-1': { usd: 0.0009, usage, requests: 10, requestsWithoutUsage: 1 } },
      priceTable: TABLE,
    });
    render(<Results run={run} />, { wrapper });
    expect(screen.getByTestId('run-cost').textContent).toBe(
      'Cost of this run: $0.0018 · 700 input and 1,280 output tokens over 21 requests (warm-ups included), at the list prices of 2026-11-01; 1 requests ended without usage and are not counted.',
    );
    expect(screen.getAllByTestId('route-cost').map((cell) => cell.textContent)).toEqual(['$0.0009', '$0.0009']);
  });

  it('an unknown price makes the run’s cost unknown, with the reason, never $0', () => {
    const { wrapper } = fakeClient({ latencySeries: () => new Promise(() => {}) });
    const run = report({
      usd: null,
      unknown: 'no in-region price for Claude 3 Haiku in eu-west-1',
      usage,
      requests: 11,
      requestsWithoutUsage: 0,
      routes: { 'us-east-1': { usd: 0.0009, usage, requests: 11, requestsWithoutUsage: 0 }, 'eu-west-1': { usd: null, unknown: 'no in-region price', usage, requests: 10, requestsWithoutUsage: 0 } },
      priceTable: TABLE,
    });
    render(<Results run={run} />, { wrapper });
    expect(screen.getByTestId('run-cost').textContent).toMatch(/^Cost of this run: unknown \(no in-region price for Claude 3 Haiku in eu-west-1\)/);
    expect(screen.getAllByTestId('route-cost').map((cell) => cell.textContent)).toEqual(['$0.0009', 'unknown']);
  });
});
