import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SsoSignInChunk, SsoSignInResult } from '../../../src-shared/contract';
import type { StreamFrame } from '../../../src-shared/stream-frames';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario } from '../../emulator/scenario';
import type { PollClock } from './device-sign-in';

/**
 * Sign in with IAM Identity Center, end to end: the real composition root, the real SSO OIDC client through the
 * pool, and the SDK's own credential chain reading the token this writes, all against the emulator's OIDC, SSO
 * portal, STS and Bedrock over loopback HTTP. The user's side (approve, deny, let the code expire, slow down) is
 * the scenario's. Config files and the token cache live in this test file's own HOME; waits between polls are
 * recorded by the clock the core is given, never slept, so nothing here depends on time.
 */

let emulator: RunningEmulator;
const cores: AtlasCore[] = [];
const ssoDir = () => join(homedir(), '.aws', 'sso');
const cacheDir = () => join(ssoDir(), 'cache');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

const START_URL = 'https://corp.awsapps.com/start';
const SESSION_PROFILE =
  '[profile team]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n\n' +
  `[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n` +
  '[profile plain]\nregion = us-east-1\n\n[profile broken]\nsso_session = missing\n';
const LEGACY_PROFILE = `[profile old]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n`;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  rmSync(ssoDir(), { recursive: true, force: true });
  vi.unstubAllEnvs();
});

/** No credentials in the environment; the SSO portal reached at the emulator as the SDK reaches it (its env var). */
function setUp(configText: string): void {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_ENDPOINT_URL_SSO', emulator.url);
  // A config file of the test's own: the SDK caches each config file it has read by path for the process.
  const path = join(mkdtempSync(join(tmpdir(), 'atlas-sso-config-')), 'config');
  writeFileSync(path, configText);
  vi.stubEnv('AWS_CONFIG_FILE', path);
}

/** A clock that records each wait between polls and moves its own time on by it, instantly. */
function recordingClock(): PollClock & { waits: number[] } {
  let now = Date.now();
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      waits.push(ms);
      now += ms;
    },
  };
}

async function open(profile: string | null, clock = recordingClock()): Promise<{ core: AtlasCore; clock: ReturnType<typeof recordingClock> }> {
  const core = await createAtlasCore({
    version: '0.0.0-test',
    endpointUrl: emulator.url,
    bedrockApiKey: null,
    ssoPollClock: clock,
    overrides: { cacheMode: 'none', regions: ['us-east-1'], awsProfile: profile },
  });
  cores.push(core);
  return { core, clock };
}

/** Runs ssoSignIn to its end; `onChunk` may cancel (it is given the stream's cancel). */
async function signIn(core: AtlasCore, input: unknown = {}, onChunk: (chunk: SsoSignInChunk, cancel: () => void) => void = () => {}) {
  const frames: StreamFrame[] = [];
  const id = `sso-${Math.random().toString(16).slice(2, 12)}`;
  const cancel = () => void core.streams.cancel(id);
  const started = core.streams.start(
    'ssoSignIn',
    input,
    {
      write: (frame) => {
        frames.push(frame);
        if (frame.type === 'chunk') onChunk(frame.data as SsoSignInChunk, cancel);
        return true;
      },
      onDrain: () => () => {},
      closed: false,
    },
    { id },
  );
  if (!started.ok) throw new Error(started.error.message);
  await started.value.done;
  const chunks = frames.filter((frame) => frame.type === 'chunk').map((frame) => frame.data as SsoSignInChunk);
  const end = frames.at(-1)!;
  return { chunks, end, result: end.type === 'result' ? (end.data as SsoSignInResult) : null, error: end.type === 'error' ? end.data : null };
}

/** What the emulator saw of IAM Identity Center (unsigned calls are counted under `unsigned`). */
function ssoCalls(): Record<string, number> {
  return emulator.stats().requests.unsigned ?? {};
}

function cacheFiles(): string[] {
  return existsSync(cacheDir()) ? readdirSync(cacheDir()).sort() : [];
}

describe('ssoSignIn: the device authorization, end to end', () => {
  it('signs in an sso-session profile, writes the token as the AWS CLI does, and the SDK chain then calls Bedrock and STS with it', async () => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 2 }, identity: { account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice' } }));
    const { core, clock } = await open('team');
    expect(await core.dispatcher.dispatch('ssoStatus', {})).toMatchObject({ ok: true, value: { profile: 'team', kind: 'sso-session', sessionName: 'corp', token: 'missing' } });
    // Before: the chain finds no token, and the loopback endpoint's placeholder stands in.
    expect(await core.dispatcher.dispatch('whoAmI', {})).toMatchObject({ ok: true, value: { credentialSource: 'placeholder' } });

    const catalogBefore = core.catalog();
    const { chunks, result } = await signIn(core);
    // The aws feature was rebuilt (a new pool, a new credential chain), and its dependents with it.
    expect(core.catalog()).not.toBe(catalogBefore);

    expect(chunks.map((chunk) => chunk.phase)).toEqual(['registering', 'authorizing', 'waiting', 'writing']);
    expect(chunks[1]).toMatchObject({ verificationUri: expect.stringMatching(/^https:\/\/device\.sso\.[a-z0-9-]+\.amazonaws\.com\/\?user_code=[A-F0-9]{4}-[A-F0-9]{4}$/), userCode: expect.stringMatching(/^[A-F0-9]{4}-[A-F0-9]{4}$/) });
    expect(chunks[1]!.verificationUri).toContain(chunks[1]!.userCode);
    // Two "authorization pending" answers, then the token: three polls, each after the interval AWS gave (1 s).
    expect(ssoCalls()).toEqual({ 'sso-oauth:RegisterClient': 1, 'sso-oauth:StartDeviceAuthorization': 1, 'sso-oauth:CreateToken': 3 });
    expect(clock.waits).toEqual([1000, 1000, 1000]);

    const file = join(cacheDir(), `${sha1('corp')}.json`);
    expect(result).toEqual({ signedIn: true, cancelled: false, profile: 'team', expiresAt: expect.any(String), cacheFile: file });
    expect(cacheFiles()).toEqual([`${sha1('corp')}.json`]);
    const token = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(token).sort()).toEqual(['accessToken', 'clientId', 'clientSecret', 'expiresAt', 'refreshToken', 'region', 'registrationExpiresAt', 'startUrl']);
    expect(token).toMatchObject({ startUrl: START_URL, region: 'eu-west-1', accessToken: expect.stringMatching(/^emulator-sso-access-/), refreshToken: expect.stringMatching(/^emulator-sso-refresh-/) });
    expect(token.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(token.registrationExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(token.expiresAt).toBe(result!.expiresAt);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);

    expect(await core.dispatcher.dispatch('ssoStatus', {})).toMatchObject({ ok: true, value: { token: 'valid', cacheFile: file } });
    // After: the SDK's own chain reads the token, asks the portal for the role's credentials once, and STS and
    // Bedrock answer calls signed with them.
    expect(await core.dispatcher.dispatch('whoAmI', {})).toMatchObject({ ok: true, value: { credentialSource: 'sso', account: '111122223333', profile: 'team' } });
    const catalog = await core.dispatcher.dispatch('getCatalog', {});
    expect(catalog).toMatchObject({ ok: true, value: { meta: { source: 'api' } } });
    expect(ssoCalls()['awsssoportal:GetRoleCredentials']).toBe(1);
    expect(emulator.stats().requests['us-east-1']?.ListFoundationModels).toBeGreaterThan(0);
  });

  it('hands Bedrock the role credentials the portal gave (credentials the emulator treats as expired fail the scan with ExpiredToken)', async () => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 0, roleCredentials: { accessKeyId: 'ASIAEXPIREDSSOROLE01' } } }));
    const { core } = await open('team');
    expect((await signIn(core)).result).toMatchObject({ signedIn: true });
    const refresh = await core.dispatcher.dispatch('refreshCatalog', {});
    const text = JSON.stringify(refresh);
    expect(text).toMatch(/ExpiredToken/);
    expect(ssoCalls()['awsssoportal:GetRoleCredentials']).toBeGreaterThan(0);
  });

  it('names the cache file of a legacy profile after its start URL and registers no scopes', async () => {
    setUp(LEGACY_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 1 } }));
    const { core } = await open('old');
    const { result } = await signIn(core);
    expect(result).toMatchObject({ signedIn: true, cacheFile: join(cacheDir(), `${sha1('https://legacy.awsapps.com/start')}.json`) });
    expect(cacheFiles()).toEqual([`${sha1('https://legacy.awsapps.com/start')}.json`]);
    expect(await core.dispatcher.dispatch('whoAmI', {})).toMatchObject({ ok: true, value: { credentialSource: 'sso', profile: 'old' } });
  });

  it('signs in the profile the input names, over the one in settings', async () => {
    setUp(SESSION_PROFILE + '\n' + LEGACY_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 0 } }));
    const { core } = await open('team');
    expect((await signIn(core, { profile: 'old' })).result).toMatchObject({ signedIn: true, profile: 'old' });
    expect(cacheFiles()).toEqual([`${sha1('https://legacy.awsapps.com/start')}.json`]);
  });

  it('waits five seconds more after slow_down, and keeps the longer interval', async () => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 2, slowDownOnce: true } }));
    const { core, clock } = await open('team');
    const { result } = await signIn(core);
    expect(result).toMatchObject({ signedIn: true });
    // Poll 1: slow_down; polls 2 and 3: pending; poll 4: the token.
    expect(ssoCalls()['sso-oauth:CreateToken']).toBe(4);
    expect(clock.waits).toEqual([1000, 6000, 6000, 6000]);
  });
});

describe('ssoSignIn: what the user did not approve, and what could not be written', () => {
  const noStack = (message: string) => expect(message).not.toMatch(/\n\s+at /);

  it('a denied authorization says it was denied, and writes nothing', async () => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 1, deny: true } }));
    const { core } = await open('team');
    const { error, chunks } = await signIn(core);
    expect(error).toMatchObject({ name: 'SsoSignInError', code: 'SSO_AUTHORIZATION_DENIED' });
    expect(error!.message).toMatch(/^The sign-in to https:\/\/corp\.awsapps\.com\/start was denied \(code [A-F0-9]{4}-[A-F0-9]{4}\)/);
    expect(error!.message).toContain(chunks[1]!.userCode!);
    noStack(error!.message);
    expect(ssoCalls()['sso-oauth:CreateToken']).toBe(2);
    expect(cacheFiles()).toEqual([]);
    expect(await core.dispatcher.dispatch('ssoStatus', {})).toMatchObject({ ok: true, value: { token: 'missing' } });
  });

  it('a code IAM Identity Center says expired names the expiry, and writes nothing', async () => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 0, expire: true } }));
    const { core } = await open('team');
    const { error } = await signIn(core);
    expect(error).toMatchObject({ name: 'SsoSignInError', code: 'SSO_AUTHORIZATION_EXPIRED' });
    expect(error!.message).toMatch(/^The sign-in code [A-F0-9]{4}-[A-F0-9]{4} expired before it was approved\. Sign in again/);
    noStack(error!.message);
    expect(ssoCalls()['sso-oauth:CreateToken']).toBe(1);
    expect(cacheFiles()).toEqual([]);
  });

  it('stops polling once the code’s own lifetime has run out, without a poll after it', async () => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 100, deviceCodeExpiresInSeconds: 3 } }));
    const { core, clock } = await open('team');
    const { error } = await signIn(core);
    expect(error).toMatchObject({ code: 'SSO_AUTHORIZATION_EXPIRED' });
    // Polls at 1 s and 2 s; at 3 s the code has expired and no third poll is sent.
    expect(ssoCalls()['sso-oauth:CreateToken']).toBe(2);
    expect(clock.waits).toEqual([1000, 1000, 1000]);
    expect(cacheFiles()).toEqual([]);
  });

  it('an unwritable cache directory names the path and the fix, before the user is sent to the browser', async () => {
    setUp(SESSION_PROFILE);
    // A file where ~/.aws/sso should be a directory: the cache directory cannot be created (as root, permissions
    // alone would not stop the write).
    mkdirSync(join(homedir(), '.aws'), { recursive: true });
    writeFileSync(ssoDir(), 'not a directory');
    const { core } = await open('team');
    const { error, chunks } = await signIn(core);
    expect(error).toMatchObject({ name: 'SsoSignInError', code: 'SSO_CACHE_UNWRITABLE' });
    expect(error!.message).toContain(cacheDir());
    expect(error!.message).toMatch(/a file stands where a directory should be; move it away/);
    noStack(error!.message);
    expect(chunks.map((chunk) => chunk.phase)).toEqual(['registering']);
    expect(ssoCalls()).toEqual({});
    expect(readFileSync(ssoDir(), 'utf8')).toBe('not a directory');
  });

  it.skipIf(process.getuid?.() === 0)('a cache directory without write permission names the path and chmod', async () => {
    setUp(SESSION_PROFILE);
    mkdirSync(cacheDir(), { recursive: true, mode: 0o500 });
    const { core } = await open('team');
    const { error } = await signIn(core);
    expect(error).toMatchObject({ code: 'SSO_CACHE_UNWRITABLE' });
    expect(error!.message).toContain(`chmod 700 ${cacheDir()}`);
    expect(ssoCalls()).toEqual({});
  });

  it('a profile that is not an SSO profile, or names a missing sso-session, says so and calls nothing', async () => {
    setUp(SESSION_PROFILE);
    const { core } = await open('plain');
    const plain = await signIn(core);
    expect(plain.error).toMatchObject({ code: 'SSO_NOT_SSO_PROFILE' });
    expect(plain.error!.message).toMatch(/^Profile "plain" is not an IAM Identity Center \(SSO\) profile/);
    const broken = await signIn(core, { profile: 'broken' });
    expect(broken.error).toMatchObject({ code: 'SSO_PROFILE_INCOMPLETE' });
    expect(broken.error!.message).toMatch(/names sso_session "missing", but the config file has no \[sso-session missing\] section/);
    expect(ssoCalls()).toEqual({});
  });
});

describe('ssoSignIn: cancel at every step', () => {
  const cancelAt = async (phase: SsoSignInChunk['phase']) => {
    setUp(SESSION_PROFILE);
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 3 } }));
    const { core } = await open('team');
    const catalogBefore = core.catalog();
    const run = await signIn(core, {}, (chunk, cancel) => chunk.phase === phase && cancel());
    return { ...run, core, catalogBefore };
  };

  it('before registering: nothing is sent', async () => {
    const { result, end } = await cancelAt('registering');
    expect(end.type).toBe('result');
    expect(result).toEqual({ signedIn: false, cancelled: true, profile: 'team', expiresAt: null, cacheFile: null });
    expect(ssoCalls()).toEqual({});
    expect(cacheFiles()).toEqual([]);
  });

  it('while the code is shown: no poll is sent', async () => {
    const { result } = await cancelAt('authorizing');
    expect(result).toMatchObject({ signedIn: false, cancelled: true });
    expect(ssoCalls()).toEqual({ 'sso-oauth:RegisterClient': 1, 'sso-oauth:StartDeviceAuthorization': 1 });
    expect(cacheFiles()).toEqual([]);
  });

  it('while polling: the polling stops, nothing is written, and the next sign-in starts over', async () => {
    const { result, core, catalogBefore } = await cancelAt('waiting');
    expect(result).toMatchObject({ signedIn: false, cancelled: true });
    expect(core.catalog()).toBe(catalogBefore);
    expect(ssoCalls()['sso-oauth:CreateToken']).toBe(1);
    expect(cacheFiles()).toEqual([]);
    expect((await signIn(core)).result).toMatchObject({ signedIn: true });
    expect(ssoCalls()['sso-oauth:RegisterClient']).toBe(2);
  });
});

describe('ssoStatus', () => {
  it('tells a missing, an expired and a valid token apart, and a profile that is not SSO', async () => {
    setUp(SESSION_PROFILE);
    const { core } = await open('team');
    const file = join(cacheDir(), `${sha1('corp')}.json`);
    expect(await core.dispatcher.dispatch('ssoStatus', {})).toEqual({
      ok: true,
      value: { profile: 'team', kind: 'sso-session', sessionName: 'corp', startUrl: START_URL, ssoRegion: 'eu-west-1', token: 'missing', expiresAt: null, cacheFile: file, problem: null },
    });
    mkdirSync(cacheDir(), { recursive: true });
    writeFileSync(file, JSON.stringify({ startUrl: START_URL, region: 'eu-west-1', accessToken: 'old', expiresAt: '2020-01-01T00:00:00Z' }));
    expect(await core.dispatcher.dispatch('ssoStatus', {})).toMatchObject({ ok: true, value: { token: 'expired', expiresAt: '2020-01-01T00:00:00.000Z' } });
    writeFileSync(file, JSON.stringify({ startUrl: START_URL, region: 'eu-west-1', accessToken: 'new', expiresAt: '2999-01-01T00:00:00Z' }));
    expect(await core.dispatcher.dispatch('ssoStatus', {})).toMatchObject({ ok: true, value: { token: 'valid' } });
    expect(await core.dispatcher.dispatch('ssoStatus', { profile: 'plain' })).toMatchObject({ ok: true, value: { profile: 'plain', kind: null, token: null } });
    expect(await core.dispatcher.dispatch('ssoStatus', { profile: 'broken' })).toMatchObject({ ok: true, value: { kind: 'sso-session', token: null, problem: expect.stringContaining('[sso-session missing]') } });
  });
});
