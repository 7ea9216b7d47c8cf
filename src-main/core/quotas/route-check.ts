import { quotaIncreaseUrl, QUOTA_UNITS, type QuotaUnit, type QuotaValue } from '../../../src-shared/catalog/quotas';
import type { AccessCheck } from '../../../src-shared/contract/access';
import type { RouteKind } from '../../../src-shared/catalog/resolve-route';
import type { ModelQuotasFrom } from './service';

/**
 * The access doctor's `quota` check for one route: pass when the account has a nonzero quota for it, fail when a
 * quota is 0 (every call is throttled), unknown when none is found or the quotas cannot be read. A quota says how
 * much, not whether: unknown never holds the doctor's verdict back.
 */

const UNIT_WORDS: Record<QuotaUnit, string> = { requestsPerMinute: 'requests per minute', tokensPerMinute: 'tokens per minute', tokensPerDay: 'tokens per day' };

/** The value in force: the account's, else AWS's default when Service Quotas lists no applied value. */
const inForce = (value: QuotaValue) => value.applied ?? value.default;

export function quotaCheck(found: ModelQuotasFrom, route: { invokeId: string; kind: RouteKind; callRegion: string }): AccessCheck & { transient?: boolean } {
  const id = 'quota';
  const region = route.callRegion;
  const entry = found.routes.find((candidate) => candidate.invokeId === route.invokeId && candidate.routeKind === route.kind && candidate.variant === undefined);
  const quotas = entry ? QUOTA_UNITS.flatMap((unit) => (entry[unit] ? [{ unit, value: entry[unit] }] : [])) : [];
  if (quotas.length === 0) {
    if (found.error) {
      const lasting = found.error.errorClass === 'accessDenied' || found.error.errorClass === 'organizationPolicy' || found.error.errorClass === 'credentials';
      return { id, status: 'unknown', message: `the quotas of ${region} could not be read: ${found.error.message}`, ...(lasting ? {} : { transient: true }) };
    }
    return { id, status: 'unknown', message: `no quota found for ${route.invokeId} in ${region} in Service Quotas` };
  }
  if (quotas.every(({ value }) => inForce(value) === null)) {
    return { id, status: 'unknown', message: `Service Quotas lists ${route.invokeId}'s quotas in ${region} without a value` };
  }
  const zero = quotas.filter(({ value }) => inForce(value) === 0);
  if (zero.length > 0) {
    const [first] = zero;
    const fix = first!.value.adjustable
      ? `request an increase in the Service Quotas console (${quotaIncreaseUrl(region, first!.value.quotaCode)})`
      : `ask AWS Support for an increase of ${first!.value.quotaCode} in ${region} (it is not adjustable in Service Quotas), or use another route`;
    return {
      id,
      status: 'fail',
      message: `your ${zero.map(({ unit, value }) => `${UNIT_WORDS[unit]} quota (${value.quotaCode})`).join(' and ')} for ${route.invokeId} in ${region} is 0: every call is throttled`,
      fix,
    };
  }
  const shown = quotas.map(({ unit, value }) => `${inForce(value)?.toLocaleString('en-US') ?? 'unknown'} ${UNIT_WORDS[unit]}${value.applied === null ? ' (AWS default)' : ''}`);
  const asOf = found.error ? ` (last known; ${region}'s quotas could not be read since)` : '';
  return { id, status: 'pass', message: `${shown.join(', ')} for ${route.invokeId} in ${region}${asOf}` };
}
