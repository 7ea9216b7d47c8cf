import { quotaIncreaseUrl, type QuotaUnit, type QuotaValue, type RegionQuotas, type RouteQuotas, type UnmatchedQuota } from '../../../src-shared/catalog/quotas';
import type { QuotasAnswer } from '../../../src-shared/contract';
import { describeAge } from '../../../src-shared/describe-age';
import type { AtlasEvent } from '../../../src-shared/events';
import { openCommandCore } from '../command-core';
import { callMethod } from '../core-calls';
import type { ActionContext } from '../lazy-action';
import { formatTable } from '../table';

const UNITS: readonly QuotaUnit[] = ['requestsPerMinute', 'tokensPerMinute', 'tokensPerDay'];
const UNIT_LABEL: Record<QuotaUnit, string> = { requestsPerMinute: 'requests/min', tokensPerMinute: 'tokens/min', tokensPerDay: 'tokens/day' };
const KIND_LABEL: Record<RouteQuotas['routeKind'], string> = { 'on-demand': 'on demand', 'geo-profile': 'geo profile', 'global-profile': 'global profile' };
export const NO_QUOTA_FOUND = 'no quota found';

const number = (value: number) => value.toLocaleString('en-US');

/** What `quotas --json` prints: the issue's fields (a route's quotas keep their name, and a note where one applies). */
export function quotasJson(answer: QuotasAnswer) {
  const regions = Object.fromEntries(
    Object.entries(answer.regions).map(([region, entry]) => [
      region,
      {
        status: entry.status,
        ...(entry.error ? { error: entry.error } : {}),
        ...(entry.lastKnownAt ? { lastKnownAt: entry.lastKnownAt } : {}),
        routes: entry.routes,
      },
    ]),
  );
  const unmatched = answer.unmatched.map(({ region, quotaCode, quotaName, value, candidates, reason }) => ({ region, quotaCode, quotaName, value, ...(candidates ? { candidates } : {}), ...(reason ? { reason } : {}) }));
  return { fetchedAt: answer.fetchedAt, regions, unmatched };
}

/** "800 (default 1,000)", "2,000,000", "0", "default 5,000" (no applied value known); * when it can be raised. */
export function quotaCell(value: QuotaValue | undefined): string {
  if (!value) return NO_QUOTA_FOUND;
  const shown =
    value.applied === null
      ? value.default === null
        ? 'unknown'
        : `default ${number(value.default)}`
      : value.default !== null && value.default !== value.applied
        ? `${number(value.applied)} (default ${number(value.default)})`
        : number(value.applied);
  return `${shown}${value.note ? ' (doubled)' : ''}${value.adjustable ? ' *' : ''}`;
}

function routeLabel(route: RouteQuotas): string {
  return route.variant ? `${route.invokeId} (${route.variant})` : route.invokeId;
}

function regionHeading(region: string, entry: RegionQuotas, now: number): string {
  const age = (at: string | undefined) => (at ? `${at} (${describeAge(Math.max(0, now - Date.parse(at)))})` : 'an unknown time');
  if (entry.status === 'ok') return `${region}: quotas as of ${age(entry.fetchedAt)}`;
  const why = `${entry.error?.code ?? 'Error'}: ${entry.error?.message ?? 'no answer'}`;
  return entry.lastKnownAt ? `${region}: FAILED, ${why} Showing the last known quotas, as of ${age(entry.lastKnownAt)}.` : `${region}: FAILED, ${why}`;
}

/** One region: its heading, then a dense table of its routes, then (with a target) the console link of each quota that can be raised. */
export function regionLines(region: string, entry: RegionQuotas, { now, links }: { now: number; links: boolean }): string[] {
  const lines = [regionHeading(region, entry, now)];
  if (entry.routes.length === 0) {
    if (entry.status === 'ok') lines.push('  no route from here');
    return lines;
  }
  const rows = entry.routes.map((route) => [routeLabel(route), KIND_LABEL[route.routeKind], ...UNITS.map((unit) => quotaCell(route[unit]))]);
  lines.push(...formatTable(['ROUTE', 'KIND', 'REQUESTS/MIN', 'TOKENS/MIN', 'TOKENS/DAY'], rows).map((line) => `  ${line}`));
  if (links) {
    for (const route of entry.routes) {
      for (const unit of UNITS) {
        const value = route[unit];
        if (value?.adjustable) lines.push(`  raise ${UNIT_LABEL[unit]} of ${routeLabel(route)}: ${quotaIncreaseUrl(region, value.quotaCode)}`);
      }
    }
  }
  return lines;
}

/** The unmatched quotas once per code, with the regions that list them and why. */
export function unmatchedLines(unmatched: readonly UnmatchedQuota[]): string[] {
  if (unmatched.length === 0) return [];
  const byCode = new Map<string, { entry: UnmatchedQuota; regions: string[] }>();
  for (const entry of unmatched) {
    const known = byCode.get(entry.quotaCode);
    if (known) known.regions.push(entry.region);
    else byCode.set(entry.quotaCode, { entry, regions: [entry.region] });
  }
  const regionsOf = (regions: string[]) => (regions.length > 3 ? `${regions.length} regions` : regions.join(', '));
  return [
    `Inference quotas not tied to a route (${byCode.size}; never guessed):`,
    ...[...byCode.values()].map(({ entry, regions }) => `  ${entry.quotaCode}  ${entry.quotaName.trim()}: ${entry.reason ?? (entry.candidates ? `fits ${entry.candidates.join(', ')}` : 'fits no catalog model')} [${regionsOf(regions)}]`),
  ];
}

function progressLine(event: AtlasEvent): string | null {
  if (event.type !== 'quotas.progress' && event.type !== 'catalog.progress') return null;
  const { region, phase, completed, total, error, durationMs } = event.payload;
  const what = event.type === 'quotas.progress' ? 'quotas ' : 'catalog';
  const position = `[${String(completed).padStart(2)}/${total}]`;
  if (phase === 'done') return `${what} ${position} ${region.padEnd(15)} ok      ${durationMs} ms`;
  if (phase === 'failed') return `${what} ${position} ${region.padEnd(15)} FAILED  ${error?.code}: ${error?.message}`;
  return null;
}

/**
 * `bedrock-atlas quotas [--target MODEL]`: every route's quotas per region, from the quota section cached with the
 * catalog (fetched when there is none, or with --refresh). Exit 1 only when no region's quotas could be read.
 */
export async function quotasAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const core = await openCommandCore(shared, io, version);
  const unsubscribe = core.events.subscribe((event) => {
    const line = progressLine(event);
    if (line) io.stderr(line);
  });
  try {
    const target = typeof opts.target === 'string' ? opts.target : undefined;
    const flags = { flags: { target: '--target', regions: '--regions' } };
    // The regions are the settings' (--regions for this run), for the refresh as for the answer.
    if (opts.refresh === true) await callMethod(core, 'refreshQuotas', undefined, flags);
    const answer = await callMethod(core, 'getQuotas', target === undefined ? undefined : { target }, flags);
    const entries = Object.entries(answer.regions);
    if (opts.json) {
      io.stdout(JSON.stringify(quotasJson(answer), null, 2));
    } else {
      if (answer.modelId) io.stdout(`Quotas of ${answer.modelId}, route by route:`);
      const now = Date.now();
      for (const [region, entry] of entries) {
        io.stdout('');
        for (const line of regionLines(region, entry, { now, links: target !== undefined })) io.stdout(line);
      }
      io.stdout('');
      if (entries.some(([, entry]) => entry.routes.some((route) => UNITS.some((unit) => route[unit]?.adjustable)))) {
        io.stdout(`* can be raised in the Service Quotas console${target === undefined ? ' (add --target MODEL for each one’s link)' : ''}; (doubled): twice the on-demand daily quota, as AWS words it for cross-region calls.`);
      }
      for (const line of unmatchedLines(answer.unmatched)) io.stdout(line);
      if (target !== undefined) io.stdout('Quotas whose name fits no catalog model are listed without --target.');
    }
    const failed = entries.filter(([, entry]) => entry.status === 'error');
    for (const [region, entry] of failed) io.stderr(`warning: the quotas of ${region} could not be read: ${entry.error?.code}: ${entry.error?.message}`);
    if (entries.length > 0 && entries.every(([, entry]) => entry.status === 'error' && entry.lastKnownAt === undefined)) process.exitCode = 1;
  } finally {
    unsubscribe();
    await core.close();
  }
}
