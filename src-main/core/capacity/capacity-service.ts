import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { cellRoute, getModel } from '../../../src-shared/catalog/queries';
import type { QuotaRouteKind, RouteQuotas } from '../../../src-shared/catalog/quotas';
import type { RegionError } from '../../../src-shared/catalog/region-error';
import { RouteError } from '../../../src-shared/catalog/resolve-route';
import { burndownFor, type BurndownTable } from '../../../src-shared/capacity/burndown';
import { describeRange } from '../../../src-shared/capacity/input-ranges';
import { modelLimitsFor, type ModelLimitsTable } from '../../../src-shared/capacity/model-limits';
import type { CapacityAnswer, CapacityWorkload, CurrentUsage, ParsedInput } from '../../../src-shared/contract';
import type { PriceRouteKind, PriceTableInfo, TokenPrices } from '../../../src-shared/contract/prices';
import { priceRouteKindOf } from '../../../src-shared/contract/prices';
import type { RouteUsage } from '../../../src-shared/contract/usage';
import { ValidationError } from '../api/dispatcher';
import { calculateCapacity, targetRate, type CalculatorRoute } from './calculator';

/**
 * The capacity method: resolves the model and its routes from the source region in the catalog, checks the workload
 * against the model's output limit, gathers each route's quotas, last 24 hours of usage and prices (all at once), and
 * hands them to the pure calculator.
 */

/** A model's route quotas in one region, as the quotas feature has them. */
export interface RegionQuotas {
  routes: RouteQuotas[];
  fetchedAt: string | null;
  /** Set when the region's quotas could not be read. */
  error?: RegionError;
}

/** The price table in force, as the prices feature hands it out: its date and source, and one route's prices. */
export interface PriceLookup {
  info: PriceTableInfo;
  priceFor(modelId: string, region: string, routeKind: PriceRouteKind): { perMillion: TokenPrices } | null;
}

export interface CapacityDependencies {
  catalog: { get(): Promise<{ document: CatalogDocument }> };
  quotas: { quotasFrom(modelId: string, region: string, signal?: AbortSignal): Promise<RegionQuotas> };
  usage: { last24Hours(modelId: string, region: string, routes: readonly { invokeId: string; routeKind: QuotaRouteKind }[], signal: AbortSignal): Promise<RouteUsage[]> };
  /** The table in force now (never waiting for the Price List API: a calculator answers at once). */
  prices: { table(): Promise<PriceLookup> };
  burndown: BurndownTable;
  modelLimits: ModelLimitsTable;
  /** Removes credentials from upstream text that a failure's message carries into the answer. */
  redact: (text: string) => string;
}

interface SourceRoute {
  invokeId: string;
  routeKind: QuotaRouteKind;
}

export class CapacityService {
  constructor(private readonly deps: CapacityDependencies) {}

  async capacity(input: ParsedInput<'capacity'>, signal: AbortSignal): Promise<CapacityAnswer> {
    const { document } = await this.deps.catalog.get();
    const model = getModel(document, input.target);
    if (!model) {
      throw new RouteError('UnknownTarget', 'UNKNOWN_TARGET', `No model or inference profile matches "${input.target}". Search the matrix, or run \`bedrock-atlas where "${input.target}"\`.`);
    }
    const modelLimits = modelLimitsFor(model.modelId, this.deps.modelLimits);
    if (modelLimits && input.maxTokens > modelLimits.maxOutputTokens) {
      const range = describeRange({ min: 1, max: modelLimits.maxOutputTokens });
      throw new ValidationError('capacity', [
        {
          path: 'maxTokens',
          message: `max_tokens must be a whole number from ${range} for ${model.modelId}: it writes at most ${modelLimits.maxOutputTokens.toLocaleString('en-US')} output tokens (model limits table of ${modelLimits.asOf}, ${modelLimits.source})`,
        },
      ]);
    }
    const routes = sourceRoutes(document, model.modelId, input.from);
    const workload: CapacityWorkload = {
      inputTokens: input.inputTokens,
      outputTokens: input.outputTokens ?? input.maxTokens,
      outputFrom: input.outputTokens === undefined ? 'max_tokens' : 'expected',
      maxTokens: input.maxTokens,
      cacheReadTokens: input.cacheReadTokens,
      cacheWriteTokens: input.cacheWriteTokens,
    };
    const burndown = burndownFor(model.modelId, this.deps.burndown);
    const [quotas, usage, prices] = await Promise.all([
      this.deps.quotas.quotasFrom(model.modelId, input.from, signal).catch((error: unknown) => ({ routes: [], fetchedAt: null, error: this.unreadable('quotas', error) })),
      this.deps.usage.last24Hours(model.modelId, input.from, routes, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return routes.map((route) => ({ ...route, failed: this.unreadable('usage', error) }));
      }),
      this.deps.prices.table().catch(() => null),
    ]);
    const calculatorRoutes: CalculatorRoute[] = routes.map((route) => ({
      ...route,
      quotas: quotasOf(quotas.routes, route),
      usage: currentUsageOf(usage.find((read) => read.invokeId === route.invokeId)),
      // A profile is priced at its source region's price (the price list's own rule for cross-Region inference).
      prices: prices?.priceFor(model.modelId, input.from, priceRouteKindOf(route.routeKind))?.perMillion ?? null,
    }));
    const target = targetRate(input);
    return {
      modelId: model.modelId,
      from: input.from,
      targetRequestsPerMinute: target,
      workload,
      burndown,
      modelLimits,
      routes: calculateCapacity({ targetRequestsPerMinute: target, workload, burndownRate: burndown.rate, routes: calculatorRoutes }),
      quotasFetchedAt: quotas.fetchedAt,
      quotasError: quotas.error ?? null,
      priceTable: prices?.info ?? null,
    };
  }

  private unreadable(what: string, error: unknown): RegionError {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    const code = (error as { code?: unknown } | null)?.code;
    return { code: typeof code === 'string' ? code : name, message: this.deps.redact(`The ${what} could not be read: ${message}`) };
  }
}

/** On demand in the region, its geo profiles, its global profiles: every route to the model from there. */
export function sourceRoutes(document: CatalogDocument, modelId: string, from: string): SourceRoute[] {
  const here = cellRoute(document, modelId, from);
  const routes: SourceRoute[] = [
    ...(here.onDemand ? [{ invokeId: modelId, routeKind: 'on-demand' as const }] : []),
    ...here.geoProfiles.map((invokeId) => ({ invokeId, routeKind: 'geo-profile' as const })),
    ...here.globalProfiles.map((invokeId) => ({ invokeId, routeKind: 'global-profile' as const })),
  ];
  if (routes.length > 0) return routes;
  const status = Object.hasOwn(document.regions, from) ? document.regions[from] : undefined;
  if (!status || status.status === 'error') {
    throw Object.assign(new Error(`The catalog does not know what ${from} offers (${status?.error ? `its scan failed: ${status.error.code}` : 'it was not scanned'}): refresh the catalog with ${from} among its regions and try again.`), {
      name: 'RegionUnknown',
      code: 'REGION_UNKNOWN',
    });
  }
  const callable = new Set(['on-demand', 'geo-profile', 'global-profile']);
  const offered = Object.keys(document.models[modelId]?.regions ?? {}).filter((region) => callable.has(cellRoute(document, modelId, region).primary));
  const where = offered.length > 0 ? `It is callable from ${offered.slice(0, 8).join(', ')}${offered.length > 8 ? ` and ${offered.length - 8} more` : ''}.` : 'It is callable from no region in the catalog.';
  if (here.provisioned) throw new RouteError('ProvisionedOnly', 'PROVISIONED_ONLY', `${modelId} needs Provisioned Throughput in ${from}: no quota applies to it there. ${where}`, offered);
  throw new RouteError('NotOfferedInRegion', 'NOT_OFFERED_IN_REGION', `${modelId} cannot be called from ${from}, on demand or through a profile. ${where}`, offered);
}

/** The route's own quotas (not a variant's, such as a 1M context length): by its invoke id, else by its route kind. */
function quotasOf(quotas: readonly RouteQuotas[], route: SourceRoute): CalculatorRoute['quotas'] {
  const plain = quotas.filter((quota) => quota.variant === undefined);
  const own = plain.find((quota) => quota.invokeId === route.invokeId) ?? plain.find((quota) => quota.routeKind === route.routeKind);
  if (!own) return {};
  return {
    ...(own.requestsPerMinute ? { requestsPerMinute: own.requestsPerMinute } : {}),
    ...(own.tokensPerMinute ? { tokensPerMinute: own.tokensPerMinute } : {}),
    ...(own.tokensPerDay ? { tokensPerDay: own.tokensPerDay } : {}),
  };
}

function currentUsageOf(read: RouteUsage | (SourceRoute & { failed: RegionError }) | undefined): CurrentUsage {
  const none = { requestsPerMinute: null, tokensPerMinute: null };
  if (!read) return { status: 'error', error: { code: 'NotRead', message: 'The usage of this route was not read.' }, peak: none, median: none, quotaTokensLast24h: null, averageTokensPerRequest: null };
  if ('failed' in read) return { status: 'error', error: read.failed, peak: none, median: none, quotaTokensLast24h: null, averageTokensPerRequest: null };
  return {
    status: read.status,
    ...(read.error ? { error: read.error } : {}),
    peak: read.peak,
    median: read.median,
    quotaTokensLast24h: read.quotaTokens,
    averageTokensPerRequest: read.averageTokensPerRequest,
  };
}
