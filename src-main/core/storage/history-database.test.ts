import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir, HISTORY_FILE_NAME, openHistoryDatabase, type HistoryDatabase } from './history-database';

const opened: HistoryDatabase[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));
const open = async (dataDir: string | null) => {
  const db = await openHistoryDatabase({ dataDir, now: () => new Date('2026-11-23T01:02:03.000Z') });
  opened.push(db);
  return db;
};

describe('history database', () => {
  it('keeps rows across opens and answers quantiles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    const first = await open(dir);
    expect(first.state).toEqual({ status: 'open', path: join(dir, HISTORY_FILE_NAME) });
    await first.ensureSchema(['create table if not exists t (v double)']);
    await first.run('insert into t select range from range(100)');
    first.close();
    const second = await open(dir);
    const [row] = await second.all<{ p50: number }>('select quantile_cont(v, 0.5) as p50 from t');
    expect(row.p50).toBeCloseTo(49.5);
  });

  it('moves a corrupt file aside, never deletes it, and starts afresh', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    const garbage = 'this is not a database '.repeat(400);
    await writeFile(join(dir, HISTORY_FILE_NAME), garbage);
    const db = await open(dir);
    expect(db.state.status).toBe('open');
    expect(db.warnings[0]).toMatch(/could not be read .* moved to .*corrupt-2026-11-23T01-02-03-000Z and a new one started/);
    expect(await readFile(join(dir, `${HISTORY_FILE_NAME}.corrupt-2026-11-23T01-02-03-000Z`), 'utf8')).toBe(garbage);
    await db.ensureSchema(['create table if not exists t (v integer)']);
    await db.run('insert into t values (1)');
    expect(await db.all('select * from t')).toEqual([{ v: 1 }]);
  });

  it('turns history off with a clear message when another process holds the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    const path = join(dir, HISTORY_FILE_NAME);
    const holder = spawn(
      process.execPath,
      ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(path)}).then(i=>i.connect()).then(async c=>{await c.run('create table if not exists held (v integer)');await c.run('checkpoint');console.log('held');setInterval(()=>{},1000)})`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.on('data', () => resolve()));
      // The holder has written to the file, so its lock is in place; allow the OS a moment all the same.
      let db = await open(dir);
      for (let attempt = 0; attempt < 20 && db.state.status !== 'off'; attempt++) {
        db.close();
        await new Promise((resolve) => setTimeout(resolve, 100));
        db = await open(dir);
      }
      expect(db.state).toMatchObject({ status: 'off', reason: 'locked' });
      expect(db.warnings[0]).toMatch(new RegExp(`in use by another running Bedrock Atlas \\(PID ${holder.pid}\\)`));
      expect(await db.all('select 1')).toEqual([]);
      // Nothing was moved aside.
      expect((await readdir(dir)).filter((name) => name.includes('corrupt'))).toEqual([]);
    } finally {
      holder.kill();
    }
  });

  it('turns history off when the data directory is not writable', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: use a path under a regular file instead, which no one can create.
      const file = join(await mkdtemp(join(tmpdir(), 'atlas-history-')), 'file');
      await writeFile(file, '');
      const db = await open(join(file, 'data'));
      expect(db.state).toMatchObject({ status: 'off', reason: 'unwritable' });
      expect(db.warnings[0]).toMatch(/not writable .* Runs still work/);
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    await chmod(dir, 0o500);
    const db = await open(join(dir, 'data'));
    expect(db.state).toMatchObject({ status: 'off', reason: 'unwritable' });
  });

  it('lives in the platform data directory', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/x' }, '/home/a')).toBe('/x/bedrock-atlas');
    expect(defaultDataDir('linux', {}, '/home/a')).toBe('/home/a/.local/share/bedrock-atlas');
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Application Support/bedrock-atlas');
  });
});
