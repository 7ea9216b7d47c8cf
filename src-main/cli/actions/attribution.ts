import { setTimeout as sleep } from 'node:timers/promises';
import { ATTRIBUTION_RETRY_MINUTES, type AttributionJob, type AttributionResults, type RunAttribution } from '../../../src-shared/contract/attribution';
import type { AtlasCore } from '../../core/app/atlas-core';
import type { ActionContext } from '../lazy-action';
import { openCommandCore } from '../command-core';
import { callMethod } from '../core-calls';
import { EXIT_INTERRUPTED, interruptible } from '../interrupt';
import { formatTable } from '../table';

/** `bedrock-atlas attribution [--run ID] [--wait] [--json]`: where a run's requests were served, from CloudTrail. */

export const EXIT_NOT_DONE = 3;
export const EXIT_UNREADABLE = 4;
const POLL_MS = 1_000;
/** Without --wait, the command still lets a pass that is due now run to its end (a big run's pass takes a while). */
const DUE_PASS_MS = 5 * 60_000;
/** --wait gives up a little after the job's own deadline could have passed. */
const WAIT_LIMIT_MS = (ATTRIBUTION_RETRY_MINUTES + 1) * 60_000;

const FLAGS = { runId: '--run' };

export function exitCodeOf(job: AttributionJob): number {
  if (job.state === 'running' || job.state === 'cancelled') return EXIT_NOT_DONE;
  return job.counts.unreadable > 0 ? EXIT_UNREADABLE : 0;
}

export function countsLine(job: AttributionJob): string {
  const { requests, attributed, pending, unattributed, unreadable, duplicatesResolved } = job.counts;
  const twice = duplicatesResolved > 0 ? ` (${duplicatesResolved} answered twice by CloudTrail, counted once)` : '';
  return `${requests} requests looked for: ${attributed} attributed${twice}, ${pending} pending, ${unattributed} never found (unattributed), ${unreadable} unreadable`;
}

export function progressLine(job: AttributionJob): string {
  const next = job.state === 'running' && job.nextPassAt ? `; next pass ${job.nextPassAt}, gives up ${job.deadline}` : '';
  return `Attribution ${job.state}: pass ${job.passes}, ${job.lookups} LookupEvents calls; ${countsLine(job)}${next}`;
}

const ms = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);

export function attributionLines(status: RunAttribution, results: AttributionResults): string[] {
  const { job } = results;
  const lines = [`Run ${status.runId} (${status.target ?? 'no target'}, started ${status.startedAt}): attribution ${job.state}`];
  if (job.note) lines.push(job.note);
  if (job.state !== 'not-needed') lines.push(countsLine(job));
  if (job.state === 'running') lines.push(`Next pass ${job.nextPassAt ?? 'now'}; requests not found by ${job.deadline} will be counted as unattributed. Run again, or use --wait.`);
  if (job.state === 'cancelled') lines.push(`Cancelled: what was found is kept. \`bedrock-atlas attribution --run ${status.runId} --wait\` resumes it.`);
  for (const problem of job.problems) lines.push(`CloudTrail in ${problem.region}: ${problem.message}`);
  const rows = results.routes.flatMap((route) => {
    const declared = new Set(route.declaredDestinations);
    const label = `${route.route.callRegion} ${route.route.invokeId}`;
    if (route.servedRegions.length === 0) return [[label, '–', '0', '–', '', '–', '–', '–', '–']];
    return route.servedRegions.map((served, index) => [
      index === 0 ? label : '',
      served.region,
      String(served.requests),
      `${served.sharePercent.toFixed(1)}%`,
      route.via === 'route' ? 'in-region' : declared.size === 0 ? '?' : declared.has(served.region) ? 'yes' : 'NO',
      ms(served.ttftMs?.p50),
      ms(served.ttftMs?.p90),
      ms(served.e2eMs?.p50),
      ms(served.e2eMs?.p90),
    ]);
  });
  if (rows.length > 0) lines.push('', ...formatTable(['ROUTE', 'SERVED IN', 'REQUESTS', 'SHARE', 'DECLARED', 'TTFT P50', 'TTFT P90', 'E2E P50', 'E2E P90'], rows));
  const unaccounted = results.routes.filter((route) => route.counts.requests > route.counts.attributed);
  for (const route of unaccounted) {
    const { pending, unattributed, unreadable } = route.counts;
    lines.push(`${route.route.callRegion} ${route.route.invokeId}: ${route.counts.attributed} of ${route.counts.requests} successful requests attributed (${pending} pending, ${unattributed} never found, ${unreadable} unreadable); shares are of the attributed ones.`);
  }
  return lines;
}

/** Polls until the job is no longer running (or the limit passes), printing a line whenever a pass or its state changes. */
async function waitFor(core: AtlasCore, status: RunAttribution, io: ActionContext['io'], signal: AbortSignal, limitMs: number, until: (job: AttributionJob) => boolean): Promise<RunAttribution> {
  const started = Date.now();
  let current = status;
  let said = '';
  while (current.job.state === 'running' && !until(current.job) && Date.now() - started < limitMs) {
    const line = progressLine(current.job);
    if (line !== said) io.stderr((said = line));
    await sleep(POLL_MS, undefined, { signal });
    current = await callMethod(core, 'attributionStatus', { runId: current.runId }, { flags: FLAGS, signal });
  }
  return current;
}

export async function attributionAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  const { signal, release } = interruptible();
  try {
    const runId = typeof opts.run === 'string' ? opts.run : undefined;
    let status = await callMethod(core, 'attributionStatus', runId ? { runId } : {}, { flags: FLAGS, signal });
    if (opts.wait) {
      // Asking to wait for a cancelled attribution means carrying on with it.
      if (status.job.state === 'cancelled') status = await callMethod(core, 'startAttribution', { runId: status.runId }, { flags: FLAGS, signal });
      status = await waitFor(core, status, io, signal, WAIT_LIMIT_MS, () => false);
    } else if (status.job.state === 'running' && Date.parse(status.job.nextPassAt ?? status.job.createdAt) <= Date.now()) {
      // A pass is due: this command is the worker now, so it lets that pass end before it prints.
      const passes = status.job.passes;
      status = await waitFor(core, status, io, signal, DUE_PASS_MS, (job) => job.passes > passes);
    }
    const results = await callMethod(core, 'attributionResults', { runId: status.runId }, { flags: FLAGS, signal });
    if (opts.json) io.stdout(JSON.stringify({ runId: status.runId, startedAt: status.startedAt, target: status.target, job: results.job, routes: results.routes }, null, 2));
    else for (const line of attributionLines(status, results)) io.stdout(line);
    process.exitCode = exitCodeOf(results.job);
  } catch (error) {
    if (!signal.aborted) throw error;
    io.stderr('Interrupted: what was found is kept; the next `bedrock-atlas attribution` carries on.');
    process.exitCode = EXIT_INTERRUPTED;
  } finally {
    release();
    await core.close();
  }
}
