import { describe, expect, it } from 'vitest';
import type { CatalogSnapshot } from '../../src-shared/contract';
import type { RegionProgress } from '../../src-shared/events';
import { describeCause, describeRegionSummary, describeShownInstead, discoveryFailure, type ScanOutcome } from './discovery-failure';

const context = { endpointUrl: 'http://127.0.0.1:9', awsProfile: 'work' };

describe('describeCause names the fix', () => {
  it.each([
    [['Error: connect ECONNREFUSED 127.0.0.1:9'], 'could not reach the endpoint http://127.0.0.1:9: ECONNREFUSED'],
    [['Error: getaddrinfo ENOTFOUND bedrock.example'], 'could not reach the endpoint http://127.0.0.1:9: ENOTFOUND'],
    [['SSOTokenExpired: Your AWS SSO session has expired. Run `aws sso login --profile work`'], 'credentials expired: run aws sso login --profile work'],
    [['ExpiredTokenException: The AWS session token has expired.'], 'credentials expired: run aws sso login --profile work, or get new temporary keys'],
    [['CredentialsMissing: No AWS credentials found.'], 'no AWS credentials found: set AWS_PROFILE, pass --profile work, or run aws sso login --profile work'],
    [['UnrecognizedClientException: This region did not accept the credentials'], 'credentials not accepted: the access key is invalid, or the regions are not enabled for the account'],
    [['RegionTimeout: us-east-1 did not answer in time'], 'no region answered in time: the endpoint or the network is not responding'],
    [['ValidationException: something new'], 'every region failed: ValidationException: something new'],
  ])('%j reads "%s"', (reasons, cause) => {
    expect(describeCause(reasons, context)).toBe(cause);
  });

  it('without a profile, tells the user where the profile goes', () => {
    expect(describeCause(['SSOTokenExpired: expired'], { endpointUrl: null, awsProfile: null })).toBe('credentials expired: run aws sso login --profile NAME');
    expect(describeCause(['connect ECONNREFUSED 1.2.3.4:443'], { endpointUrl: null, awsProfile: null })).toBe('could not reach the endpoint: ECONNREFUSED');
  });
});

function snapshot(source: CatalogSnapshot['meta']['source'], warnings: string[] = [], discoveryFailure?: CatalogSnapshot['meta']['discoveryFailure']): CatalogSnapshot {
  return {
    document: { schemaVersion: 1, generatedAt: '2026-08-21T10:00:00.000Z', source, regions: {}, models: {}, profiles: {} },
    meta: { source, simulated: false, ageMs: 5 * 60_000, cacheMode: 'file', cachePath: null, warnings, ...(discoveryFailure ? { discoveryFailure } : {}) },
  };
}

function progress(region: string, phase: RegionProgress['phase'], code?: string): RegionProgress {
  return { scanId: 's1', region, phase, completed: 1, total: 2, waiting: [], ...(code ? { error: { code, message: `${code} happened` } } : {}) };
}

const idle: ScanOutcome = { scanId: null, running: false, cancelled: false, regions: {} };

describe('discoveryFailure', () => {
  it('a finished scan that failed in every region gives each region its error', () => {
    const scan: ScanOutcome = { scanId: 's1', running: false, cancelled: false, regions: { 'us-east-1': progress('us-east-1', 'failed', 'ECONNREFUSED'), 'eu-west-1': progress('eu-west-1', 'failed', 'ECONNREFUSED') } };
    const failure = discoveryFailure(snapshot('cache'), scan, context);
    expect(failure?.cause).toBe('could not reach the endpoint http://127.0.0.1:9: ECONNREFUSED');
    expect(Object.keys(failure?.regions ?? {})).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('is no failure while the scan runs, when it was cancelled, or when one region answered', () => {
    const failed = { 'us-east-1': progress('us-east-1', 'failed', 'X') };
    expect(discoveryFailure(snapshot('api'), { ...idle, scanId: 's1', running: true, regions: failed }, context)).toBeNull();
    expect(discoveryFailure(snapshot('api'), { ...idle, scanId: 's1', cancelled: true, regions: failed }, context)).toBeNull();
    expect(discoveryFailure(snapshot('api'), { ...idle, scanId: 's1', regions: { ...failed, 'eu-west-1': progress('eu-west-1', 'done') } }, context)).toBeNull();
    expect(discoveryFailure(snapshot('api', ['2 regions failed: me-south-1 (X), me-central-1 (X)']), idle, context)).toBeNull();
  });

  it('after a reload, reads the cause from the snapshot of a failed refresh or a bundled start-up', () => {
    const refresh = discoveryFailure(
      snapshot('cache', [], { at: '2026-11-23T01:00:00.000Z', reasons: ['us-east-1: SSOTokenExpired: expired', 'eu-west-1: SSOTokenExpired: expired'] }),
      idle,
      context,
    );
    expect(refresh?.cause).toBe('credentials expired: run aws sso login --profile work');
    const startup = discoveryFailure(
      snapshot('bundled', [], { at: '2026-11-23T01:00:00.000Z', reasons: ['us-east-1, eu-west-1: Error: connect ECONNREFUSED 127.0.0.1:9'] }),
      idle,
      context,
    );
    expect(startup?.cause).toBe('could not reach the endpoint http://127.0.0.1:9: ECONNREFUSED');
  });
});

describe('describeShownInstead', () => {
  it('says where the data on screen comes from and how old it is', () => {
    expect(describeShownInstead(snapshot('bundled'))).toBe('the bundled catalog recorded on 2026-08-21 (it may be out of date)');
    expect(describeShownInstead(snapshot('cache'))).toMatch(/^the cached catalog from 2026-08-2\d \d\d:\d\d \(5 min ago\)$/);
    expect(describeShownInstead(snapshot('api'))).toMatch(/^the catalog fetched 2026-08-2\d \d\d:\d\d \(5 min ago\)$/);
  });
});

describe('describeRegionSummary (issue 21 §14)', () => {
  const withRegions = (base: CatalogSnapshot, count: number, failed = 0): CatalogSnapshot => ({
    ...base,
    document: { ...base.document, regions: Object.fromEntries(Array.from({ length: count }, (_, index) => [`r-${index}`, index < failed ? { status: 'error', error: { code: 'X', message: 'x' } } : { status: 'ok' }])) } as CatalogSnapshot['document'],
  });

  it('says the same of the bundled fallback whether the window saw the failing scan or only its summary after a reload', () => {
    const bundled = withRegions(snapshot('bundled', [], { at: '2026-11-23T01:00:00.000Z', reasons: ['33 regions: Error: connect ECONNREFUSED 127.0.0.1:9'] }), 31);
    const failedRegions = Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`r-${index}`, progress(`r-${index}`, 'failed', 'ECONNREFUSED')]));
    const seenLive = discoveryFailure(bundled, { scanId: 's1', running: false, cancelled: false, regions: failedRegions }, context);
    const afterReload = discoveryFailure(bundled, idle, context);
    expect(Object.keys(seenLive?.regions ?? {})).toHaveLength(33);
    expect(afterReload?.regions).toEqual({});
    expect(describeRegionSummary(bundled, seenLive)).toEqual({ text: '31 regions in the bundled data · live discovery failed', failed: true });
    expect(describeRegionSummary(bundled, afterReload)).toEqual(describeRegionSummary(bundled, seenLive));
  });

  it('counts ok and failed regions for live or cached data', () => {
    expect(describeRegionSummary(withRegions(snapshot('api'), 33, 2), null)).toEqual({ text: '31 regions ok · 2 failed', failed: true });
    expect(describeRegionSummary(withRegions(snapshot('bundled'), 31), null)).toEqual({ text: '31 regions in the bundled data', failed: false });
  });
});

describe('describeRegionSummary with a short-term API key (issue 16 §2)', () => {
  it('counts the regions the key cannot call apart from failures, in those words', () => {
    const api = snapshot('api');
    const keyBound = { code: 'ApiKeyRegion', errorClass: 'credentials' as const, message: 'This short-term API key works only in eu-west-1: x is not callable with this key.' };
    api.document.regions = {
      'eu-west-1': { status: 'ok' },
      'us-east-1': { status: 'error', error: keyBound },
      'ap-south-1': { status: 'error', error: keyBound },
      'us-west-2': { status: 'error', error: { code: 'ECONNREFUSED', message: 'refused' } },
    };
    expect(describeRegionSummary(api, null)).toEqual({ text: '1 regions ok · 1 failed · 2 not callable with this key', failed: true });
    delete api.document.regions['us-west-2'];
    expect(describeRegionSummary(api, null)).toEqual({ text: '1 regions ok · 2 not callable with this key', failed: false });
  });
});
