import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { S3 } from '../../core/aws/services';
import { parseScenario } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { poolPerFile } from '../../testing/pool-per-file';
import { encodeParts, samplesAround, TEST_MODEL, writeDirectoryParts } from '../../core/fleet/team/testing/test-store';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `history` and `rank` with --store and --vantage, as a user runs them: the real CLI over a directory store. */

const emulator = emulatorPerFile();
const pool = poolPerFile(emulator, 'AKIDTEAMCLI');
const NOW = Date.now();
let store: string;
let env: Record<string, string>;

beforeAll(async () => {
  store = join(await mkdtemp(join(tmpdir(), 'team-cli-')), 'store');
  env = freshHomeEnv();
  await writeDirectoryParts(store, [
    { vantage: 'berlin', runId: 'run-berlin-1', startedAt: NOW - 3_600_000, samples: [...samplesAround('us-east-1', 180), ...samplesAround('us-west-2', 260)] },
    { vantage: 'oregon', runId: 'run-oregon-1', startedAt: NOW - 1_800_000, samples: [...samplesAround('us-east-1', 140), ...samplesAround('us-west-2', 40)] },
  ]);
});

const cli = (args: string[]) => runCli([...args, '--endpoint-url', emulator.url, '--cache-mode', 'none'], { env });

describe('bedrock-atlas history and rank with a team store', () => {
  it('history --store reads every vantage, newest first, and --vantage one of them; JSON names the vantage', async () => {
    const all = await cli(['history', '--store', store, '--json']);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain(`Team store ${store}: 4 parts listed, 4 read, 0 unchanged.`);
    const runs = JSON.parse(all.stdout).runs as { id: string; vantage: string; regions: Record<string, { samples: number; ttftMs: { p50: number } }> }[];
    expect(runs.map((run) => [run.id, run.vantage])).toEqual([
      ['run-oregon-1', 'oregon'],
      ['run-berlin-1', 'berlin'],
    ]);
    expect(runs[1]?.regions['us-west-2']).toMatchObject({ samples: 5, ttftMs: { p50: 260 } });

    const berlin = await cli(['history', '--store', store, '--vantage', 'berlin']);
    expect(berlin.code).toBe(0);
    expect(berlin.stderr).toContain('0 read, 4 unchanged');
    expect(berlin.stdout).toMatch(/from berlin {2}latency {2}anthropic\.claude-3-haiku-20240307-v1:0 {2}completed {2}run-berlin-1/);
    expect(berlin.stdout).not.toContain('run-oregon-1');
  });

  it('rank --vantage ranks the routes by that vantage\'s measurements', async () => {
    const oregon = await cli(['rank', '--target', TEST_MODEL, '--from', 'us-west-2', '--store', store, '--vantage', 'oregon', '--json']);
    expect(oregon.code).toBe(0);
    const answer = JSON.parse(oregon.stdout) as { vantage: string; routes: { callRegion: string; ttftP50Ms: number | null; samples: number }[] };
    expect(answer.vantage).toBe('oregon');
    expect(answer.routes.filter((route) => route.ttftP50Ms !== null).map((route) => [route.callRegion, route.ttftP50Ms, route.samples])).toEqual([
      ['us-west-2', 40, 5],
      ['us-east-1', 140, 5],
    ]);
    const berlin = await cli(['rank', '--target', TEST_MODEL, '--from', 'us-west-2', '--store', store, '--vantage', 'berlin', '--json']);
    expect((JSON.parse(berlin.stdout) as typeof answer).routes.filter((route) => route.ttftP50Ms !== null).map((route) => route.callRegion)).toEqual(['us-east-1', 'us-west-2']);
  });

  it('an unknown vantage exits 2 naming the known ones; a bad --store exits 2 saying why', async () => {
    const unknown = await cli(['history', '--store', store, '--vantage', 'paris']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No vantage "paris" in the team data. Known: all, local, berlin, oregon.');
    const rank = await cli(['rank', '--target', TEST_MODEL, '--store', store, '--vantage', 'paris']);
    expect(rank.code).toBe(2);
    expect(rank.stderr).toContain('Known: all, local, berlin, oregon.');
    const badStore = await cli(['history', '--store', 'ftp://example.com/x']);
    expect(badStore.code).toBe(2);
    expect(badStore.stderr).toContain('--store: Only a directory or s3://bucket/prefix can be a team store, not ftp://');
  });
});

describe('bedrock-atlas history with an S3 team store', () => {
  it('syncs the prefix, reads it, and when S3 then denies the listing says so and still reads what it synced', async () => {
    emulator.setScenario(parseScenario({ s3: { buckets: ['team-latency'] } }));
    const client = await pool().client(S3, 'us-east-1');
    for (const [key, bytes] of await encodeParts({ vantage: 'sydney', runId: 'run-sydney-1', startedAt: NOW, samples: samplesAround('ap-southeast-2', 35) })) {
      await client.send(new PutObjectCommand({ Bucket: 'team-latency', Key: `fleet/${key}`, Body: bytes }));
    }
    const home = freshHomeEnv();
    const s3cli = (args: string[]) => runCli([...args, '--endpoint-url', emulator.url, '--cache-mode', 'none'], { env: home });
    const synced = await s3cli(['history', '--store', 's3://team-latency/fleet', '--vantage', 'sydney', '--json']);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toContain('Team store s3://team-latency/fleet: 2 parts listed, 2 downloaded, 0 unchanged.');
    expect(JSON.parse(synced.stdout).runs).toEqual([expect.objectContaining({ id: 'run-sydney-1', vantage: 'sydney', regions: { 'ap-southeast-2': expect.objectContaining({ samples: 5 }) } })]);

    emulator.setScenario(parseScenario({ s3: { denied: [{ bucket: 'team-latency', action: 's3:ListBucket' }] } }));
    const denied = await s3cli(['history', '--store', 's3://team-latency/fleet', '--vantage', 'sydney', '--json']);
    expect(denied.code).toBe(0);
    expect(denied.stderr).toContain('Team store s3://team-latency/fleet: not reachable.');
    expect(denied.stderr).toMatch(/denied: Access to s3:\/\/team-latency\/fleet\/ was denied \(AccessDenied\): allow s3:ListBucket on arn:aws:s3:::team-latency/);
    expect(JSON.parse(denied.stdout).runs.map((run: { id: string }) => run.id)).toEqual(['run-sydney-1']);
  });
});
