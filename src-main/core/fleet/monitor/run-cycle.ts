import { LatencyRunInputSchema } from '../../../../src-shared/contract/latency';
import type { MonitorConfig } from '../../../../src-shared/fleet/monitor-config';
import type { FleetCycle, FleetSink } from '../cycle';
import type { FleetMeasurer, MeasuredRun } from './feature';
import type { MonitorPlan } from './plan';

/**
 * One cycle: the configured measurement through the lab's own run (each target one run, in turn) or probe (every
 * region at once), each run handed to every sink as a FleetCycle named by the run's id, a fresh UUID. `stopSending`
 * ends the cycle early without cutting a request short; `signal` aborts what is in flight.
 */

export interface CycleSummary {
  runIds: string[];
  /** Requests sent, warm-ups included. */
  requests: number;
  /** Samples measured, and samples (or probed regions) that failed. */
  ok: number;
  errors: number;
  /** At list prices, from the usage Bedrock reported (the estimate where a price is unknown). */
  costUsd: number;
  /** ok: everything measured; partial: some failed; failed: nothing measured; stopped: ended early by a stop. */
  status: 'ok' | 'partial' | 'failed' | 'stopped';
}

export interface CycleParts {
  config: Pick<MonitorConfig, 'measure'>;
  plan: MonitorPlan;
  vantage: string;
  measurer: FleetMeasurer;
  sinks: readonly FleetSink[];
  log: (line: string) => void;
}

function fleetCycle(measured: MeasuredRun, vantage: string): FleetCycle {
  const { run } = measured;
  const startedAt = Date.parse(run.startedAt);
  return {
    runId: run.id,
    vantage,
    startedAt,
    finishedAt: run.finishedAt ? Date.parse(run.finishedAt) : startedAt,
    run,
    samples: measured.samples,
    probes: measured.probes,
  };
}

async function handToSinks(sinks: readonly FleetSink[], cycle: FleetCycle, log: (line: string) => void): Promise<void> {
  await Promise.all(
    sinks.map((sink) =>
      // A sink keeps what it cannot send and says so in its status; one that throws anyway must not stop the others.
      sink.write(cycle).catch((error: unknown) => log(`sink ${sink.name} refused run ${cycle.runId}: ${(error as Error).message}`)),
    ),
  );
}

export async function measureCycle(parts: CycleParts, runs: number, control: { signal: AbortSignal; stopSending: AbortSignal }): Promise<CycleSummary> {
  const { config, plan, vantage, measurer, sinks, log } = parts;
  const summary: CycleSummary = { runIds: [], requests: 0, ok: 0, errors: 0, costUsd: 0, status: 'ok' };
  if (config.measure.kind === 'probe') {
    const measured = await measurer.probe(plan.probeRegions, runs, control);
    const failedRegions = Object.values(measured.report.regions).filter((result) => 'error' in result).length;
    const probed = new Set(measured.probes.map((row) => row.region)).size;
    summary.runIds.push(measured.run.id);
    summary.requests = measured.probes.length + probed;
    summary.ok = measured.probes.length;
    summary.errors = failedRegions;
    await handToSinks(sinks, fleetCycle(measured, vantage), log);
  } else {
    const measure = config.measure;
    for (const target of plan.targets) {
      if (control.stopSending.aborted || control.signal.aborted) break;
      const input = LatencyRunInputSchema.parse({
        target: target.target,
        runs,
        concurrency: measure.concurrency,
        warmup: measure.warmup,
        promptSize: measure.promptSize,
        maxTokens: measure.maxTokens,
        latency: measure.latency,
        requestTimeoutMs: measure.requestTimeoutMs,
        autoProfile: true,
        confirmed: true,
      });
      const measured = await measurer.latency(input, target.routes, control);
      const { cost } = measured.report;
      summary.runIds.push(measured.run.id);
      summary.requests += cost.requests + cost.requestsWithoutUsage;
      for (const row of measured.samples) {
        if (row.errorClass === null) summary.ok++;
        else summary.errors++;
      }
      // A route that failed in its warm-up (access denied, not offered) has no sample: it counts as one error.
      summary.errors += Object.values(measured.report.regions).filter((entry) => 'error' in entry).length;
      const share = target.costPerCycleUsd === null ? 0 : (target.costPerCycleUsd * (runs + measure.warmup)) / (measure.runs + measure.warmup);
      summary.costUsd += cost.usd ?? share;
      await handToSinks(sinks, fleetCycle(measured, vantage), log);
    }
  }
  summary.status = control.stopSending.aborted || control.signal.aborted ? 'stopped' : summary.ok === 0 ? 'failed' : summary.errors > 0 ? 'partial' : 'ok';
  return summary;
}
