import { Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import { LatencyRunInputSchema, PROMPT_SIZES, type LatencyRouteReport, type LatencyRunReport, type LatencyStats, type RegionFailure } from '../../../src-shared/contract';
import { addAwsOptions, addCatalogOptions } from '../options';
import { openCommandCore } from '../command-core';
import { UsageError, type CommandIo } from '../io';

/**
 * `bedrock-atlas latency`: a latency run from the command line. The plan and its cost go to stderr first, live
 * progress per route on stderr, the report on stdout. Ctrl+C cancels: the requests in flight are aborted, the
 * partial report is printed and saved, and the exit code is 130.
 */

export const EXIT_INTERRUPTED = 130;

/** Ctrl+C (or SIGTERM) aborts the work once; `release` stops listening. */
export function interruptible(): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: abort.signal, release: () => (process.off('SIGINT', stop), process.off('SIGTERM', stop)) };
}

export function parseCount(value: string): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return number;
}

/** The schema's own messages (runs must be between 1 and 1000, …) as a usage error. */
export function parseOrExplain<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

/** Known refusals of a bad target become usage errors (exit 2), with the fix named. */
export function asUsageError(error: unknown): never {
  const code = (error as { code?: string }).code;
  if (code === 'UNKNOWN_TARGET' || code === 'NOT_CALLABLE' || code === 'CONFIRMATION_REQUIRED') throw new UsageError((error as Error).message);
  throw error;
}

const isFailure = (entry: LatencyRouteReport | RegionFailure): entry is RegionFailure => 'error' in entry;
const ms = (stats: LatencyStats | null) => (stats ? `${Math.round(stats.p50)}/${Math.round(stats.p90)}/${Math.round(stats.p99)}` : '–');

/** The issue's JSON shape: the run's options, its status and one entry per region (or route). */
export function latencyJson(report: LatencyRunReport) {
  return { target: report.target, runs: report.runs, concurrency: report.concurrency, status: report.status, regions: report.regions };
}

function latencyTable(report: LatencyRunReport): string[] {
  const lines = [`${report.target}: ${report.status}, ${report.runs} runs per route at concurrency ${report.concurrency}${report.stored ? '' : ' (not stored: history is off)'}`];
  lines.push('ROUTE'.padEnd(48) + 'SAMPLES  TTFT p50/p90/p99 ms   E2E p50/p90/p99 ms    OUT tok/s p50  ERRORS  CONN');
  for (const [key, entry] of Object.entries(report.regions)) {
    if (isFailure(entry)) {
      lines.push(`${key.padEnd(48)}${entry.error.code}: ${entry.error.message}`);
      continue;
    }
    const errors = Object.entries(entry.errors).filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`).join(', ') || '0';
    const label = `${key}${entry.route.autoRoutedFrom ? ` (auto: ${entry.route.invokeId})` : key.includes(' ') ? '' : ` ${entry.route.invokeId}`}`;
    lines.push(
      `${label.slice(0, 47).padEnd(48)}${String(entry.samples).padEnd(9)}${ms(entry.ttftMs).padEnd(22)}${ms(entry.e2eMs).padEnd(22)}${String(entry.outputTokensPerSecond ? Math.round(entry.outputTokensPerSecond.p50) : '–').padEnd(15)}${errors.padEnd(8)}${entry.connectionsOpened}`,
    );
    if (entry.servedLatency) lines.push(`  served: ${Object.entries(entry.servedLatency).map(([mode, count]) => `${mode} ${count}`).join(', ')} (optimized latency fell back)`);
  }
  lines.push('', 'Output tok/s is 1 / inter-token latency: it excludes TTFT (see --json for end-to-end tokens/s, server latency and gaps).');
  return lines;
}

export function latencyCommand(io: CommandIo, version: string): Command {
  const command = new Command('latency')
    .description('measure TTFT, end-to-end latency and output speed of a model or profile in each region')
    .requiredOption('--target <id>', 'a model id or name, an inference profile id, or a profile ARN')
    .addOption(new Option('--runs <n>', 'measured requests per route (1-1000)').argParser(parseCount).default(10))
    .addOption(new Option('--concurrency <n>', 'requests in flight per route (1-32)').argParser(parseCount).default(1))
    .addOption(new Option('--warmup <n>', 'requests per route before measuring, not counted').argParser(parseCount).default(1))
    .addOption(new Option('--prompt-size <size>', 'the fixed prompt sent').choices(PROMPT_SIZES).default('small'))
    .addOption(new Option('--max-tokens <n>', 'output tokens at most per request').argParser(parseCount).default(128))
    .addOption(new Option('--latency <mode>', 'latency mode, where the model offers it').choices(['standard', 'optimized']).default('standard'))
    .addOption(new Option('--auto-profile', 'call a bare id that a region serves only through profiles through the best profile'))
    .addOption(new Option('--compare-routes', 'also measure every other route (direct and profiles) from each region'))
    .addOption(new Option('--timeout-ms <ms>', 'a request with no answer for this long counts as a timeout').argParser(parseCount).default(60_000))
    .addOption(new Option('--yes', 'confirm a run of more than 100 requests against AWS (it costs money)'))
    .addOption(new Option('--json', 'print the report as JSON'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const input = parseOrExplain(LatencyRunInputSchema, {
      target: opts.target,
      ...(opts.regions ? { regions: opts.regions } : {}),
      runs: opts.runs,
      concurrency: opts.concurrency,
      warmup: opts.warmup,
      promptSize: opts.promptSize,
      maxTokens: opts.maxTokens,
      latency: opts.latency,
      autoProfile: opts.autoProfile === true,
      compareRoutes: opts.compareRoutes === true,
      requestTimeoutMs: opts.timeoutMs,
      confirmed: opts.yes === true,
    });
    const core = await openCommandCore(opts, io, version);
    const { signal, release } = interruptible();
    try {
      const estimate = await core.handlers.estimateLatencyRun(input, { signal }).catch(asUsageError);
      io.stderr(
        `Plan: ${estimate.requests} measured requests + ${estimate.warmupRequests} warm-up over ${Object.keys(estimate.routes).length} routes; ` +
          `about ${estimate.inputTokens} input tokens and at most ${estimate.outputTokens} output tokens ` +
          `(prompt "${estimate.prompt.size}": ${estimate.prompt.inputTokens} tokens, ${estimate.prompt.countedBy === 'CountTokens' ? 'counted by CountTokens' : 'estimated at 4 characters per token'})${estimate.simulated ? ', simulated' : ''}.`,
      );
      for (const [key, route] of Object.entries(estimate.routes)) {
        if (route.autoRoutedFrom) io.stderr(`${key}: auto-profile calls ${route.invokeId} instead of ${route.autoRoutedFrom}`);
      }
      for (const [region, problem] of Object.entries(estimate.unavailable)) io.stderr(`${region}: ${problem.code}: ${problem.message}`);
      if (estimate.needsConfirmation && !input.confirmed) {
        throw new UsageError(`This run sends ${estimate.requests + estimate.warmupRequests} requests to AWS, which costs money. Add --yes to run it.`);
      }
      const reported = new Map<string, string>();
      const report = await core.streamHandlers
        .runLatency(input, {
          signal,
          emit: async (progress) => {
            const line = `${progress.key}: ${progress.phase} ${progress.done}/${progress.total}${progress.p50TtftMs === null ? '' : `, p50 TTFT ${Math.round(progress.p50TtftMs)} ms`}${progress.errors ? `, ${progress.errors} errors` : ''}`;
            // Lines change at most every 10 % of the run, so a long run does not flood the terminal.
            const step = `${progress.phase} ${Math.floor((progress.done * 10) / Math.max(1, progress.total))}`;
            if (reported.get(progress.key) !== step) io.stderr(line);
            reported.set(progress.key, step);
          },
        })
        .catch(asUsageError);
      if (report.status === 'cancelled') io.stderr('Cancelled: the partial results below were saved.');
      if (opts.json) io.stdout(JSON.stringify(latencyJson(report), null, 2));
      else for (const line of latencyTable(report)) io.stdout(line);
      if (signal.aborted) process.exitCode = EXIT_INTERRUPTED;
    } finally {
      release();
      core.close();
    }
  });
}
