import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { parseScenario } from '../../emulator/scenario';
import { BIN, freshHomeEnv, runCli } from '../testing/run-cli';

/**
 * `bedrock-atlas sso login` as a user runs it: a child process in a HOME of its own with an SSO profile in its
 * config file, against the emulator's IAM Identity Center (a 0 s poll interval: nothing waits on the clock).
 */

const emulator = emulatorPerFile();

const CONFIG =
  '[profile team]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n\n' +
  '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n[profile plain]\nregion = us-east-1\n';

/** A HOME with the SSO profile, no credentials in the environment, the portal reached at the emulator. */
function ssoHome(): { env: NodeJS.ProcessEnv; home: string; cacheFile: string } {
  const env = freshHomeEnv();
  mkdirSync(join(env.HOME!, '.aws'), { recursive: true });
  writeFileSync(env.AWS_CONFIG_FILE!, CONFIG);
  return {
    home: env.HOME!,
    cacheFile: join(env.HOME!, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`),
    env: { ...env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_SSO: emulator.url },
  };
}

const unsignedCalls = () => emulator.stats().requests.unsigned ?? {};

describe('bedrock-atlas sso login', () => {
  it('prints the page and the code on stderr, waits for the approval, writes the token, and whoami then sees SSO credentials', async () => {
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 2, intervalSeconds: 0 } }));
    const { env, cacheFile } = ssoHome();
    const run = await runCli(['sso', 'login', '--profile', 'team', '--endpoint-url', emulator.url], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^Open this page to sign in, and check that it shows the code ([A-F0-9]{4}-[A-F0-9]{4}):$/);
    expect(lines[1]).toMatch(/^ {2}https:\/\/device\.sso\.us-east-1\.amazonaws\.com\/\?user_code=[A-F0-9]{4}-[A-F0-9]{4}$/);
    expect(lines[2]).toMatch(/^Waiting for your approval/);
    expect(lines.at(-1)).toBe(`Signed in: profile team, valid until ${JSON.parse(readFileSync(cacheFile, 'utf8')).expiresAt} (token cached in ${cacheFile}).`);
    expect(unsignedCalls()['sso-oauth:CreateToken']).toBe(3);

    const who = await runCli(['whoami', '--json', '--profile', 'team', '--endpoint-url', emulator.url], { env });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ credentialSource: 'sso', profile: 'team' });
    expect(unsignedCalls()['awsssoportal:GetRoleCredentials']).toBe(1);
  });

  it('a denied sign-in exits 1 with its message, no stack, nothing written', async () => {
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 0, deny: true, intervalSeconds: 0 } }));
    const { env, cacheFile } = ssoHome();
    const run = await runCli(['sso', 'login', '--profile', 'team', '--endpoint-url', emulator.url], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: SsoSignInError: The sign-in to https:\/\/corp\.awsapps\.com\/start was denied/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(cacheFile)).toBe(false);
  });

  it('a profile that is not SSO exits 1 naming `aws configure sso`', async () => {
    const { env } = ssoHome();
    const run = await runCli(['sso', 'login', '--profile', 'plain', '--endpoint-url', emulator.url], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Profile "plain" is not an IAM Identity Center \(SSO\) profile.*aws configure sso --profile plain/);
    expect(unsignedCalls()).toEqual({});
  });

  it('Ctrl+C while waiting cancels the polling, exits 130 and writes nothing', async () => {
    emulator.setScenario(parseScenario({ sso: { approveAfterPolls: 1_000_000, intervalSeconds: 1 } }));
    const { env, home, cacheFile } = ssoHome();
    const child = spawn(process.execPath, [BIN, 'sso', 'login', '--profile', 'team', '--endpoint-url', emulator.url], { env: { ...process.env, ...env } });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('Waiting for your approval')) resolve();
      }),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/Sign-in cancelled: nothing was written\./);
    expect(existsSync(cacheFile)).toBe(false);
    const cacheDir = join(home, '.aws', 'sso', 'cache');
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });
});
