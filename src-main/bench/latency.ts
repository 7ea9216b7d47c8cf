import { mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';
import type { LatencyRouteReport, ProbeRegionResult } from '../../src-shared/contract';
import { HAIKU_3, startEmulatedLab } from '../testing/emulated-lab';
import { LatencyHistory } from '../core/latency/history-store';
import { loadBuiltInScenario } from '../emulator/scenario';
import { openHistoryDatabase } from '../core/storage/history-database';
import { median, sampleAt } from './samples';

/**
 * npm run bench:latency — the latency lab's figures against the emulator, each with its target:
 * - accuracy: fixed TTFT 200 ms and 10 ms per token; the median measured TTFT within 5 ms, ITL within 5 %;
 * - connections: 50 requests at concurrency 4 to one region open ≤ 4 connections, 0 after the warm-up;
 * - probe: 33 regions at once (the realistic scenario's handshakes) take ≤ 1.5× the slowest region alone;
 * - history: p50/p90/p99 per region over 1 000 000 stored samples in ≤ 100 ms;
 * - history on vs off: the same run's p50 TTFT and E2E within 1 ms.
 */

type Row = [metric: string, measured: string, target: string, verdict: string];
const rows: Row[] = [];
const report = (name: string, value: string, target: string, ok: boolean) => rows.push([name, value, target, ok ? 'ok' : 'MISSED']);
const route = (entry: unknown) => entry as LatencyRouteReport;

// 1. Accuracy against a fixed timing.
{
  const lab = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 200 }, perTokenMs: { '*': 10 } } });
  const result = route((await lab.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 30, maxTokens: 30 })).regions['us-east-1']);
  const ttftError = Math.abs(result.ttftMs!.p50 - 200);
  const itlError = Math.abs(result.interTokenMs!.p50 - 10) / 10;
  report('TTFT median vs fixed 200 ms', `${result.ttftMs!.p50.toFixed(2)} ms (off by ${ttftError.toFixed(2)} ms)`, '≤ 5 ms', ttftError <= 5);
  report('ITL median vs fixed 10 ms', `${result.interTokenMs!.p50.toFixed(3)} ms (off by ${(itlError * 100).toFixed(2)} %)`, '≤ 5 %', itlError <= 0.05);
  await lab.close();
}

// 2. Connections at concurrency 4.
{
  const lab = await startEmulatedLab({ scenario: { timeToFirstTokenMs: { '*': 20 }, perTokenMs: { '*': 2 } } });
  const result = route((await lab.run({ target: HAIKU_3, regions: ['eu-west-1'], runs: 50, concurrency: 4, maxTokens: 10 })).regions['eu-west-1']);
  const atEmulator = lab.emulator.stats().runtimeConnections['eu-west-1'] ?? 0;
  report('connections, 50 requests at C=4', `${atEmulator} at the emulator, ${result.connectionsOpened} opened while measuring, ${result.connectionsReused} reused`, '≤ 4, 0 after warm-up', atEmulator <= 4 && result.connectionsOpened === 0);
  await lab.close();
}

// 3. A 33-region probe against the slowest region alone.
{
  const lab = await startEmulatedLab({ scenario: loadBuiltInScenario('realistic') });
  const probe = async (regions: string[]) => {
    const started = performance.now();
    const result = await lab.core.streamHandlers.probeNetwork({ regions, samples: 3 }, { signal: new AbortController().signal, emit: async () => {} });
    return { ms: performance.now() - started, result };
  };
  // A first pass creates each region's client and pooled connection and opens the history, as a running app has.
  const first = await probe([...COMMERCIAL_REGIONS]);
  const [slowest] = sampleAt(
    Object.entries(first.result.regions)
      .filter(([, entry]) => 'cold' in entry)
      .sort(([, a], [, b]) => (b as ProbeRegionResult).cold.totalMs - (a as ProbeRegionResult).cold.totalMs),
    0,
    'a probed region',
  );
  const alone = median([(await probe([slowest])).ms, (await probe([slowest])).ms, (await probe([slowest])).ms]);
  const all = median([(await probe([...COMMERCIAL_REGIONS])).ms, (await probe([...COMMERCIAL_REGIONS])).ms, (await probe([...COMMERCIAL_REGIONS])).ms]);
  const ratio = all / alone;
  report(`probe, ${COMMERCIAL_REGIONS.length} regions × 3 cold + 3 warm (median of 3)`, `${all.toFixed(0)} ms vs ${alone.toFixed(0)} ms for ${slowest} alone (${ratio.toFixed(2)}×)`, '≤ 1.5×', ratio <= 1.5);
  await lab.close();
}

// 4. History queries over 1 000 000 samples.
{
  const dir = await mkdtemp(join(tmpdir(), 'atlas-bench-history-'));
  const db = await openHistoryDatabase({ dataDir: dir });
  const history = new LatencyHistory(async () => db, () => 1_000_000);
  await history.status(); // creates the tables
  const regions = COMMERCIAL_REGIONS.map((region) => `'${region}'`).join(', ');
  await db.run(`insert into latency_samples (run_id, measured_at, target, model_id, route_key, region, invoke_id, kind, ttft_ms, e2e_ms, itl_ms, output_tokens, reused)
    select 'run-' || (i // 1000), timestamp '2026-01-01' + to_seconds(i), 'm', 'm', region, region, 'm', 'on-demand', 100 + random() * 400, 600 + random() * 900, 8 + random() * 4, 100, true
    from (select range as i, ([${regions}])[1 + (range % ${COMMERCIAL_REGIONS.length})] as region from range(1000000))`);
  // Samples are read through their runs.
  await db.run(`insert into latency_runs select distinct run_id, 'latency', timestamp '2026-01-01', null, 'm', 'completed', '{}' from latency_samples`);
  const times: number[] = [];
  const cpu: number[] = [];
  let perRegion = 0;
  for (let index = 0; index < 7; index++) {
    const started = performance.now();
    const usage = process.cpuUsage();
    // A failed request stores no TTFT, and quantiles skip nulls: no filter needed.
    const answer = await db.all(`select region, quantile_cont(ttft_ms, [0.5, 0.9, 0.99]) as q from latency_samples group by region`);
    times.push(performance.now() - started);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
    perRegion = answer.length;
  }
  const { samples } = await history.status();
  report(
    `history p50/p90/p99 per region (${perRegion} regions)`,
    `${median(times).toFixed(1)} ms median of 7 (${median(cpu).toFixed(1)} ms CPU on ${sampleAt(await db.all<{ t: bigint }>("select current_setting('threads') as t"), 0, 'the thread setting').t} threads) over ${samples} samples`,
    '≤ 100 ms',
    median(times) <= 100,
  );
  db.close();
}

// 5. The same run with history on and off.
{
  const scenario = { timeToFirstTokenMs: { '*': 150 }, perTokenMs: { '*': 5 } };
  const on = await startEmulatedLab({ scenario });
  const blocker = join(await mkdtemp(join(tmpdir(), 'atlas-bench-off-')), 'file');
  await writeFile(blocker, '');
  const off = await startEmulatedLab({ scenario, dataDir: join(blocker, 'data'), emulator: on.emulator });
  const input = { target: HAIKU_3, regions: ['us-east-1'], runs: 40, concurrency: 4, maxTokens: 20 };
  // Interleaved, so that the machine's load drifts over both alike; the medians of five runs each are compared.
  const figures = { on: { ttft: [] as number[], e2e: [] as number[], stored: false }, off: { ttft: [] as number[], e2e: [] as number[], stored: true } };
  for (let round = 0; round < 5; round++) {
    for (const [which, lab] of [['on', on], ['off', off]] as const) {
      const result = await lab.run(input);
      const figure = route(result.regions['us-east-1']);
      figures[which].ttft.push(figure.ttftMs!.p50);
      figures[which].e2e.push(figure.e2eMs!.p50);
      figures[which].stored = result.stored;
    }
  }
  const [ttftOn, ttftOff, e2eOn, e2eOff] = [median(figures.on.ttft), median(figures.off.ttft), median(figures.on.e2e), median(figures.off.e2e)];
  report(
    'history on vs off, p50 TTFT / E2E (median of 5 runs each)',
    `${ttftOn.toFixed(2)} / ${e2eOn.toFixed(2)} ms (stored: ${figures.on.stored}) vs ${ttftOff.toFixed(2)} / ${e2eOff.toFixed(2)} ms (stored: ${figures.off.stored})`,
    '≤ 1 ms apart',
    Math.abs(ttftOn - ttftOff) <= 1 && Math.abs(e2eOn - e2eOff) <= 1,
  );
  await off.close();
  await on.close();
}

console.log(`load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
const table: Row[] = [['metric', 'measured', 'target', ''], ...rows];
const widths = [0, 1, 2, 3].map((column) => Math.max(...table.map((row) => row[column]?.length ?? 0)));
for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
process.exitCode = rows.some((row) => row[3] === 'MISSED') ? 1 : 0;
