import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { parseScenario } from '../../emulator/scenario';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `bedrock-atlas capacity` as a user runs it: a child process in a HOME of its own, against the emulator. */

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const emulator = emulatorPerFile();

const capacity = (...args: string[]) =>
  runCli(['capacity', ...args, '--endpoint-url', emulator.url, '--regions', 'us-east-1', '--cache-mode', 'none', '--no-bundled'], {
    env: { ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIACLICAPACITY00001', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, AWS_EC2_METADATA_DISABLED: 'true' },
  });

const WORKLOAD = ['--target', SONNET_45, '--from', 'us-east-1', '--input-tokens', '2000', '--cache-write-tokens', '500', '--cache-read-tokens', '10000', '--output-tokens', '400', '--max-tokens', '4000'];
const rule = (routeKind: string, unit: string, applied: number) => ({ region: 'us-east-1', modelId: SONNET_45, routeKind, unit, applied });

describe('bedrock-atlas capacity', () => {
  it('--json prints every route best first, the issue\'s fields first and exact', async () => {
    emulator.setScenario(
      parseScenario({
        quotas: { rules: [rule('global-profile', 'requestsPerMinute', 1000), rule('global-profile', 'tokensPerMinute', 3_000_000), rule('geo-profile', 'requestsPerMinute', 200), rule('geo-profile', 'tokensPerMinute', 5_000_000)] },
      }),
    );
    const run = await capacity(...WORKLOAD, '--rpm', '100', '--json');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as { routes: Record<string, unknown>[]; targetRequestsPerMinute: number };
    expect(answer.targetRequestsPerMinute).toBe(100);
    expect(Object.keys(answer.routes[0]!).slice(0, 9)).toEqual([
      'invokeId',
      'routeKind',
      'reservedTokensPerRequest',
      'settledTokensPerRequest',
      'burndownRate',
      'maxRequestsPerMinute',
      'maxInFlightByReservation',
      'bindingLimit',
      'headroomPercent',
    ]);
    expect(answer.routes.map((route) => [route.invokeId, route.maxRequestsPerMinute, route.bindingLimit, route.maxInFlightByReservation])).toEqual([
      // floor(3,000,000 / (2,000 + 500 + 400 x 5)) = 666; reserved 2,000 + 500 + 4,000 = 6,500
      [`global.${SONNET_45}`, 666, 'tokens-per-minute', Math.floor(3_000_000 / 6500)],
      [`us.${SONNET_45}`, 200, 'requests-per-minute', Math.floor(5_000_000 / 6500)],
    ]);
    expect(answer.routes[0]).toMatchObject({ reservedTokensPerRequest: 6500, settledTokensPerRequest: 4500, burndownRate: 5, headroomPercent: 85 });
  });

  it('prints the table, "no quota found" for a route without one, and the worksheet with its request page', async () => {
    const withoutQuota = await capacity('--target', 'anthropic.claude-opus-4-7', '--from', 'us-east-1', '--rpm', '10', '--input-tokens', '500', '--max-tokens', '500');
    expect(withoutQuota.code).toBe(0);
    expect(withoutQuota.stdout).toMatch(/global\.anthropic\.claude-opus-4-7\s+global profile\s+no quota found/);
    expect(withoutQuota.stdout).toContain('Output burndown 1x, from no entry');

    const worksheet = await capacity(...WORKLOAD, '--rpm', '100', '--worksheet', `us.${SONNET_45}`, '--use-case', 'Support chat');
    expect(worksheet.code).toBe(0);
    expect(worksheet.stdout).toMatch(/^Capacity of anthropic\.claude-sonnet-4-5-20250929-v1:0 from us-east-1 at 100 requests per minute$/m);
    expect(worksheet.stdout).toContain('Per request: 4,500 quota tokens settled (2,000 input + 500 cache write + 400 output x 5), 6,500 reserved while it runs');
    expect(worksheet.stdout).toContain(`Route: us.${SONNET_45} (geographic cross-Region profile)`);
    expect(worksheet.stdout).toContain('Use case: Support chat');
    expect(worksheet.stdout).toMatch(/https:\/\/us-east-1\.console\.aws\.amazon\.com\/servicequotas\/home\/services\/bedrock\/quotas\/L-[A-Z0-9]+/);
  });

  it.each([
    ['a negative rate', ['--rpm', '-5'], /--rpm <n>' argument '-5' is invalid\. "-5" is not a whole number from 1 to 10,000,000/],
    ['a zero input token count', ['--rpm', '10', '--input-tokens', '0'], /"0" is not a whole number from 1 to 10,000,000/],
    ['a non-numeric max_tokens', ['--rpm', '10', '--max-tokens', 'lots'], /"lots" is not a whole number from 1 to 10,000,000/],
    ['a rate with a concurrency', ['--rpm', '10', '--concurrency', '4', '--duration-ms', '1000'], /option '--rpm <n>' cannot be used with option '--concurrency <n>'/],
    ['a concurrency without its duration', ['--concurrency', '4'], /--concurrency and --duration-ms go together: give both \(--concurrency 1 to 100,000, --duration-ms 1 to 3,600,000\)/],
    ['no rate at all', [], /Give the target rate: --rpm N \(1 to 10,000,000\), or --concurrency N/],
  ])('%s exits 2 and says what it accepts', async (_name, args, message) => {
    const run = await capacity(...WORKLOAD, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing token count and a max_tokens above the model\'s limit exit 2 with the range', async () => {
    const missing = await capacity('--target', SONNET_45, '--from', 'us-east-1', '--rpm', '10', '--max-tokens', '100');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: --input-tokens is required: a whole number from 1 to 10,000,000$/m);
    const above = await capacity('--target', SONNET_45, '--from', 'us-east-1', '--rpm', '10', '--input-tokens', '100', '--max-tokens', '100000');
    expect(above.code).toBe(2);
    expect(above.stderr).toMatch(/^error: --max-tokens: max_tokens must be a whole number from 1 to 64,000 for anthropic\.claude-sonnet-4-5-20250929-v1:0/m);
  });
});
