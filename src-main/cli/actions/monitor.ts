import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { detectsVantage, vantageNameOf, WHERE_CALLABLE, type MonitorConfig } from '../../../src-shared/fleet/monitor-config';
import { systemClock } from '../../core/attribution/clock';
import { redactSecrets } from '../../core/aws/redact';
import { loadMonitorConfig, MonitorConfigError } from '../../core/fleet/monitor/config-file';
import { monitorFeature } from '../../core/fleet/monitor/feature';
import { flushSinks, logLine, Monitor } from '../../core/fleet/monitor/monitor';
import { MonitorPlanError, planMonitor, type MonitorPlan } from '../../core/fleet/monitor/plan';
import { monitorPolicy } from '../../core/fleet/monitor/policy';
import { MonitorShutdown } from '../../core/fleet/monitor/shutdown';
import { resolveVantage } from '../../core/fleet/monitor/vantage';
import { formatDollars } from '../../core/latency/plan';
import { openCommandCore } from '../command-core';
import { checkDataDir } from '../data-dir';
import { UsageError, type CommandIo } from '../io';
import type { ActionContext } from '../lazy-action';
import { formatTable } from '../table';
import { createMonitorSinks } from './monitor-sinks';
import { OtlpConfigError, readOtlpConfig } from '../../core/fleet/telemetry/otlp-config';

/**
 * `bedrock-atlas monitor`: the config read and checked before anything is opened (a bad one exits 2 and leaves
 * nothing behind), the plan from the catalog, then `--check`, `--print-policy`, one cycle (`--once`) or cycles on
 * the schedule until SIGTERM. While measuring, everything on stderr is a JSON line, so a container's log stays
 * machine-readable.
 */

/** A `--once` cycle's sinks get this long to flush when no stop hurries them (a Lambda's upload). */
const ONCE_FLUSH_MS = 30_000;
/** The whole exit after a stop: what the issue promises, kept by a last resort when something will not close. */
const EXIT_BOUND_MS = 10_000;

/** The regions the catalog scans: all of them when a target is measured wherever callable, else the ones named. */
export function catalogRegions(config: MonitorConfig): string[] {
  if (config.targets.some((target) => target.regions === WHERE_CALLABLE)) return [...COMMERCIAL_REGIONS];
  return [...new Set(config.targets.flatMap((target) => (target.regions === WHERE_CALLABLE ? [] : target.regions)))];
}

function planLines(config: MonitorConfig, plan: MonitorPlan): string[] {
  const { schedule, measure, budgets } = config;
  const what = measure.kind === 'probe' ? `a network probe (${measure.runs} samples per region)` : `a latency run (${measure.runs} runs per route, ${measure.warmup} warm-up, concurrency ${measure.concurrency}, prompt ${measure.promptSize}, at most ${measure.maxTokens} output tokens)`;
  const jitter = schedule.jitterSeconds > 0 ? ` plus up to ${schedule.jitterSeconds} s` : '';
  const lines = [`Vantage ${vantageNameOf(config)}${detectsVantage(config) ? ' (or detected from AWS)' : ''}: ${what} every ${schedule.everyMinutes} min${jitter}, ${Number(plan.cyclesPerDay.toFixed(2))} cycles a day.`];
  const money = (usd: number | null) => (usd === null ? 'unknown' : formatDollars(usd));
  const rows = plan.targets.map((target) => [
    target.target,
    target.routes.map((planned) => planned.key).join(', '),
    String(target.requestsPerCycle),
    String(Math.round(target.requestsPerCycle * plan.cyclesPerDay)),
    String(Math.round(target.inputTokensPerCycle * plan.cyclesPerDay)),
    String(Math.round(target.outputTokensPerCycle * plan.cyclesPerDay)),
    target.costPerCycleUsd === null ? 'unknown' : money(target.costPerCycleUsd * plan.cyclesPerDay),
  ]);
  if (measure.kind === 'latency') lines.push(...formatTable(['TARGET', 'ROUTES', 'REQ/CYCLE', 'REQ/DAY', 'IN TOK/DAY', 'OUT TOK/DAY (MAX)', 'COST/DAY (MAX)'], rows));
  else lines.push(`Probed regions: ${plan.probeRegions.join(', ')}.`);
  for (const target of plan.targets) {
    for (const [region, problem] of Object.entries(target.unavailable)) lines.push(`${target.target} ${region}: not measured (${problem.code}: ${problem.message})`);
  }
  lines.push(
    `Total: ${plan.requestsPerCycle} requests a cycle, ${plan.requestsPerDay} requests a day, ${plan.inputTokensPerDay} input and at most ${plan.outputTokensPerDay} output tokens a day${plan.costPerDayUsd === null ? '' : `, at most ${money(plan.costPerDayUsd)} a day at list prices`}.`,
  );
  const hourly = plan.requestsPerHourAtMost > budgets.maxRequestsPerHour ? `over it: cycles will be trimmed to fit` : 'within it';
  lines.push(`Budget: at most ${plan.requestsPerHourAtMost} requests in an hour against maxRequestsPerHour ${budgets.maxRequestsPerHour} (${hourly}).`);
  if (budgets.maxCostPerDayUsd !== undefined) {
    const daily = plan.costPerDayUsd === null ? 'a price is unknown, so cycles will be skipped' : plan.costPerDayUsd > budgets.maxCostPerDayUsd ? 'over it: cycles will be trimmed' : 'within it';
    lines.push(`Budget: at most ${money(plan.costPerDayUsd)} a day against maxCostPerDayUsd ${formatDollars(budgets.maxCostPerDayUsd)} (${daily}).`);
  }
  return lines;
}

/** While measuring, the core's own log lines go out as JSON too. */
function jsonIo(io: CommandIo): CommandIo {
  return { stdout: io.stdout, stderr: (message) => io.stderr(JSON.stringify({ ts: new Date().toISOString(), level: 'info', event: 'log', message: redactSecrets(message) })) };
}

/** A bad OTEL_* variable is refused before the catalog is read or anything measured (named, never its value). */
function checkOtlpEnvironment(): void {
  try {
    readOtlpConfig(process.env);
  } catch (error) {
    if (error instanceof OtlpConfigError) throw new UsageError(`sinks.otlp: ${error.message}`);
    throw error;
  }
}

export async function monitorAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const configPath = opts.config as string;
  let config: MonitorConfig;
  try {
    config = await loadMonitorConfig(configPath);
  } catch (error) {
    if (error instanceof MonitorConfigError) throw new UsageError(error.message);
    throw error;
  }
  const measuring = !opts.check && !opts.printPolicy;
  if (measuring && config.sinks.otlp?.enabled) checkOtlpEnvironment();
  // Listening from the start: a SIGTERM while the catalog loads stops the monitor before its first cycle.
  const shutdown = new MonitorShutdown();
  const stop = () => shutdown.stop();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const out = measuring ? jsonIo(io) : io;
  const overrides = { ...(config.dataDir ? { dataDir: config.dataDir } : {}), regions: catalogRegions(config), ...shared.overrides };
  const core = await openCommandCore({ ...shared, overrides }, out, version);
  const parts = { writeLine: io.stderr, redact: (text: string) => redactSecrets(text), clock: systemClock };
  let backstop: NodeJS.Timeout | null = null;
  try {
    const measurer = core.exportsOf(monitorFeature);
    const document = await measurer.catalog();
    const prices = config.budgets.maxCostPerDayUsd !== undefined || opts.check ? await measurer.prices() : null;
    let plan: MonitorPlan;
    try {
      plan = planMonitor(config, document, { prices, refusal: await measurer.refusals() });
    } catch (error) {
      if (error instanceof MonitorPlanError) throw new UsageError(`${configPath}: ${error.message}`);
      throw error;
    }
    if (opts.printPolicy) {
      io.stdout(JSON.stringify(monitorPolicy(config, plan, core.settings().regions), null, 2));
      return;
    }
    if (opts.check) {
      for (const line of planLines(config, plan)) io.stdout(line);
      return;
    }
    const { dir: dataDir } = await checkDataDir(core.settings().dataDir, true, 'write');
    const vantage = await resolveVantage(vantageNameOf(config), detectsVantage(config));
    if (detectsVantage(config)) logLine(parts, { level: vantage.placement ? 'info' : 'warn', event: 'vantage', vantage: vantage.name, message: vantage.note });
    const sinks = await createMonitorSinks(config, { vantage: vantage.name, dataDir, core, version, log: (message) => logLine(parts, { level: 'warn', event: 'sink', message }) });
    const monitor = new Monitor({ config, plan, vantage: vantage.name, measurer, sinks, random: Math.random, ...parts });
    const control = { stopSending: shutdown.stopSending, abortRequests: shutdown.abortRequests };
    shutdown.stopSending.addEventListener(
      'abort',
      () => {
        logLine(parts, { level: 'info', event: 'stopping', vantage: vantage.name, message: 'finishing the requests in flight, then flushing the sinks' });
        // The last resort: whatever holds the process (a socket, a timer of a sink) cannot keep it past the bound.
        backstop = setTimeout(() => process.exit(process.exitCode ?? 0), EXIT_BOUND_MS - 300);
        backstop.unref();
      },
      { once: true },
    );
    if (opts.once) {
      const summary = shutdown.stopSending.aborted ? null : await monitor.cycle(control);
      if (!shutdown.stopSending.aborted && (summary === null || summary.status === 'failed')) process.exitCode = 1;
    } else {
      await monitor.run(control);
    }
    await flushSinks(sinks, shutdown.flushSignal(ONCE_FLUSH_MS), (sink, message) => logLine(parts, { level: 'warn', event: 'sink', sink, message: `did not flush: ${message}` }));
    if (shutdown.stopSending.aborted) logLine(parts, { level: 'info', event: 'stopped', vantage: vantage.name, sinks: sinks.map((sink) => sink.status()) });
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    shutdown.dispose();
    await core.close();
  }
}
