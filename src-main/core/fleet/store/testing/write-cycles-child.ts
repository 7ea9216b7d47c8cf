import { AwsClientPool } from '../../../aws/client-pool';
import { createStoreSink } from '../store-sink';
import { fleetCycle } from './cycles';

/**
 * A monitor's writing, in a process of its own, for the tests that kill it with SIGKILL mid-write: it writes
 * CYCLES cycles of SAMPLES samples each to STORE (a directory or s3://…, through EMULATOR_URL), spooling in
 * SPOOL_DIR, and prints `writing <run id>` before each write and `written <run id>` once it resolved.
 */

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const cycles = Number(env('CYCLES'));
const samples = Number(env('SAMPLES'));
const pool = process.env.EMULATOR_URL
  ? new AwsClientPool({ endpointUrl: process.env.EMULATOR_URL, credentials: { accessKeyId: 'AKIDCHILD', secretAccessKey: 'secret' }, maxAttempts: 1 })
  : undefined;
const sink = createStoreSink({ location: env('STORE'), pool, region: 'us-east-1', spoolDir: env('SPOOL_DIR'), uploadTimeoutMs: 600_000 });
const startedAt = Date.parse('2026-12-07T10:00:00Z');
for (let index = 0; index < cycles; index += 1) {
  const runId = `killed-${process.pid}-${index}`;
  const cycle = fleetCycle({
    runId,
    vantage: 'killed',
    startedAt: startedAt + index * 60_000,
    samples: Array.from({ length: samples }, (_, sample) => ({ ttftMs: 100 + ((sample * 7919) % 1000) / 7, atOffsetMs: sample })),
  });
  process.stdout.write(`writing ${runId}\n`);
  await sink.write(cycle);
  process.stdout.write(`written ${runId} ${JSON.stringify(sink.status())}\n`);
}
await sink.close();
pool?.destroy();
