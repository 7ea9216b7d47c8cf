import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/bedrock-atlas.js', import.meta.url));

function run(...args: string[]) {
  const env = { ...process.env };
  delete env.BEDROCK_ATLAS_ENDPOINT_URL;
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bedrock-atlas CLI', () => {
  it('prints help and its version', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/web.*\n.*catalog|catalog/s);
    expect(run('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [['catalog', '--bogus'], /unknown option '--bogus'/],
    [['catalog', '--regions', 'us-east-1,mars-1'], /Unknown region "mars-1"\. Valid choices: all, us-east-1/],
    [['catalog', '--endpoint-url', 'not a url'], /"not a url" is not a URL/],
    [['catalog', '--endpoint-url', 'ftp://127.0.0.1'], /must start with http:\/\/ or https:\/\//],
    [['catalog', '--cache-mode', 'disk'], /Allowed choices are file, memory, none/],
    [['catalog', '--max-age-hours', '-3'], /option '--max-age-hours <hours>' argument '-3' is invalid\. The maximum age must be more than 0 hours/],
    [['web', '--port', '70000'], /not a port number/],
    [['emulator', '--scenario', '/nonexistent/scenario.json'], /Cannot read scenario file/],
    [['launch-rockets'], /unknown command 'launch-rockets'/],
  ])('exits 2 with a clear message for %j', (args, message) => {
    const result = run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('bedrock-atlas catalog against the emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  function runAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'x' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('prints the catalog document on stdout and per-region progress on stderr', async () => {
    const result = await runAsync('catalog', '--json', '--cache-mode', 'none', '--regions', 'eu-west-1,me-south-1', '--endpoint-url', emulator.url);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ schemaVersion: 1, source: 'api', regions: { 'eu-west-1': { status: 'ok' }, 'me-south-1': { status: 'error' } } });
    expect(result.stderr).toMatch(/eu-west-1\s+ok\s+\d+ models/);
    expect(result.stderr).toMatch(/me-south-1\s+FAILED\s+UnrecognizedClientException/);
  });

  it('exits non-zero with the reason when no source is left', async () => {
    const result = await runAsync('catalog', '--cache-mode', 'none', '--no-bundled', '--regions', 'me-south-1', '--endpoint-url', emulator.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CatalogUnavailable: No catalog could be loaded\. cache: disabled \(mode none\) \| api: .* \| bundled: disabled/);
  });
});
