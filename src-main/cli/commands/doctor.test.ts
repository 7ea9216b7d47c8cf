import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { parseScenario } from '../../emulator/scenario';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `bedrock-atlas doctor` as a user runs it: a child process in a HOME of its own, against the emulator. */

const GEO = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';
const REGIONS = 'eu-central-1,eu-north-1,eu-south-1,eu-south-2,eu-west-1,eu-west-3,us-east-1';

const emulator = emulatorPerFile();

const doctor = (...args: string[]) =>
  runCli(['doctor', ...args, '--endpoint-url', emulator.url, '--regions', REGIONS, '--cache-mode', 'none'], {
    env: { ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIACLIDOCTOR0000001', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, AWS_EC2_METADATA_DISABLED: 'true' },
  });

describe('bedrock-atlas doctor', () => {
  it('exits 3 (at-risk) when an SCP denies one destination, one line per check with its fix', async () => {
    emulator.setScenario(parseScenario({ iam: { deny: [{ region: 'eu-south-2', byOrganization: true }] } }));
    const run = await doctor(GEO, '--from', 'eu-central-1');
    expect(run.code).toBe(3);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`${GEO} from eu-central-1 (geo profile): at-risk`);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'pass credentials',
      'pass offered',
      'pass account-access',
      'pass lifecycle',
      'pass iam',
      'warn organization-policy',
      'pass quota',
    ]);
    expect(lines.find((line) => line.includes('organization-policy'))).toMatch(
      /eu-south-2 is denied by an organization policy: requests routed there will fail \(1 of 6 regions the profile may route to\); ask your administrator to allow bedrock:InvokeModel in eu-south-2, or /,
    );
  });

  it('--json prints exactly target, from, invokeId, routeKind, verdict and checks; exits 0 when ready', async () => {
    const run = await doctor(GEO, '--from', 'eu-central-1', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { checks: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['target', 'from', 'invokeId', 'routeKind', 'verdict', 'checks']);
    expect(report).toMatchObject({ target: GEO, from: 'eu-central-1', invokeId: GEO, routeKind: 'geo-profile', verdict: 'ready' });
    for (const check of report.checks) expect(Object.keys(check).every((key) => ['id', 'status', 'message', 'fix', 'destinations'].includes(key))).toBe(true);
    expect(Object.keys(report.checks.find((check) => check.id === 'iam')!.destinations as object)).toHaveLength(6);
  });

  it('exits 4 (blocked) for a profile in a region that does not offer it, naming where it is offered', async () => {
    const run = await doctor(GEO, '--from', 'us-east-1');
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/fail\s+offered\s+The inference profile eu\.anthropic.* is not offered in us-east-1\. Call it from eu-central-1/);
  });

  it('exits 5 (unknown) when the simulator is denied, and suggests --live on stderr', async () => {
    emulator.setScenario(parseScenario({ iam: { simulatorDenied: true } }));
    const run = await doctor(GEO, '--from', 'eu-central-1');
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/unknown\s+iam\s+your role cannot run the IAM policy simulator \(iam:SimulatePrincipalPolicy\)/);
    expect(run.stderr).toContain('run again with --live');
  });

  it('exits 2 for a target that resolves to nothing, and for an unknown region, without a stack', async () => {
    const unknownTarget = await doctor('no-such-model-anywhere', '--from', 'us-east-1');
    expect(unknownTarget.code).toBe(2);
    expect(unknownTarget.stderr).toMatch(/^error: No model or inference profile matches "no-such-model-anywhere"/m);
    const unknownRegion = await doctor(GEO, '--from', 'eu-central1');
    expect(unknownRegion.code).toBe(2);
    expect(unknownRegion.stderr).toContain('Did you mean eu-central-1?');
    expect(unknownTarget.stderr + unknownRegion.stderr).not.toMatch(/\n\s+at /);
  });
});
