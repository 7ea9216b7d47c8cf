import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { freshHomeEnv, runCli } from './testing/run-cli';

/** The data directory as the CLI meets it: paths that cannot be, reads that must not create, a file held by another process. */

const NOVA_MICRO = 'amazon.nova-micro-v1:0';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const shared = () => ['--endpoint-url', emulator.url, '--cache-mode', 'none', '--regions', 'us-east-1'];

describe('--data-dir', () => {
  it.skipIf(process.platform !== 'linux')('a directory that can never be created (/proc/sys/x) fails at once with the reason, exit 2', async () => {
    const result = await runCli(['latency', '--target', NOVA_MICRO, '--runs', '1', '--data-dir', '/proc/sys/x/atlas', ...shared()], { env: freshHomeEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--data-dir \/proc\/sys\/x\/atlas cannot be created: ENOENT at \/proc\/sys\/x\./);
  });

  it('a path through a file says "is a file", not EEXIST', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'atlas-data-file-')), 'notes.txt');
    writeFileSync(file, 'x');
    for (const args of [['history'], ['latency', '--target', NOVA_MICRO, '--runs', '1']]) {
      const result = await runCli([...args, '--data-dir', join(file, 'data'), ...shared()], { env: freshHomeEnv() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${file} is a file, not a directory`);
      expect(result.stderr).not.toMatch(/EEXIST/);
    }
  });

  it('a read (history, rank) creates nothing: no directory, no empty database', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'atlas-data-read-')), 'deep', 'er');
    const result = await runCli(['history', '--data-dir', missing], { env: freshHomeEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/No history yet: .*history\.duckdb does not exist/);
    expect(existsSync(join(missing, '..'))).toBe(false);

    const rank = await runCli(['rank', '--target', NOVA_MICRO, '--from', 'us-east-1', '--json', '--data-dir', missing, ...shared()], { env: freshHomeEnv() });
    expect(rank.code).toBe(0);
    expect(JSON.parse(rank.stdout).routes[0]).toMatchObject({ invokeId: NOVA_MICRO, ttftP50Ms: null });
    expect(existsSync(join(missing, '..'))).toBe(false);
  });

  it('history against a file another process holds: the lock said once, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-data-locked-'));
    const path = join(dir, 'history.duckdb');
    const holder = spawn(
      process.execPath,
      ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(path)}).then(i=>(globalThis.held=i).connect()).then(async c=>{globalThis.heldConnection=c;await c.run('create table if not exists held (v integer)');await c.run('checkpoint');console.log('held');setInterval(()=>{},1000)})`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.on('data', () => resolve()));
      const result = await runCli(['history', '--data-dir', dir], { env: freshHomeEnv() });
      expect(result.code).toBe(1);
      expect(result.stderr.match(/stayed in use by another process/g)).toHaveLength(1);
      expect(result.stdout).not.toMatch(/No stored runs match/);
    } finally {
      holder.kill();
    }
  });
});
