import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { parseScenario, type ScenarioInput } from '../../emulator/scenario';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/**
 * `bedrock-atlas attribution` as a user runs it: a latency run through a cross-Region profile, then the command, each
 * a child process in the same HOME of its own, against the emulator's Bedrock and CloudTrail.
 */

const SONNET_US = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const emulator = emulatorPerFile();

function user() {
  const env = { ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIACLIATTRIBUTION01', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined, AWS_EC2_METADATA_DISABLED: 'true' };
  const shared = ['--endpoint-url', emulator.url, '--cache-mode', 'none', '--no-bundled'];
  return {
    latency: () => runCli(['latency', '--target', SONNET_US, '--regions', 'us-east-1', '--runs', '4', '--max-tokens', '4', '--json', ...shared], { env }),
    attribution: (...args: string[]) => runCli(['attribution', ...args, ...shared], { env }),
    /** The latest run's id, as `history --json` lists it (latency --json prints the figures, not the id). */
    latestRunId: async () => ((JSON.parse((await runCli(['history', '--json', '--limit', '1'], { env })).stdout) as { runs: { id: string }[] }).runs[0]?.id ?? ''),
  };
}

const given = (extra: ScenarioInput = {}) =>
  emulator.setScenario(parseScenario({ routing: [{ profileId: SONNET_US, sourceRegion: 'us-east-1', weights: { 'us-west-2': 1 } }], perTokenMs: { '*': 0 }, ...extra }));

describe('bedrock-atlas attribution', () => {
  it('--json: the latest run’s job and, per route, where its requests were served', async () => {
    given();
    const cli = user();
    const run = await cli.latency();
    expect(run.code).toBe(0);
    const runId = await cli.latestRunId();
    const shown = await cli.attribution('--json');
    expect(shown.code).toBe(0);
    const answer = JSON.parse(shown.stdout);
    expect(answer).toMatchObject({
      runId,
      target: SONNET_US,
      job: { state: 'done', counts: { requests: 4, attributed: 4, pending: 0, unattributed: 0, unreadable: 0 } },
      routes: [{ key: 'us-east-1', via: 'cloudtrail', route: { invokeId: SONNET_US, callRegion: 'us-east-1' }, servedRegions: [{ region: 'us-west-2', requests: 4, sharePercent: 100 }] }],
    });
    expect(answer.routes[0].declaredDestinations).toContain('us-west-2');
  });

  it('prints a table of served regions, and --run names the run', async () => {
    given();
    const cli = user();
    await cli.latency();
    const runId = await cli.latestRunId();
    // Another run after it: --run picks the one named, not the latest.
    await cli.latency();
    const shown = await cli.attribution('--run', runId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^Run ${runId} \\(${SONNET_US.replace(/\./g, '\\.')}, started .*\\): attribution done$`, 'm'));
    expect(shown.stdout).toMatch(/^4 requests looked for: 4 attributed, 0 pending, 0 never found \(unattributed\), 0 unreadable$/m);
    expect(shown.stdout).toMatch(/^ROUTE\s+SERVED IN\s+REQUESTS\s+SHARE\s+DECLARED\s+TTFT P50/m);
    expect(shown.stdout).toMatch(/^us-east-1 us\.anthropic\.claude-sonnet-4-5-20250929-v1:0\s+us-west-2\s+4\s+100\.0%\s+yes\s+\d+ ms/m);
  });

  it('without cloudtrail:LookupEvents: exit 4, the reason and the fix, the route’s requests unreadable', async () => {
    given({ cloudtrail: { denied: ['us-east-1'] } });
    const cli = user();
    await cli.latency();
    const shown = await cli.attribution();
    expect(shown.code).toBe(4);
    expect(shown.stdout).toMatch(/^4 requests looked for: 0 attributed, 0 pending, 0 never found \(unattributed\), 4 unreadable$/m);
    expect(shown.stdout).toMatch(/^CloudTrail in us-east-1: The caller may not call cloudtrail:LookupEvents in us-east-1.*"cloudtrail:LookupEvents"/m);
  });

  it('events not there yet: exit 3 after one pass, saying when it looks again; the next command carries on from the stored job', async () => {
    given({ cloudtrail: { delayMs: 60 * 60_000 } });
    const cli = user();
    await cli.latency();
    const first = await cli.attribution('--json');
    expect(first.code).toBe(3);
    expect(JSON.parse(first.stdout).job).toMatchObject({ state: 'running', passes: 1, counts: { pending: 4 } });
    const text = await cli.attribution();
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^Next pass .*; requests not found by .* will be counted as unattributed\. Run again, or use --wait\.$/m);
  });

  it('--wait keeps looking until done, with its progress on stderr', async () => {
    given();
    const cli = user();
    await cli.latency();
    const waited = await cli.attribution('--wait', '--json');
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout).job).toMatchObject({ state: 'done', counts: { attributed: 4 } });
    expect(waited.stderr).toMatch(/^Attribution running: pass \d+, \d+ LookupEvents calls; 4 requests looked for/m);
  });

  it('an unknown run, or no run at all: exit 2 with where to look', async () => {
    given();
    const cli = user();
    const none = await cli.attribution();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: No latency run is stored yet: run one first/m);
    await cli.latency();
    const unknown = await cli.attribution('--run', 'no-such-run');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: No latency or load run has the id no-such-run: see `bedrock-atlas history`/m);
  });
});
