import { describe, expect, it } from 'vitest';
import { freshHomeEnv, runCli } from '../testing/run-cli';

/** `bedrock-atlas fleet ddl` as a user runs it: a child process in a HOME of its own, no AWS call. */

describe('bedrock-atlas fleet ddl', () => {
  it('prints the Athena statements for the store, with partition projection and the given database', async () => {
    const run = await runCli(['fleet', 'ddl', '--location', 's3://team-bucket/atlas', '--database', 'latency'], { env: freshHomeEnv() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect([...run.stdout.matchAll(/^CREATE (DATABASE|EXTERNAL TABLE) IF NOT EXISTS ([a-z_.]+)/gm)].map((match) => `${match[1]} ${match[2]}`)).toEqual([
      'DATABASE latency',
      'EXTERNAL TABLE latency.samples',
      'EXTERNAL TABLE latency.probes',
      'EXTERNAL TABLE latency.runs',
    ]);
    expect(run.stdout).toContain("LOCATION 's3://team-bucket/atlas/runs/'");
    expect(run.stdout).toContain("'projection.vantage.type' = 'injected',");
    expect(run.stdout).toContain("'storage.location.template' = 's3://team-bucket/atlas/probes/vantage=${vantage}/date=${date}/'");
  });

  it.each([
    [['--location', '/tmp/store'], /error: Athena reads S3 only: give the store as s3:\/\/bucket\/prefix, not the directory/],
    [['--location', 's3://Bad_Bucket/x'], /error: "Bad_Bucket" is not an S3 bucket name/],
    [['--location', 'gs://bucket/x'], /error: The store location "gs:\/\/bucket\/x" is a gs:\/\/ URL: give a directory or s3:\/\/bucket\/prefix/],
    [['--location', 's3://bucket/x', '--database', 'no-dashes'], /error: "no-dashes" is not an Athena database name/],
    [['--location', 's3://bucket/x', '--first-date', '2026-13-01'], /error: The first date "2026-13-01" is not a day as YYYY-MM-DD/],
    [[], /required option '--location <s3:\/\/bucket\/prefix>' not specified/],
  ])('exits 2 with a clear message for %j, printing nothing on stdout', async (args, message) => {
    const run = await runCli(['fleet', 'ddl', ...args], { env: freshHomeEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
