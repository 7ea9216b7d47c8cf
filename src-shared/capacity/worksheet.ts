import { quotaIncreaseUrl, type QuotaValue } from '../catalog/quotas';
import type { BindingLimit, CapacityAnswer, CapacityRoute } from '../contract/capacity';

/**
 * The "quota increase worksheet": the figures an increase request for a Bedrock quota asks for (steady and peak
 * requests and tokens per minute, average input and output tokens per request, the use case), prefilled from the
 * route's CloudWatch usage where it has some and from the calculator's workload otherwise, with the value to ask for
 * and the console page that requests it. Pure: the UI and the CLI show the same text.
 */

export type FigureSource = 'cloudwatch' | 'calculator';

export interface WorksheetFigure {
  value: number;
  source: FigureSource;
}

export interface QuotaIncreaseWorksheet {
  region: string;
  invokeId: string;
  routeKind: CapacityRoute['routeKind'];
  /** The quota to raise: the one that leaves the least headroom (else the binding one); null when none was found. */
  quota: {
    limit: BindingLimit;
    quotaCode: string;
    quotaName: string;
    current: number | null;
    adjustable: boolean;
    /** What carries the target rate on top of the current usage, rounded up; null when the current value already does. */
    requested: number | null;
  } | null;
  /** Service Quotas' request page for that code in that region (global profiles' quotas are asked in the source region). */
  consoleUrl: string | null;
  steadyRequestsPerMinute: WorksheetFigure;
  peakRequestsPerMinute: WorksheetFigure;
  steadyTokensPerMinute: WorksheetFigure;
  peakTokensPerMinute: WorksheetFigure;
  averageInputTokens: WorksheetFigure;
  averageOutputTokens: WorksheetFigure;
  useCase: string;
  /** Everything above as plain text, to paste into the request or a support case. */
  text: string;
}

/** Where a quota that Service Quotas will not raise is asked for instead. */
export const SUPPORT_CASE_URL = 'https://console.aws.amazon.com/support/home#/case/create?issueType=service-limit-increase';

const USE_CASE_PLACEHOLDER = '(describe the application, its users and why it needs this throughput)';

const UNIT_NAMES: Record<BindingLimit, string> = {
  'requests-per-minute': 'requests per minute',
  'tokens-per-minute': 'tokens per minute',
  'tokens-per-day': 'tokens per day',
};

const QUOTA_FIELD = { 'requests-per-minute': 'requestsPerMinute', 'tokens-per-minute': 'tokensPerMinute', 'tokens-per-day': 'tokensPerDay' } as const;

const ROUTE_KIND_NAMES: Record<CapacityRoute['routeKind'], string> = { 'on-demand': 'on demand in the region', 'geo-profile': 'geographic cross-Region profile', 'global-profile': 'global cross-Region profile' };

const whole = (value: number) => Math.round(value).toLocaleString('en-US');

/** The quota's need at the target rate on top of the current usage (the target alone when the usage is unknown). */
function need(limit: BindingLimit, answer: CapacityAnswer, route: CapacityRoute): number {
  const target = answer.targetRequestsPerMinute;
  const settled = route.settledTokensPerRequest;
  const peak = route.currentPeak ?? { requestsPerMinute: 0, tokensPerMinute: 0 };
  switch (limit) {
    case 'requests-per-minute':
      return Math.ceil(target + peak.requestsPerMinute);
    case 'tokens-per-minute':
      return Math.ceil(target * settled + peak.tokensPerMinute);
    case 'tokens-per-day':
      return Math.ceil(target * settled * 1440 + (route.currentPeak ? (route.usage.quotaTokensLast24h ?? 0) : 0));
  }
}

function quotaToRaise(answer: CapacityAnswer, route: CapacityRoute): QuotaIncreaseWorksheet['quota'] {
  const limit = route.headroomLimit ?? route.bindingLimit;
  if (limit === null) return null;
  const quota: QuotaValue | undefined = route.quotas[QUOTA_FIELD[limit]];
  if (!quota) return null;
  const current = quota.applied ?? quota.default;
  const needed = need(limit, answer, route);
  return { limit, quotaCode: quota.quotaCode, quotaName: quota.quotaName, current, adjustable: quota.adjustable, requested: current !== null && needed <= current ? null : needed };
}

function figures(answer: CapacityAnswer, route: CapacityRoute) {
  const usage = route.usage;
  const fromCloudWatch = (value: number | null | undefined): WorksheetFigure | null => (usage.status === 'ok' && value !== null && value !== undefined ? { value, source: 'cloudwatch' } : null);
  const fromCalculator = (value: number): WorksheetFigure => ({ value, source: 'calculator' });
  const target = answer.targetRequestsPerMinute;
  return {
    steadyRequestsPerMinute: fromCloudWatch(usage.median.requestsPerMinute) ?? fromCalculator(target),
    peakRequestsPerMinute: fromCloudWatch(usage.peak.requestsPerMinute) ?? fromCalculator(target),
    steadyTokensPerMinute: fromCloudWatch(usage.median.tokensPerMinute) ?? fromCalculator(route.tokensPerMinuteAtTarget),
    peakTokensPerMinute: fromCloudWatch(usage.peak.tokensPerMinute) ?? fromCalculator(route.tokensPerMinuteAtTarget),
    averageInputTokens: fromCloudWatch(usage.averageTokensPerRequest?.input) ?? fromCalculator(answer.workload.inputTokens),
    averageOutputTokens: fromCloudWatch(usage.averageTokensPerRequest?.output) ?? fromCalculator(answer.workload.outputTokens),
  };
}

function figureLine(label: string, figure: WorksheetFigure, cloudWatchWhat: string): string {
  const source = figure.source === 'cloudwatch' ? `CloudWatch, ${cloudWatchWhat} of the last 24 hours` : 'the planned workload';
  return `${label}: ${whole(figure.value)} (${source})`;
}

export function quotaIncreaseWorksheet(answer: CapacityAnswer, route: CapacityRoute, useCase = ''): QuotaIncreaseWorksheet {
  const quota = quotaToRaise(answer, route);
  const consoleUrl = quota ? quotaIncreaseUrl(answer.from, quota.quotaCode) : null;
  const values = figures(answer, route);
  const busy = (route.currentPeak?.requestsPerMinute ?? 0) > 0 || (route.currentPeak?.tokensPerMinute ?? 0) > 0;
  const tokensNote = `quota tokens: input + cache write + output x ${route.burndownRate}`;
  const lines = [
    `Quota increase request: Amazon Bedrock, ${answer.from}`,
    `Route: ${route.invokeId} (${ROUTE_KIND_NAMES[route.routeKind]}), model ${answer.modelId}`,
    ...(quota
      ? [
          `Quota: ${quota.quotaName} (${quota.quotaCode}), ${UNIT_NAMES[quota.limit]}`,
          `Current value: ${quota.current === null ? 'unknown' : whole(quota.current)}; adjustable in Service Quotas: ${quota.adjustable ? 'yes' : 'no'}`,
          quota.requested === null
            ? `Requested value: none needed, the current value carries ${whole(answer.targetRequestsPerMinute)} more requests per minute`
            : `Requested value: ${whole(quota.requested)} (${whole(answer.targetRequestsPerMinute)} more requests per minute${busy ? ' on top of the current peak' : ''})`,
        ]
      : [`Quota: no quota found for this route in ${answer.from}`]),
    figureLine('Steady requests per minute', values.steadyRequestsPerMinute, 'the median minute'),
    figureLine('Peak requests per minute', values.peakRequestsPerMinute, 'the peak minute'),
    figureLine(`Steady tokens per minute (${tokensNote})`, values.steadyTokensPerMinute, 'the median minute'),
    figureLine(`Peak tokens per minute (${tokensNote})`, values.peakTokensPerMinute, 'the peak minute'),
    figureLine('Average input tokens per request', values.averageInputTokens, 'the average'),
    figureLine('Average output tokens per request', values.averageOutputTokens, 'the average'),
    `Use case: ${useCase.trim() || USE_CASE_PLACEHOLDER}`,
    ...(quota && consoleUrl
      ? [quota.adjustable ? `Request it at: ${consoleUrl}` : `Service Quotas does not accept increases of this quota: open a support case at ${SUPPORT_CASE_URL} (the quota: ${consoleUrl})`]
      : []),
  ];
  return {
    region: answer.from,
    invokeId: route.invokeId,
    routeKind: route.routeKind,
    quota,
    consoleUrl,
    ...values,
    useCase: useCase.trim(),
    text: lines.join('\n'),
  };
}
