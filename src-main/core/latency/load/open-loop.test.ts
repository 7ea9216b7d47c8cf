import { afterEach, describe, expect, it } from 'vitest';
import { LoadRunInputSchema, type LoadProgress, type LoadRouteReport, type LoadRunInput, type LoadRunReport } from '../../../../src-shared/contract';
import { AwsClientPool } from '../../aws/client-pool';
import { openHistoryDatabase } from '../../storage/history-database';
import { parseScenario } from '../../../emulator/scenario';
import { HAIKU_3, startEmulatedLab, type EmulatedLab } from '../../../testing/emulated-lab';
import type { PriceLookup } from '../cost';
import { LatencyHistory } from '../history-store';
import { planRun } from '../plan';
import type { LoadClock } from './clock';
import { runLoad } from './run-load';

/**
 * Open-loop load runs against the emulator over real HTTP. Latency counts from each request's scheduled send: a
 * sender that falls behind shows its lateness in every figure (coordinated omission), and says it fell behind.
 */

const labs: EmulatedLab[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
  closers.splice(0).forEach((close) => close());
});
const lab = async (options: Parameters<typeof startEmulatedLab>[0] = {}) => {
  const started = await startEmulatedLab({ overrides: { regions: ['us-east-1'] }, ...options, scenario: { timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 }, ...options.scenario } });
  labs.push(started);
  return started;
};
const run = (target: EmulatedLab, input: LoadRunInput, options: { signal?: AbortSignal; onProgress?: (progress: LoadProgress) => void } = {}) =>
  target.core.streamHandlers.runLoad(LoadRunInputSchema.parse(input), { signal: options.signal ?? new AbortController().signal, emit: async (chunk) => options.onProgress?.(chunk) });
const routeOf = (report: LoadRunReport) => report.regions['us-east-1'] as LoadRouteReport;

/** Ten minutes: no request to the emulator takes that long, so only a schedule's wait can put it in a figure. */
const LAG_MS = 600_000;

/**
 * A sender that always wakes LAG_MS after the time it was asked to (a slow consumer of its own schedule), without
 * the test waiting for it: the clock jumps forward instead. Real time passes as it does.
 */
function laggingClock(): LoadClock {
  let offset = 0;
  const now = () => performance.now() + offset;
  return {
    now,
    epochMs: (at) => performance.timeOrigin + at,
    sleepUntil: async (at) => {
      const wake = at + LAG_MS;
      if (now() < wake) offset += wake - now();
    },
  };
}

const NO_PRICES: PriceLookup = {
  info: { asOf: null, fetchedAt: null, source: 'none', origin: null, products: { read: 0, priced: 0, unused: 0, outOfScope: 0 } },
  priceFor: () => null,
};

describe('open-loop latency counts from the scheduled send', () => {
  it('puts a late sender\'s wait into TTFT and E2E, keeps the intended and actual send times, and says the level fell behind', async () => {
    const target = await lab();
    const { document } = await target.core.catalog().get();
    const input = LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'rate', levels: [50], arrivals: 'constant' }, stepDurationMs: 100, maxTokens: 3, warmup: 0 });
    const plan = planRun(document, { ...input, compareRoutes: false });
    const clients = new AwsClientPool({ endpointUrl: target.emulator.url, credentials: { accessKeyId: 'AKIDLOAD', secretAccessKey: 'secret' } });
    const db = await openHistoryDatabase({ dataDir: null });
    closers.push(() => db.close());
    const history = new LatencyHistory(async () => db, () => 1000);
    const report = await runLoad(input, { routes: plan.routes, unavailable: {}, inputTokens: 20 }, { signal: new AbortController().signal, emit: async () => {} }, {
      clients,
      history,
      prices: NO_PRICES,
      quotas: async () => [],
      clock: laggingClock(),
    });
    const [level] = routeOf(report).levels;
    // Constant arrivals every 20 ms for 100 ms: five sends, each LAG_MS late.
    expect(level).toMatchObject({ sent: 5, samples: 5, schedule: { arrivals: 'constant', sent: 5, lateSends: 5, fellBehind: true } });
    expect(level!.schedule!.maxLatenessMs).toBeGreaterThanOrEqual(LAG_MS);
    // Measured from the actual send these would be a few milliseconds; from the schedule they hold the wait.
    expect(level!.ttftMs!.min).toBeGreaterThanOrEqual(LAG_MS);
    expect(level!.e2eMs!.min).toBeGreaterThanOrEqual(level!.ttftMs!.min);
    expect(level!.interTokenMs!.max).toBeLessThan(LAG_MS);
    // The samples keep both send times: the intended one LAG_MS or more before the actual one.
    const rows = await db.all<{ late_ms: number; ttft_ms: number }>(
      `select epoch_ms(sent_at) - epoch_ms(scheduled_at) as late_ms, ttft_ms from latency_samples where run_id = $1 order by scheduled_at`,
      [report.id],
    );
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(Number(row.late_ms)).toBeGreaterThanOrEqual(LAG_MS);
      // The sample's own TTFT counts from its actual send (as every sample), so the two add up to the level's figure.
      expect(row.ttft_ms).toBeLessThan(LAG_MS);
    }
  });

  it('says a level fell behind when the client cannot keep the rate (one request in flight at most), with the wait in its latency', async () => {
    // Every answer takes at least 100 ms (the emulator never answers sooner), while arrivals come every 25 ms: with
    // one request in flight at most, each send waits for the one before it.
    const target = await lab({ scenario: { timeToFirstTokenMs: { '*': 100 } } });
    const report = await run(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'rate', levels: [40], arrivals: 'constant' }, stepDurationMs: 200, maxInFlight: 1, maxTokens: 2, warmup: 0 });
    const [level] = routeOf(report).levels;
    expect(level!.sent).toBe(8);
    expect(level!.schedule).toMatchObject({ fellBehind: true });
    // The k-th send (from 0) cannot start before k answers of 100 ms have ended, 25·k ms after its schedule: at least 75·k ms late.
    expect(level!.schedule!.lateSends).toBeGreaterThanOrEqual(7);
    expect(level!.schedule!.maxLatenessMs).toBeGreaterThanOrEqual(7 * 75);
    expect(level!.ttftMs!.max).toBeGreaterThanOrEqual(7 * 75 + 100);
  });
});

describe('open-loop load runs', () => {
  it('finds the knee at the level where the offered rate passes the route\'s quota, and draws that quota', async () => {
    // The route's applied quota: 1 200 requests a minute (20 a second), enforced by the emulator as Bedrock does, its
    // bucket holding one second of it. Levels below it, then well above it for long enough to empty the bucket. A first
    // token at 400 ms, so that a busy machine's jitter never doubles a level's p90 TTFT: only throttles make the knee.
    const target = await lab({
      scenario: {
        timeToFirstTokenMs: { '*': 400 },
        enforceQuotas: { burstSeconds: 1 },
        quotas: { rules: [{ region: 'us-east-1', modelId: HAIKU_3, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 1200 }] },
      },
    });
    const report = await run(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'rate', levels: [5, 10, 80], arrivals: 'constant' }, stepDurationMs: 1500, maxTokens: 2, warmup: 0 });
    const route = routeOf(report);
    expect(route.quota).toMatchObject({ status: 'found', requestsPerMinute: 1200, binding: 'requestsPerMinute', ratePerSecond: 20 });
    const passesQuota = route.levels.findIndex((level) => 'ratePerSecond' in level.offered && level.offered.ratePerSecond > route.quota.ratePerSecond!);
    expect(passesQuota).toBe(2);
    expect(route.levels.map((level) => level.errors.throttled)).toEqual([0, 0, expect.any(Number)]);
    expect(route.levels[2]!.throttleRate).toBeGreaterThan(0.01);
    expect(route.knee).toEqual({ levelIndex: passesQuota, reason: expect.stringMatching(/^throttles [\d.]+ % of 120 requests \(above 1 %\)$/) });
    // What got through is held near the quota (a second's burst, then 20 a second), never the offered 80.
    expect(route.levels[2]!.achievedRps).toBeLessThan(80);
  });

  it('stops cleanly on a request budget hit mid-level: that level partial, the later ones never run', async () => {
    const target = await lab();
    const report = await run(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'rate', levels: [20, 40, 80], arrivals: 'constant' }, stepDurationMs: 500, maxRequests: 15, maxTokens: 2, warmup: 1 });
    const levels = routeOf(report).levels;
    // One warm-up and 10 sends in the first level leave room for 4 of the second's 20.
    expect(levels.map((level) => [level.status, level.sent, level.stoppedBy ?? null])).toEqual([['completed', 10, null], ['partial', 4, 'maxRequests']]);
    expect(report).toMatchObject({ status: 'partial', stopped: { reason: 'maxRequests', message: expect.stringMatching(/budget of 15 requests was reached/) }, budget: { maxRequests: 15, maxCostUsd: null } });
    expect(target.emulator.stats().requests['us-east-1']?.ConverseStream).toBe(15);
  });

  it('keeps every finished level when cancelled, and the cancel reaches the requests in flight', async () => {
    const target = await lab();
    const abort = new AbortController();
    const received = () => target.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0;
    let slowFrom: number | null = null;
    const report = await run(target, { target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2, 3] }, stepDurationMs: 1000, maxTokens: 2, warmup: 0 }, {
      signal: abort.signal,
      onProgress: (chunk) => {
        // Once the second level has an answer of its own, every new request hangs for a minute; the run is
        // cancelled once one does (a level cancelled before any answer has nothing measured to keep).
        if (chunk.levelIndex === 1 && chunk.done >= 1 && slowFrom === null) {
          slowFrom = received();
          target.emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 60_000 } }));
          void waitFor(() => received() > slowFrom!, 10_000).then(() => abort.abort());
        }
      },
    });
    expect(report.status).toBe('cancelled');
    const levels = routeOf(report).levels;
    expect(levels.map((level) => [level.index, level.status, level.stoppedBy ?? null])).toEqual([[0, 'completed', null], [1, 'partial', 'cancelled']]);
    expect(levels[0]!.samples).toBeGreaterThan(0);
    expect(report.stored).toBe(true);
    // The hung requests were closed by the client, long before their minute: the cancel reached the wire.
    await waitFor(() => (target.emulator.stats().inFlightRequests['us-east-1'] ?? 0) === 0, 10_000);
    const view = await target.core.handlers.loadRunLevels({ runId: report.id }, { signal: new AbortController().signal });
    expect((view.regions['us-east-1'] as LoadRouteReport).levels).toEqual(levels);
  });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
