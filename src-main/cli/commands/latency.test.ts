import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../../emulator/server';

/** The lab's commands as a user runs them: the real CLI in a child process against the emulator, its own data dir. */

const BIN = fileURLToPath(new URL('../../../bin/bedrock-atlas.js', import.meta.url));
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

let emulator: RunningEmulator;
let dataDir: string;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario({ timeToFirstTokenMs: { '*': 20 }, perTokenMs: { '*': 2 } }) });
  dataDir = await mkdtemp(join(tmpdir(), 'atlas-lab-cli-'));
});
afterAll(() => emulator.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { interruptOn?: RegExp } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'x' };
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
    const shared = ['--endpoint-url', emulator.url, '--cache-mode', 'none', '--data-dir', dataDir];
    const child = spawn(process.execPath, [BIN, ...args, ...shared], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (options.interruptOn?.test(stderr)) {
        options.interruptOn = undefined;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bedrock-atlas latency, history, rank and probe', () => {
  it.each([
    [['latency', '--target', HAIKU, '--runs', '0'], /error: --runs must be between 1 and 1000/],
    [['latency', '--target', HAIKU, '--concurrency', '33'], /error: --concurrency must be between 1 and 32/],
    [['latency', '--target', HAIKU, '--runs', 'many'], /"many" is not a whole number/],
    [['latency', '--runs', '3'], /required option '--target <id>' not specified/],
    [['latency', '--target', HAIKU, '--prompt-size', 'huge'], /Allowed choices are small, medium, large/],
    [['probe', '--samples', '0'], /error: --samples must be at least 1/],
    [['history', '--since', 'yesterday'], /since is a duration \(30m, 12h, 7d, 4w\) or an ISO date/],
    [['rank', '--target', HAIKU, '--from', 'mars-1'], /Unknown region "mars-1"/],
    [['rank', '--target', 'no-such-model-anywhere', '--from', 'us-east-1'], /No model or inference profile matches "no-such-model-anywhere"/],
    [['history', '--data-dir', ''], /"" is not a directory path/],
  ])('exits 2 with the reason for %j', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for an unknown target and suggests close names', async () => {
    const result = await cli(['latency', '--target', 'anthropic.claude-3-haiky', '--regions', 'us-east-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No model or inference profile matches "anthropic\.claude-3-haiky"\. Did you mean anthropic\.claude-3-haiku-20240307-v1:0/);
  });

  it('prints the report as JSON on stdout and progress on stderr, then lists it in history and ranks it', async () => {
    const result = await cli(['latency', '--target', HAIKU, '--regions', 'us-east-1,eu-west-1', '--runs', '3', '--max-tokens', '5', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['target', 'runs', 'concurrency', 'status', 'regions']);
    expect(report).toMatchObject({ target: HAIKU, runs: 3, concurrency: 1, status: 'completed' });
    expect(report.regions['eu-west-1']).toMatchObject({
      route: { invokeId: HAIKU, callRegion: 'eu-west-1', kind: 'on-demand' },
      samples: 3,
      errors: { throttled: 0, accessDenied: 0, validation: 0, timeout: 0, other: 0 },
      ttftMs: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number), mean: expect.any(Number), min: expect.any(Number), max: expect.any(Number), stddev: expect.any(Number) },
      e2eMs: { p50: expect.any(Number) },
      interTokenMs: { p50: expect.any(Number) },
      outputTokensPerSecond: { p50: expect.any(Number) },
      serverLatencyMs: { p50: expect.any(Number) },
      connectionsOpened: 0,
    });
    expect(result.stderr).toMatch(/Plan: 6 measured requests \+ 2 warm-up over 2 routes/);
    expect(result.stderr).toMatch(/eu-west-1: done 3\/3, p50 TTFT \d+ ms/);

    const history = await cli(['history', '--target', HAIKU, '--json']);
    expect(history.code).toBe(0);
    const { runs } = JSON.parse(history.stdout);
    expect(Object.keys(runs[0])).toEqual(['id', 'startedAt', 'target', 'status', 'regions']);
    expect(runs[0]).toMatchObject({ target: HAIKU, status: 'completed', regions: { 'us-east-1': { samples: 3, ttftMs: { p50: expect.any(Number) } } } });

    const rank = await cli(['rank', '--target', HAIKU, '--from', 'us-east-1', '--json', '--regions', 'us-east-1,eu-west-1']);
    expect(rank.code).toBe(0);
    const { routes } = JSON.parse(rank.stdout);
    expect(Object.keys(routes[0])).toEqual(['invokeId', 'callRegion', 'kind', 'ttftP50Ms', 'samples', 'measuredAt', 'reason']);
    expect(routes.every((route: { samples: number }) => route.samples === 3)).toBe(true);
  });

  it('Ctrl+C cancels the run, prints and saves the partial report, and exits 130', async () => {
    const result = await cli(['latency', '--target', HAIKU, '--regions', 'us-east-1', '--runs', '500', '--max-tokens', '20', '--json'], { interruptOn: /measuring [1-9]\d*\/500/ });
    expect(result.code).toBe(130);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('cancelled');
    expect(report.regions['us-east-1'].samples).toBeGreaterThan(0);
    expect(report.regions['us-east-1'].samples).toBeLessThan(500);
    expect(result.stderr).toMatch(/Cancelled: the partial results below were saved/);
    const history = JSON.parse((await cli(['history', '--json', '--limit', '1'])).stdout);
    expect(history.runs[0]).toMatchObject({ status: 'cancelled', regions: { 'us-east-1': { samples: report.regions['us-east-1'].samples } } });
  });

  it('probes regions and prints the issue JSON shape', async () => {
    const result = await cli(['probe', '--regions', 'us-east-1,eu-west-1', '--samples', '2', '--json']);
    expect(result.code).toBe(0);
    const { regions } = JSON.parse(result.stdout);
    expect(regions['us-east-1']).toMatchObject({
      endpoint: emulator.url,
      cold: { dnsMs: null, connectMs: expect.any(Number), tlsMs: null, ttfbMs: expect.any(Number), totalMs: expect.any(Number) },
      warm: { ttfbMs: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number), mean: expect.any(Number), min: expect.any(Number), max: expect.any(Number) } },
      samples: 2,
    });
  });
});
