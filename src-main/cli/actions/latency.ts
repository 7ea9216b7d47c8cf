import type { LatencyEstimate, LatencyRouteReport, LatencyRunInput, LatencyRunReport, LatencyStats, PriceTableInfo, RegionFailure } from '../../../src-shared/contract';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import type { AtlasCore } from '../../core/app/atlas-core';
import { formatDollars } from '../../core/latency/plan';
import { openCommandCore } from '../command-core';
import { callMethod, callStream, CliError } from '../core-calls';
import { checkDataDir } from '../data-dir';
import { EXIT_INTERRUPTED, interruptible } from '../interrupt';
import { UsageError } from '../io';
import type { ActionContext } from '../lazy-action';
import { offeredElsewhere } from '../offered-elsewhere';
import type { SharedOptions } from '../options';
import { formatTable } from '../table';

/**
 * `bedrock-atlas latency`: a latency run from the command line. The plan and its cost go to stderr first, live
 * progress per route on stderr, the report on stdout. Ctrl+C cancels: the requests in flight are aborted, the
 * partial report is printed and saved, and the exit code is 130.
 */

/** The contract's fields and the flags that set them, so a refusal names what the user typed. */
export const LATENCY_FLAGS = {
  target: '--target',
  regions: '--regions',
  runs: '--runs',
  concurrency: '--concurrency',
  warmup: '--warmup',
  promptSize: '--prompt-size',
  maxTokens: '--max-tokens',
  latency: '--latency',
  requestTimeoutMs: '--timeout-ms',
};

/** Refusals of what was asked: exit 2. UNKNOWN_TARGET is handled apart, to say where the target is offered. */
export const USAGE_CODES = new Set(['NOT_CALLABLE', 'CONFIRMATION_REQUIRED', 'INVALID_ARGUMENT']);

/** completed: every route produced samples; partial: some did not; failed: none did; cancelled: Ctrl+C. */
export type RunOutcome = 'completed' | 'partial' | 'failed' | 'cancelled';

const isFailure = (entry: LatencyRouteReport | RegionFailure): entry is RegionFailure => 'error' in entry;
const ms = (stats: LatencyStats | null) => (stats ? `${Math.round(stats.p50)}/${Math.round(stats.p90)}/${Math.round(stats.p99)}` : '–');

/** The routes that produced no sample, each with why. */
export function routesWithoutSamples(report: LatencyRunReport): { key: string; reason: string }[] {
  return Object.entries(report.regions).flatMap(([key, entry]) => {
    if (isFailure(entry)) return [{ key, reason: `${entry.error.code}: ${entry.error.message}` }];
    if (entry.samples > 0) return [];
    const errors = Object.entries(entry.errors).filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`);
    return [{ key, reason: errors.length > 0 ? `every request failed (${errors.join(', ')})` : 'no request was measured' }];
  });
}

export function runOutcome(report: LatencyRunReport): RunOutcome {
  if (report.status === 'cancelled') return 'cancelled';
  const total = Object.keys(report.regions).length;
  const empty = routesWithoutSamples(report).length;
  if (total === 0 || empty === total) return 'failed';
  return empty === 0 ? 'completed' : 'partial';
}

/** The issue's JSON shape: the run's options, its status and one entry per region (or route). */
export function latencyJson(report: LatencyRunReport) {
  return { target: report.target, runs: report.runs, concurrency: report.concurrency, status: runOutcome(report), regions: report.regions };
}

/** "the bundled price table of 2026-01-19", with why a better one was not used. */
function tableWords(table: PriceTableInfo): string {
  const which = table.source === 'api' ? 'the Price List of' : table.source === 'cache' ? 'the cached price table of' : table.source === 'bundled' ? 'the bundled price table of' : 'no price table';
  return table.asOf ? `${which} ${table.asOf.slice(0, 10)}` : which;
}

/** The estimate's dollars for the plan line: "about $0.02 at list prices (…)", or why they are unknown. */
export function estimatedCostWords(estimate: Pick<LatencyEstimate, 'estimatedCostUsd' | 'routeCosts' | 'priceTable'>): string {
  if (estimate.estimatedCostUsd !== null) return `up to about ${formatDollars(estimate.estimatedCostUsd)} at list prices (${tableWords(estimate.priceTable)})`;
  const unknown = Object.values(estimate.routeCosts).find((cost) => cost.usd === null)?.unknown;
  return `cost unknown: ${unknown ?? `no price in ${tableWords(estimate.priceTable)}`}`;
}

/** What the run cost, from the usage Bedrock reported, or why it is unknown. */
export function runCostLine(report: Pick<LatencyRunReport, 'cost'>): string {
  const { cost } = report;
  const usage = `${cost.usage.input} input and ${cost.usage.output} output tokens over ${cost.requests} requests`;
  const missing = cost.requestsWithoutUsage > 0 ? `; ${cost.requestsWithoutUsage} requests ended without usage and are not counted` : '';
  if (cost.usd === null) return `Cost: unknown (${cost.unknown ?? 'a price is unknown'}); ${usage}${missing}.`;
  return `Cost: ${formatDollars(cost.usd)} at list prices (${tableWords(cost.priceTable)}) for ${usage}, as Bedrock reported them${missing}.`;
}

function latencyTable(report: LatencyRunReport): string[] {
  const lines = [`${report.target}: ${runOutcome(report)}, ${report.runs} runs per route at concurrency ${report.concurrency}${report.stored ? '' : ' (not stored: history is off)'}`];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const [key, entry] of Object.entries(report.regions)) {
    if (isFailure(entry)) {
      notes.push(`${key}: ${entry.error.code}: ${entry.error.message}`);
      continue;
    }
    const errors = Object.entries(entry.errors).filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`).join(', ') || '0';
    const invoke = entry.route.autoRoutedFrom ? `${entry.route.invokeId} (auto)` : entry.route.invokeId;
    const speed = entry.outputTokensPerSecond ? String(Math.round(entry.outputTokensPerSecond.p50)) : '–';
    rows.push([key, invoke, String(entry.samples), ms(entry.ttftMs), ms(entry.e2eMs), speed, errors, String(entry.connectionsOpened)]);
    if (entry.servedLatency) notes.push(`${key} served: ${Object.entries(entry.servedLatency).map(([mode, count]) => `${mode} ${count}`).join(', ')} (optimized latency fell back)`);
  }
  lines.push(...formatTable(['ROUTE', 'INVOKE', 'SAMPLES', 'TTFT p50/p90/p99 ms', 'E2E p50/p90/p99 ms', 'OUT tok/s p50', 'ERRORS', 'CONN'], rows), ...notes);
  lines.push('', runCostLine(report));
  lines.push('', 'Output tok/s is 1 / inter-token latency: it excludes TTFT (see --json for end-to-end tokens/s, server latency and gaps).');
  return lines;
}

/**
 * The run was narrowed to regions that do not know the target: look it up in the whole catalog (cache, a scan of
 * every region, or the bundled data) and say where it is offered and how, as `where` would.
 */
export async function explainUnknownTarget(error: CliError, target: string, narrowedTo: readonly string[], shared: SharedOptions, context: ActionContext): Promise<never> {
  const whole = await openCommandCore({ ...shared, overrides: { ...shared.overrides, regions: [...COMMERCIAL_REGIONS] } }, context.io, context.version);
  let offered: ReturnType<typeof offeredElsewhere> = null;
  try {
    offered = offeredElsewhere((await callMethod(whole, 'getCatalog', undefined)).document, target);
  } finally {
    whole.close();
  }
  if (!offered) throw new UsageError(error.message);
  if (offered.regions.length === 0) {
    throw new UsageError(`${offered.modelId} is not offered in ${narrowedTo.join(', ')}, nor callable on demand or through a profile in any region (\`bedrock-atlas where ${offered.modelId}\`).`);
  }
  throw new UsageError(
    [
      `${offered.modelId} is not offered in ${narrowedTo.join(', ')} (the regions of this run). It is callable in:`,
      ...offered.lines,
      `Run with --regions ${offered.regions.slice(0, 3).join(',')}, or see \`bedrock-atlas where ${offered.modelId}\`.`,
    ].join('\n'),
  );
}

async function estimate(core: AtlasCore, input: LatencyRunInput, context: ActionContext, signal: AbortSignal) {
  try {
    return await callMethod(core, 'estimateLatencyRun', input, { flags: LATENCY_FLAGS, usageCodes: USAGE_CODES, signal });
  } catch (error) {
    if (!(error instanceof CliError) || error.code !== 'UNKNOWN_TARGET') throw error;
    const narrowed = core.settings().regions;
    if (narrowed.length === 0 || narrowed.length === COMMERCIAL_REGIONS.length) throw new UsageError(error.message);
    return explainUnknownTarget(error, input.target, narrowed, context.shared, context);
  }
}

/** The flags that only a load run takes (`--no-unique-prompts` sets uniquePrompts false). */
const LOAD_ONLY = { stepDuration: '--step-duration', stepRequests: '--step-requests', arrivals: '--arrivals', seed: '--seed', maxInFlight: '--max-in-flight', slo: '--slo', sloTtftMs: '--slo-ttft-ms', sloItlMs: '--slo-itl-ms', sloE2eMs: '--slo-e2e-ms', sloPercentile: '--slo-percentile', maxRequests: '--max-requests', maxCost: '--max-cost' };

export async function latencyAction(context: ActionContext): Promise<void> {
  const { opts, shared, io, version } = context;
  if (opts.load !== undefined) return (await import('./latency-load')).loadAction(context);
  const loadOnly = [...Object.entries(LOAD_ONLY).filter(([name]) => opts[name] !== undefined).map(([, flag]) => flag), ...(opts.uniquePrompts === false ? ['--no-unique-prompts'] : [])];
  if (loadOnly.length > 0) throw new UsageError(`${loadOnly.join(', ')} ${loadOnly.length > 1 ? 'apply' : 'applies'} to a load run: add --load concurrency:1,2,4,8 or --load rate:0.5,1,2,4.`);
  const core = await openCommandCore(shared, io, version);
  const { signal, release } = interruptible();
  try {
    const settings = core.settings();
    const input = {
      target: opts.target as string,
      ...(settings.regions.length > 0 ? { regions: settings.regions } : {}),
      ...(opts.runs !== undefined ? { runs: opts.runs as number } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency as number } : {}),
      warmup: opts.warmup as number,
      promptSize: opts.promptSize as LatencyRunInput['promptSize'],
      maxTokens: opts.maxTokens as number,
      latency: opts.latency as LatencyRunInput['latency'],
      // On by default, as on the Latency page; --no-auto-profile turns it off.
      autoProfile: opts.autoProfile !== false,
      compareRoutes: opts.compareRoutes === true,
      requestTimeoutMs: opts.timeoutMs as number,
      confirmed: opts.yes === true,
    } satisfies LatencyRunInput;
    const plan = await estimate(core, input, context, signal);
    await checkDataDir(settings.dataDir, shared.overrides.dataDir !== undefined, 'write');
    io.stderr(
      `Plan: ${plan.requests} measured requests + ${plan.warmupRequests} warm-up over ${Object.keys(plan.routes).length} routes; ` +
        `about ${plan.inputTokens} input tokens and at most ${plan.outputTokens} output tokens ` +
        `(prompt "${plan.prompt.size}": ${plan.prompt.inputTokens} tokens, ${plan.prompt.countedBy === 'CountTokens' ? 'counted by CountTokens' : 'estimated at 4 characters per token'})${plan.simulated ? ', simulated' : ''}; ` +
        `${estimatedCostWords(plan)}.`,
    );
    for (const [key, route] of Object.entries(plan.routes)) {
      if (route.autoRoutedFrom) io.stderr(`${key}: auto-profile calls ${route.invokeId} instead of ${route.autoRoutedFrom}`);
    }
    for (const [region, problem] of Object.entries(plan.unavailable)) io.stderr(`${region}: ${problem.code}: ${problem.message}`);
    if (plan.needsConfirmation && !input.confirmed) {
      throw new UsageError(
        `This run sends ${plan.requests + plan.warmupRequests} requests to AWS (${estimatedCostWords(plan)}), and asks first because ${plan.confirmationReasons.join('; ')}. Add --yes to run it.`,
      );
    }
    const reported = new Map<string, string>();
    const report = await callStream(
      core,
      'runLatency',
      input,
      (progress) => {
        const line = `${progress.key}: ${progress.phase} ${progress.done}/${progress.total}${progress.p50TtftMs === null ? '' : `, p50 TTFT ${Math.round(progress.p50TtftMs)} ms`}${progress.errors ? `, ${progress.errors} errors` : ''}`;
        // Lines change at most every 10 % of the run, so a long run does not flood the terminal.
        const step = `${progress.phase} ${Math.floor((progress.done * 10) / Math.max(1, progress.total))}`;
        if (reported.get(progress.key) !== step) io.stderr(line);
        reported.set(progress.key, step);
      },
      { signal, flags: LATENCY_FLAGS, usageCodes: USAGE_CODES },
    );
    const outcome = runOutcome(report);
    if (outcome === 'cancelled') io.stderr('Cancelled: the partial results below were saved.');
    if (opts.json) {
      io.stdout(JSON.stringify(latencyJson(report), null, 2));
      // The JSON keeps the issue's shape; what the run cost goes beside the progress.
      io.stderr(runCostLine(report));
    } else for (const line of latencyTable(report)) io.stdout(line);
    if (signal.aborted || outcome === 'cancelled') {
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    const empty = routesWithoutSamples(report);
    if (empty.length > 0) {
      io.stderr(`${outcome === 'failed' ? 'Failed' : 'Partial'}: no samples from ${empty.length} of ${Object.keys(report.regions).length} routes:`);
      for (const { key, reason } of empty) io.stderr(`  ${key}: ${reason}`);
      process.exitCode = 1;
    }
  } finally {
    release();
    await core.close();
  }
}
