import { describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `bedrock-atlas quotas` as a user runs it: a child process in a HOME of its own, against the emulator. */

const emulator = emulatorPerFile();
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const GEO_HAIKU = `eu.${HAIKU}`;

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));

function quotas(args: string[], { env = freshHomeEnv(), regions = 'us-east-1,eu-west-1', cache = ['--cache-mode', 'none'] } = {}) {
  return runCli(['quotas', ...args, '--endpoint-url', emulator.url, '--regions', regions, ...cache], {
    env: { ...env, AWS_ACCESS_KEY_ID: 'AKIACLIQUOTAS0000001', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, AWS_EC2_METADATA_DISABLED: 'true' },
  });
}

interface Q {
  applied: number | null;
  default: number | null;
  quotaCode: string;
  adjustable: boolean;
}
interface JsonAnswer {
  fetchedAt: string;
  regions: Record<string, { status: string; error?: { code: string; message: string }; routes: ({ modelId: string; invokeId: string; routeKind: string; variant?: string } & Partial<Record<'requestsPerMinute' | 'tokensPerMinute' | 'tokensPerDay', Q>>)[] }>;
  unmatched: { region: string; quotaCode: string; quotaName: string; value: number | null }[];
}

describe('bedrock-atlas quotas', () => {
  it('--json prints fetchedAt, regions and unmatched, each route with its quotas as {applied, default, quotaCode, adjustable}', async () => {
    given({ quotas: { rules: [{ region: 'eu-central-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 800, default: 1000 }] } });
    const run = await quotas(['--target', 'claude 3 haiku', '--json'], { regions: 'us-east-1,eu-central-1' });
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as JsonAnswer;
    expect(Object.keys(answer)).toEqual(['fetchedAt', 'regions', 'unmatched']);
    expect(Object.keys(answer.regions)).toEqual(['us-east-1', 'eu-central-1']);
    const routes = answer.regions['eu-central-1']!.routes;
    expect(answer.regions['eu-central-1']!.status).toBe('ok');
    expect(routes.map((route) => [route.invokeId, route.routeKind])).toEqual([
      [HAIKU, 'on-demand'],
      [GEO_HAIKU, 'geo-profile'],
    ]);
    const onDemand = routes[0]!;
    expect(onDemand).toMatchObject({ modelId: HAIKU, requestsPerMinute: { applied: 800, default: 1000, adjustable: false, quotaCode: expect.stringMatching(/^L-/) } });
    for (const route of routes) {
      for (const unit of ['requestsPerMinute', 'tokensPerMinute', 'tokensPerDay'] as const) {
        const value = route[unit];
        if (value) expect(Object.keys(value).slice(0, 4)).toEqual(['applied', 'default', 'quotaCode', 'adjustable']);
      }
    }
  });

  it('prints a table per region with "no quota found" where there is none, and names a refused region with its fix', async () => {
    given({ quotas: { denied: ['eu-west-3'] } });
    const run = await quotas(['--target', 'mistral.magistral-small-2509'], { regions: 'us-east-1,eu-west-3' });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.find((line) => line.startsWith('us-east-1: '))).toMatch(/^us-east-1: quotas as of \d{4}-\d\d-\d\dT.* \(just now\)$/);
    expect(lines.find((line) => line.trimStart().startsWith('mistral.magistral-small-2509'))).toMatch(/on demand\s+no quota found\s+no quota found\s+no quota found$/);
    expect(lines.find((line) => line.startsWith('eu-west-3: '))).toMatch(/^eu-west-3: FAILED, AccessDeniedException: .*allow servicequotas:ListServiceQuotas and servicequotas:ListAWSDefaultServiceQuotas/);
    expect(run.stderr).toContain('warning: the quotas of eu-west-3 could not be read: AccessDeniedException');
    expect(run.stdout).not.toMatch(/\bmistral\.magistral-small-2509\s+on demand\s+\d/);
  });

  it('shows applied against default, a quota of 0, and the console link of each quota that can be raised', async () => {
    given({
      quotas: {
        rules: [
          { region: 'eu-central-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 800, default: 1000 },
          { region: 'eu-central-1', modelId: HAIKU, routeKind: 'geo-profile', unit: 'tokensPerMinute', applied: 0, adjustable: true },
        ],
      },
    });
    const run = await quotas(['--target', HAIKU], { regions: 'eu-central-1' });
    expect(run.code).toBe(0);
    const row = (invokeId: string) => run.stdout.split('\n').find((line) => line.trimStart().startsWith(`${invokeId} `))!;
    expect(row(HAIKU)).toMatch(/on demand\s+800 \(default 1,000\)\s/);
    expect(row(GEO_HAIKU)).toMatch(/geo profile\s+\S.*\s0 \(default [\d,]+\) \*/);
    expect(run.stdout).toMatch(new RegExp(`raise tokens/min of ${GEO_HAIKU.replaceAll('.', '\\.')}: https://eu-central-1\\.console\\.aws\\.amazon\\.com/servicequotas/home/services/bedrock/quotas/L-\\w+`));
  });

  it('lists a quota whose name fits no model, once, with the regions that have it', async () => {
    given({ quotas: { extra: [{ quotaCode: 'L-NOBODY01', quotaName: 'On-demand model inference tokens per minute for Acme Imaginary Model 9', value: 1000 }] } });
    const run = await quotas([]);
    expect(run.code).toBe(0);
    const listed = run.stdout.split('\n').filter((line) => line.includes('L-NOBODY01'));
    expect(listed).toEqual(['  L-NOBODY01  On-demand model inference tokens per minute for Acme Imaginary Model 9: its name fits no model of the catalog [us-east-1, eu-west-1]']);
    const json = JSON.parse((await quotas(['--json'])).stdout) as JsonAnswer;
    expect(json.unmatched.filter((entry) => entry.quotaCode === 'L-NOBODY01').map((entry) => entry.region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('answers from the cache on the next run, and asks Service Quotas again with --refresh', async () => {
    const env = freshHomeEnv();
    const cached = { env, cache: ['--cache-mode', 'file'] };
    expect((await quotas(['--target', HAIKU, '--json'], cached)).code).toBe(0);
    const asked = emulator.stats().requests['eu-west-1']?.['servicequotas:ListServiceQuotas'];
    expect(asked).toBeGreaterThan(0);
    given({ quotas: { rules: [{ region: 'eu-west-1', modelId: HAIKU, routeKind: 'on-demand', unit: 'requestsPerMinute', applied: 42 }] } });
    const fromCache = JSON.parse((await quotas(['--target', HAIKU, '--json'], cached)).stdout) as JsonAnswer;
    expect(emulator.stats().requests['eu-west-1']?.['servicequotas:ListServiceQuotas']).toBe(asked);
    expect(fromCache.regions['eu-west-1']!.routes[0]!.requestsPerMinute?.applied).not.toBe(42);
    const refreshed = JSON.parse((await quotas(['--target', HAIKU, '--json', '--refresh'], cached)).stdout) as JsonAnswer;
    expect(refreshed.regions['eu-west-1']!.routes[0]!.requestsPerMinute?.applied).toBe(42);
    expect(emulator.stats().requests['eu-west-1']?.['servicequotas:ListServiceQuotas']).toBe(2 * asked!);
    // The catalog itself was not scanned again.
    expect(emulator.stats().requests['eu-west-1']?.ListFoundationModels).toBe(1);
  });

  it('exits 1 when no region’s quotas could be read, and 2 for a target that names no model', async () => {
    given({ quotas: { denied: ['us-east-1', 'eu-west-1'] } });
    const denied = await quotas([]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('warning: the quotas of us-east-1 could not be read');
    const unknown = await quotas(['--target', 'no-such-model-anywhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: No model or inference profile matches "no-such-model-anywhere"/m);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
