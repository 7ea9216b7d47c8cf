import { describe, expect, it } from 'vitest';
import { issueShortTermKey } from '../../emulator/api-keys';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { parseScenario } from '../../emulator/scenario';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `bedrock-atlas whoami` as a user runs it: a child process in a HOME of its own, against the emulator's STS. */

const emulator = emulatorPerFile();

/** Only the credentials a test names: no key, no profile, no instance metadata service. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...freshHomeEnv(),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_BEARER_TOKEN_BEDROCK: undefined,
    AWS_REGION: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

describe('bedrock-atlas whoami', () => {
  it('--json prints exactly account, arn, credentialSource, profile and apiKey', async () => {
    emulator.setScenario(parseScenario({ identity: { account: '444455556666', arn: 'arn:aws:sts::444455556666:assumed-role/Dev/alice' } }));
    const run = await runCli(['whoami', '--json', '--endpoint-url', emulator.url], { env: env({ AWS_ACCESS_KEY_ID: 'AKIACLIWHOAMI0000001', AWS_SECRET_ACCESS_KEY: 's' }) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual({
      account: '444455556666',
      arn: 'arn:aws:sts::444455556666:assumed-role/Dev/alice',
      credentialSource: 'environment',
      profile: null,
      apiKey: null,
    });
  });

  it('prints one line per fact without --json', async () => {
    const run = await runCli(['whoami', '--endpoint-url', emulator.url], { env: env({ AWS_ACCESS_KEY_ID: 'AKIACLIWHOAMI0000001', AWS_SECRET_ACCESS_KEY: 's' }) });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      'account      123456789012',
      'arn          arn:aws:iam::123456789012:user/Alice',
      'credentials  environment',
      'api key      none',
    ]);
  });

  it('with only a short-term API key: the key kind, region and expiry, says identity needs AWS credentials, never prints the key', async () => {
    const key = issueShortTermKey({ region: 'eu-west-1', signedAt: new Date('2026-05-01T08:00:00Z'), expiresSeconds: 3600 });
    const run = await runCli(['whoami', '--json', '--endpoint-url', emulator.url], { env: env({ AWS_BEARER_TOKEN_BEDROCK: key }) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual({
      account: null,
      arn: null,
      credentialSource: 'bedrock-api-key',
      profile: null,
      apiKey: { kind: 'short-term', region: 'eu-west-1', expiresAt: '2026-05-01T09:00:00.000Z' },
    });
    expect(run.stderr).toContain('needs AWS credentials (an API key covers Bedrock calls only)');
    expect(run.stdout + run.stderr).not.toContain(key.slice(16, 80));
  });

  it('exits 1 naming the fix for an expired session token', async () => {
    const run = await runCli(['whoami', '--endpoint-url', emulator.url], {
      env: env({ AWS_ACCESS_KEY_ID: 'ASIAEXPIREDCLI000001', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 'cli-session-token-value' }),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: ExpiredToken: The AWS session token has expired: refresh it/m);
    expect(run.stderr).not.toContain('cli-session-token-value');
  });

  it('exits 1 naming the fix when no credentials are found', async () => {
    const run = await runCli(['whoami', '--endpoint-url', 'http://atlas-not-reached.invalid'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: CredentialsMissing: No AWS credentials found\. Set AWS_PROFILE/m);
  });

  it('exits 1 on a malformed API key, saying why, without printing it', async () => {
    const key = 'ABSKdGhpcyBpcyBub3QgYSBiZWRyb2NrIGtleSBhdCBhbGw=';
    const run = await runCli(['whoami', '--endpoint-url', emulator.url], { env: env({ AWS_BEARER_TOKEN_BEDROCK: key }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ApiKeyMalformed: The Bedrock API key is not valid: a long-term key \(ABSK…\) must encode BedrockAPIKey-/);
    expect(run.stdout + run.stderr).not.toContain(key);
  });
});
