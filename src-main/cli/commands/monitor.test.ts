import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../testing/emulated-core';
import { parseScenario } from '../../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { estimatedTokens, LATENCY_PROMPTS } from '../../core/latency/prompts';
import { BIN, freshHomeEnv } from '../testing/run-cli';

/** `bedrock-atlas monitor` as a container runs it: the real CLI in a child process against the emulator. */

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_US = 'us.amazon.nova-lite-v1:0';
/** Shaped like a real secret key: it must never reach the monitor's log. */
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const FAST = { timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } };

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario(FAST) });
});
afterAll(() => emulator.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function monitor(args: string[], options: { whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIDMONITOR', AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_EC2_METADATA_DISABLED: 'true', ...options.env };
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
    const child = spawn(process.execPath, [BIN, 'monitor', ...args, '--endpoint-url', emulator.url, '--cache-mode', 'none'], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    options.whileRunning?.(child).catch((error: unknown) => {
      child.kill('SIGKILL');
      reject(error as Error);
    });
  });
}

async function configFile(config: Record<string, unknown>): Promise<{ path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-monitor-'));
  const path = join(dir, 'monitor.json');
  await writeFile(path, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
  return { path, dir };
}

const BASE = {
  vantage: 'ci-runner',
  targets: [{ target: HAIKU, regions: ['us-east-1', 'eu-west-1'] }],
  schedule: { everyMinutes: 10 },
  measure: { kind: 'latency', runs: 2, warmup: 1, maxTokens: 8 },
  budgets: { maxRequestsPerHour: 100 },
};

/** The sample parts of the vantage in the store, whatever UTC day they fell on. */
function partsOf(store: string): string[] {
  const vantage = join(store, 'samples', 'vantage=ci-runner');
  return existsSync(vantage) ? readdirSync(vantage).flatMap((day) => readdirSync(join(vantage, day))) : [];
}

const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('bedrock-atlas monitor: a bad config', () => {
  it.each([
    ['an unknown field', { ...BASE, sink: {} }, /sink: unknown field; the fields here are vantage, targets, schedule, measure, budgets, sinks, dataDir/],
    ['an unknown nested field', { ...BASE, schedule: { everyMinutes: 5, every: 3 } }, /schedule\.every: unknown field in schedule; the fields here are everyMinutes, jitterSeconds/],
    ['a schedule of 0 minutes', { ...BASE, schedule: { everyMinutes: 0 } }, /schedule\.everyMinutes: must be between 1 and 1440 minutes/],
    ['a negative schedule', { ...BASE, schedule: { everyMinutes: -5 } }, /schedule\.everyMinutes: must be between 1 and 1440 minutes/],
    ['a schedule that is not a number', { ...BASE, schedule: { everyMinutes: 'hourly' } }, /schedule\.everyMinutes: must be a number of minutes between 1 and 1440/],
    ['a jitter longer than the period', { ...BASE, schedule: { everyMinutes: 1, jitterSeconds: 90 } }, /schedule\.jitterSeconds: must be shorter than the schedule's period/],
    ['a negative request budget', { ...BASE, budgets: { maxRequestsPerHour: -10 } }, /budgets\.maxRequestsPerHour: must be 1 or more requests per hour/],
    ['a negative cost budget', { ...BASE, budgets: { maxRequestsPerHour: 10, maxCostPerDayUsd: -1 } }, /budgets\.maxCostPerDayUsd: must be more than 0 dollars/],
    ['an unknown region', { ...BASE, targets: [{ target: HAIKU, regions: ['us-east-9'] }] }, /targets\[0\]\.regions\[0\]: Unknown region "us-east-9"\. Valid choices: us-east-1/],
    ['an unknown measurement', { ...BASE, measure: { kind: 'ping' } }, /measure\.kind: kind must be "probe" or "latency"/],
  ])('exits 2 naming the field and its valid values: %s, and writes nothing', async (_name, config, message) => {
    const { path, dir } = await configFile(config);
    // --once is the mode that would measure and write: refused before anything is opened.
    const result = await monitor(['--config', path, '--once']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('exits 2 for a file that is not JSON, or not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-monitor-'));
    await writeFile(join(dir, 'broken.json'), '{ "vantage": ');
    const broken = await monitor(['--config', join(dir, 'broken.json'), '--check']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON/);
    const missing = await monitor(['--config', join(dir, 'absent.json'), '--check']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the monitor config .*absent\.json: there is no such file/);
  });
});

describe('bedrock-atlas monitor: a bad OTLP environment', () => {
  it('exits 2 naming the variable, never its value, and measures nothing', async () => {
    const { path, dir } = await configFile({ ...BASE, sinks: { otlp: { enabled: true } } });
    const before = emulator.stats().requests;
    const result = await monitor(['--config', path, '--once'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector.internal:4318?token=s3cr3t' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sinks\.otlp: .*OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(result.stderr).not.toContain('s3cr3t');
    expect(emulator.stats().requests).toEqual(before);
    expect(existsSync(join(dir, 'data', 'spool'))).toBe(false);
  });
});

describe('bedrock-atlas monitor --check and --print-policy', () => {
  it('prints the plan: requests and tokens per cycle and per day', async () => {
    const { path, dir } = await configFile(BASE);
    const result = await monitor(['--config', path, '--check']);
    expect(result.code).toBe(0);
    // Two routes × (2 runs + 1 warm-up) every 10 minutes: 6 requests a cycle, 144 cycles a day.
    const tokens = estimatedTokens(LATENCY_PROMPTS.small);
    expect(result.stdout).toContain('every 10 min, 144 cycles a day');
    expect(result.stdout).toMatch(new RegExp(`${HAIKU.replace(/[.:]/g, '\\$&')}\\s+us-east-1, eu-west-1\\s+6\\s+864\\s+${6 * tokens * 144}\\s+${6 * 8 * 144}`));
    expect(result.stdout).toContain(`Total: 6 requests a cycle, 864 requests a day, ${6 * tokens * 144} input and at most ${6 * 8 * 144} output tokens a day`);
    expect(result.stdout).toContain('Budget: at most 36 requests in an hour against maxRequestsPerHour 100 (within it).');
    expect(existsSync(join(dir, 'data', 'spool'))).toBe(false);
  });

  it('prints a policy that allows a geo profile\'s model in its destination regions, and the store\'s prefix only', async () => {
    const { path } = await configFile({ ...BASE, targets: [{ target: NOVA_US, regions: ['us-east-1'] }], sinks: { store: { location: 's3://team-latency/fleet' } } });
    const result = await monitor(['--config', path, '--print-policy']);
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout) as { Statement: { Sid: string; Action: string[]; Resource: string[] | string; Condition?: Record<string, Record<string, string[]>> }[] };
    const bySid = Object.fromEntries(policy.Statement.map((statement) => [statement.Sid, statement]));
    expect(bySid.MeasureRoutes!.Resource).toEqual([`arn:aws:bedrock:us-east-1:*:inference-profile/${NOVA_US}`]);
    const destinations = bySid.MeasureProfileDestinations!.Resource as string[];
    expect(destinations.length).toBeGreaterThan(1);
    for (const arn of destinations) expect(arn).toMatch(/^arn:aws:bedrock:[a-z0-9-]+::foundation-model\/amazon\.nova-lite-v1:0$/);
    expect(bySid.MeasureProfileDestinations!.Condition).toEqual({ ArnLike: { 'bedrock:InferenceProfileArn': [`arn:aws:bedrock:us-east-1:*:inference-profile/${NOVA_US}`] } });
    expect(bySid.ReadCatalog!.Action).toEqual(['bedrock:ListFoundationModels', 'bedrock:ListInferenceProfiles']);
    expect(bySid.WriteStore!.Resource).toEqual(['arn:aws:s3:::team-latency/fleet/*']);
    expect(bySid.ReadPrices).toBeUndefined();
  });
});

describe('bedrock-atlas monitor measuring', () => {
  it('--once runs one cycle into the store, logs exactly one cycle line as JSON, and never a secret', async () => {
    const store = join(tmpdir(), `atlas-store-${process.pid}-${Date.now()}`);
    const { path, dir } = await configFile({ ...BASE, sinks: { store: { location: store } } });
    const result = await monitor(['--config', path, '--once']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const lines = jsonLines(result.stderr);
    const cycles = lines.filter((line) => line.event === 'cycle');
    expect(cycles).toHaveLength(1);
    const [cycle] = cycles;
    expect(cycle).toMatchObject({ level: 'info', vantage: 'ci-runner', status: 'ok', requests: 6, ok: 4, errors: 0, durationMs: expect.any(Number) });
    expect(cycle!.sinks).toEqual([expect.objectContaining({ written: 1, pending: 0, dropped: 0, lastError: null })]);
    const [runId] = cycle!.runIds as string[];
    expect(partsOf(store)).toEqual([`${runId}.parquet`]);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET_KEY);
    expect(`${result.stdout}${result.stderr}`).not.toContain('AKIDMONITOR');
    expect(existsSync(join(dir, 'data'))).toBe(true);
  });

  it('on SIGTERM during a run, finishes the request in flight, starts no other, flushes the store and exits 0', async () => {
    emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 1500 }, perTokenMs: { '*': 1 } }));
    emulator.resetStats();
    const store = join(tmpdir(), `atlas-store-term-${process.pid}-${Date.now()}`);
    const { path } = await configFile({
      ...BASE,
      targets: [{ target: HAIKU, regions: ['us-east-1'] }],
      measure: { kind: 'latency', runs: 5, warmup: 0, maxTokens: 8 },
      sinks: { store: { location: store } },
    });
    try {
      const result = await monitor(['--config', path], {
        whileRunning: async (child) => {
          await waitFor(() => (emulator.stats().requests['us-east-1']?.ConverseStream ?? 0) >= 1, 60_000);
          child.kill('SIGTERM');
        },
      });
      expect(result.code).toBe(0);
      expect(emulator.stats().requests['us-east-1']?.ConverseStream).toBe(1);
      expect(emulator.stats().abortedStreams['us-east-1'] ?? 0).toBe(0);
      const lines = jsonLines(result.stderr);
      const events = lines.map((line) => line.event).filter((event) => event !== 'log');
      expect(events).toEqual(['stopping', 'cycle', 'stopped']);
      const cycle = lines.find((line) => line.event === 'cycle')!;
      expect(cycle).toMatchObject({ status: 'stopped', ok: 1, errors: 0 });
      const [runId] = cycle.runIds as string[];
      expect(partsOf(store)).toEqual([`${runId}.parquet`]);
      expect(lines.find((line) => line.event === 'stopped')).toMatchObject({ sinks: [expect.objectContaining({ written: 1, pending: 0 })] });
    } finally {
      emulator.setScenario(parseScenario(FAST));
    }
  });
});
