import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorConfigSchema } from '../../src-shared/fleet/monitor-config';
import { createMonitorSinks } from '../cli/actions/monitor-sinks';
import { createAtlasCore } from '../core/app/atlas-core';
import { monitorFeature } from '../core/fleet/monitor/feature';
import { flushSinks, Monitor } from '../core/fleet/monitor/monitor';
import { planMonitor } from '../core/fleet/monitor/plan';
import { emulatedCoreOptions } from '../testing/emulated-core';
import { VirtualClock } from '../testing/virtual-clock';

/**
 * The monitor of `npm run bench:fleet` (part 3), in a process of its own so its resident memory is the monitor's
 * alone (the emulator and the OTLP receiver run in the parent). It is the CLI's monitor: the core's measurer, the
 * sinks `createMonitorSinks` makes from the config (the directory store and OTLP, configured by the OTEL_* variables
 * the parent sets), and `Monitor.run` on the real scheduler, whose clock is a VirtualClock so each wait for the next
 * slot passes at once. Every `sampleEvery` cycles (counted from the monitor's own cycle log lines) it collects
 * garbage when run with --expose-gc and prints one JSON line to stdout: the cycle, RSS and heap. After `cycles` it
 * stops the monitor, flushes the sinks and prints their statuses, the cycles that were not ok and the sinks' log lines.
 *
 * argv: <emulator url> <cycles> <sampleEvery>
 */

const [emulatorUrl, cyclesText, sampleEveryText] = process.argv.slice(2);
if (!emulatorUrl || !cyclesText || !sampleEveryText) throw new Error('usage: fleet-monitor-child.ts <emulator url> <cycles> <sampleEvery>');
const cycles = Number(cyclesText);
const sampleEvery = Number(sampleEveryText);
const collectGarbage = (globalThis as { gc?: () => void }).gc;

const dataDir = await mkdtemp(join(tmpdir(), 'atlas-bench-fleet-monitor-'));
const storeDir = join(dataDir, 'store');
const regions = ['us-east-1', 'eu-west-1'];
const config = MonitorConfigSchema.parse({
  vantage: 'bench-memory',
  targets: [{ target: 'anthropic.claude-3-haiku-20240307-v1:0', regions }],
  schedule: { everyMinutes: 1 },
  measure: { kind: 'latency', runs: 2, warmup: 0, maxTokens: 8 },
  budgets: { maxRequestsPerHour: 600 },
  sinks: { store: { location: storeDir }, otlp: { enabled: true } },
});

const core = await createAtlasCore(emulatedCoreOptions(emulatorUrl, { overrides: { regions, dataDir } }));
const stop = new AbortController();
const problems: string[] = [];
const sinkLines: string[] = [];
let done = 0;
const sample = () => {
  collectGarbage?.();
  const memory = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ cycle: done, rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external })}\n`);
};

try {
  const measurer = core.exportsOf(monitorFeature);
  const plan = planMonitor(config, await measurer.catalog(), { prices: await measurer.prices() });
  const sinks = await createMonitorSinks(config, { vantage: 'bench-memory', dataDir, core, version: 'bench', log: (line) => sinkLines.push(line) });
  const monitor = new Monitor({
    config,
    plan,
    vantage: 'bench-memory',
    measurer,
    sinks,
    clock: new VirtualClock(),
    random: Math.random,
    redact: (text) => text,
    writeLine: (line) => {
      const parsed = JSON.parse(line) as { event?: string; status?: string };
      if (parsed.event !== 'cycle') return;
      done++;
      if (parsed.status !== 'ok') problems.push(line);
      if (done % sampleEvery === 0) sample();
      if (done >= cycles) stop.abort();
    },
  });
  await monitor.run({ stopSending: stop.signal, abortRequests: new AbortController().signal });
  await flushSinks(sinks, AbortSignal.timeout(10_000), (sink, error) => problems.push(`${sink}: ${error}`));
  process.stdout.write(`${JSON.stringify({ done, sinks: sinks.map((sink) => sink.status()), problems: problems.slice(0, 3), problemCount: problems.length, sinkLines: sinkLines.slice(0, 3), sinkLineCount: sinkLines.length, gc: collectGarbage !== undefined })}\n`);
} finally {
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
}
