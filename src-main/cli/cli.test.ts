import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
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
    [['catalog', '--max-age-hours', '-3'], /not a positive number of hours/],
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
