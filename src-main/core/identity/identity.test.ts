import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAtlasCore, type AtlasCore, type AtlasCoreInit } from '../app/atlas-core';
import { issueLongTermKey, issueShortTermKey } from '../../emulator/api-keys';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario } from '../../emulator/scenario';
import type { ApiKeyVault } from '../aws/bedrock-api-key';
import { waitFor } from '../../testing/emulated-core';

/**
 * Who am I, through the real composition root and the real SDK credential chain, against the emulator's STS over
 * loopback HTTP. Credentials come from what each test writes into this file's own HOME (config files, SSO cache,
 * a credential_process script) or its environment, never from the user's.
 */

let emulator: RunningEmulator;
const cores: AtlasCore[] = [];
const awsDir = join(homedir(), '.aws');

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  vi.unstubAllEnvs();
});

/** No credential of any kind in the environment: each test adds what it means to test. */
function clearCredentialEnv(): void {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
    vi.stubEnv(name, undefined);
  }
  // The chain's last step asks the instance metadata service; this machine is not an instance.
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

async function open(init: Partial<AtlasCoreInit> = {}): Promise<AtlasCore> {
  const core = await createAtlasCore({ version: '0.0.0-test', endpointUrl: emulator.url, bedrockApiKey: null, overrides: { cacheMode: 'none', regions: ['us-east-1', 'eu-west-1'] }, ...init });
  cores.push(core);
  return core;
}

async function call(core: AtlasCore, method: string, input?: unknown) {
  return core.dispatcher.dispatch(method, input);
}

function stsCalls(): number {
  return Object.values(emulator.stats().requests).reduce((sum, perOperation) => sum + (perOperation['sts:GetCallerIdentity'] ?? 0), 0);
}

/** A config file of the test's own: the SDK caches each config file it has read by path for the process. */
function writeConfig(text: string): void {
  const path = join(mkdtempSync(join(tmpdir(), 'atlas-aws-config-')), 'config');
  writeFileSync(path, text);
  vi.stubEnv('AWS_CONFIG_FILE', path);
}

describe('whoAmI: who the credentials in force are', () => {
  it('answers the account and ARN STS gives for environment keys, and says they come from the environment', async () => {
    clearCredentialEnv();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAENVIRONMENTKEY01');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'environment-secret');
    emulator.setScenario(parseScenario({ identity: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/Dana' } }));
    const envelope = await call(await open(), 'whoAmI');
    expect(envelope).toEqual({
      ok: true,
      value: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/Dana', credentialSource: 'environment', profile: null, apiKey: null, note: null },
    });
  });

  it("names a profile's static keys and the profile", async () => {
    clearCredentialEnv();
    writeConfig('[profile work]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\nregion = eu-west-1\n');
    const envelope = await call(await open({ overrides: { cacheMode: 'none', awsProfile: 'work' } }), 'whoAmI');
    expect(envelope).toMatchObject({ ok: true, value: { credentialSource: 'profile', profile: 'work', account: '123456789012' } });
  });

  it('asks STS once per credential set, however often it is asked', async () => {
    clearCredentialEnv();
    const core = await open({ credentials: { accessKeyId: 'AKIAGIVEN00000000001', secretAccessKey: 'given' } });
    const answers = await Promise.all([call(core, 'whoAmI'), call(core, 'whoAmI')]);
    await call(core, 'whoAmI');
    expect(answers.map((answer) => answer.ok)).toEqual([true, true]);
    expect(answers[0]).toMatchObject({ value: { credentialSource: 'given' } });
    expect(stsCalls()).toBe(1);
  });

  it('asks again for a refreshed set, and names the fix when the new set has expired (credentials that expire between two calls)', async () => {
    clearCredentialEnv();
    const dir = mkdtempSync(join(tmpdir(), 'atlas-process-'));
    const counter = join(dir, 'count');
    const script = join(dir, 'credentials.cjs');
    // Each run hands out a new set that expires in a minute (so the SDK refreshes it on the next call); the
    // second set is one STS considers expired.
    writeFileSync(
      script,
      `const fs = require('fs'); const n = fs.existsSync(${JSON.stringify(counter)}) ? Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0;
fs.writeFileSync(${JSON.stringify(counter)}, String(n + 1));
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: n === 0 ? 'ASIAPROCESSFIRST0001' : 'ASIAEXPIREDSECOND001', SecretAccessKey: 's', SessionToken: 'process-session-token-' + n, Expiration: new Date(Date.now() + 60000).toISOString() }));`,
    );
    chmodSync(script, 0o755);
    writeConfig(`[profile tool]\ncredential_process = ${process.execPath} ${script}\n`);
    const core = await open({ overrides: { cacheMode: 'none', awsProfile: 'tool' } });
    expect(await call(core, 'whoAmI')).toMatchObject({ ok: true, value: { credentialSource: 'credential-process', profile: 'tool' } });
    // The SDK hands out the set it has while it refreshes one about to expire in the background.
    expect(await call(core, 'whoAmI')).toMatchObject({ ok: true });
    expect(stsCalls()).toBe(1);
    await waitFor(() => existsSync(counter) && readFileSync(counter, 'utf8') === '2');
    // The new set is in force once the refresh has settled (the process has written its count by then, not always
    // returned): until then the first set, whose answer is kept, still answers.
    let third = await call(core, 'whoAmI');
    for (let attempt = 0; third.ok && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      third = await call(core, 'whoAmI');
    }
    expect(third).toMatchObject({ ok: false, error: { code: 'ExpiredToken' } });
    expect(third.ok ? '' : third.error.message).toMatch(/^The AWS session token has expired: refresh it \(`aws sso login --profile tool`, or new temporary keys\)/);
    expect(third.ok ? '' : third.error.message).not.toContain('process-session-token');
    expect(stsCalls()).toBe(2);
  });

  it('names an expired SSO session with the login command for its profile', async () => {
    clearCredentialEnv();
    writeConfig(
      '[profile team]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-1\n\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const cache = join(awsDir, 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    writeFileSync(
      join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({ startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', accessToken: 'expired-sso-token', expiresAt: '2020-01-01T00:00:00Z' }),
    );
    const envelope = await call(await open({ endpointUrl: 'http://atlas-not-reached.invalid', overrides: { cacheMode: 'none', awsProfile: 'team' } }), 'whoAmI');
    expect(envelope).toMatchObject({ ok: false, error: { code: 'SSOTokenExpired' } });
    expect(envelope.ok ? '' : envelope.error.message).toMatch(/^Your AWS SSO session has expired\. Run `aws sso login --profile team`/);
    expect(stsCalls()).toBe(0);
  });

  it('names the fix when no credentials are found', async () => {
    clearCredentialEnv();
    const envelope = await call(await open({ endpointUrl: 'http://atlas-not-reached.invalid' }), 'whoAmI');
    expect(envelope).toMatchObject({ ok: false, error: { code: 'CredentialsMissing' } });
    expect(envelope.ok ? '' : envelope.error.message).toMatch(/^No AWS credentials found\. Set AWS_PROFILE/);
  });

  it('says STS could not be reached, naming the network cause, when nothing answers', async () => {
    clearCredentialEnv();
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const envelope = await call(await open({ endpointUrl: url, credentials: { accessKeyId: 'AKIAGIVEN00000000001', secretAccessKey: 'given' }, clientTimeouts: { maxAttempts: 1 } }), 'whoAmI');
    expect(envelope).toMatchObject({ ok: false, error: { name: 'ECONNREFUSED' } });
    expect(envelope.ok ? '' : envelope.error.message).toBe('STS in us-east-1 could not be reached to ask who you are (ECONNREFUSED): check the network, proxy or endpoint and retry.');
  });
});

describe('whoAmI with a Bedrock API key', () => {
  it('with only a key, describes the key and says who you are needs AWS credentials, without calling STS', async () => {
    clearCredentialEnv();
    const key = issueShortTermKey({ region: 'eu-west-1', signedAt: new Date('2026-01-01T00:00:00Z') });
    const envelope = await call(await open({ bedrockApiKey: key }), 'whoAmI');
    expect(envelope).toEqual({
      ok: true,
      value: {
        account: null,
        arn: null,
        credentialSource: 'bedrock-api-key',
        profile: null,
        apiKey: { kind: 'short-term', region: 'eu-west-1', expiresAt: '2026-01-01T12:00:00.000Z' },
        note: 'Who you are needs AWS credentials (an API key covers Bedrock calls only).',
      },
    });
    expect(stsCalls()).toBe(0);
  });

  it('with a key and AWS credentials, answers from STS and describes the key beside them', async () => {
    clearCredentialEnv();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAENVIRONMENTKEY01');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'environment-secret');
    const envelope = await call(await open({ bedrockApiKey: issueLongTermKey() }), 'whoAmI');
    expect(envelope).toMatchObject({ ok: true, value: { account: '123456789012', credentialSource: 'environment', apiKey: { kind: 'long-term', region: null }, note: null } });
  });

  it('fails on a malformed key, saying why, and never shows it', async () => {
    clearCredentialEnv();
    const envelope = await call(await open({ bedrockApiKey: 'ABSKbm90LWEta2V5LWF0LWFsbA==' }), 'whoAmI');
    expect(envelope).toMatchObject({ ok: false, error: { code: 'ApiKeyMalformed' } });
    expect(JSON.stringify(envelope)).not.toContain('ABSKbm90LWEta2V5LWF0LWFsbA==');
  });
});

describe('the API key store (desktop vault)', () => {
  const memoryVault = (): ApiKeyVault & { value: string | null } => {
    const vault = { value: null as string | null, get: async () => vault.value, set: async (key: string) => void (vault.value = key), clear: async () => void (vault.value = null) };
    return vault;
  };

  it('stores a pasted key in the vault only, shows its kind, region and expiry, and clears it', async () => {
    clearCredentialEnv();
    const vault = memoryVault();
    const dir = mkdtempSync(join(tmpdir(), 'atlas-settings-'));
    const settingsPath = join(dir, 'settings.json');
    const core = await open({ apiKeyVault: vault, settingsPath });
    expect(await call(core, 'apiKeyStatus')).toEqual({ ok: true, value: { key: null, canStore: true, note: null } });
    const key = issueShortTermKey({ region: 'eu-west-1', signedAt: new Date(Date.now() - 60_000), expiresSeconds: 3600 });
    const stored = await call(core, 'setApiKey', { key });
    expect(stored).toMatchObject({ ok: true, value: { key: { kind: 'short-term', region: 'eu-west-1', expired: false, source: 'vault', problem: null }, canStore: true } });
    expect(vault.value).toBe(key);
    expect(JSON.stringify(stored)).not.toContain(key);
    // A settings save afterwards writes settings.json; the key is not in it.
    await call(core, 'updateSettings', { regions: ['eu-west-1'] });
    expect(readFileSync(settingsPath, 'utf8')).not.toContain(key.slice(16, 60));
    expect(await call(core, 'clearApiKey')).toEqual({ ok: true, value: { key: null, canStore: true, note: null } });
    expect(vault.value).toBeNull();
  });

  it('refuses a malformed key with the reason, storing nothing', async () => {
    clearCredentialEnv();
    const vault = memoryVault();
    const envelope = await call(await open({ apiKeyVault: vault }), 'setApiKey', { key: 'bedrock-api-key-bm90IGEgdXJs' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'ApiKeyMalformed' } });
    expect(envelope.ok ? '' : envelope.error.message).toMatch(/must encode a presigned bedrock.amazonaws.com URL/);
    expect(vault.value).toBeNull();
  });

  it('without a vault (the browser host), says the environment variable is the only way', async () => {
    clearCredentialEnv();
    const core = await open();
    expect(await call(core, 'apiKeyStatus')).toMatchObject({ ok: true, value: { canStore: false, note: expect.stringMatching(/browser host accepts the environment variable only/) } });
    expect(await call(core, 'setApiKey', { key: issueLongTermKey() })).toMatchObject({ ok: false, error: { code: 'NO_KEY_STORE' } });
  });
});
