import { afterEach, describe, expect, it } from 'vitest';
import type { RouteServerClientTime } from '../../../src-shared/contract/attribution';
import { LoadRunInputSchema } from '../../../src-shared/contract/load';
import { startAttributionLab, type AttributionLab } from '../../testing/attribution-lab';

/**
 * Server time beside client time, and the time-of-day heatmap, through the core against the emulator: CloudWatch's
 * TimeToFirstToken and InvocationLatency are the service's own time there (no round trip), so a route whose round
 * trip is long shows it as overhead.
 */

const HAIKU_3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const MINUTE = 60_000;
const signal = new AbortController().signal;

const labs: AttributionLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});

async function lab(options: Parameters<typeof startAttributionLab>[0] = {}): Promise<AttributionLab> {
  const started = await startAttributionLab({
    // us-east-1: near, and a slow model there; eu-west-1: far, and a fast model there.
    // Far apart, so that a busy machine's late timers (which both sides pay) cannot turn one into the other.
    scenario: { roundTripMs: { 'us-east-1': 5, 'eu-west-1': 200 }, timeToFirstTokenMs: { 'us-east-1': 400, 'eu-west-1': 220 }, perTokenMs: { '*': 1 } },
    ...options,
  });
  labs.push(started);
  return started;
}

const haikuRun = (setup: AttributionLab) => setup.run({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 6, maxTokens: 4, warmup: 0 });
const byRegion = (routes: RouteServerClientTime[], region: string) => routes.find((route) => route.route.callRegion === region)!;

describe('server time and client time, per route', () => {
  it('puts CloudWatch’s figures beside the client’s: the far route’s round trip is overhead, the near one’s time is Bedrock’s', async () => {
    const setup = await lab();
    const report = await haikuRun(setup);
    const { runId, routes } = await setup.core.handlers.serverClientTime({ runId: report.id }, { signal });
    expect(runId).toBe(report.id);
    expect(routes.map((route) => route.route.callRegion).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const route of routes) {
      expect(route.server).toMatchObject({ status: 'ok' });
      // CloudWatch counts every call under the model id in those minutes: at least the run's.
      expect(route.server.invocations).toBeGreaterThanOrEqual(route.client.requests);
      expect(route.client.requests).toBe(6);
      expect(route.overheadMs.ttft).toBeGreaterThanOrEqual(0);
      expect(route.overheadMs.e2e).toBeGreaterThanOrEqual(0);
      expect(Date.parse(route.server.from)).toBeLessThan(Date.parse(route.server.to));
    }
    const far = byRegion(routes, 'eu-west-1');
    // The round trip (200 ms) is paid by the client and not in CloudWatch's TimeToFirstToken.
    expect(far.overheadMs.ttft).toBeGreaterThanOrEqual(200);
    expect(far.overheadSharePercent).toBeGreaterThanOrEqual(50);
    expect(far.summary).toMatch(/^Bedrock is fast there .* the path to it is not/);
    const near = byRegion(routes, 'us-east-1');
    expect(near.server.ttftMeanMs).toBeGreaterThan(near.overheadMs.ttft!);
    expect(near.summary).toMatch(/^Bedrock's own time dominates/);
  });

  it('without cloudwatch:GetMetricData: says so with the fix, and the client’s figures stay', async () => {
    const setup = await lab({ scenario: { cloudwatch: { denied: ['eu-west-1'] } } });
    const report = await haikuRun(setup);
    const { routes } = await setup.core.handlers.serverClientTime({ runId: report.id }, { signal });
    const denied = byRegion(routes, 'eu-west-1');
    expect(denied).toMatchObject({ server: { status: 'denied', ttftMeanMs: null }, overheadMs: { ttft: null, e2e: null }, overheadSharePercent: null });
    expect(denied.server.message).toMatch(/cloudwatch:GetMetricData/);
    expect(denied.summary).toBe(denied.server.message);
    expect(denied.client.ttftMeanMs).toBeGreaterThan(0);
    expect(byRegion(routes, 'us-east-1').server.status).toBe('ok');
  });

  it('no CloudWatch data: "not yet" for a run that just ended, "none" for an older one, told apart from a denial', async () => {
    const setup = await lab();
    const report = await haikuRun(setup);
    await setup.closeCore();
    // The same history against an emulator that served none of it: its CloudWatch has nothing for those minutes.
    const other = await lab({ clock: setup.clock, dataDir: setup.dataDir });
    const recent = await other.core.handlers.serverClientTime({ runId: report.id }, { signal });
    for (const route of recent.routes) {
      expect(route.server).toMatchObject({ status: 'no-data', ttftMeanMs: null, invocations: null });
      expect(route.server.message).toMatch(/No CloudWatch data yet .* Ask again in a few minutes/);
    }
    setup.clock.advance(10 * MINUTE);
    const later = await other.core.handlers.serverClientTime({ runId: report.id }, { signal });
    for (const route of later.routes) expect(route.server.message).toMatch(/^No CloudWatch data: CloudWatch has no TimeToFirstToken or InvocationLatency/);
  });
});

describe('the time-of-day heatmap through the core', () => {
  it('answers every route’s cells in the zone asked, their samples adding up to the run’s', async () => {
    const setup = await lab();
    const report = await haikuRun(setup);
    const heatmap = await setup.core.handlers.timeOfDay({ timeZone: 'Asia/Kathmandu', target: HAIKU_3 }, { signal });
    expect(heatmap.timeZone).toBe('Asia/Kathmandu');
    expect(heatmap.routes.map((route) => route.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const route of heatmap.routes) {
      expect(route.samples).toBe(6);
      expect(route.cells.reduce((sum, cell) => sum + cell.samples, 0)).toBe(6);
      for (const cell of route.cells) {
        expect(cell.weekday).toBeGreaterThanOrEqual(1);
        expect(cell.weekday).toBeLessThanOrEqual(7);
        expect(cell.p50TtftMs).toBeGreaterThan(0);
      }
    }
    expect(report.status).toBe('completed');
  });

  it('leaves load runs out: their latencies say how the route bore the load, not the hour', async () => {
    const setup = await lab();
    await setup.core.streamHandlers.runLoad(
      LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1] }, stepRequests: 3, maxTokens: 4, warmup: 0, slo: null }),
      { signal, emit: async () => {} },
    );
    expect((await setup.core.handlers.timeOfDay({ timeZone: 'UTC' }, { signal })).routes).toEqual([]);
    await setup.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 2, maxTokens: 4, warmup: 0 });
    expect((await setup.core.handlers.timeOfDay({ timeZone: 'UTC' }, { signal })).routes.map((route) => route.samples)).toEqual([2]);
  });

  it('refuses a time zone that is not one, naming what is accepted', async () => {
    const setup = await lab();
    const answer = await setup.core.dispatcher.dispatch('timeOfDay', { timeZone: 'Mars/Olympus_Mons' }, { signal });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'timeZone', message: expect.stringContaining('IANA time zone') }] } });
  });
});
