import type { CatalogSnapshot } from '../../src-shared/contract';
import type { RegionError } from '../../src-shared/catalog/document';
import type { RegionProgress } from '../../src-shared/events';
import { describeAge } from '../../src-shared/describe-age';
import { isKeyBoundRegion, keyBoundCause, API_KEY_REGION_CODE } from '../../src-shared/api-key-regions';

/**
 * A discovery that answered in no region: a refresh that failed everywhere, or a start-up that fell back to the
 * bundled data. The status bar's "0 ok, 33 failed" is easy to miss; this is what the banner says instead.
 */
export interface DiscoveryFailure {
  /** Why, in a few words that name the fix: "could not reach the endpoint: ECONNREFUSED". */
  cause: string;
  /** What each region answered, when this window saw the scan; empty when only the service's summary is known. */
  regions: Record<string, RegionError>;
  /** Identifies this failure, so a dismissed banner comes back only for a new one. */
  key: string;
}

export interface FailureContext {
  endpointUrl: string | null;
  awsProfile: string | null;
}

/** The part of the refresh state this needs (`useRefresh().scan`). */
export interface ScanOutcome {
  scanId: string | null;
  running: boolean;
  cancelled: boolean;
  regions: Record<string, RegionProgress>;
}

const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE'];

/** Turns what the regions answered ("code: message" each) into one cause that names the fix. */
export function describeCause(reasons: readonly string[], context: FailureContext): string {
  const all = reasons.join('\n');
  const profile = context.awsProfile ? `--profile ${context.awsProfile}` : '--profile NAME';
  // Every region refused only because a short-term API key works elsewhere: that is the cause, not a failure.
  const keyBound = reasons.filter((reason) => reason.startsWith(`${API_KEY_REGION_CODE}: `));
  if (keyBound.length > 0 && keyBound.length === reasons.length) {
    return `${keyBoundCause(keyBound[0]!.slice(API_KEY_REGION_CODE.length + 2))}: none of the regions scanned is callable with this key`;
  }
  const network = NETWORK_CODES.find((code) => all.includes(code)) ?? (/socket hang up|fetch failed/i.test(all) ? 'connection dropped' : null);
  if (network) return `could not reach the endpoint${context.endpointUrl ? ` ${context.endpointUrl}` : ''}: ${network}`;
  if (/SSOTokenExpired|SSO session has expired/i.test(all)) return `credentials expired: run aws sso login ${profile}`;
  if (/ExpiredToken/i.test(all)) return `credentials expired: run aws sso login ${profile}, or get new temporary keys`;
  if (/ProfileNotFound/.test(all)) return `AWS profile "${context.awsProfile ?? ''}" was not found in ~/.aws/config or ~/.aws/credentials`;
  if (/CredentialsMissing|No AWS credentials found/i.test(all)) return `no AWS credentials found: set AWS_PROFILE, pass ${profile}, or run aws sso login ${profile}`;
  if (/UnrecognizedClientException/.test(all)) return 'credentials not accepted: the access key is invalid, or the regions are not enabled for the account';
  if (/InvalidSignatureException|SignatureDoesNotMatch/.test(all)) return "request signature rejected: check the secret access key and the machine's clock";
  if (/AccessDenied/i.test(all)) return 'access denied: the credentials may not call bedrock:ListFoundationModels';
  if (/RegionTimeout|did not answer in time/i.test(all)) return 'no region answered in time: the endpoint or the network is not responding';
  const first = reasons[0]?.trim() ?? '';
  return first ? `every region failed: ${first.length > 160 ? `${first.slice(0, 157)}…` : first}` : 'every region failed';
}

/**
 * The failure to show, if the last discovery answered in no region. A scan seen live gives each region's error;
 * after a reload the snapshot's `discoveryFailure` still carries the reasons.
 */
export function discoveryFailure(snapshot: CatalogSnapshot | undefined, scan: ScanOutcome, context: FailureContext): DiscoveryFailure | null {
  const progress = Object.values(scan.regions);
  if (scan.scanId && !scan.running && !scan.cancelled && progress.length > 0 && progress.every((region) => region.phase === 'failed')) {
    const regions = Object.fromEntries(progress.map((region) => [region.region, region.error ?? { code: 'Unknown', message: 'no reason given' }]));
    const reasons = Object.values(regions).map((error) => `${error.code}: ${error.message}`);
    return { cause: describeCause(reasons, context), regions, key: scan.scanId };
  }
  const failure = snapshot?.meta.discoveryFailure;
  if (failure) return { cause: describeCause(failure.reasons, context), regions: {}, key: failure.at };
  return null;
}

/** What the user is looking at while discovery fails: "the cached catalog from 2026-11-23 09:12 (5 min ago)". */
export function describeShownInstead(snapshot: CatalogSnapshot): string {
  const { document, meta } = snapshot;
  const when = formatWhen(document.generatedAt);
  switch (meta.source) {
    case 'bundled':
      return `the bundled catalog recorded on ${document.generatedAt.slice(0, 10)} (it may be out of date)`;
    case 'cache':
      return `the cached catalog from ${when} (${describeAge(meta.ageMs)})`;
    case 'api':
      return `the catalog fetched ${when} (${describeAge(meta.ageMs)})`;
  }
}

/** "2026-11-23 09:12" in the user's time zone: a date and a time anyone can read, without seconds. */
function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The status bar's region count. Bundled data is what is shown when discovery answered nowhere, so it says so in
 * the same words whether this window saw the failing scan (each region's error) or only the service's summary of
 * it after a reload: "31 regions in the bundled data · live discovery failed", never "0 ok · 33 failed" once and
 * something else the next time.
 */
export function describeRegionSummary(snapshot: CatalogSnapshot, failure: DiscoveryFailure | null): { text: string; failed: boolean } {
  const regions = Object.values(snapshot.document.regions);
  if (snapshot.meta.source === 'bundled') {
    return { text: `${regions.length} regions in the bundled data${failure ? ' · live discovery failed' : ''}`, failed: failure !== null };
  }
  const failedInScan = Object.keys(failure?.regions ?? {}).length;
  // Regions a short-term API key cannot call are not failures: they are counted apart, in those words.
  const keyBound = failedInScan > 0 ? 0 : regions.filter((region) => region.status === 'error' && isKeyBoundRegion(region.error)).length;
  const failed = failedInScan > 0 ? failedInScan : regions.filter((region) => region.status === 'error').length - keyBound;
  const ok = failedInScan > 0 ? 0 : regions.length - failed - keyBound;
  const notCallable = keyBound > 0 ? ` · ${keyBound} not callable with this key` : '';
  return { text: `${ok} regions ok${failed > 0 ? ` · ${failed} failed` : ''}${notCallable}`, failed: failed > 0 };
}

/**
 * The status bar's word on the scan that just ended: "Last refresh: 1 ok, 0 failed", and the regions a short-term
 * API key cannot call counted apart in those words ("· 32 not callable with this key"), never as failed.
 */
export function describeScanDone(regions: readonly RegionProgress[]): string {
  const keyBound = regions.filter((region) => region.phase === 'failed' && isKeyBoundRegion(region.error)).length;
  const ok = regions.filter((region) => region.phase === 'done').length;
  const failed = regions.filter((region) => region.phase === 'failed').length - keyBound;
  return `Last refresh: ${ok} ok, ${failed} failed${keyBound > 0 ? ` · ${keyBound} not callable with this key` : ''}`;
}
