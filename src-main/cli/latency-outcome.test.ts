import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { freshHomeEnv, runCli } from './testing/run-cli';

/** What a latency run says when it measured less than asked, and where a target is offered when the run's regions do not. */

const NOVA_MICRO = 'amazon.nova-micro-v1:0'; // on demand in us-east-1, through a geo profile only in eu-west-1
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0'; // through profiles only in us-east-1
const JAMBA_MINI = 'ai21.jamba-1-5-mini-v1:0'; // on demand in us-east-1, not offered in ap-southeast-2

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario({ timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } }) });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetStats());

const latency = (...args: string[]) => runCli(['latency', '--endpoint-url', emulator.url, '--cache-mode', 'none', '--runs', '2', '--max-tokens', '5', ...args], { env: freshHomeEnv() });

describe('bedrock-atlas latency: exit codes and status', () => {
  it('0 and "completed" when every route produced samples', async () => {
    const result = await latency('--target', NOVA_MICRO, '--regions', 'us-east-1', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('completed');
  });

  it('1 and "partial" when a route produced nothing, naming it; the measured route is still reported', async () => {
    const result = await latency('--target', NOVA_MICRO, '--regions', 'us-east-1,eu-west-1', '--no-auto-profile', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('partial');
    expect(report.regions['us-east-1'].samples).toBe(2);
    expect(result.stderr).toMatch(/Partial: no samples from 1 of 2 routes:\n {2}eu-west-1: /);
  });

  it('1 and "failed" when no route produced samples (the endpoint is down)', async () => {
    const down = await startEmulator();
    const url = down.url;
    await down.close();
    const result = await runCli(['latency', '--endpoint-url', url, '--cache-mode', 'none', '--regions', 'us-east-1', '--runs', '2', '--target', NOVA_MICRO, '--json'], { env: freshHomeEnv() });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).status).toBe('failed');
    expect(result.stderr).toMatch(/Failed: no samples from 1 of 1 routes:\n {2}us-east-1: /);
  });

  it('auto-profile is on by default, as in the app; --no-auto-profile turns it off', async () => {
    const auto = await latency('--target', HAIKU_45, '--regions', 'us-east-1', '--json');
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(/auto-profile calls us\.anthropic\.claude-haiku-4-5/);
    const off = await latency('--target', HAIKU_45, '--regions', 'us-east-1', '--no-auto-profile');
    expect(off.code).not.toBe(0);
    expect(emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(auto.code === 0 ? 3 : 0);
  });

  it('names the flag the user typed: --timeout-ms, not requestTimeoutMs; exit 2', async () => {
    const result = await latency('--target', NOVA_MICRO, '--regions', 'us-east-1', '--timeout-ms', '-1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--timeout-ms must be at least 100/);
    expect(result.stderr).not.toMatch(/requestTimeoutMs/);
  });
});

describe('bedrock-atlas latency: a target the run\'s regions do not offer', () => {
  it('says where it is offered and how, as `where` would, and exits 2 without sending anything', async () => {
    const result = await latency('--target', JAMBA_MINI, '--regions', 'ap-southeast-2');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/No model or inference profile matches/);
    expect(result.stderr).toMatch(/ai21\.jamba-1-5-mini-v1:0 is not offered in ap-southeast-2 \(the regions of this run\)\. It is callable in:/);
    expect(result.stderr).toMatch(/ {2}us-east-1 +on demand: ai21\.jamba-1-5-mini-v1:0/);
    expect(result.stderr).toMatch(/Run with --regions [a-z0-9-,]*us-east-1/);
    expect(Object.values(emulator.stats().requests).every((calls) => (calls?.ConverseStream ?? 0) === 0)).toBe(true);
  });

  it('an id no catalog knows still says so, exit 2, with no "Search the matrix"', async () => {
    const result = await latency('--target', 'no-such-model-anywhere', '--regions', 'ap-southeast-2');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No model or inference profile matches "no-such-model-anywhere"/);
    expect(result.stderr).not.toMatch(/Search the matrix/);
  });
});
