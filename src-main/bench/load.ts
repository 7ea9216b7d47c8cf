import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadRunInputSchema, type LoadLevelReport, type LoadRouteReport, type LoadRunInput } from '../../src-shared/contract';
import { createAtlasCore } from '../core/app/atlas-core';
import { emulatedCoreOptions } from '../testing/emulated-core';
import { HAIKU_3 } from '../testing/emulated-lab';
import { sampleAt } from './samples';

/**
 * npm run bench:load [-- --quick] — the load generator against the emulator, which runs in a process of its own so
 * that what is measured here is the generator's work alone:
 * - scheduling accuracy: open-loop Poisson arrivals at 50 requests per second for 60 s (10 s with --quick); the
 *   mean gap between actual sends within 2 % of the schedule's, and the p99 send lateness (from the intended send
 *   time to the request's last byte handed to the socket, the SDK's own work included) at most 5 ms;
 * - overhead: 500 streaming requests per second for 20 s (5 s with --quick) on this process's one event loop,
 *   its p50 TTFT within 2 ms of the same route's at 10 requests per second (the emulator's TTFT is fixed), with the
 *   CPU this process spent per request; and what the event loop sustains in closed loop at 32 in flight.
 * Most of a request's CPU is the AWS SDK's (serialization, signing, the event stream's frames): the generator's own
 * bookkeeping is a few percent of it. Under tsx (as npm runs the benches) module resolution adds to it.
 * Prints the figures and the machine's load; no test asserts on them.
 */

type Row = [metric: string, measured: string, target: string, verdict: string];
const rows: Row[] = [];
const report = (name: string, value: string, target: string, ok: boolean) => rows.push([name, value, target, ok ? 'ok' : 'MISSED']);

const quick = process.argv.includes('--quick');
const SCHEDULE_SECONDS = quick ? 10 : 60;
const OVERHEAD_SECONDS = quick ? 5 : 20;
const FIXED_TTFT_MS = 50;

/** The emulator in a child process, with a fixed TTFT and a quick stream; resolves with its URL once it listens. */
async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-bench-load-'));
  const scenario = join(dir, 'scenario.json');
  await writeFile(scenario, JSON.stringify({ timeToFirstTokenMs: { '*': FIXED_TTFT_MS }, perTokenMs: { '*': 1 } }));
  const bin = fileURLToPath(new URL('../../bin/bedrock-atlas.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--scenario', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /Bedrock emulator: (http:\/\/\S+)/.exec(seen);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before it listened`)));
  });
  return { url, child };
}

/**
 * CPU seconds the emulator's process has used, from Linux's /proc (utime + stime, in the kernel's 100 Hz ticks);
 * null elsewhere. It says which side of a missed target ran out of CPU: the generator or the emulator.
 */
async function emulatorCpuSeconds(pid: number | undefined): Promise<number | null> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const { url, child } = await startEmulatorProcess();
const dataDir = await mkdtemp(join(tmpdir(), 'atlas-bench-load-data-'));
const core = await createAtlasCore(emulatedCoreOptions(url, { overrides: { regions: ['us-east-1'], dataDir } }));

async function level(input: Omit<LoadRunInput, 'target' | 'regions'>): Promise<{ level: LoadLevelReport; cpuMs: number; wallMs: number; emulatorCpu: string }> {
  const usage = process.cpuUsage();
  const emulatorBefore = await emulatorCpuSeconds(child.pid);
  const started = performance.now();
  const result = await core.streamHandlers.runLoad(LoadRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], maxTokens: 8, ...input }), {
    signal: new AbortController().signal,
    emit: async () => {},
  });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(usage);
  const route = result.regions['us-east-1'] as LoadRouteReport;
  const emulatorAfter = await emulatorCpuSeconds(child.pid);
  const emulatorCpu = emulatorBefore === null || emulatorAfter === null ? 'unknown' : `${Math.round(((emulatorAfter - emulatorBefore) * 100_000) / wallMs)} %`;
  return { level: sampleAt(route.levels, 0, 'the level measured'), cpuMs: (used.user + used.system) / 1000, wallMs, emulatorCpu };
}

try {
  // A first short run loads the SDK, resolves the credentials and opens the history, as a running app has.
  await level({ load: { mode: 'rate', levels: [10] }, stepDurationMs: 1000 });

  // 1. Scheduling accuracy at 50 requests per second.
  {
    const { level: measured } = await level({ load: { mode: 'rate', levels: [50], arrivals: 'poisson', seed: 7 }, stepDurationMs: SCHEDULE_SECONDS * 1000 });
    const schedule = measured.schedule!;
    const actual = schedule.meanInterArrivalMs!;
    const intended = schedule.intendedInterArrivalMs;
    const off = Math.abs(actual - intended) / intended;
    report(
      `open loop 50/s Poisson for ${SCHEDULE_SECONDS} s: mean gap between sends`,
      `${actual.toFixed(3)} ms vs ${intended.toFixed(3)} ms scheduled (off by ${(off * 100).toFixed(2)} %; the rate asks 20 ms, the seeded draws give the schedule's), ${schedule.sent} sends`,
      '≤ 2 %',
      off <= 0.02,
    );
    report(
      'open loop 50/s: send lateness p99 (intended time → last byte on the socket)',
      `${schedule.p99LatenessMs} ms (max ${schedule.maxLatenessMs} ms; ${schedule.lateSends} sends more than 10 ms late)`,
      '≤ 5 ms',
      (schedule.p99LatenessMs ?? Infinity) <= 5,
    );
  }

  // 2. The generator's overhead: 500 streaming requests per second against a fixed TTFT.
  {
    const calm = await level({ load: { mode: 'rate', levels: [10], arrivals: 'constant' }, stepDurationMs: 5000 });
    const busy = await level({ load: { mode: 'rate', levels: [500], arrivals: 'poisson', seed: 11 }, stepDurationMs: OVERHEAD_SECONDS * 1000 });
    const drift = busy.level.ttftMs!.p50 - calm.level.ttftMs!.p50;
    const perRequestMs = busy.cpuMs / busy.level.sent;
    report(
      `500/s for ${OVERHEAD_SECONDS} s on one event loop: p50 TTFT vs at 10/s`,
      `${busy.level.ttftMs!.p50.toFixed(2)} ms vs ${calm.level.ttftMs!.p50.toFixed(2)} ms (drift ${drift.toFixed(2)} ms; emulator fixed at ${FIXED_TTFT_MS} ms); ${busy.level.samples}/${busy.level.sent} answered, ${busy.level.achievedRps} req/s achieved`,
      '≤ 2 ms',
      Math.abs(drift) <= 2 && busy.level.samples === busy.level.sent,
    );
    // What one event loop sustains when nothing holds it back: 32 in flight, each sent as the last one ends.
    const saturated = await level({ load: { mode: 'concurrency', levels: [32] }, stepDurationMs: OVERHEAD_SECONDS * 1000, warmup: 1 });
    report(
      'closed loop, 32 in flight: what one event loop sustains',
      `${saturated.level.achievedRps} req/s, ${(saturated.cpuMs / saturated.level.sent).toFixed(3)} ms CPU per request (${((saturated.cpuMs / saturated.wallMs) * 100).toFixed(0)} % of one core; the emulator ${saturated.emulatorCpu}), p50 TTFT ${saturated.level.ttftMs!.p50.toFixed(2)} ms`,
      '≥ 500 req/s',
      saturated.level.achievedRps >= 500,
    );
    report(
      '500/s: this process\'s CPU',
      `${perRequestMs.toFixed(3)} ms per request, ${((busy.cpuMs / busy.wallMs) * 100).toFixed(0)} % of one core over the run (the emulator's process: ${busy.emulatorCpu}); sends late by p99 ${busy.level.schedule!.p99LatenessMs} ms`,
      '< 100 % of one core',
      busy.cpuMs < busy.wallMs,
    );
  }
} finally {
  await core.close();
  child.kill();
}

console.log(`load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${availableParallelism()} cores${quick ? ' (--quick)' : ''}`);
const table: Row[] = [['metric', 'measured', 'target', ''], ...rows];
const widths = [0, 1, 2, 3].map((column) => Math.max(...table.map((row) => row[column]?.length ?? 0)));
for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
process.exitCode = rows.some((row) => row[3] === 'MISSED') ? 1 : 0;
