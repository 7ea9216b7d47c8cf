import type { ServiceQuota, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { RegionError } from '../../../src-shared/catalog/region-error';
import type { RegionProgress } from '../../../src-shared/events';
import type { AwsClientPool } from '../aws/client-pool';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import { SERVICE_QUOTAS } from '../aws/services';
import { cutOffStragglers, DEFAULT_REGION_TIMEOUT_MS, ScanCancelledError, type CutOff, type StragglerRule } from '../catalog/discovery';
import type { QuotaReading } from './tie-quotas';

/**
 * Service Quotas' Bedrock quotas of each region: every page of ListServiceQuotas (the account's applied values) and
 * of ListAWSDefaultServiceQuotas (AWS's defaults), both at once, in every region at once, with the catalog scan's
 * straggler rule and the client pool's retries. A region that fails is data (a RegionError), never a throw.
 */

export type RegionQuotaFetch =
  | { region: string; ok: true; readings: QuotaReading[]; durationMs: number }
  | { region: string; ok: false; error: RegionError; durationMs: number };

export interface QuotaFetchOptions {
  clients: Pick<AwsClientPool, 'client' | 'profile' | 'redact'>;
  /** Cancels the whole refresh. */
  signal?: AbortSignal;
  /** Gives up on one region after this long (its retries included); the region is then recorded as failed. */
  regionTimeoutMs?: number;
  stragglerRule?: StragglerRule;
  onProgress?: (progress: Pick<RegionProgress, 'region' | 'phase' | 'durationMs' | 'error'>) => void;
}

export const SERVICE_CODE = 'bedrock';
/** The most a page of either list holds. */
const PAGE_SIZE = 100;

/** Why Service Quotas failed in a region, with the fix: a denied read names the two read-only actions to allow. */
export function quotaRegionError(error: unknown, region: string, clients: QuotaFetchOptions['clients'], timedOut: boolean): RegionError {
  if (timedOut) {
    return { code: 'RegionTimeout', errorClass: 'timeout', message: `Service Quotas in ${region} did not answer in time; it may be unreachable from this network.` };
  }
  const failure = classifyAwsError(error);
  if (failure.errorClass === 'accessDenied' || failure.errorClass === 'organizationPolicy') {
    const who = failure.errorClass === 'organizationPolicy' ? 'An organization policy (SCP) denies' : 'Your credentials may not';
    return {
      code: failure.name,
      errorClass: failure.errorClass,
      message: `${who} read Service Quotas in ${region}: allow servicequotas:ListServiceQuotas and servicequotas:ListAWSDefaultServiceQuotas (read-only) there. (${clients.redact(failure.upstreamMessage)})`,
    };
  }
  const explained = explainAwsError(error, { service: 'Service Quotas', region, profile: clients.profile, redact: (text) => clients.redact(text) });
  return { code: explained.name, errorClass: explained.errorClass, message: explained.message };
}

async function listAll(
  client: ServiceQuotasClient,
  list: 'applied' | 'default',
  signal: AbortSignal,
): Promise<ServiceQuota[]> {
  const { ListServiceQuotasCommand, ListAWSDefaultServiceQuotasCommand } = await import('@aws-sdk/client-service-quotas');
  const quotas: ServiceQuota[] = [];
  let nextToken: string | undefined;
  do {
    const input = { ServiceCode: SERVICE_CODE, MaxResults: PAGE_SIZE, NextToken: nextToken };
    const page = await client.send(list === 'applied' ? new ListServiceQuotasCommand(input) : new ListAWSDefaultServiceQuotasCommand(input), { abortSignal: signal });
    quotas.push(...(page.Quotas ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return quotas;
}

const valueOf = (quota: ServiceQuota | undefined) => (typeof quota?.Value === 'number' && Number.isFinite(quota.Value) && quota.Value >= 0 ? quota.Value : null);

/** The two lists joined by quota code: applied from one, default from the other; a quota in only one keeps null for the other. */
export function joinQuotaLists(applied: readonly ServiceQuota[], defaults: readonly ServiceQuota[]): QuotaReading[] {
  const byCode = new Map<string, { applied?: ServiceQuota; default?: ServiceQuota }>();
  for (const quota of applied) if (quota.QuotaCode) byCode.set(quota.QuotaCode, { ...byCode.get(quota.QuotaCode), applied: quota });
  for (const quota of defaults) if (quota.QuotaCode) byCode.set(quota.QuotaCode, { ...byCode.get(quota.QuotaCode), default: quota });
  return [...byCode.entries()].flatMap(([quotaCode, both]) => {
    const quotaName = both.applied?.QuotaName ?? both.default?.QuotaName;
    if (!quotaName) return [];
    return [{ quotaCode, quotaName, applied: valueOf(both.applied), default: valueOf(both.default), adjustable: (both.applied ?? both.default)?.Adjustable === true }];
  });
}

export async function fetchRegionQuotas(region: string, options: QuotaFetchOptions): Promise<RegionQuotaFetch> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(options.regionTimeoutMs ?? DEFAULT_REGION_TIMEOUT_MS);
  // One list failing fails the region: the other one is stopped rather than left to run its pages and retries.
  const failed = new AbortController();
  const signal = AbortSignal.any([...(options.signal ? [options.signal] : []), timeout, failed.signal]);
  options.onProgress?.({ region, phase: 'started' });
  try {
    const client = await options.clients.client(SERVICE_QUOTAS, region);
    const list = (which: 'applied' | 'default') =>
      listAll(client, which, signal).catch((error: unknown) => {
        failed.abort();
        throw error;
      });
    const [applied, defaults] = await Promise.all([list('applied'), list('default')]);
    const durationMs = Math.round(performance.now() - started);
    options.onProgress?.({ region, phase: 'done', durationMs });
    return { region, ok: true, readings: joinQuotaLists(applied, defaults), durationMs };
  } catch (error) {
    if (options.signal?.aborted) throw new ScanCancelledError('The quota refresh was cancelled.');
    const durationMs = Math.round(performance.now() - started);
    const regionError = quotaRegionError(error, region, options.clients, timeout.aborted);
    options.onProgress?.({ region, phase: 'failed', error: regionError, durationMs });
    return { region, ok: false, error: regionError, durationMs };
  }
}

/** Every region at once; answers when all have, or when only stragglers are left past their grace (the catalog's rule). */
export function fetchQuotasCuttingOffStragglers(regions: readonly string[], options: QuotaFetchOptions): Promise<CutOff<RegionQuotaFetch>> {
  return cutOffStragglers(regions, (region) => fetchRegionQuotas(region, options), {
    stragglerRule: options.stragglerRule,
    timedOut: (region, error, durationMs): RegionQuotaFetch => ({ region, ok: false, error, durationMs }),
  });
}
