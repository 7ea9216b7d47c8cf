import { existsSync } from 'node:fs';
import { HistoryQuerySchema, type HistoryRun } from '../../../src-shared/contract';
import type { ActionContext } from '../lazy-action';
import { openCommandCore } from '../command-core';
import { callMethod, issueInFlags } from '../core-calls';
import { UsageError } from '../io';
import { checkDataDir, historyFileIn } from '../data-dir';
import { formatTable } from '../table';
import { LOCAL_VANTAGE } from '../../../src-shared/contract/vantage';
import { syncGivenStore, TEAM_USAGE_CODES, vantageOf, withStore } from './team-store';

/** `bedrock-atlas history`: stored runs and probes, newest first, with figures computed from their raw samples. */

const p50 = (stats: { p50: number } | null) => (stats ? `${Math.round(stats.p50)} ms` : '–');

export function historyJson(runs: HistoryRun[]) {
  // A run read with a vantage names it (this machine's own history keeps its shape: a script reading it is unchanged).
  return { runs: runs.map(({ id, startedAt, target, status, regions, vantage }) => ({ id, ...(vantage ? { vantage } : {}), startedAt, target, status, regions })) };
}

const HISTORY_FLAGS = { target: '--target', regions: '--regions', since: '--since', limit: '--limit', vantage: '--vantage' };

export async function historyAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  // What the core logs is printed once: a lock or a damaged file is said by the history itself, not again here.
  const printed = new Set<string>();
  const once = { stdout: io.stdout, stderr: (line: string) => (printed.has(line) ? undefined : (printed.add(line), io.stderr(line))) };
  const store = opts.store as string | undefined;
  const vantage = vantageOf(opts);
  const core = await openCommandCore(withStore(shared, store), once, version, { callsAws: store?.startsWith('s3://') ?? false });
  try {
    const query = {
      ...(opts.target ? { target: opts.target as string } : {}),
      ...(shared.overrides.regions ? { regions: shared.overrides.regions } : {}),
      ...(opts.since ? { since: opts.since as string } : {}),
      limit: opts.limit as number,
      ...(vantage !== LOCAL_VANTAGE ? { vantage } : {}),
    };
    // The query is checked first, as the dispatcher will: a bad --since is a mistake whether or not history exists.
    const checked = HistoryQuerySchema.safeParse(query);
    if (!checked.success) {
      throw new UsageError(checked.error.issues.map((issue) => issueInFlags({ path: issue.path.map(String).join('.'), message: issue.message }, HISTORY_FLAGS)).join('; '));
    }
    await syncGivenStore(core, once, store);
    if (vantage !== LOCAL_VANTAGE) {
      const { runs } = await callMethod(core, 'latencyHistory', query, { flags: HISTORY_FLAGS, usageCodes: TEAM_USAGE_CODES });
      printRuns(runs, opts, io);
      return;
    }
    // A read creates nothing: no directory, no empty database.
    const { dir, exists } = await checkDataDir(core.settings().dataDir, shared.overrides.dataDir !== undefined, 'read');
    if (!exists || !existsSync(historyFileIn(dir))) {
      if (opts.json) io.stdout(JSON.stringify(historyJson([]), null, 2));
      else io.stdout(`No history yet: ${historyFileIn(dir)} does not exist. Run \`bedrock-atlas latency --target ID\` or \`bedrock-atlas probe\` first.`);
      return;
    }
    const status = await callMethod(core, 'historyStatus', undefined);
    if (status.state === 'off') {
      for (const warning of status.warnings) once.stderr(warning);
      once.stderr('Nothing could be read from the history.');
      process.exitCode = 1;
      return;
    }
    const { runs } = await callMethod(core, 'latencyHistory', query, { flags: HISTORY_FLAGS });
    io.stderr(`History: ${status.path ?? 'in memory'}, ${status.samples} samples (limit ${status.limit})`);
    printRuns(runs, opts, io);
  } finally {
    await core.close();
  }
}

function printRuns(runs: HistoryRun[], opts: Record<string, unknown>, io: ActionContext['io']): void {
  if (opts.json) {
    io.stdout(JSON.stringify(historyJson(runs), null, 2));
    return;
  }
  if (runs.length === 0) io.stdout('No stored runs match. Run `bedrock-atlas latency --target ID` or `bedrock-atlas probe` first.');
  for (const run of runs) {
    const from = run.vantage && run.vantage !== LOCAL_VANTAGE ? `from ${run.vantage}  ` : '';
    io.stdout(`${run.startedAt}  ${from}${run.kind}  ${run.target ?? 'network probe'}  ${run.status}  ${run.id}`);
    const rows = Object.entries(run.regions).map(([region, figures]) => [region, `${figures.samples} samples`, `TTFT p50 ${p50(figures.ttftMs)}`, `E2E p50 ${p50(figures.e2eMs)}`]);
    for (const line of formatTable(['  ROUTE', 'SAMPLES', 'TTFT', 'E2E'], rows.map(([first, ...rest]) => [`  ${first}`, ...rest])).slice(1)) io.stdout(line);
  }
}
