import type { RouteUsage, UsageAnswer } from '../../../src-shared/contract/usage';
import type { ActionContext } from '../lazy-action';
import { callMethod } from '../core-calls';
import { openCommandCore } from '../command-core';
import { formatTable } from '../table';

export function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(value) ? 0 : 1 });
}

const STATUS_WORDS: Record<RouteUsage['status'], string> = { ok: 'ok', 'no-invocations': 'no invocations', denied: 'could not read (denied)', error: 'could not read' };

export function describeUsageStatus(status: RouteUsage['status']): string {
  return STATUS_WORDS[status];
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Throttles over the window in 24 slices, one character each: a space where none was throttled, a block as tall as
 * its share of the busiest slice otherwise, a dot where CloudWatch had no throttle datapoint at all (a gap).
 */
export function throttleStrip(route: RouteUsage, slices = 24): string {
  const size = Math.max(1, Math.ceil(route.points.length / slices));
  const sums = Array.from({ length: Math.ceil(route.points.length / size) }, (_, index) => {
    const slice = route.points.slice(index * size, (index + 1) * size).map((point) => point.throttles);
    return slice.every((value) => value === null) ? null : slice.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  });
  const most = Math.max(0, ...sums.map((value) => value ?? 0));
  return sums.map((value) => (value === null ? '·' : value === 0 ? ' ' : (BLOCKS[Math.min(BLOCKS.length - 1, Math.floor((value / most) * (BLOCKS.length - 1)))] ?? '█'))).join('');
}

const perMinute = (value: number | null) => (value === null ? '–' : formatCount(value));
const room = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}%`);

function routeRow(route: RouteUsage): string[] {
  const read = route.status === 'ok' || route.status === 'no-invocations';
  return [
    route.region,
    route.invokeId,
    describeUsageStatus(route.status),
    ...(read
      ? [
          perMinute(route.peak.requestsPerMinute),
          perMinute(route.p99.requestsPerMinute),
          perMinute(route.quota.requestsPerMinute),
          room(route.headroomPercent.requestsPerMinute),
          perMinute(route.peak.tokensPerMinute),
          perMinute(route.p99.tokensPerMinute),
          perMinute(route.quota.tokensPerMinute),
          room(route.headroomPercent.tokensPerMinute),
          formatCount(route.throttles),
        ]
      : ['', '', '', '', '', '', '', '', '']),
  ];
}

export function usageLines(answer: UsageAnswer): string[] {
  const span = answer.window === '24h' ? 'the last 24 hours, per minute' : 'the last 14 days, hourly averages per minute';
  const lines = [`Usage of ${answer.modelId} over ${span} (${answer.from} to ${answer.to}), CloudWatch AWS/Bedrock`, ''];
  if (answer.routes.length === 0) return [...lines, 'The model is callable in none of the regions asked.'];
  lines.push(
    // The invoke id says the route kind (a bare model id on demand, us./eu./… a geo profile, global. the global one).
    ...formatTable(['REGION', 'INVOKE ID', 'STATUS', 'PEAK RPM', 'P99 RPM', 'QUOTA', 'ROOM', 'PEAK TPM', 'P99 TPM', 'QUOTA', 'ROOM', 'THROTTLES'], answer.routes.map(routeRow)),
    '',
  );
  const throttled = answer.routes.filter((route) => route.throttles > 0);
  for (const route of throttled) lines.push(`Throttles over time, ${route.region} ${route.invokeId}: |${throttleStrip(route)}| (oldest to now)`);
  // One line per distinct reason: 20 regions denied for the same missing permission read as one.
  const reasons = new Map<string, string[]>();
  for (const route of answer.routes) {
    if (route.error) reasons.set(route.error.message, [...new Set([...(reasons.get(route.error.message) ?? []), route.region])]);
  }
  for (const [message, regions] of reasons) lines.push(`Could not read ${regions.join(', ')}: ${message}`);
  lines.push(`Tokens are quota tokens (EstimatedTPMQuotaUsage, else input + cache write + output x burndown); "no invocations" means CloudWatch answered with no datapoint.`);
  return lines;
}

/** `bedrock-atlas usage --target ID`: every route's usage against its quotas, from each region's CloudWatch. */
export async function usageAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  try {
    const answer = await callMethod(
      core,
      'getUsage',
      { target: String(opts.target), since: opts.since === '14d' ? '14d' : '24h', ...(shared.overrides.regions ? { regions: shared.overrides.regions } : {}) },
      { flags: { target: '--target', since: '--since', regions: '--regions' } },
    );
    if (opts.json) io.stdout(JSON.stringify(answer, null, 2));
    else for (const line of usageLines(answer)) io.stdout(line);
  } finally {
    await core.close();
  }
}
