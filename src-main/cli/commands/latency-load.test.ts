import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseScenario } from '../../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { BIN, freshHomeEnv } from '../testing/run-cli';

/** `bedrock-atlas latency --load` as a user runs it: the real CLI in a child process against the emulator. */

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const FORMS = /Use concurrency:1,2,4,8 \(requests in flight\) or rate:0\.5,1,2,4 \(requests per second\)/;

// Haiku's applied quota in eu-west-1 is 1 200 requests a minute (20 a second, a second's burst), enforced as Bedrock
// does; us-east-1 answers everything.
const SCENARIO = {
  timeToFirstTokenMs: { '*': 5 },
  perTokenMs: { '*': 1 },
  enforceQuotas: { burstSeconds: 1 },
  quotas: { rules: [{ region: 'eu-west-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 1200 }, { region: 'us-east-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 100_000 }] },
};

let emulator: RunningEmulator;
let dataDir: string;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario(SCENARIO) });
  dataDir = await mkdtemp(join(tmpdir(), 'atlas-load-cli-'));
});
afterAll(() => emulator.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { interruptOn?: RegExp } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'x' };
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
    const child = spawn(process.execPath, [BIN, 'latency', '--target', HAIKU, ...args, '--endpoint-url', emulator.url, '--cache-mode', 'none', '--data-dir', dataDir], { env });
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

describe('bedrock-atlas latency --load', () => {
  it.each([
    [['--load', 'concurrency:1,two,4'], /error: --load: load levels must be numbers: "two" is not\./],
    [['--load', 'rate:'], /--load: load levels must be numbers: an empty one is not/],
    [['--load', 'burst:1,2'], /--load: "burst:1,2" is not a load\./],
    [['--load', 'concurrency:0,1,2'], /--load: load levels must be greater than 0, not 0\./],
    [['--load', 'rate:-1,2'], /--load: load levels must be greater than 0, not -1\./],
    [['--load', 'concurrency:1,4,2'], /--load: load levels must increase: 2 comes after 4\./],
    [['--load', 'rate:1,2,2'], /--load: load levels must not repeat: 2 is given twice\./],
  ])('exits 2 for %j, naming the accepted forms, and sends nothing', async (args, message) => {
    const before = emulator.stats().requests['us-east-1']?.ConverseStream ?? 0;
    const result = await cli([...args, '--regions', 'us-east-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(FORMS);
    expect(result.stdout).toBe('');
    expect(emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(before);
  });

  it.each([
    [['--load', 'concurrency:1,2', '--runs', '5'], /error: --runs applies to a lab run, not a load run: its levels set the load/],
    [['--load', 'concurrency:1,2', '--arrivals', 'constant'], /--arrivals applies to rate levels/],
    [['--load', 'rate:1,2', '--step-requests', '5'], /error: --step-requests applies to concurrency levels; rate levels last stepDurationMs/],
    [['--load', 'rate:1,2', '--step-duration', 'soon'], /--step-duration: "soon" is not a duration\. Use 30s, 2m or 500ms\./],
    [['--load', 'rate:1,2', '--step-duration', '50ms'], /--step-duration must be at least 100 ms/],
    [['--load', 'rate:1', '--slo', 'custom'], /--slo: a custom SLO needs at least one bound/],
    [['--load', 'rate:1', '--max-cost', '0'], /--max-cost must be more than 0/],
    [['--step-duration', '10s'], /--step-duration applies to a load run: add --load concurrency:1,2,4,8 or --load rate:0\.5,1,2,4/],
    [['--no-unique-prompts'], /--no-unique-prompts applies to a load run/],
  ])('exits 2 for %j', async (args, message) => {
    const result = await cli([...args, '--regions', 'us-east-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('prints each region\'s levels, knee and SLO as JSON, in the lab\'s per-region envelope, the knee where the rate passes the quota', async () => {
    // A first token at 400 ms, so that a busy machine's jitter never doubles a level's p90 TTFT: only throttles make the knee.
    emulator.setScenario(parseScenario({ ...SCENARIO, timeToFirstTokenMs: { '*': 400 } }));
    onTestFinished(() => emulator.setScenario(parseScenario(SCENARIO)));
    const result = await cli(['--regions', 'us-east-1,eu-west-1', '--load', 'rate:5,10,80', '--arrivals', 'constant', '--step-duration', '1.5s', '--max-tokens', '2', '--warmup', '0', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['target', 'status', 'load', 'step', 'uniquePrompts', 'slo', 'regions']);
    expect(report).toMatchObject({ target: HAIKU, status: 'completed', load: { mode: 'rate', levels: [5, 10, 80], arrivals: 'constant', seed: 1 }, step: { durationMs: 1500 }, uniquePrompts: true, slo: { name: 'chat' } });
    const throttled = report.regions['eu-west-1'];
    expect(Object.keys(throttled)).toEqual(['target', 'route', 'levels', 'knee', 'slo', 'quota']);
    expect(throttled.target).toBe(HAIKU);
    expect(Object.keys(throttled.levels[0]).slice(0, 9)).toEqual(['offered', 'achievedRps', 'ttftMs', 'interTokenMs', 'e2eMs', 'outputTokensPerSecond', 'samples', 'errors', 'goodputRps']);
    expect(throttled.levels.map((level: { offered: unknown }) => level.offered)).toEqual([{ ratePerSecond: 5 }, { ratePerSecond: 10 }, { ratePerSecond: 80 }]);
    expect(throttled.levels[0].ttftMs).toEqual({ p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) });
    expect(throttled.levels.map((level: { errors: { throttled: number } }) => level.errors.throttled > 0)).toEqual([false, false, true]);
    expect(throttled.knee).toEqual({ levelIndex: 2, reason: expect.stringMatching(/^throttles [\d.]+ % of 120 requests \(above 1 %\)$/) });
    expect(throttled.quota).toMatchObject({ status: 'found', requestsPerMinute: 1200, ratePerSecond: 20, binding: 'requestsPerMinute' });
    expect(report.regions['us-east-1'].knee).toBeNull();
    expect(result.stderr).toMatch(/Plan: load rate:5,10,80 over 2 routes, about 5 s: 286 requests/);
    expect(result.stderr).toMatch(/eu-west-1: level 3\/3 \(rate 80\/s\) completed: \d+\/120 answered/);
  });

  it('stops at --max-requests mid-level, says so, prints the table, and exits 0', async () => {
    const result = await cli(['--regions', 'us-east-1', '--load', 'concurrency:1,2,4', '--step-requests', '6', '--max-requests', '10', '--max-tokens', '2', '--no-unique-prompts', '--slo', 'mlperf-interactive']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/The budget of 10 requests was reached: sending stopped there, the level in progress is partial/);
    expect(result.stdout).toMatch(/: partial, load concurrency:1,2,4, 6 requests per level/);
    expect(result.stdout).toMatch(/Prompts: the same every time \(the prompt cache may answer\); SLO mlperf-interactive: TTFT <= 500 ms, ITL <= 30 ms per request, held at p99\./);
    expect(result.stdout).toMatch(/^1\s+concurrency 1\s+6\s+6\s/m);
    expect(result.stdout).toMatch(/^2\s+concurrency 2\s+3\s+3\s/m);
    expect(result.stdout).toMatch(/level 2 is partial: stopped by maxRequests/);
    expect(result.stdout).not.toMatch(/^3\s+concurrency 4/m);
  });

  it('Ctrl+C keeps every finished level: printed, saved, exit 130', async () => {
    const result = await cli(['--regions', 'us-east-1', '--load', 'concurrency:1,2', '--step-duration', '2s', '--max-tokens', '2', '--json'], { interruptOn: /level 1\/2 \(concurrency 1\) completed/ });
    expect(result.code).toBe(130);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('cancelled');
    expect(report.regions['us-east-1'].levels[0]).toMatchObject({ offered: { concurrency: 1 }, status: 'completed' });
    expect(report.regions['us-east-1'].levels.slice(1).every((level: { status: string }) => level.status === 'partial')).toBe(true);
    expect(result.stderr).toMatch(/Cancelled: the finished levels below were saved/);
  });
});
