import { describe, expect, it } from 'vitest';
import type { UsageAnswer } from '../../../src-shared/contract/usage';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { parseScenario } from '../../emulator/scenario';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `bedrock-atlas usage` as a user runs it: a child process in a HOME of its own, against the emulator's CloudWatch. */

const NOVA_LITE = 'amazon.nova-lite-v1:0';
const emulator = emulatorPerFile();

const usage = (...args: string[]) =>
  runCli(['usage', ...args, '--endpoint-url', emulator.url, '--regions', 'us-east-1,eu-west-1', '--cache-mode', 'none', '--no-bundled'], {
    env: { ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIACLIUSAGE00000001', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, AWS_EC2_METADATA_DISABLED: 'true' },
  });

describe('bedrock-atlas usage', () => {
  it('--json prints every route with its status, peak and headroom against the applied quota', async () => {
    emulator.setScenario(
      parseScenario({
        quotas: { rules: [{ region: 'us-east-1', modelId: NOVA_LITE, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 40 }] },
        cloudwatch: { usage: [{ region: 'us-east-1', modelId: NOVA_LITE, perMinute: [{ minutesAgo: 4, invocations: 10, inputTokens: 5000, outputTokens: 500 }] }] },
      }),
    );
    const run = await usage('--target', 'nova lite', '--json');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as UsageAnswer;
    expect(answer).toMatchObject({ modelId: NOVA_LITE, window: '24h' });
    const onDemand = answer.routes.find((route) => route.invokeId === NOVA_LITE)!;
    expect(onDemand).toMatchObject({ status: 'ok', peak: { requestsPerMinute: 10, tokensPerMinute: 5500 }, quota: { requestsPerMinute: 40 }, headroomPercent: { requestsPerMinute: 75 } });
    expect(answer.routes.filter((route) => route.invokeId !== NOVA_LITE).every((route) => route.status === 'no-invocations')).toBe(true);
  });

  it('says which region could not be read and why, apart from the routes with no invocations', async () => {
    emulator.setScenario(parseScenario({ cloudwatch: { denied: ['eu-west-1'] } }));
    const run = await usage('--target', NOVA_LITE, '--since', '14d');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage of amazon\.nova-lite-v1:0 over the last 14 days, hourly averages per minute/m);
    expect(run.stdout).toMatch(/^eu-west-1\s+eu\.amazon\.nova-lite-v1:0\s+could not read \(denied\)/m);
    expect(run.stdout).toMatch(/^us-east-1\s+amazon\.nova-lite-v1:0\s+no invocations/m);
    expect(run.stdout).toMatch(/^Could not read eu-west-1: The caller may not read CloudWatch metrics in eu-west-1 \(cloudwatch:GetMetricData is not allowed\)/m);
  });

  it('refuses an unknown target and an unknown window with exit 2', async () => {
    const unknown = await usage('--target', 'no-such-model-anywhere');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: No model or inference profile matches "no-such-model-anywhere"/m);
    const window = await usage('--target', NOVA_LITE, '--since', '7d');
    expect(window.code).toBe(2);
    expect(window.stderr).toContain("Allowed choices are 24h, 14d");
  });
});
