import type { LatencyStats, LoadEstimate, LoadLevelReport, LoadQuotaLine, LoadRouteReport, LoadRunInput, LoadRunReport, RegionFailure, Slo } from '../../../src-shared/contract';
import { LATE_SEND_MS, LOAD_FORMS, parseLoadText } from '../../../src-shared/contract/load';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import type { AtlasCore } from '../../core/app/atlas-core';
import { openCommandCore } from '../command-core';
import { callMethod, callStream, CliError } from '../core-calls';
import { checkDataDir } from '../data-dir';
import { EXIT_INTERRUPTED, interruptible } from '../interrupt';
import { UsageError } from '../io';
import type { ActionContext } from '../lazy-action';
import { formatTable } from '../table';
import { estimatedCostWords, explainUnknownTarget, runCostLine, USAGE_CODES } from './latency';

/**
 * `bedrock-atlas latency --load …`: a load run. The plan, its cost and what it holds requests to go to stderr
 * first; each level's end on stderr as it comes; the report on stdout, as a table per route or as JSON in the same
 * per-region envelope as a lab run's. Ctrl+C cancels: the requests in flight are aborted, every finished level is
 * printed and saved, and the exit code is 130.
 */

/** The contract's fields and the flags that set them, so a refusal names what the user typed. */
export const LOAD_FLAGS = {
  target: '--target',
  regions: '--regions',
  load: '--load',
  'load.arrivals': '--arrivals',
  'load.seed': '--seed',
  stepDurationMs: '--step-duration',
  stepRequests: '--step-requests',
  maxInFlight: '--max-in-flight',
  warmup: '--warmup',
  promptSize: '--prompt-size',
  maxTokens: '--max-tokens',
  latency: '--latency',
  slo: '--slo',
  'slo.ttftMs': '--slo-ttft-ms',
  'slo.interTokenMs': '--slo-itl-ms',
  'slo.e2eMs': '--slo-e2e-ms',
  'slo.percentile': '--slo-percentile',
  maxRequests: '--max-requests',
  maxCostUsd: '--max-cost',
  requestTimeoutMs: '--timeout-ms',
};

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `2m`, `500ms`, `1h`, or a number of seconds → milliseconds. */
export function parseStepDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new UsageError(`--step-duration: "${text}" is not a duration. Use 30s, 2m or 500ms.`);
  return Math.round(Number(match[1]) * UNITS_MS[match[2] ?? 's']!);
}

/** The options a lab run takes and a load run does not. */
const LAB_ONLY = { runs: '--runs', concurrency: '--concurrency', compareRoutes: '--compare-routes' };

export function loadInput(opts: Record<string, unknown>, regions: readonly string[]): LoadRunInput {
  const labOnly = Object.entries(LAB_ONLY).filter(([name]) => opts[name] !== undefined).map(([, flag]) => flag);
  if (labOnly.length > 0) {
    throw new UsageError(`${labOnly.join(', ')} ${labOnly.length > 1 ? 'apply' : 'applies'} to a lab run, not a load run: its levels set the load (${LOAD_FORMS}), each for --step-duration or --step-requests.`);
  }
  const parsed = parseLoadText(opts.load as string);
  if ('error' in parsed) throw new UsageError(`--load: ${parsed.error}`);
  const bounds = {
    ...(opts.sloTtftMs !== undefined ? { ttftMs: opts.sloTtftMs as number } : {}),
    ...(opts.sloItlMs !== undefined ? { interTokenMs: opts.sloItlMs as number } : {}),
    ...(opts.sloE2eMs !== undefined ? { e2eMs: opts.sloE2eMs as number } : {}),
    ...(opts.sloPercentile !== undefined ? { percentile: opts.sloPercentile as number } : {}),
  };
  if (opts.slo === 'none' && Object.keys(bounds).length > 0) throw new UsageError('--slo none takes no bounds: drop --slo-ttft-ms, --slo-itl-ms, --slo-e2e-ms and --slo-percentile, or choose an SLO.');
  const preset = (opts.slo as 'chat' | 'mlperf-interactive' | 'custom' | undefined) ?? 'chat';
  const load =
    parsed.mode === 'rate'
      ? { mode: 'rate' as const, levels: parsed.levels, ...(opts.arrivals !== undefined ? { arrivals: opts.arrivals as 'poisson' | 'constant' } : {}), ...(opts.seed !== undefined ? { seed: opts.seed as number } : {}) }
      : { mode: 'concurrency' as const, levels: parsed.levels };
  if (parsed.mode === 'concurrency') {
    const rateOnly = [opts.arrivals !== undefined && '--arrivals', opts.seed !== undefined && '--seed', opts.maxInFlight !== undefined && '--max-in-flight'].filter(Boolean);
    if (rateOnly.length > 0) throw new UsageError(`${rateOnly.join(', ')} ${rateOnly.length > 1 ? 'apply' : 'applies'} to rate levels (--load rate:0.5,1,2,4); concurrency levels keep N requests in flight.`);
  }
  return {
    target: opts.target as string,
    ...(regions.length > 0 ? { regions: [...regions] } : {}),
    load,
    ...(opts.stepDuration !== undefined ? { stepDurationMs: parseStepDuration(opts.stepDuration as string) } : {}),
    ...(opts.stepRequests !== undefined ? { stepRequests: opts.stepRequests as number } : {}),
    ...(opts.maxInFlight !== undefined ? { maxInFlight: opts.maxInFlight as number } : {}),
    warmup: opts.warmup as number,
    promptSize: opts.promptSize as LoadRunInput['promptSize'],
    maxTokens: opts.maxTokens as number,
    latency: opts.latency as LoadRunInput['latency'],
    autoProfile: opts.autoProfile !== false,
    uniquePrompts: opts.uniquePrompts !== false,
    slo: opts.slo === 'none' ? null : { preset, ...bounds },
    ...(opts.maxRequests !== undefined ? { maxRequests: opts.maxRequests as number } : {}),
    ...(opts.maxCost !== undefined ? { maxCostUsd: opts.maxCost as number } : {}),
    requestTimeoutMs: opts.timeoutMs as number,
    confirmed: opts.yes === true,
  };
}

const isFailure = (entry: LoadRouteReport | RegionFailure): entry is RegionFailure => 'error' in entry;
const offeredWords = (offered: LoadLevelReport['offered']) => ('concurrency' in offered ? `concurrency ${offered.concurrency}` : `rate ${offered.ratePerSecond}/s`);
const percentiles = (stats: LatencyStats | null) => (stats ? { p50: stats.p50, p90: stats.p90, p99: stats.p99 } : null);
const ms = (stats: LatencyStats | null) => (stats ? `${Math.round(stats.p50)}/${Math.round(stats.p90)}/${Math.round(stats.p99)}` : '–');

export function sloWords(slo: Slo | null): string {
  if (!slo) return 'no SLO (goodput not counted)';
  const bounds = [slo.ttftMs !== null && `TTFT <= ${slo.ttftMs} ms`, slo.interTokenMs !== null && `ITL <= ${slo.interTokenMs} ms`, slo.e2eMs !== null && `E2E <= ${slo.e2eMs} ms`].filter(Boolean);
  return `SLO ${slo.name}: ${bounds.join(', ')} per request, held at p${slo.percentile}`;
}

function quotaWords(quota: LoadQuotaLine): string {
  if (quota.status !== 'found') return `quota: ${quota.message ?? 'none found'}`;
  const parts = [quota.requestsPerMinute !== null && `${quota.requestsPerMinute} requests/min`, quota.tokensPerMinute !== null && `${quota.tokensPerMinute} tokens/min`].filter(Boolean);
  return `quota: ${parts.join(', ')}: about ${quota.ratePerSecond} requests/s at ${quota.tokensPerRequest} tokens a request (${quota.binding === 'requestsPerMinute' ? 'requests' : 'tokens'} per minute bind)`;
}

/** The issue's JSON: per region the called route's id, its levels with the issue's fields first, the knee, the SLO. */
export function loadJson(report: LoadRunReport) {
  const regions = Object.fromEntries(
    Object.entries(report.regions).map(([key, entry]) => {
      if (isFailure(entry)) return [key, entry];
      const levels = entry.levels.map((level) => ({
        offered: level.offered,
        achievedRps: level.achievedRps,
        ttftMs: percentiles(level.ttftMs),
        interTokenMs: percentiles(level.interTokenMs),
        e2eMs: percentiles(level.e2eMs),
        outputTokensPerSecond: level.outputTokensPerSecond,
        samples: level.samples,
        errors: level.errors,
        ...(level.goodputRps !== undefined ? { goodputRps: level.goodputRps } : {}),
        status: level.status,
        ...(level.stoppedBy ? { stoppedBy: level.stoppedBy } : {}),
        sent: level.sent,
        throttleRate: level.throttleRate,
        durationMs: level.durationMs,
        ...(level.sloAttainment !== undefined ? { sloAttainment: level.sloAttainment, sloMet: level.sloMet } : {}),
        connectionsOpened: level.connectionsOpened,
        ...(level.schedule ? { schedule: level.schedule } : {}),
      }));
      return [key, { target: entry.route.invokeId, route: entry.route, levels, knee: entry.knee, ...(report.slo ? { slo: report.slo } : {}), quota: entry.quota }];
    }),
  );
  return {
    target: report.target,
    status: report.status,
    load: report.load,
    step: report.step,
    uniquePrompts: report.uniquePrompts,
    slo: report.slo,
    ...(report.stopped ? { stopped: report.stopped } : {}),
    regions,
  };
}

function loadTable(report: LoadRunReport): string[] {
  const step = 'durationMs' in report.step ? `${report.step.durationMs / 1000} s per level` : `${report.step.requests} requests per level`;
  const load = `${report.load.mode}:${report.load.levels.join(',')}${report.load.mode === 'rate' ? ` (${report.load.arrivals} arrivals, seed ${report.load.seed})` : ''}`;
  const lines = [
    `${report.target}: ${report.status}, load ${load}, ${step}${report.stored ? '' : ' (not stored: history is off)'}`,
    `Prompts: ${report.uniquePrompts ? 'unique (a nonce before each, so the prompt cache never answers)' : 'the same every time (the prompt cache may answer)'}; ${sloWords(report.slo)}.`,
  ];
  for (const [key, entry] of Object.entries(report.regions)) {
    lines.push('');
    if (isFailure(entry)) {
      lines.push(`${key}: ${entry.error.code}: ${entry.error.message}`);
      continue;
    }
    lines.push(`${key} (${entry.route.invokeId}): ${entry.knee ? `knee at level ${entry.knee.levelIndex + 1}, ${offeredWords(entry.levels.find((level) => level.index === entry.knee!.levelIndex)!.offered)}: ${entry.knee.reason}` : 'no knee: no level throttled over 1 % or doubled the first level\'s p90 TTFT'}`);
    const notes: string[] = [];
    const rows = entry.levels.map((level) => {
      const errors = Object.entries(level.errors).filter(([name, count]) => count > 0 && name !== 'throttled').map(([name, count]) => `${name} ${count}`).join(', ') || '0';
      if (level.status === 'partial') notes.push(`level ${level.index + 1} is partial: stopped by ${level.stoppedBy}`);
      if (level.schedule?.fellBehind) {
        notes.push(`level ${level.index + 1} fell behind its schedule: ${level.schedule.lateSends} of ${level.schedule.sent} sends more than ${LATE_SEND_MS} ms late (p99 ${level.schedule.p99LatenessMs} ms, max ${level.schedule.maxLatenessMs} ms), in its latency`);
      }
      return [
        String(level.index + 1), offeredWords(level.offered), String(level.sent), String(level.samples), String(level.achievedRps), String(Math.round(level.outputTokensPerSecond)),
        ms(level.ttftMs), ms(level.interTokenMs), ms(level.e2eMs), `${Math.round(level.throttleRate * 1000) / 10} %`, errors, level.goodputRps === undefined ? '–' : String(level.goodputRps), String(level.connectionsOpened),
      ];
    });
    lines.push(...formatTable(['LEVEL', 'OFFERED', 'SENT', 'OK', 'REQ/S', 'OUT tok/s', 'TTFT p50/p90/p99', 'ITL p50/p90/p99', 'E2E p50/p90/p99', 'THROTTLED', 'ERRORS', 'GOODPUT/s', 'CONN'], rows), ...notes, quotaWords(entry.quota));
  }
  lines.push('', runCostLine(report));
  if (report.load.mode === 'rate') lines.push('', 'Rate levels count latency from each request\'s scheduled send time: a client that fell behind shows its wait in every figure.');
  return lines;
}

function planLine(plan: LoadEstimate, input: LoadRunInput): string {
  const routes = Object.keys(plan.routes).length;
  const time = plan.expectedDurationMs === null ? '' : `, about ${Math.round(plan.expectedDurationMs / 1000)} s`;
  return (
    `Plan: load ${input.load.mode}:${input.load.levels.join(',')} over ${routes} route${routes === 1 ? '' : 's'}${time}: ${plan.requests} requests (${plan.requestsBasis}) + ${plan.warmupRequests} warm-up; ` +
    `about ${plan.inputTokens} input and at most ${plan.outputTokens} output tokens${plan.simulated ? ', simulated' : ''}; ${estimatedCostWords(plan)}. ` +
    `Prompts ${plan.uniquePrompts ? 'unique (a nonce before each)' : 'all the same'}; ${sloWords(plan.slo)}.`
  );
}

async function estimateLoad(core: AtlasCore, input: LoadRunInput, context: ActionContext, signal: AbortSignal): Promise<LoadEstimate> {
  try {
    return await callMethod(core, 'estimateLoadRun', input, { flags: LOAD_FLAGS, usageCodes: USAGE_CODES, signal });
  } catch (error) {
    if (!(error instanceof CliError) || error.code !== 'UNKNOWN_TARGET') throw error;
    const narrowed = core.settings().regions;
    if (narrowed.length === 0 || narrowed.length === COMMERCIAL_REGIONS.length) throw new UsageError(error.message);
    return explainUnknownTarget(error, input.target, narrowed, context.shared, context);
  }
}

export async function loadAction(context: ActionContext): Promise<void> {
  const { opts, shared, io, version } = context;
  const core = await openCommandCore(shared, io, version);
  const { signal, release } = interruptible();
  try {
    const settings = core.settings();
    const input = loadInput(opts, settings.regions);
    const plan = await estimateLoad(core, input, context, signal);
    await checkDataDir(settings.dataDir, shared.overrides.dataDir !== undefined, 'write');
    io.stderr(planLine(plan, input));
    for (const [region, problem] of Object.entries(plan.unavailable)) io.stderr(`${region}: ${problem.code}: ${problem.message}`);
    if (plan.needsConfirmation && !input.confirmed) {
      throw new UsageError(`This load run sends about ${plan.requests + plan.warmupRequests} requests to AWS (${estimatedCostWords(plan)}), and asks first because ${plan.confirmationReasons.join('; ')}. Add --yes to run it, or bound it with --max-requests or --max-cost.`);
    }
    const announced = new Map<string, number>();
    const report = await callStream(
      core,
      'runLoad',
      input,
      (progress) => {
        // One line per finished level, and one when a route's first level starts.
        const told = announced.get(progress.key) ?? -1;
        for (const level of progress.finishedLevels.slice(told + 1)) {
          const late = level.schedule?.fellBehind ? `, fell behind (${level.schedule.lateSends} sends late, up to ${level.schedule.maxLatenessMs} ms)` : '';
          io.stderr(`${progress.key}: level ${level.index + 1}/${progress.levelCount} (${offeredWords(level.offered)}) ${level.status}: ${level.samples}/${level.sent} answered, ${level.achievedRps} req/s, p90 TTFT ${level.ttftMs ? Math.round(level.ttftMs.p90) : '–'} ms, ${level.errors.throttled} throttled${late}`);
        }
        announced.set(progress.key, progress.finishedLevels.length - 1);
      },
      { signal, flags: LOAD_FLAGS, usageCodes: USAGE_CODES },
    );
    if (report.status === 'cancelled') io.stderr('Cancelled: the finished levels below were saved.');
    if (report.stopped) io.stderr(report.stopped.message);
    if (opts.json) {
      io.stdout(JSON.stringify(loadJson(report), null, 2));
      io.stderr(runCostLine(report));
    } else for (const line of loadTable(report)) io.stdout(line);
    if (signal.aborted || report.status === 'cancelled') {
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    const empty = Object.entries(report.regions).filter(([, entry]) => isFailure(entry) || entry.levels.every((level) => level.samples === 0));
    if (empty.length > 0) {
      io.stderr(`${empty.length === Object.keys(report.regions).length ? 'Failed' : 'Partial'}: no samples from ${empty.length} of ${Object.keys(report.regions).length} routes:`);
      for (const [key, entry] of empty) io.stderr(`  ${key}: ${isFailure(entry) ? `${entry.error.code}: ${entry.error.message}` : 'every request failed'}`);
      process.exitCode = 1;
    }
  } finally {
    release();
    await core.close();
  }
}
