import { VERDICT_EXIT_CODES, type AccessReport } from '../../../src-shared/contract/access';
import { routeKindLabel } from '../../../src-shared/playground/describe-result';
import type { ActionContext } from '../lazy-action';
import { callMethod } from '../core-calls';
import { openCommandCore } from '../command-core';

/** What `doctor --json` prints: exactly the issue's fields, `fix` and `destinations` only where a check has them. */
export function doctorJson(report: AccessReport) {
  const { target, from, invokeId, routeKind, verdict, checks } = report;
  return { target, from, invokeId, routeKind, verdict, checks };
}

/** One line per check: its status, its id, and what it found with its fix ("…: requests routed there will fail; ask …"). */
export function doctorLines(report: AccessReport): string[] {
  const route = report.invokeId ? `${report.invokeId} from ${report.from}${report.routeKind ? ` (${routeKindLabel(report.routeKind)})` : ''}` : `${report.target} from ${report.from}`;
  const width = Math.max(...report.checks.map((check) => check.id.length));
  return [
    `${route}: ${report.verdict}${report.cached ? ' (checked earlier in this run)' : ''}`,
    ...report.checks.map((check) => `${check.status.padEnd(7)} ${check.id.padEnd(width)}  ${check.message}${check.fix ? `; ${check.fix}` : ''}`),
  ];
}

/**
 * `bedrock-atlas doctor TARGET --from REGION`: the access doctor's checks, one line each, and the verdict as the exit
 * code (0 ready, 3 at-risk, 4 blocked, 5 unknown; 2 for a bad argument, as every command).
 */
export async function doctorAction({ opts, operands, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  try {
    const report = await callMethod(
      core,
      'checkAccess',
      { target: operands[0] ?? '', from: String(opts.from), live: opts.live === true, autoProfile: opts.autoProfile === true },
      { flags: { target: 'TARGET', from: '--from' } },
    );
    if (opts.json) io.stdout(JSON.stringify(doctorJson(report), null, 2));
    else for (const line of doctorLines(report)) io.stdout(line);
    const simulatorDenied = report.checks.some((check) => check.id === 'iam' && check.status === 'unknown' && check.message.includes('iam:SimulatePrincipalPolicy'));
    if (simulatorDenied && opts.live !== true) io.stderr('The IAM policy simulator is not granted to your role: run again with --live to try one real call through the route.');
    process.exitCode = VERDICT_EXIT_CODES[report.verdict];
  } finally {
    await core.close();
  }
}
