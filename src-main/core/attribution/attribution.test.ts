import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttributionJob, AttributionResults, RunAttribution } from '../../../src-shared/contract/attribution';
import { LoadRunInputSchema } from '../../../src-shared/contract/load';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { startEmulator } from '../../emulator/server';
import { startAttributionLab, type AttributionLab } from '../../testing/attribution-lab';
import { LatencyHistory } from '../latency/history-store';
import { openHistoryDatabase } from '../storage/history-database';
import { VirtualClock } from '../../testing/virtual-clock';

/**
 * Served-region attribution end to end: latency runs through a cross-Region profile against the emulator (its
 * routing weights, per-destination latencies and CloudTrail event history), the attribution job on a virtual clock
 * shared with the emulator, everything over real HTTP. Nothing here waits on the wall: the job's backoff, the
 * retry window and CloudTrail's delays pass on the clock.
 */

const SONNET_US = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU_3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const WEIGHTS = { 'us-east-1': 5, 'us-east-2': 3, 'us-west-2': 2 };
const TTFT = { 'us-east-1': 40, 'us-east-2': 70, 'us-west-2': 110 };
const MINUTE = 60_000;
const signal = new AbortController().signal;

const labs: AttributionLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});

function scenario(extra: ScenarioInput = {}): ScenarioInput {
  return {
    routing: [{ profileId: SONNET_US, sourceRegion: 'us-east-1', weights: WEIGHTS }],
    timeToFirstTokenMs: TTFT,
    perTokenMs: { '*': 0 },
    ...extra,
  };
}

async function lab(options: Parameters<typeof startAttributionLab>[0] = {}): Promise<AttributionLab> {
  const started = await startAttributionLab({ scenario: scenario(), ...options });
  labs.push(started);
  return started;
}

const profileRun = (setup: AttributionLab, runs = 20, concurrency = 4) => setup.run({ target: SONNET_US, regions: ['us-east-1'], runs, concurrency, maxTokens: 4, warmup: 0 });

const status = (setup: AttributionLab, runId?: string): Promise<RunAttribution> => setup.core.handlers.attributionStatus(runId ? { runId } : {}, { signal });
const results = (setup: AttributionLab, runId: string): Promise<AttributionResults> => setup.core.handlers.attributionResults({ runId }, { signal });
const lookups = (setup: AttributionLab, region = 'us-east-1') => setup.emulator.stats().requests[region]?.['cloudtrail:LookupEvents'] ?? 0;

/** Polls the job (on real turns of the event loop, a few ms each) until `done` holds of it. */
async function until(setup: AttributionLab, runId: string, done: (job: AttributionJob) => boolean): Promise<AttributionJob> {
  for (let turn = 0; turn < 4_000; turn++) {
    const { job } = await status(setup, runId);
    if (done(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`attribution of ${runId} never reached the state asked`);
}
const finished = (job: AttributionJob) => job.state !== 'running';

describe('attribution: where each request of a profile run was served', () => {
  it('over 200 requests, the attributed shares are within 5 points of the routing weights and each destination’s TTFT p50 within 5 ms of its own (server side)', async () => {
    const setup = await lab();
    // Two at a time: the emulator shares this process, and its timers should wait on little else than its TTFTs.
    const report = await profileRun(setup, 200, 2);
    expect(report.status).toBe('completed');
    const job = await until(setup, report.id, finished);
    expect(job).toMatchObject({ state: 'done', counts: { requests: 200, attributed: 200, pending: 0, unattributed: 0, unreadable: 0 }, sourceRegions: ['us-east-1'] });
    const { routes } = await results(setup, report.id);
    expect(routes).toHaveLength(1);
    const [route] = routes;
    expect(route).toMatchObject({ via: 'cloudtrail', route: { invokeId: SONNET_US, callRegion: 'us-east-1', kind: 'geo-profile' }, counts: { requests: 200, attributed: 200 } });
    expect(route!.declaredDestinations).toEqual(expect.arrayContaining(Object.keys(WEIGHTS)));
    const total = Object.values(WEIGHTS).reduce((sum, weight) => sum + weight, 0);
    expect(route!.servedRegions.map((served) => served.region).sort()).toEqual(Object.keys(WEIGHTS).sort());
    for (const served of route!.servedRegions) {
      const weight = WEIGHTS[served.region as keyof typeof WEIGHTS];
      expect(Math.abs(served.sharePercent - (100 * weight) / total)).toBeLessThanOrEqual(5);
      // The emulator serves each request in its destination with that destination's TTFT; with no time per token,
      // Bedrock's own time for the request (its metadata's latencyMs) is that TTFT. The client's adds the loopback.
      const configured = TTFT[served.region as keyof typeof TTFT];
      expect(Math.abs(served.serverLatencyMs!.p50 - configured)).toBeLessThanOrEqual(5);
      expect(served.ttftMs!.p50).toBeGreaterThanOrEqual(configured);
    }
    // Grouped by where they ran, the client's TTFTs rank the destinations as their configured latencies do.
    const byClientTtft = [...route!.servedRegions].sort((a, b) => a.ttftMs!.p50 - b.ttftMs!.p50).map((served) => served.region);
    expect(byClientTtft).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    expect(route!.servedRegions.reduce((sum, served) => sum + served.requests, 0)).toBe(200);
    // The Profiles page: the catalog's destinations beside what was observed.
    const { routing } = await setup.core.handlers.observedRouting({ profileId: SONNET_US, days: 30 }, { signal });
    expect(routing).toHaveLength(1);
    expect(routing[0]).toMatchObject({ profileId: SONNET_US, sourceRegion: 'us-east-1', requests: 200 });
    expect(routing[0]!.destinations.filter((destination) => destination.requests > 0).every((destination) => destination.declared)).toBe(true);
    // Progress went out as the job moved: at least its pass and its end.
    expect(setup.progress.some((event) => event.jobId === report.id && event.state === 'done')).toBe(true);
  });

  it('starts by itself once a run is stored: CloudTrail is asked and the job finishes before anyone asks for it', async () => {
    const setup = await lab();
    const report = await profileRun(setup, 6);
    for (let turn = 0; turn < 4_000 && !setup.progress.some((job) => job.runId === report.id && finished(job)); turn++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(lookups(setup)).toBeGreaterThan(0);
    expect(setup.progress.find((job) => job.runId === report.id && finished(job))).toMatchObject({ state: 'done', counts: { requests: 6, attributed: 6 } });
  });

  it('a request CloudTrail answers twice is counted once: shares and counts stay those of the requests', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { duplicateEvents: true } }) });
    const report = await profileRun(setup, 12);
    const job = await until(setup, report.id, finished);
    expect(job.counts).toEqual({ requests: 12, attributed: 12, pending: 0, unattributed: 0, unreadable: 0, duplicatesResolved: 12 });
    const [route] = (await results(setup, report.id)).routes;
    expect(route!.servedRegions.reduce((sum, served) => sum + served.requests, 0)).toBe(12);
    expect(route!.servedRegions.reduce((sum, served) => sum + served.sharePercent, 0)).toBeCloseTo(100, 0);
  });

  it('an on-demand run needs no CloudTrail: not-needed, no LookupEvents call, every request served where it was called', async () => {
    const setup = await lab();
    const report = await setup.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 3, maxTokens: 4, warmup: 0 });
    const { job } = await status(setup, report.id);
    expect(job).toMatchObject({ state: 'not-needed', counts: { requests: 0 }, note: expect.stringContaining('on-demand') });
    expect(lookups(setup)).toBe(0);
    const [route] = (await results(setup, report.id)).routes;
    expect(route).toMatchObject({ via: 'route', counts: { requests: 3, attributed: 3 }, servedRegions: [{ region: 'us-east-1', requests: 3, sharePercent: 100 }], declaredDestinations: [] });
  });

  it('a load run through the profile is attributed too, each request of every level', async () => {
    const setup = await lab();
    const report = await setup.core.streamHandlers.runLoad(
      LoadRunInputSchema.parse({ target: SONNET_US, regions: ['us-east-1'], load: { mode: 'concurrency', levels: [1, 2] }, stepRequests: 6, maxTokens: 4, warmup: 0, slo: null }),
      { signal, emit: async () => {} },
    );
    expect((await status(setup)).runId).toBe(report.id);
    const job = await until(setup, report.id, finished);
    expect(job).toMatchObject({ state: 'done', counts: { attributed: job.counts.requests, unattributed: 0 } });
    expect(job.counts.requests).toBeGreaterThanOrEqual(12);
  });

  it('the latest latency run is the default; an unknown run id is refused with where to find one', async () => {
    const setup = await lab();
    await expect(status(setup)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('No latency run is stored yet') });
    const first = await profileRun(setup, 2);
    const second = await profileRun(setup, 2);
    expect((await status(setup)).runId).toBe(second.id);
    expect((await status(setup, first.id)).runId).toBe(first.id);
    await expect(status(setup, 'no-such-run')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('bedrock-atlas history') });
  });
});

describe('attribution: CloudTrail is late, silent, denied or slow to answer', () => {
  it('events that arrive minutes later are found by a later pass, with the backoff between passes', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { delayMs: 3 * MINUTE } }) });
    const report = await profileRun(setup, 10);
    const job = await until(setup, report.id, finished);
    expect(job).toMatchObject({ state: 'done', counts: { attributed: 10, unattributed: 0 } });
    // 0 s (none yet), 15 s, 45 s, 1 min 45 s (none), 3 min 45 s: found on the fifth pass.
    expect(job.passes).toBe(5);
    expect(setup.clock.sleeps.filter((ms) => ms > 10_000).map((ms) => Math.round(ms / 1000))).toEqual([15, 30, 60, 120]);
  });

  it('events delayed past the 30-minute window: every request counted as unattributed after the last pass at the deadline; asking again later finds them', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { delayMs: 45 * MINUTE } }) });
    const report = await profileRun(setup, 8);
    const job = await until(setup, report.id, finished);
    expect(job).toMatchObject({ state: 'done', counts: { requests: 8, attributed: 0, pending: 0, unattributed: 8 } });
    // The last pass was at the deadline, 30 minutes after the last request: backoff up to 5 minutes, then the rest.
    const waits = setup.clock.sleeps.filter((ms) => ms > 10_000).map((ms) => Math.round(ms / 1000));
    expect(waits.slice(0, 6)).toEqual([15, 30, 60, 120, 240, 300]);
    expect(Date.parse(job.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(job.deadline));
    const passes = job.passes;
    // The unattributed requests are still the run's: the figures stay, without attribution.
    expect((await results(setup, report.id)).routes[0]).toMatchObject({ counts: { requests: 8, unattributed: 8, attributed: 0 }, servedRegions: [] });
    // Later, the events have arrived: starting again finds them.
    setup.clock.advance(20 * MINUTE);
    await setup.core.handlers.startAttribution({ runId: report.id }, { signal });
    const again = await until(setup, report.id, finished);
    expect(again).toMatchObject({ state: 'done', counts: { attributed: 8, unattributed: 0 } });
    expect(again.passes).toBe(passes + 1);
  });

  it('an empty event history: passes until the deadline, then unattributed, each request looked for on every pass', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { dropRequestIds: 1 } }) });
    const report = await profileRun(setup, 5);
    const job = await until(setup, report.id, finished);
    expect(job.counts).toMatchObject({ requests: 5, unattributed: 5 });
    // Every pass read both operations' (empty) first page, each call in its turn of the rate limit.
    expect(job.lookups).toBe(job.passes * 2);
    expect(lookups(setup)).toBe(job.lookups);
  });

  it('without cloudtrail:LookupEvents: says so with the fix, the requests are unreadable, and the run’s figures stay', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { denied: ['us-east-1'] } }) });
    const report = await profileRun(setup, 6);
    const job = await until(setup, report.id, finished);
    expect(job).toMatchObject({ state: 'done', passes: 1, counts: { requests: 6, unreadable: 6, attributed: 0 } });
    expect(job.problems).toEqual([{ region: 'us-east-1', reason: 'denied', code: 'AccessDeniedException', message: expect.stringMatching(/cloudtrail:LookupEvents.*figures stay/) }]);
    const [route] = (await results(setup, report.id)).routes;
    expect(route).toMatchObject({ counts: { requests: 6, unreadable: 6 }, servedRegions: [] });
    const { runs } = await setup.core.handlers.latencyHistory({ limit: 5 }, { signal });
    expect(runs[0]?.regions['us-east-1']).toMatchObject({ samples: 6 });
  });

  it('each source region on its own: one denied, the other attributed, the problem named for its region only', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { denied: ['eu-west-1'] } }) });
    const report = await setup.run({ target: 'anthropic.claude-sonnet-4-5-20250929-v1:0', regions: ['us-east-1', 'eu-west-1'], autoProfile: true, runs: 4, maxTokens: 4, warmup: 0 });
    const job = await until(setup, report.id, finished);
    expect(job).toMatchObject({ state: 'done', sourceRegions: ['eu-west-1', 'us-east-1'], counts: { requests: 8, attributed: 4, unreadable: 4 } });
    expect(job.problems.map((problem) => [problem.region, problem.reason])).toEqual([['eu-west-1', 'denied']]);
    const routes = (await results(setup, report.id)).routes;
    expect(routes.find((route) => route.route.callRegion === 'us-east-1')).toMatchObject({ route: { invokeId: SONNET_US }, counts: { attributed: 4 } });
    expect(routes.find((route) => route.route.callRegion === 'eu-west-1')).toMatchObject({ route: { kind: 'geo-profile' }, counts: { unreadable: 4 }, servedRegions: [] });
    expect(lookups(setup, 'eu-west-1')).toBe(1);
  });

  it('event history unavailable in the region: said as such, not as a missing permission', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { unavailable: ['us-east-1'] } }) });
    const report = await profileRun(setup, 3);
    const job = await until(setup, report.id, finished);
    expect(job.problems).toEqual([expect.objectContaining({ reason: 'unavailable', message: expect.stringContaining('event history is not available in us-east-1') })]);
    expect(job.counts.unreadable).toBe(3);
  });

  it('keeps to 2 LookupEvents calls a second per region and follows every page: no throttle over many pages', async () => {
    // The emulator answers 5 events a page and throttles beyond 2 calls a second, on the same clock.
    const setup = await lab({ scenario: scenario({ cloudtrail: { pageSize: 5, ratePerSecond: 2 } }) });
    const report = await profileRun(setup, 40);
    const job = await until(setup, report.id, finished);
    expect(job.counts).toMatchObject({ requests: 40, attributed: 40 });
    // 8 pages of ConverseStream events and the one (empty) page of Converse events: nothing asked twice.
    expect(job.lookups).toBe(9);
    expect(lookups(setup)).toBe(9);
  });

  it('a throttle (someone else using the rate) holds the region off and asks the same page again', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { pageSize: 5, ratePerSecond: 1 } }) });
    const report = await profileRun(setup, 20);
    const job = await until(setup, report.id, finished);
    expect(job.counts).toMatchObject({ requests: 20, attributed: 20 });
    // 5 pages asked, some of them twice after a throttle; all counted as calls made.
    expect(job.lookups).toBeGreaterThan(5);
    expect(lookups(setup)).toBe(job.lookups);
  });
});

describe('attribution: a history from before request ids were kept', () => {
  it('opens as it was: its profile runs cannot be matched and say why, their figures stay, nothing is looked up', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atlas-attribution-old-'));
    const old = await openHistoryDatabase({ dataDir });
    const history = new LatencyHistory(async () => old, () => 1_000_000);
    history.addSamples(
      [1, 2, 3].map((index) => ({
        runId: 'old-run', at: Date.parse('2026-01-05T10:00:00Z') + index, target: SONNET_US, modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', routeKey: 'us-east-1',
        region: 'us-east-1', invokeId: SONNET_US, kind: 'geo-profile', errorClass: null, ttftMs: 300 + index, e2eMs: 900, interTokenMs: 20, outputTokens: 10,
        serverLatencyMs: 800, largestGapMs: 30, reusedSocket: true, requestId: null, sentAt: null,
      })),
    );
    expect(await history.saveRun({ id: 'old-run', kind: 'latency', startedAt: '2026-01-05T10:00:00.000Z', finishedAt: '2026-01-05T10:00:01.000Z', target: SONNET_US, status: 'completed', report: {} })).toBe(true);
    old.close();
    const setup = await lab({ dataDir });
    const { job } = await status(setup, 'old-run');
    expect(job).toMatchObject({ state: 'not-needed', counts: { requests: 0 }, note: expect.stringContaining('before request ids were kept') });
    expect((await results(setup, 'old-run')).routes[0]).toMatchObject({ counts: { requests: 3, pending: 0, unattributed: 3 }, servedRegions: [] });
    expect(lookups(setup)).toBe(0);
    const { runs } = await setup.core.handlers.latencyHistory({ limit: 5 }, { signal });
    expect(runs[0]?.regions['us-east-1']).toMatchObject({ samples: 3 });
  });
});

describe('attribution: cancelled, and resumed after a restart', () => {
  it('a cancelled attribution stops calling CloudTrail and keeps its pending requests; starting it again finishes it', async () => {
    const setup = await lab({ scenario: scenario({ cloudtrail: { delayMs: 10 * MINUTE } }) });
    setup.clock.hold(10_000);
    const report = await profileRun(setup, 6);
    await status(setup, report.id);
    const first = await until(setup, report.id, (job) => job.passes === 1);
    expect(first).toMatchObject({ state: 'running', counts: { pending: 6 } });
    const cancelled = await setup.core.handlers.cancelAttribution({ runId: report.id }, { signal });
    expect(cancelled.job).toMatchObject({ state: 'cancelled', nextPassAt: null, counts: { pending: 6, unattributed: 0 } });
    const calls = lookups(setup);
    setup.clock.release();
    setup.clock.advance(40 * MINUTE);
    // Asking for it does not bring a cancelled attribution back, and nothing more is asked of CloudTrail.
    expect((await status(setup, report.id)).job.state).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lookups(setup)).toBe(calls);
    await setup.core.handlers.startAttribution({ runId: report.id }, { signal });
    const done = await until(setup, report.id, finished);
    expect(done).toMatchObject({ state: 'done', counts: { attributed: 6 } });
  });

  it('resumes after a restart: a new core on the same history file picks the pending job up where it stopped', async () => {
    const clock = new VirtualClock();
    const emulator = await startEmulator({ scenario: parseScenario(scenario({ cloudtrail: { delayMs: 10 * MINUTE } })), clock: clock.now });
    try {
      clock.hold(10_000);
      const before = await lab({ clock, emulator });
      const report = await profileRun(before, 6);
      await status(before, report.id);
      await until(before, report.id, (job) => job.passes === 1);
      await before.closeCore();
      clock.release();
      clock.advance(11 * MINUTE);
      const after = await lab({ clock, emulator, dataDir: before.dataDir });
      const job = await until(after, report.id, finished);
      expect(job).toMatchObject({ state: 'done', counts: { attributed: 6, unattributed: 0 } });
      // The pass made before the restart counts: this one is the second.
      expect(job.passes).toBe(2);
    } finally {
      await emulator.close();
    }
  });
});

describe('a playground answer’s served region', () => {
  it('a profile answer keeps Bedrock’s request id, and CloudTrail then says where it was served', async () => {
    const setup = await lab({ scenario: scenario({ routing: [{ profileId: SONNET_US, sourceRegion: 'us-east-1', weights: { 'us-west-2': 1 } }] }) });
    const answer = await setup.core.streamHandlers.converse(
      { target: SONNET_US, region: 'us-east-1', messages: [{ role: 'user', content: [{ text: 'Where are you?' }] }], inferenceConfig: { maxTokens: 4 } },
      { signal, emit: async () => {} },
    );
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const query = { requestId: answer.requestId!, region: answer.route.callRegion, invokeId: answer.route.invokeId, kind: answer.route.kind };
    let served = await setup.core.handlers.answerServedRegion(query, { signal });
    for (let turn = 0; turn < 2_000 && served.status === 'pending'; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      served = await setup.core.handlers.answerServedRegion(query, { signal });
    }
    expect(served).toMatchObject({ status: 'attributed', servedRegion: 'us-west-2', job: { jobId: `answer:${answer.requestId}`, runId: null, state: 'done' } });
    // Asked again, it is answered from the history: no new lookup.
    const calls = lookups(setup);
    expect(await setup.core.handlers.answerServedRegion(query, { signal })).toMatchObject({ servedRegion: 'us-west-2' });
    expect(lookups(setup)).toBe(calls);
    // A saved conversation keeps the answer's request id, so a reopened answer can still be asked where it ran.
    const turns = [
      { role: 'user' as const, content: [{ text: 'Where are you?' }] },
      { role: 'assistant' as const, content: [{ text: answer.text }], result: answer },
    ];
    // Through the dispatcher, as the app saves it: the conversation's schema must let the request id through.
    const saved = await setup.core.dispatcher.dispatch('saveConversation', { title: 'where', panes: [{ target: SONNET_US, region: 'us-east-1', turns }] }, { signal });
    if (!saved.ok) throw new Error(saved.error.message);
    const reopened = await setup.core.handlers.getConversation({ id: (saved.value as { id: string }).id }, { signal });
    expect(reopened.panes[0]?.turns[1]?.result?.requestId).toBe(answer.requestId);
    // With when it was sent, so a lookup asked days later still searches CloudTrail around the call.
    expect(answer.sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(reopened.panes[0]?.turns[1]?.result?.sentAt).toBe(answer.sentAt);
  });

  it('an on-demand answer was served where it was called, with no lookup', async () => {
    const setup = await lab();
    const served = await setup.core.handlers.answerServedRegion({ requestId: 'req-1', region: 'eu-west-3', invokeId: HAIKU_3, kind: 'on-demand' }, { signal });
    expect(served).toMatchObject({ status: 'attributed', servedRegion: 'eu-west-3', job: { state: 'not-needed' } });
    expect(lookups(setup, 'eu-west-3')).toBe(0);
  });
});
