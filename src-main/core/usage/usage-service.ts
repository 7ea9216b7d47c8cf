import type { CatalogDocument, CatalogModel } from '../../../src-shared/catalog/document';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { getModel, howToCall, isGlobalProfile } from '../../../src-shared/catalog/queries';
import type { QuotaRouteKind, RouteQuotas } from '../../../src-shared/catalog/quotas';
import type { RegionError } from '../../../src-shared/catalog/region-error';
import { RouteError } from '../../../src-shared/catalog/resolve-route';
import { burndownFor, type BurndownTable } from '../../../src-shared/capacity/burndown';
import type { PerMinute, RouteUsage, UsageAnswer, UsageWindow } from '../../../src-shared/contract/usage';
import type { AwsClientPool } from '../aws/client-pool';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import { CLOUDWATCH } from '../aws/services';
import { hasData, headroomOf, perMinuteFigures, pointsOf, totalsOf, type RouteSeries } from './figures';
import { readMetrics, type MetricReadings } from './metric-reader';
import { metricQueries, queryId, timeWindow, USAGE_METRICS, WINDOWS, type TimeWindow } from './metrics';

/**
 * A model's usage from CloudWatch: every route callable in each region (or the regions asked), read from that
 * region's CloudWatch, all regions at once. A region that cannot be read is data on its routes (denied: the caller
 * lacks cloudwatch:GetMetricData; error: anything else), never a thrown error; "no invocations" is a region that
 * answered with no datapoint.
 */

/** A region's CloudWatch gets this long; then its routes read as failed ("did not answer in time"). */
export const REGION_TIMEOUT_MS = 30_000;

export class UsageCancelledError extends Error {
  override readonly name = 'UsageCancelled';
  readonly code = 'CANCELLED';
}

/**
 * What the usage needs of the quotas feature: a model's route quotas in the regions read, asked once for all of them
 * (one Service Quotas refresh covers every region missing from the section).
 */
export interface QuotaLookup {
  get(query: { target: string; regions: readonly string[] }, signal?: AbortSignal): Promise<{ regions: Record<string, { routes: RouteQuotas[] }> }>;
}

export interface UsageServiceOptions {
  clients: Pick<AwsClientPool, 'client' | 'redact' | 'profile'>;
  catalog: { get(): Promise<{ document: CatalogDocument }> };
  quotas: QuotaLookup;
  burndown: BurndownTable;
  now?: () => number;
}

export interface UsageRoute {
  region: string;
  invokeId: string;
  routeKind: QuotaRouteKind;
}

export class UsageService {
  constructor(private readonly options: UsageServiceOptions) {}

  async get(query: { target: string; since: UsageWindow; regions?: readonly string[] }, signal: AbortSignal): Promise<UsageAnswer> {
    const { document } = await this.options.catalog.get();
    const model = getModel(document, query.target);
    if (!model) {
      throw new RouteError('UnknownTarget', 'UNKNOWN_TARGET', `No model or inference profile matches "${query.target}". Search the matrix, or run \`bedrock-atlas where "${query.target}"\`.`);
    }
    const routes = callableRoutes(document, model, query.regions);
    const window = timeWindow(query.since, this.now());
    const byRegion = await this.read(model.modelId, routes, window, signal);
    return { modelId: model.modelId, window: query.since, from: window.start.toISOString(), to: window.end.toISOString(), routes: byRegion };
  }

  /** The last 24 hours of the given routes of a model in one region: what the capacity calculator weighs. */
  async last24Hours(modelId: string, region: string, routes: readonly Omit<UsageRoute, 'region'>[], signal: AbortSignal): Promise<RouteUsage[]> {
    return this.read(modelId, routes.map((route) => ({ ...route, region })), timeWindow('24h', this.now()), signal);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async read(modelId: string, routes: readonly UsageRoute[], window: TimeWindow, signal: AbortSignal): Promise<RouteUsage[]> {
    const regions = [...new Set(routes.map((route) => route.region))];
    const quotas = this.quotasIn(modelId, regions, signal);
    const answers = await Promise.all(regions.map((region) => this.readRegion(modelId, region, routes.filter((route) => route.region === region), window, quotas, signal)));
    if (signal.aborted) throw new UsageCancelledError('The usage read was cancelled.');
    return answers.flat();
  }

  private async readRegion(
    modelId: string,
    region: string,
    routes: readonly UsageRoute[],
    window: TimeWindow,
    quotasByRegion: Promise<Record<string, { routes: RouteQuotas[] }>>,
    signal: AbortSignal,
  ): Promise<RouteUsage[]> {
    const [readings, quotas] = await Promise.all([this.readings(region, routes, window, signal), quotasByRegion.then((byRegion) => (Object.hasOwn(byRegion, region) ? (byRegion[region]?.routes ?? []) : []))]);
    const burndownRate = burndownFor(modelId, this.options.burndown).rate;
    const routeRead = (index: number): { failure: RegionFailure } | { series: RouteSeries } => {
      if ('error' in readings) return { failure: readings.error };
      const failure = queryFailure(readings, index, region, (text) => this.options.clients.redact(text));
      return failure ? { failure } : { series: seriesOf(readings, index) };
    };
    return routes.map((route, index): RouteUsage => {
      const base = { region, modelId, invokeId: route.invokeId, routeKind: route.routeKind, periodSeconds: window.periodSeconds, perHour: window.periodSeconds === WINDOWS['14d'].periodSeconds, burndownRate };
      const quota = quotaOf(quotas, route);
      const read = routeRead(index);
      if ('failure' in read) return { ...base, ...emptyFigures(quota), status: read.failure.status, error: read.failure.error };
      const points = pointsOf(read.series, window, burndownRate);
      const status = hasData(points) ? 'ok' : 'no-invocations';
      const figures = perMinuteFigures(points, window.periodSeconds);
      return { ...base, status, points: status === 'ok' ? points : [], ...figures, quota, headroomPercent: headroomOf(quota, figures.peak, status), ...totalsOf(points) };
    });
  }

  private async readings(region: string, routes: readonly UsageRoute[], window: TimeWindow, signal: AbortSignal): Promise<MetricReadings | { error: RegionFailure }> {
    const timeout = AbortSignal.timeout(REGION_TIMEOUT_MS);
    try {
      const client = await this.options.clients.client(CLOUDWATCH, region);
      return await readMetrics(client, metricQueries(routes.map((route) => route.invokeId)), window, AbortSignal.any([signal, timeout]));
    } catch (error) {
      return { error: this.failureOf(error, region, timeout.aborted && !signal.aborted) };
    }
  }

  private async quotasIn(modelId: string, regions: readonly string[], signal: AbortSignal): Promise<Record<string, { routes: RouteQuotas[] }>> {
    try {
      return (await this.options.quotas.get({ target: modelId, regions }, signal)).regions;
    } catch {
      // Quotas that cannot be read leave the usage without a quota line (null, "unknown"); the quotas view says why.
      return {};
    }
  }

  private failureOf(error: unknown, region: string, timedOut: boolean): RegionFailure {
    const redact = (text: string) => this.options.clients.redact(text);
    const failure = classifyAwsError(error, { timedOut });
    const upstream = redact(failure.upstreamMessage);
    if (failure.errorClass === 'accessDenied') {
      return {
        status: 'denied',
        error: {
          code: failure.name,
          errorClass: failure.errorClass,
          message: `The caller may not read CloudWatch metrics in ${region} (cloudwatch:GetMetricData is not allowed): add "cloudwatch:GetMetricData" on "*" to its IAM policy, or use a role that has it, such as CloudWatchReadOnlyAccess. (${upstream})`,
        },
      };
    }
    if (failure.errorClass === 'organizationPolicy') {
      return {
        status: 'denied',
        error: {
          code: failure.name,
          errorClass: failure.errorClass,
          message: `An organization policy (SCP) denies cloudwatch:GetMetricData in ${region}: ask your AWS administrator to allow it there. (${upstream})`,
        },
      };
    }
    if (timedOut) return { status: 'error', error: { code: 'RegionTimeout', errorClass: 'timeout', message: `CloudWatch in ${region} did not answer in ${REGION_TIMEOUT_MS / 1000} s; it may be unreachable from this network.` } };
    const explained = explainAwsError(error, { service: 'CloudWatch', region, profile: this.options.clients.profile, redact });
    return { status: 'error', error: { code: explained.code, errorClass: explained.errorClass, message: explained.message } };
  }
}

interface RegionFailure {
  status: 'denied' | 'error';
  error: RegionError;
}

/** Every route the model has in each region (on demand, then geo, then global profiles), in the catalog's region order. */
export function callableRoutes(document: CatalogDocument, model: CatalogModel, regions?: readonly string[]): UsageRoute[] {
  const wanted = regions ? new Set(regions) : null;
  const order = (region: string) => {
    const index = (COMMERCIAL_REGIONS as readonly string[]).indexOf(region);
    return index === -1 ? COMMERCIAL_REGIONS.length : index;
  };
  return Object.keys(model.regions)
    .filter((region) => wanted === null || wanted.has(region))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .flatMap((region) =>
      howToCall(document, model.modelId, region).invokeIds.map((invokeId) => ({
        region,
        invokeId,
        routeKind: invokeId === model.modelId ? ('on-demand' as const) : isGlobalProfile(document, invokeId) ? ('global-profile' as const) : ('geo-profile' as const),
      })),
    );
}

function seriesOf(readings: MetricReadings, routeIndex: number): RouteSeries {
  const series: RouteSeries = new Map();
  USAGE_METRICS.forEach((metric, index) => {
    const values = readings.values.get(queryId(routeIndex, index));
    if (values) series.set(metric.key, values);
  });
  return series;
}

/** A query CloudWatch failed on its own (the call answered, this route's metric did not): the route could not be read. */
function queryFailure(readings: MetricReadings, routeIndex: number, region: string, redact: (text: string) => string): RegionFailure | null {
  const ids = new Set(USAGE_METRICS.map((_, index) => queryId(routeIndex, index)));
  const failed = [...readings.failures.entries()].filter(([id]) => ids.has(id));
  if (failed.length === 0) return null;
  const forbidden = failed.some(([, reason]) => reason.startsWith('Forbidden'));
  const reasons = redact([...new Set(failed.map(([, reason]) => reason))].join('; '));
  return forbidden
    ? { status: 'denied', error: { code: 'Forbidden', errorClass: 'accessDenied', message: `CloudWatch in ${region} refused this route's metrics: ${reasons}. Check that cloudwatch:GetMetricData is allowed there.` } }
    : { status: 'error', error: { code: 'InternalError', errorClass: 'other', message: `CloudWatch in ${region} could not return this route's metrics: ${reasons}. Retry in a little while.` } };
}

function quotaOf(quotas: readonly RouteQuotas[], route: UsageRoute): PerMinute {
  const own = quotas.find((quota) => quota.variant === undefined && quota.invokeId === route.invokeId) ?? quotas.find((quota) => quota.variant === undefined && quota.routeKind === route.routeKind);
  const value = (quota: RouteQuotas['requestsPerMinute']) => (quota ? (quota.applied ?? quota.default) : null);
  return { requestsPerMinute: value(own?.requestsPerMinute), tokensPerMinute: value(own?.tokensPerMinute) };
}

const NO_FIGURE: PerMinute = { requestsPerMinute: null, tokensPerMinute: null };

function emptyFigures(quota: PerMinute) {
  return { points: [], peak: NO_FIGURE, p99: NO_FIGURE, median: NO_FIGURE, quota, headroomPercent: NO_FIGURE, throttles: 0, invocations: 0, quotaTokens: null, averageTokensPerRequest: null };
}
