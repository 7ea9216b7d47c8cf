import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorConfigSchema, type MonitorConfigInput } from '../../../../src-shared/fleet/monitor-config';
import { startEmulatedCore, waitFor, type EmulatedCore } from '../../../testing/emulated-core';
import { VirtualClock } from '../../../testing/virtual-clock';
import { parseScenario } from '../../../emulator/scenario';
import type { FleetCycle, FleetSink, FleetSinkStatus } from '../cycle';
import { monitorFeature, type FleetMeasurer } from './feature';
import { flushSinks, Monitor, type MonitorParts } from './monitor';
import { planMonitor } from './plan';
import { monitorPolicy } from './policy';
import { runOnSchedule } from './scheduler';

/** The monitor through the real core against the emulator: the lab's own runs, handed to a sink kept in memory. */

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_US = 'us.amazon.nova-lite-v1:0';

/** A sink that keeps every cycle it is given: what the store and OTLP sinks receive, looked at directly. */
class MemorySink implements FleetSink {
  readonly cycles: FleetCycle[] = [];
  flushes = 0;
  closed = false;
  constructor(
    readonly name = 'memory',
    private readonly flushNever = false,
  ) {}
  async write(cycle: FleetCycle): Promise<void> {
    this.cycles.push(cycle);
  }
  flush(): Promise<void> {
    this.flushes++;
    // A sink whose endpoint never answers: only the caller's bound ends the wait.
    return this.flushNever ? new Promise(() => {}) : Promise.resolve();
  }
  status(): FleetSinkStatus {
    return { name: this.name, written: this.cycles.length, pending: 0, dropped: 0, lastError: null };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const config = (overrides: Partial<MonitorConfigInput> = {}) =>
  MonitorConfigSchema.parse({
    vantage: 'test-vantage',
    targets: [{ target: HAIKU, regions: ['us-east-1', 'eu-west-1'] }],
    schedule: { everyMinutes: 5 },
    measure: { kind: 'latency', runs: 2, warmup: 0, maxTokens: 8 },
    budgets: { maxRequestsPerHour: 1000 },
    ...overrides,
  });

let setup: EmulatedCore;
let measurer: FleetMeasurer;
beforeAll(async () => {
  setup = await startEmulatedCore({ scenario: { timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } } });
  measurer = setup.core.exportsOf(monitorFeature);
});
afterAll(() => setup.close());

async function monitorFor(monitorConfig: ReturnType<typeof config>, sinks: FleetSink[], extra: Partial<MonitorParts> = {}) {
  const plan = planMonitor(monitorConfig, await measurer.catalog(), { prices: await measurer.prices() });
  const lines: string[] = [];
  const monitor = new Monitor({
    config: monitorConfig,
    plan,
    vantage: 'test-vantage',
    measurer,
    sinks,
    clock: { now: () => Date.now(), sleep: async () => {} },
    random: () => 0,
    writeLine: (line) => lines.push(line),
    redact: (text) => text,
    ...extra,
  });
  return { monitor, plan, lines };
}

const running = () => ({ stopSending: new AbortController().signal, abortRequests: new AbortController().signal });
const converseStreams = (region: string) => setup.emulator.stats().requests[region]?.ConverseStream ?? 0;

describe('a monitor cycle', () => {
  it('hands each run to every sink as a FleetCycle with the history\'s rows, and logs one JSON line', async () => {
    const sinks = [new MemorySink('a'), new MemorySink('b')];
    const { monitor, lines } = await monitorFor(config(), sinks);
    const summary = await monitor.cycle(running());
    expect(summary).toMatchObject({ status: 'ok', ok: 4, errors: 0, requests: 4 });
    for (const sink of sinks) {
      expect(sink.cycles).toHaveLength(1);
      const [cycle] = sink.cycles;
      expect(cycle!.runId).toMatch(/^[0-9a-f-]{36}$/);
      expect(cycle).toMatchObject({ vantage: 'test-vantage', run: { id: cycle!.runId, kind: 'latency', target: HAIKU } });
      expect(cycle!.samples).toHaveLength(4);
      expect(new Set(cycle!.samples.map((row) => row.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
      expect(cycle!.samples.every((row) => row.runId === cycle!.runId && row.errorClass === null && row.ttftMs !== null)).toBe(true);
    }
    // The local history kept the same run.
    const { runs } = await setup.core.handlers.latencyHistory({ limit: 5 }, { signal: new AbortController().signal });
    expect(runs.map((run) => run.id)).toContain(sinks[0]!.cycles[0]!.runId);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'cycle', level: 'info', vantage: 'test-vantage', runIds: [sinks[0]!.cycles[0]!.runId], requests: 4, ok: 4, errors: 0, sinks: [{ name: 'a', written: 1 }, { name: 'b', written: 1 }] });
  });

  it('gives two monitors of one vantage name distinct run ids', async () => {
    const sink = new MemorySink();
    const first = await monitorFor(config(), [sink]);
    const second = await monitorFor(config(), [sink]);
    await Promise.all([first.monitor.cycle(running()), second.monitor.cycle(running())]);
    expect(sink.cycles.map((cycle) => cycle.vantage)).toEqual(['test-vantage', 'test-vantage']);
    expect(new Set(sink.cycles.map((cycle) => cycle.runId)).size).toBe(2);
  });

  it('trims a cycle to the requests left in the hour, and skips one when none fits', async () => {
    const sink = new MemorySink();
    // Two routes, 2 runs each: 4 requests a cycle against 6 an hour.
    const { monitor, lines } = await monitorFor(config({ budgets: { maxRequestsPerHour: 6 } }), [sink]);
    await monitor.cycle(running());
    await monitor.cycle(running());
    await monitor.cycle(running());
    expect(sink.cycles.map((cycle) => cycle.samples.length)).toEqual([4, 2]);
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged[1]).toMatchObject({ level: 'warn', status: 'ok', budget: expect.stringMatching(/^trimmed to 1 of 2 runs: maxRequestsPerHour 6 leaves 2 requests this hour/) });
    expect(logged[2]).toMatchObject({ level: 'warn', status: 'skipped', requests: 0, budget: expect.stringMatching(/maxRequestsPerHour 6 leaves 0 requests/) });
  });

  it('on a stop, lets the request in flight finish, starts no new one, and flushes within its bound', async () => {
    setup.emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 400 }, perTokenMs: { '*': 1 } }));
    setup.emulator.resetStats();
    try {
      const sink = new MemorySink();
      const { monitor } = await monitorFor(config({ targets: [{ target: HAIKU, regions: ['us-east-1'] }], measure: { kind: 'latency', runs: 5, warmup: 0, maxTokens: 8 } }), [sink]);
      const stop = new AbortController();
      const cycle = monitor.cycle({ stopSending: stop.signal, abortRequests: new AbortController().signal });
      await waitFor(() => (setup.emulator.stats().inFlightRequests['us-east-1'] ?? 0) >= 1);
      stop.abort();
      const summary = await cycle;
      expect(summary).toMatchObject({ status: 'stopped', ok: 1, errors: 0 });
      expect(converseStreams('us-east-1')).toBe(1);
      expect(setup.emulator.stats().abortedStreams['us-east-1'] ?? 0).toBe(0);
      expect(sink.cycles[0]!.samples).toHaveLength(1);
      expect(sink.cycles[0]!.samples[0]).toMatchObject({ errorClass: null, ttftMs: expect.any(Number) });
      expect(sink.cycles[0]!.run.status).toBe('cancelled');
    } finally {
      setup.emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } }));
    }
  });
});

describe('a probe monitor', () => {
  it('on a stop, lets the probe in flight finish and sends no other', async () => {
    // Each probe request waits out a 400 ms round trip: the stop lands while the first one is in flight. Probes are
    // unsigned (the emulator cannot tell their region), and each cold one opens its own connection: connections count them.
    setup.emulator.setScenario(parseScenario({ roundTripMs: { '*': 400 } }));
    const connections = () => setup.emulator.stats().totalConnections;
    try {
      const stop = new AbortController();
      const before = connections();
      const probing = measurer.probe(['us-east-1'], 5, { signal: new AbortController().signal, stopSending: stop.signal });
      await waitFor(() => connections() >= before + 1);
      stop.abort();
      const measured = await probing;
      // 5 cold connections and a warm one would be 6 without the stop.
      expect(connections()).toBe(before + 1);
      expect(measured.probes).toHaveLength(1);
      expect(measured.probes[0]).toMatchObject({ connection: 'cold', ttfbMs: expect.any(Number) });
      expect(measured.run.status).toBe('cancelled');
    } finally {
      setup.emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } }));
    }
  });
});

describe('flushing the sinks', () => {
  it('ends when its bound aborts, even with a sink that never finishes, and closes the others', async () => {
    const stuck = new MemorySink('stuck', true);
    const healthy = new MemorySink('healthy');
    const bound = new AbortController();
    let ended = false;
    const flushing = flushSinks([stuck, healthy], bound.signal, () => {}).then(() => (ended = true));
    await waitFor(() => healthy.closed);
    expect(ended).toBe(false);
    bound.abort();
    await flushing;
    expect(ended).toBe(true);
    expect(stuck.flushes).toBe(1);
    expect(stuck.closed).toBe(false);
  });
});

describe('the schedule', () => {
  it('starts a cycle at each slot plus its jitter; after a long cycle, skips the slots wholly past and runs the one under way late', async () => {
    const clock = new VirtualClock();
    const origin = clock.now();
    const stop = new AbortController();
    const started: number[] = [];
    const missed: number[] = [];
    const jitters = [0.5, 0.25, 0, 0.9, 0.1, 0.5];
    await runOnSchedule({
      schedule: { everyMinutes: 5, jitterSeconds: 60 },
      clock,
      random: () => jitters.shift() ?? 0,
      signal: stop.signal,
      onMissed: (slot) => missed.push(slot.index),
      runCycle: async (slot) => {
        started.push(Math.round((clock.now() - origin) / 1000));
        // The third cycle runs for 12 minutes: the next two slots pass while it runs.
        if (slot.index === 2) clock.advance(12 * 60_000);
        if (started.length === 4) stop.abort();
      },
    });
    // Slot 3 (954 s) is more than a period past when the long cycle ends (1320 s): skipped. Slot 4 (1206 s) runs at once.
    expect(started).toEqual([30, 315, 600, 1320]);
    expect(missed).toEqual([3]);
  });

  it('ends a wait for the next slot at once when stopped', async () => {
    const clock = new VirtualClock();
    clock.hold(1000);
    const stop = new AbortController();
    let cycles = 0;
    const scheduled = runOnSchedule({ schedule: { everyMinutes: 60, jitterSeconds: 0 }, clock, random: () => 0, signal: stop.signal, runCycle: async () => void cycles++ });
    await waitFor(() => cycles === 1 && clock.held === 1);
    stop.abort();
    await scheduled;
    expect(cycles).toBe(1);
  });
});

describe('the IAM policy', () => {
  it('allows the profile in its source region and the model in every region the geo profile routes to, through the profile only', async () => {
    const monitorConfig = config({ targets: [{ target: NOVA_US, regions: ['us-east-1'] }, { target: HAIKU, regions: ['eu-west-1'] }], sinks: { store: { location: 's3://team-bucket/latency' } } });
    const document = await measurer.catalog();
    const plan = planMonitor(monitorConfig, document, { prices: null });
    const destinations = document.profiles[NOVA_US]!.routes['us-east-1']!;
    expect(destinations.length).toBeGreaterThan(1);
    const policy = monitorPolicy(monitorConfig, plan, ['us-east-1', 'eu-west-1']);
    const bySid = Object.fromEntries(policy.Statement.map((statement) => [statement.Sid, statement]));
    expect(bySid.MeasureRoutes!.Action).toEqual(['bedrock:InvokeModelWithResponseStream']);
    expect(bySid.MeasureRoutes!.Resource).toEqual([`arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`, `arn:aws:bedrock:us-east-1:*:inference-profile/${NOVA_US}`]);
    expect(bySid.MeasureProfileDestinations!.Resource).toEqual(
      [...new Set(['us-east-1', ...destinations])].sort().map((region) => `arn:aws:bedrock:${region}::foundation-model/amazon.nova-lite-v1:0`),
    );
    expect(bySid.MeasureProfileDestinations!.Condition).toEqual({ ArnLike: { 'bedrock:InferenceProfileArn': [`arn:aws:bedrock:us-east-1:*:inference-profile/${NOVA_US}`] } });
    expect(bySid.WriteStore).toMatchObject({ Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::team-bucket/latency/*'] });
    expect(bySid.ListStore).toMatchObject({ Resource: ['arn:aws:s3:::team-bucket'], Condition: { StringLike: { 's3:prefix': ['latency/*'] } } });
    // No cost budget: no Price List permission.
    expect(bySid.ReadPrices).toBeUndefined();
  });
});
