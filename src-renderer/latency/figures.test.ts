import { describe, expect, it } from 'vitest';
import { ERROR_CLASSES, type ErrorCounts, type LatencyRouteReport, type LatencyRunReport, type LatencyStats, type ProbeChunk } from '../../src-shared/contract/latency';
import { boxRows, fixFor, fromReport, historyLines, networkRows, quantile, speedRows, whiskerRows } from './figures';
import { niceCeil, routeLabel } from './charts/route-label';

const stats = (p50: number, p90 = p50 * 1.2, p99 = p50 * 1.5): LatencyStats => ({ p50, p90, p99, mean: p50, min: p50 / 2, max: p99, stddev: 1 });
const route = (invokeId: string, callRegion: string, ttft: number): LatencyRouteReport => ({
  route: { invokeId, callRegion, kind: invokeId.startsWith('eu.') ? 'geo-profile' : 'on-demand' },
  samples: 10,
  errors: { ...(Object.fromEntries(ERROR_CLASSES.map((name) => [name, 0])) as ErrorCounts), throttled: 1 },
  ttftMs: stats(ttft),
  e2eMs: stats(ttft + 500),
  interTokenMs: stats(20),
  outputTokensPerSecond: stats(50),
  endToEndTokensPerSecond: stats(30),
  serverLatencyMs: stats(ttft + 400),
  clientOverheadMs: stats(100),
  largestGapMs: stats(60),
  connectionsOpened: 2,
  connectionsReused: 8,
});
const report: LatencyRunReport = {
  id: 'run-1',
  startedAt: '2026-11-23T01:00:00.000Z',
  finishedAt: '2026-11-23T01:00:10.000Z',
  target: 'claude 3 haiku',
  runs: 10,
  concurrency: 2,
  options: { warmup: 1, promptSize: 'small', maxTokens: 64, latency: 'standard', autoProfile: false },
  status: 'completed',
  regions: {
    'us-east-1': route('m', 'us-east-1', 350),
    'eu-central-1 eu.m': route('eu.m', 'eu-central-1', 500),
    'ap-south-1': { error: { code: 'NEEDS_INFERENCE_PROFILE', message: 'm is served in ap-south-1 only through inference profiles.' } },
  },
  stored: true,
  cost: {
    usd: 0.0123,
    usage: { input: 700, output: 1280, cacheRead: 0, cacheWrite: 0 },
    requests: 22,
    requestsWithoutUsage: 1,
    routes: {},
    priceTable: { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } },
  },
};

describe('the Latency page’s figures', () => {
  it('splits a report into measured routes (in order) and failed ones with their code', () => {
    const figures = fromReport(report);
    expect(figures.routes.map((entry) => entry.key)).toEqual(['us-east-1', 'eu-central-1 eu.m']);
    expect(figures.failures).toEqual([{ key: 'ap-south-1', code: 'NEEDS_INFERENCE_PROFILE', message: 'm is served in ap-south-1 only through inference profiles.' }]);
  });

  it('bars at p50 with p90 and p99 whiskers, per metric', () => {
    const rows = whiskerRows(fromReport(report).routes, 'e2eMs');
    expect(rows[0]).toEqual({ key: 'us-east-1', p50: 850, p90: 1020, p99: 1275, samples: 10 });
  });

  it('keeps output speed (1/ITL) and the end-to-end rate apart', () => {
    expect(speedRows(fromReport(report).routes)[0]).toEqual({ key: 'us-east-1', outputSpeed: 50, endToEnd: 30 });
  });

  it('a probe: cold stacked as DNS + TCP + TLS + first byte (null TLS over plain HTTP counts 0), warm as the pooled first byte', () => {
    const chunks: ProbeChunk[] = [
      { region: 'us-east-1', result: { endpoint: 'http://127.0.0.1:1', cold: { dnsMs: null, connectMs: 2, tlsMs: null, ttfbMs: 30, totalMs: 32 }, warm: { ttfbMs: { p50: 1.5, p90: 2, p99: 3, mean: 1.6, min: 1, max: 3 } }, samples: 5 } },
      { region: 'me-south-1', result: { error: { code: 'UnrecognizedClientException', message: 'not enabled' } } },
    ];
    expect(networkRows(chunks)).toEqual({
      rows: [{ region: 'us-east-1', dns: 0, tcp: 2, tls: 0, ttfbCold: 30, ttfbWarm: 1.5, coldTotal: 32 }],
      failures: [{ region: 'me-south-1', code: 'UnrecognizedClientException', message: 'not enabled' }],
    });
  });

  it('interpolates quantiles as DuckDB’s quantile_cont does', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10, 20, 30, 40], 0.9)).toBeCloseTo(37);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('a box per route from raw samples: quartiles, p10–p90 whiskers, extremes', () => {
    const points = Array.from({ length: 11 }, (_, index) => ({ at: '2026-11-23T01:00:00.000Z', region: 'us-east-1', value: index * 10 }));
    const [box] = boxRows(points);
    expect(box).toEqual({ key: 'us-east-1', min: 0, p10: 10, q1: 25, median: 50, q3: 75, p90: 90, max: 100, range: [10, 90], samples: 11 });
  });

  it('history: one line per route, the p50 of each time bucket, in time order', () => {
    const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 1, 0, second)).toISOString();
    const points = [
      { at: at(0), region: 'us-east-1', value: 300 },
      { at: at(0), region: 'us-east-1', value: 500 },
      { at: at(0), region: 'us-east-1', value: 400 },
      { at: at(200), region: 'us-east-1', value: 350 },
      { at: at(100), region: 'eu-west-1', value: 450 },
    ];
    const lines = historyLines(points);
    expect(lines.map((line) => line.key)).toEqual(['us-east-1', 'eu-west-1']);
    const [first, second] = lines[0]?.points ?? [];
    expect([first, second].map((point) => [point?.p50, point?.samples])).toEqual([
      [400, 3],
      [350, 1],
    ]);
    expect(lines[0]?.points).toHaveLength(2);
    expect(first?.at).toBeLessThan(second?.at ?? NaN);
    expect(historyLines([])).toEqual([]);
  });

  it('a 10 000-sample history becomes at most 161 points per route', () => {
    const start = Date.UTC(2026, 10, 22);
    const points = Array.from({ length: 10_000 }, (_, index) => ({ at: new Date(start + index * 7_000).toISOString(), region: `r${index % 5}`, value: index % 300 }));
    const lines = historyLines(points);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line.points.length).toBeLessThanOrEqual(161);
  });

  it('offers the fix the page can take: auto-profile, or the regions where it is callable', () => {
    expect(fixFor('NEEDS_INFERENCE_PROFILE')).toBe('auto-profile');
    expect(fixFor('NOT_OFFERED_IN_REGION')).toBe('callable-regions');
    expect(fixFor('ACCESS_DENIED')).toBeNull();
  });

  it('labels compared routes by their profile scope, and rounds axis ends up', () => {
    expect(routeLabel('us-east-1')).toBe('us-east-1');
    expect(routeLabel('eu-central-1 eu.anthropic.claude-3-haiku-20240307-v1:0')).toBe('eu-central-1 · eu profile');
    expect([niceCeil(821), niceCeil(1068), niceCeil(200), niceCeil(0)]).toEqual([1000, 1200, 200, 1]);
  });
});
