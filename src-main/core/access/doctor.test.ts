import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessReport, CheckAccessInput } from '../../../src-shared/contract/access';
import { createAtlasCore, type AtlasCore, type AtlasCoreInit } from '../app/atlas-core';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { emulatedCoreOptions } from '../../testing/emulated-core';
import { legacyCheck } from './doctor';

/**
 * The access doctor through the real composition root and dispatcher, the real SDK clients (STS, IAM, Bedrock,
 * Bedrock Runtime) and the emulator over loopback HTTP. Counts are the emulator's own.
 */

const EU = ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3'];
const REGIONS = [...EU, 'us-east-1', 'us-east-2', 'us-west-2'];
const GEO = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';
const GLOBAL = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const MISTRAL = 'mistral.mistral-large-2402-v1:0';
const SSO_ROLE = 'AWSReservedSSO_Developer_0123456789abcdef';

let emulator: RunningEmulator;
let core: AtlasCore;
const extraCores: AtlasCore[] = [];
const cleanupQuotas: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: REGIONS } }));
});
afterAll(async () => {
  await core.close();
  await emulator.close();
});
afterEach(async () => {
  for (const extra of extraCores.splice(0)) extra.close();
  emulator.setScenario(EMPTY_SCENARIO);
  for (const refresh of cleanupQuotas.splice(0)) await refresh();
  emulator.resetStats();
  vi.unstubAllEnvs();
});

async function doctor(input: CheckAccessInput, on: AtlasCore = core): Promise<AccessReport> {
  const envelope = await on.dispatcher.dispatch('checkAccess', input);
  if (!envelope.ok) throw new Error(`${envelope.error.name}: ${envelope.error.message}`);
  return envelope.value as AccessReport;
}

async function refreshQuotas(regions: string[]): Promise<void> {
  const envelope = await core.dispatcher.dispatch('refreshQuotas', { regions });
  if (!envelope.ok) throw new Error(`${envelope.error.name}: ${envelope.error.message}`);
}

function scenario(input: ScenarioInput): void {
  emulator.setScenario(parseScenario(input));
}

const iamCalls = (operation = 'iam:SimulatePrincipalPolicy') => emulator.stats().requests['us-east-1']?.[operation] ?? 0;
const check = (report: AccessReport, id: string) => report.checks.find((entry) => entry.id === id);

describe('checkAccess: the report', () => {
  it('a geo profile whose SCP denies one destination is at-risk, that region named, with one IAM call per destination region', async () => {
    scenario({ iam: { deny: [{ resource: 'arn:aws:bedrock:eu-south-2::foundation-model/*', byOrganization: true }] } });
    const report = await doctor({ target: GEO, from: 'eu-central-1', recheck: true });
    expect(report).toMatchObject({ target: GEO, from: 'eu-central-1', invokeId: GEO, routeKind: 'geo-profile', verdict: 'at-risk' });
    expect(report.checks.map((entry) => entry.id)).toEqual(['credentials', 'offered', 'account-access', 'lifecycle', 'iam', 'organization-policy', 'quota']);
    const organization = check(report, 'organization-policy')!;
    expect(organization.status).toBe('warn');
    expect(organization.message).toMatch(/^eu-south-2 is denied by an organization policy: requests routed there will fail/);
    expect(organization.fix).toMatch(/^ask your administrator to allow bedrock:InvokeModel in eu-south-2, or /);
    expect(organization.destinations).toEqual({
      'eu-central-1': { decision: 'allowed', allowedByOrganizations: true },
      'eu-north-1': { decision: 'allowed', allowedByOrganizations: true },
      'eu-south-1': { decision: 'allowed', allowedByOrganizations: true },
      'eu-south-2': { decision: 'explicitDeny', allowedByOrganizations: false },
      'eu-west-1': { decision: 'allowed', allowedByOrganizations: true },
      'eu-west-3': { decision: 'allowed', allowedByOrganizations: true },
    });
    // The SCP's deny is the organization's, not the identity policy's.
    expect(check(report, 'iam')!.status).toBe('pass');
    // Six distinct aws:RequestedRegion contexts, each asked once for both actions.
    expect(iamCalls()).toBe(6);
    expect(report.iamCalls).toBe(6);
  });

  it('a global profile whose policy lacks "unspecified" is blocked, naming the region-less resource', async () => {
    scenario({ iam: { allowedRegions: ['us-east-1', 'us-east-2', 'us-west-2'] } });
    const report = await doctor({ target: GLOBAL, from: 'us-east-1', recheck: true });
    expect(report).toMatchObject({ routeKind: 'global-profile', verdict: 'blocked' });
    const iam = check(report, 'iam')!;
    expect(iam.status).toBe('fail');
    expect(iam.message).toContain(`arn:aws:bedrock:::foundation-model/${HAIKU_45} with aws:RequestedRegion "unspecified"`);
    expect(iam.fix).toMatch(/add "unspecified" to the aws:RequestedRegion values/);
    expect(iam.destinations).toEqual({ 'us-east-1': { decision: 'allowed', allowedByOrganizations: null }, unspecified: { decision: 'implicitDeny', allowedByOrganizations: null } });
    expect(iamCalls()).toBe(2);
  });

  it('a legacy model warns with what LEGACY means for access: at-risk', async () => {
    const report = await doctor({ target: 'anthropic.claude-3-haiku-20240307-v1:0', from: 'us-east-1', recheck: true });
    expect(report).toMatchObject({ routeKind: 'on-demand', verdict: 'at-risk' });
    expect(check(report, 'lifecycle')).toMatchObject({ status: 'warn', fix: 'move to an ACTIVE model' });
    expect(check(report, 'lifecycle')!.message).toMatch(/is LEGACY .*: an account that has not called it in recent weeks is refused/);
    expect(report.checks.filter((entry) => entry.status === 'warn').map((entry) => entry.id)).toEqual(['lifecycle']);
  });

  it("a model whose agreement is pending is blocked, naming the provider's form", async () => {
    scenario({ agreementPending: [{ modelId: HAIKU_45 }] });
    const report = await doctor({ target: GEO, from: 'eu-central-1', recheck: true });
    expect(report.verdict).toBe('blocked');
    expect(check(report, 'account-access')).toMatchObject({ status: 'fail', message: expect.stringMatching(/agreement is pending in eu-central-1/), fix: expect.stringMatching(/first-use form/) });
  });

  it('the IAM simulator denied: iam and organization-policy are unknown, saying why, and the doctor suggests a live call', async () => {
    scenario({ iam: { simulatorDenied: true } });
    const report = await doctor({ target: GEO, from: 'eu-central-1', recheck: true });
    expect(report.verdict).toBe('unknown');
    for (const id of ['iam', 'organization-policy']) {
      expect(check(report, id)).toMatchObject({ status: 'unknown', message: 'your role cannot run the IAM policy simulator (iam:SimulatePrincipalPolicy)', fix: expect.stringContaining('--live') });
    }
  });

  it('quota passes with the route’s own nonzero quotas, through an auto-routed profile', async () => {
    const report = await doctor({ target: HAIKU_45, from: 'eu-central-1', autoProfile: true, recheck: true });
    expect(check(report, 'quota')).toMatchObject({ status: 'pass', message: expect.stringMatching(new RegExp(`tokens per minute.* for ${GEO.replaceAll('.', '\\.')} in eu-central-1$`)) });
    expect(report).toMatchObject({ invokeId: GEO, verdict: 'ready' });
    expect(check(report, 'offered')!.message).toContain(`routed automatically from ${HAIKU_45}`);
  });

  it('quota fails on a quota of 0, naming it, with the console page that raises it', async () => {
    scenario({ quotas: { rules: [{ region: 'eu-central-1', modelId: HAIKU_45, routeKind: 'geo-profile', unit: 'tokensPerMinute', applied: 0 }] } });
    await refreshQuotas(['eu-central-1']);
    // The core is shared by the file's tests: its quotas are read again once the scenario is back.
    cleanupQuotas.push(() => refreshQuotas(['eu-central-1']));
    const report = await doctor({ target: GEO, from: 'eu-central-1', recheck: true });
    expect(report.verdict).toBe('blocked');
    expect(check(report, 'quota')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(new RegExp(`tokens per minute quota \\(L-[A-Z0-9]+\\) for ${GEO.replaceAll('.', '\\.')} in eu-central-1 is 0: every call is throttled`)),
      fix: expect.stringContaining('https://eu-central-1.console.aws.amazon.com/servicequotas/home/services/bedrock/quotas/L-'),
    });
  });

  it('quota is unknown when Service Quotas cannot be read there, says why, and does not hold the verdict back', async () => {
    scenario({ quotas: { denied: ['eu-west-1'] } });
    await refreshQuotas(['eu-west-1']);
    cleanupQuotas.push(() => refreshQuotas(['eu-west-1']));
    const report = await doctor({ target: GEO, from: 'eu-west-1', recheck: true });
    expect(check(report, 'quota')).toMatchObject({ status: 'unknown', message: expect.stringContaining('the quotas of eu-west-1 could not be read: Your credentials may not read Service Quotas in eu-west-1') });
    expect(report.verdict).toBe('ready');
  });

  it('with live, one 1-token ConverseStream through the route, never retried', async () => {
    scenario({ throttle: [{ region: 'eu-central-1', operation: 'ConverseStream', firstN: 5 }] });
    const report = await doctor({ target: GEO, from: 'eu-central-1', live: true, recheck: true });
    expect(check(report, 'live-call')).toMatchObject({ status: 'warn', message: expect.stringMatching(/throttled/i) });
    expect(emulator.stats().requests['eu-central-1']?.ConverseStream).toBe(1);
    emulator.resetStats();
    scenario({});
    const passed = await doctor({ target: GEO, from: 'eu-central-1', live: true, recheck: true });
    expect(check(passed, 'live-call')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^a 1-token call through eu\.anthropic.* answered in \d+ ms/) });
    expect(passed.verdict).toBe('ready');
  });
});

describe('checkAccess: IAM principals', () => {
  it('an SSO session becomes its role ARN with the path GetRole gives (one GetRole per principal)', async () => {
    scenario({
      identity: { arn: `arn:aws:sts::123456789012:assumed-role/${SSO_ROLE}/alice` },
      iam: { roles: [{ name: SSO_ROLE, path: '/aws-reserved/sso.amazonaws.com/eu-west-1/' }] },
    });
    const fresh = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: REGIONS } }));
    extraCores.push(fresh);
    const report = await doctor({ target: MISTRAL, from: 'us-east-1' }, fresh);
    expect(check(report, 'iam')).toMatchObject({ status: 'pass', message: expect.stringContaining(`arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/${SSO_ROLE} may call`) });
    await doctor({ target: GEO, from: 'eu-central-1' }, fresh);
    expect(iamCalls('iam:GetRole')).toBe(1);
  });

  it("without iam:GetRole, an SSO role's path is taken from IAM Identity Center's convention, and the check says so", async () => {
    scenario({
      identity: { arn: `arn:aws:sts::123456789012:assumed-role/${SSO_ROLE}/alice` },
      iam: { getRoleDenied: true, roles: [{ name: SSO_ROLE, path: '/aws-reserved/sso.amazonaws.com/' }] },
    });
    const fresh = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: REGIONS } }));
    extraCores.push(fresh);
    const report = await doctor({ target: MISTRAL, from: 'us-east-1' }, fresh);
    expect(check(report, 'iam')!.status).toBe('pass');
    expect(check(report, 'iam')!.message).toContain("iam:GetRole is not allowed, so the role's path was taken to be IAM Identity Center's path /aws-reserved/sso.amazonaws.com/");
  });
});

describe('checkAccess: kept per principal and route', () => {
  it('answers a second check from what it kept, with no IAM call; recheck asks again', async () => {
    const first = await doctor({ target: MISTRAL, from: 'eu-west-3', recheck: true });
    expect(first.cached).toBe(false);
    expect(iamCalls()).toBe(1);
    const second = await doctor({ target: MISTRAL, from: 'eu-west-3' });
    expect(second).toMatchObject({ cached: true, iamCalls: 0, verdict: first.verdict });
    expect(iamCalls()).toBe(1);
    await doctor({ target: MISTRAL, from: 'eu-west-3', recheck: true });
    expect(iamCalls()).toBe(2);
  });
});

describe('checkAccess: bad input and faults', () => {
  it('a target that resolves to nothing is refused as UNKNOWN_TARGET, before any AWS call', async () => {
    const envelope = await core.dispatcher.dispatch('checkAccess', { target: 'no-such-model-anywhere', from: 'us-east-1' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TARGET' } });
    expect(iamCalls()).toBe(0);
  });

  it('an unknown region is a validation error naming the valid choices', async () => {
    const envelope = await core.dispatcher.dispatch('checkAccess', { target: HAIKU_45, from: 'us-east1' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(envelope.ok ? '' : envelope.error.message).toContain('Unknown region "us-east1"');
  });

  it('a profile in a region that does not offer it fails offered, naming where it is offered: blocked, and nothing is simulated', async () => {
    const report = await doctor({ target: GEO, from: 'us-east-1', recheck: true });
    expect(report).toMatchObject({ invokeId: null, routeKind: null, verdict: 'blocked' });
    expect(check(report, 'offered')).toMatchObject({ status: 'fail', message: expect.stringMatching(/is not offered in us-east-1\. Call it from eu-central-1/), fix: expect.stringMatching(/^call it from eu-central-1/) });
    expect(check(report, 'iam')!.status).toBe('unknown');
    expect(iamCalls()).toBe(0);
  });

  it('credentials that expire between two checks: credentials pass, iam says the session expired with its fix, and nothing is kept', async () => {
    scenario({ iam: { expiredSession: true } });
    const report = await doctor({ target: MISTRAL, from: 'us-east-1', recheck: true });
    expect(check(report, 'credentials')!.status).toBe('pass');
    expect(check(report, 'iam')).toMatchObject({ status: 'unknown', message: expect.stringContaining('The AWS session token has expired'), fix: expect.stringContaining('aws sso login') });
    expect(report.verdict).toBe('unknown');
    scenario({});
    const again = await doctor({ target: MISTRAL, from: 'us-east-1' });
    expect(again).toMatchObject({ cached: false });
    expect(check(again, 'iam')!.status).toBe('pass');
  });

  it('STS unreachable: credentials unknown naming the network cause, iam unknown, never a pass for either', async () => {
    const closed = await startEmulator();
    const deadUrl = closed.url;
    await closed.close();
    for (const service of ['BEDROCK', 'BEDROCK_RUNTIME', 'IAM']) vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, emulator.url);
    vi.stubEnv('AWS_ENDPOINT_URL_STS', deadUrl);
    const init: AtlasCoreInit = emulatedCoreOptions(emulator.url, { endpointUrl: null, overrides: { regions: ['us-east-1'] }, clientTimeouts: { maxAttempts: 1 } });
    const fresh = await createAtlasCore(init);
    extraCores.push(fresh);
    const report = await doctor({ target: HAIKU_45, from: 'us-east-1', autoProfile: true }, fresh);
    expect(check(report, 'credentials')).toMatchObject({ status: 'unknown', message: expect.stringContaining('could not be reached to ask who you are (ECONNREFUSED)') });
    expect(check(report, 'iam')!.status).toBe('unknown');
    expect(report.verdict).toBe('unknown');
  });
});

describe('lifecycle dates', () => {
  it('reads the real GetFoundationModel dates of a LEGACY model, and fails once its end of life has passed', () => {
    const dates = { status: 'LEGACY' as const, legacyTime: new Date('2026-04-14T08:00:00Z'), publicExtendedAccessTime: new Date('2026-07-14T08:00:00Z'), endOfLifeTime: new Date('2026-10-14T08:00:00Z') };
    expect(legacyCheck('anthropic.claude-sonnet-4-20250514-v1:0', dates, new Date('2026-09-26T00:00:00Z'))).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('(legacy since 2026-04-14; public extended access from 2026-07-14, at higher prices; end of life 2026-10-14)'),
      fix: 'move to an ACTIVE model before 2026-10-14',
    });
    expect(legacyCheck('anthropic.claude-sonnet-4-20250514-v1:0', dates, new Date('2026-10-15T00:00:00Z'))).toMatchObject({ status: 'fail' });
  });
});
