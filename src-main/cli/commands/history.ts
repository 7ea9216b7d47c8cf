import { Command, Option } from 'commander';
import { HistoryQuerySchema, type HistoryRun } from '../../../src-shared/contract';
import { addAwsOptions, addCatalogOptions } from '../options';
import { parseCount, parseOrExplain } from './latency';
import type { CommandIo } from '../io';
import { openCommandCore } from '../command-core';

/** `bedrock-atlas history`: stored runs and probes, newest first, with figures computed from their raw samples. */

const p50 = (stats: { p50: number } | null) => (stats ? `${Math.round(stats.p50)} ms` : '–');

export function historyJson(runs: HistoryRun[]) {
  return { runs: runs.map(({ id, startedAt, target, status, regions }) => ({ id, startedAt, target, status, regions })) };
}

export function historyCommand(io: CommandIo, version: string): Command {
  const command = new Command('history')
    .description('list stored latency runs and probes, newest first')
    .addOption(new Option('--target <id>', 'only runs of this model, profile or invoked id'))
    .addOption(new Option('--since <when>', 'only runs since a duration ago (30m, 12h, 7d, 4w) or an ISO date'))
    .addOption(new Option('--limit <n>', 'runs at most (1-1000)').argParser(parseCount).default(50))
    .addOption(new Option('--json', 'print the runs as JSON'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const query = parseOrExplain(HistoryQuerySchema, {
      ...(opts.target ? { target: opts.target } : {}),
      ...(opts.regions ? { regions: opts.regions } : {}),
      ...(opts.since ? { since: opts.since } : {}),
      limit: opts.limit,
    });
    const core = await openCommandCore(opts, io, version);
    try {
      const status = await core.handlers.historyStatus(undefined, { signal: new AbortController().signal });
      io.stderr(status.state === 'off' ? `History is off: ${status.warnings.join(' ')}` : `History: ${status.path ?? 'in memory'}, ${status.samples} samples (limit ${status.limit})`);
      const { runs } = await core.handlers.latencyHistory(query, { signal: new AbortController().signal });
      if (opts.json) {
        io.stdout(JSON.stringify(historyJson(runs), null, 2));
        return;
      }
      if (runs.length === 0) io.stdout('No stored runs match. Run `bedrock-atlas latency --target ID` or `bedrock-atlas probe` first.');
      for (const run of runs) {
        io.stdout(`${run.startedAt}  ${run.kind.padEnd(7)} ${(run.target ?? 'network probe').padEnd(44)} ${run.status}  ${run.id}`);
        for (const [region, figures] of Object.entries(run.regions)) {
          io.stdout(`    ${region.padEnd(40)} ${String(figures.samples).padStart(5)} samples  TTFT p50 ${p50(figures.ttftMs)}  E2E p50 ${p50(figures.e2eMs)}`);
        }
      }
    } finally {
      core.close();
    }
  });
}
