import { CAPACITY_RANGES, describeRange } from '../../../src-shared/capacity/input-ranges';
import { quotaIncreaseWorksheet } from '../../../src-shared/capacity/worksheet';
import type { BindingLimit, CapacityAnswer, CapacityRoute } from '../../../src-shared/contract/capacity';
import { routeKindLabel } from '../../../src-shared/playground/describe-result';
import { describeUsageStatus, formatCount } from './usage';
import type { ActionContext } from '../lazy-action';
import { callMethod } from '../core-calls';
import { openCommandCore } from '../command-core';
import { UsageError } from '../io';
import { formatTable } from '../table';

/** The contract's fields and the flags that set them, so a refusal names what the user typed. */
const FLAGS = {
  target: '--target',
  from: '--from',
  rpm: '--rpm',
  concurrency: '--concurrency',
  durationMs: '--duration-ms',
  inputTokens: '--input-tokens',
  maxTokens: '--max-tokens',
  outputTokens: '--output-tokens',
  cacheReadTokens: '--cache-read-tokens',
  cacheWriteTokens: '--cache-write-tokens',
};

/** A target the catalog cannot route from that region is the user's to change, as a bad number is: exit 2. */
const USAGE_CODES = new Set(['UNKNOWN_TARGET', 'INVALID_ARGUMENT', 'INVALID_SETTINGS', 'NOT_OFFERED_IN_REGION', 'PROVISIONED_ONLY']);

const LIMIT_LABELS: Record<BindingLimit, string> = { 'requests-per-minute': 'requests/min', 'tokens-per-minute': 'tokens/min', 'tokens-per-day': 'tokens/day' };

/** What `capacity --json` prints: the issue's fields first in each route, best route first, then the rest of the answer. */
export function capacityJson(answer: CapacityAnswer) {
  return {
    ...answer,
    routes: answer.routes.map(({ invokeId, routeKind, reservedTokensPerRequest, settledTokensPerRequest, burndownRate, maxRequestsPerMinute, maxInFlightByReservation, bindingLimit, headroomPercent, ...rest }) => ({
      invokeId,
      routeKind,
      reservedTokensPerRequest,
      settledTokensPerRequest,
      burndownRate,
      maxRequestsPerMinute,
      maxInFlightByReservation,
      bindingLimit,
      headroomPercent,
      ...rest,
    })),
  };
}

const dollars = (value: number | null) => (value === null ? 'unknown' : `$${value < 10 ? value.toFixed(4) : value.toFixed(2)}`);
const percent = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}%`);

function routeRow(route: CapacityRoute): string[] {
  if (route.maxRequestsPerMinute === null) {
    return [route.invokeId, routeKindLabel(route.routeKind), 'no quota found', '', '', '', formatCount(route.tokensPerMinuteAtTarget), dollars(route.costPer1000Requests)];
  }
  return [
    route.invokeId,
    routeKindLabel(route.routeKind),
    formatCount(route.maxRequestsPerMinute),
    route.bindingLimit ? LIMIT_LABELS[route.bindingLimit] : '',
    route.maxInFlightByReservation === null ? '–' : formatCount(route.maxInFlightByReservation),
    percent(route.headroomPercent),
    formatCount(route.tokensPerMinuteAtTarget),
    dollars(route.costPer1000Requests),
  ];
}

export function capacityLines(answer: CapacityAnswer): string[] {
  const { workload, burndown } = answer;
  const settled = answer.routes[0]?.settledTokensPerRequest ?? workload.inputTokens + workload.cacheWriteTokens + workload.outputTokens * burndown.rate;
  const reserved = workload.inputTokens + workload.cacheWriteTokens + workload.maxTokens;
  const lines = [
    `Capacity of ${answer.modelId} from ${answer.from} at ${formatCount(answer.targetRequestsPerMinute)} requests per minute`,
    `Per request: ${formatCount(settled)} quota tokens settled (${formatCount(workload.inputTokens)} input + ${formatCount(workload.cacheWriteTokens)} cache write + ${formatCount(workload.outputTokens)} output${workload.outputFrom === 'max_tokens' ? ' (max_tokens)' : ''} x ${burndown.rate}), ` +
      `${formatCount(reserved)} reserved while it runs (input + cache write + ${formatCount(workload.maxTokens)} max_tokens)${workload.cacheReadTokens > 0 ? `; ${formatCount(workload.cacheReadTokens)} cache reads not counted` : ''}`,
    `Output burndown ${burndown.rate}x, from ${burndown.matchedEntry ? `the entry ${burndown.matchedEntry}` : 'no entry (1:1 for models the table does not list)'}; table of ${burndown.asOf}, ${burndown.source}`,
    '',
    ...formatTable(
      ['ROUTE', 'KIND', 'MAX REQ/MIN', 'BINDS ON', 'IN FLIGHT', 'HEADROOM', 'TOKENS/MIN AT TARGET', '$ PER 1K REQ'],
      answer.routes.map(routeRow),
    ),
    '',
  ];
  const notes: string[] = [];
  if (answer.quotasError) notes.push(`Quotas in ${answer.from} could not be read: ${answer.quotasError.message}`);
  else notes.push(`Quotas fetched ${answer.quotasFetchedAt ?? 'never'}; headroom: the least room any quota leaves for the target on top of the current peak (CloudWatch, last 24 hours).`);
  for (const route of answer.routes) {
    if (route.usage.status === 'denied' || route.usage.status === 'error') notes.push(`${route.invokeId}: usage ${describeUsageStatus(route.usage.status)}: ${route.usage.error?.message ?? 'no reason given'}`);
  }
  notes.push(answer.priceTable ? `Prices: ${answer.priceTable.source} table of ${answer.priceTable.asOf}${answer.priceTable.fallbackReason ? ` (${answer.priceTable.fallbackReason})` : ''}.` : 'Prices: no price table could be read, so costs are unknown.');
  if (answer.modelLimits) notes.push(`max_tokens checked against ${formatCount(answer.modelLimits.maxOutputTokens)} output tokens (${answer.modelLimits.entry}, model limits table of ${answer.modelLimits.asOf}).`);
  return [...lines, ...notes];
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A number the workload cannot do without: missing, it is refused with its range. */
function required(value: unknown, flag: string, field: 'inputTokens' | 'maxTokens'): number {
  const number = numberOf(value);
  if (number === undefined) throw new UsageError(`${flag} is required: a whole number from ${describeRange(CAPACITY_RANGES[field])}`);
  return number;
}

/** `bedrock-atlas capacity`: every route from the region side by side, best first, and the worksheet on request. */
export async function capacityAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const rpm = numberOf(opts.rpm);
  const concurrency = numberOf(opts.concurrency);
  const durationMs = numberOf(opts.durationMs);
  if (rpm === undefined && (concurrency === undefined || durationMs === undefined)) {
    throw new UsageError(
      concurrency === undefined && durationMs === undefined
        ? `Give the target rate: --rpm N (${describeRange(CAPACITY_RANGES.rpm)}), or --concurrency N (${describeRange(CAPACITY_RANGES.concurrency)}) with --duration-ms N (${describeRange(CAPACITY_RANGES.durationMs)})`
        : `--concurrency and --duration-ms go together: give both (--concurrency ${describeRange(CAPACITY_RANGES.concurrency)}, --duration-ms ${describeRange(CAPACITY_RANGES.durationMs)}), or --rpm instead`,
    );
  }
  const inputTokens = required(opts.inputTokens, '--input-tokens', 'inputTokens');
  const maxTokens = required(opts.maxTokens, '--max-tokens', 'maxTokens');
  const core = await openCommandCore(shared, io, version);
  try {
    const answer = await callMethod(
      core,
      'capacity',
      {
        target: String(opts.target),
        from: String(opts.from),
        ...(rpm !== undefined ? { rpm } : { concurrency, durationMs }),
        inputTokens,
        maxTokens,
        ...(opts.outputTokens !== undefined ? { outputTokens: numberOf(opts.outputTokens) } : {}),
        ...(opts.cacheReadTokens !== undefined ? { cacheReadTokens: numberOf(opts.cacheReadTokens) } : {}),
        ...(opts.cacheWriteTokens !== undefined ? { cacheWriteTokens: numberOf(opts.cacheWriteTokens) } : {}),
      },
      { flags: FLAGS, usageCodes: USAGE_CODES },
    );
    const worksheetRoute = opts.worksheet === undefined ? null : typeof opts.worksheet === 'string' ? answer.routes.find((route) => route.invokeId === opts.worksheet) : answer.routes[0];
    if (worksheetRoute === undefined) {
      throw new UsageError(`--worksheet ${String(opts.worksheet)}: no such route from ${answer.from}. Routes: ${answer.routes.map((route) => route.invokeId).join(', ')}`);
    }
    const worksheet = worksheetRoute ? quotaIncreaseWorksheet(answer, worksheetRoute, typeof opts.useCase === 'string' ? opts.useCase : '') : null;
    if (opts.json) {
      io.stdout(JSON.stringify({ ...capacityJson(answer), ...(worksheet ? { worksheet } : {}) }, null, 2));
      return;
    }
    for (const line of capacityLines(answer)) io.stdout(line);
    if (worksheet) {
      io.stdout('');
      for (const line of worksheet.text.split('\n')) io.stdout(line);
    }
  } finally {
    await core.close();
  }
}
