import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { open as openFile } from 'node:fs/promises';
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
    expect(row?.p50).toBeCloseTo(49.5);
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
      ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(path)}).then(i=>(globalThis.held=i).connect()).then(async c=>{globalThis.heldConnection=c;await c.run('create table if not exists held (v integer)');await c.run('checkpoint');console.log('held');setInterval(()=>{},1000)})`],
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
      expect(db.warnings[0]).toMatch(new RegExp(`stayed in use by another process \\(PID ${holder.pid}\\) for 5 s`));
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

  it('creates the file 0600 in a 0700 directory: it holds prompts and answers', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'atlas-history-')), 'data');
    const db = await open(dir);
    await db.ensureSchema(['create table if not exists t (v integer)']);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, HISTORY_FILE_NAME))).mode & 0o777).toBe(0o600);
  });

  /** A file with a valid header and damaged blocks: DuckDB opens it, and only reading the blocks shows the damage. */
  async function damagedFile(damage: 'half' | 'tail'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    const db = await open(dir);
    await db.ensureSchema(['create table if not exists t (a varchar, b double)']);
    await db.run("insert into t select 'row ' || range, range from range(200000)");
    await db.run('checkpoint');
    db.close();
    const path = join(dir, HISTORY_FILE_NAME);
    const size = (await stat(path)).size;
    if (damage === 'half') await truncate(path, Math.floor(size / 2));
    else {
      const handle = await openFile(path, 'r+');
      await handle.write(Buffer.from(Array.from({ length: 60_000 }, (_, index) => (index * 7919) & 255)), 0, 60_000, size - 70_000);
      await handle.close();
    }
    return dir;
  }

  it.each(['half', 'tail'] as const)('detects a file damaged past its header (%s) at open, moves it aside and starts afresh, once', async (damage) => {
    const dir = await damagedFile(damage);
    const db = await open(dir);
    expect(db.state.status).toBe('open');
    expect(db.warnings).toHaveLength(1);
    expect(db.warnings[0]).toMatch(/could not be read .* moved to .*corrupt-.* a new one started/);
    expect((await readdir(dir)).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
    await db.ensureSchema(['create table if not exists t (a varchar, b double)']);
    await db.run("insert into t values ('fresh', 1)");
    expect(await db.all('select a from t')).toEqual([{ a: 'fresh' }]);
  });

  it('an I/O error on the file while writing moves it aside, starts a new one with the same tables, and says so once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    const logged: string[] = [];
    const db = await openHistoryDatabase({ dataDir: dir, now: () => new Date('2026-11-23T01:02:03.000Z'), log: (line) => logged.push(line) });
    opened.push(db);
    await db.ensureSchema(['create table if not exists t (v integer)']);
    await db.run('checkpoint');
    // The write-ahead log cannot be created (a directory stands in its place): DuckDB fails with an I/O error.
    await mkdir(join(dir, `${HISTORY_FILE_NAME}.wal`));
    await expect(db.transaction((tx) => tx.run('insert into t values (1)'))).rejects.toThrow(/Failed to commit: Cannot open file/);
    await expect(db.run('insert into t values (2)')).resolves.toBeUndefined();
    await expect(db.run('insert into t values (3)')).resolves.toBeUndefined();
    expect(await db.all('select v from t order by v')).toEqual([{ v: 2 }, { v: 3 }]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/failed while writing .* moved to .*corrupt-2026-11-23T01-02-03-000Z and a new one started/);
    expect(db.warnings).toEqual(logged);
    expect((await readdir(dir)).sort()).toEqual([HISTORY_FILE_NAME, `${HISTORY_FILE_NAME}.corrupt-2026-11-23T01-02-03-000Z`, `${HISTORY_FILE_NAME}.corrupt-2026-11-23T01-02-03-000Z.wal`, `${HISTORY_FILE_NAME}.wal`].sort());
  });

  it('closed under a running statement, lets it finish and closes after it (closing DuckDB under it crashes the process)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-history-'));
    const db = await open(dir);
    await db.ensureSchema(['create table if not exists t (v bigint)']);
    const running = db.all<{ n: bigint }>('select count(*) as n from range(50000000) a');
    const queued = db.run('insert into t values (1)');
    db.close();
    expect((await running)[0]?.n).toBe(50000000n);
    await queued;
    // Closed after what was queued: asked for later, a read finds nothing open and a transaction is refused.
    expect(await db.all('select * from t')).toEqual([]);
    await expect(db.transaction(async () => {})).rejects.toThrow('History is off');
    const again = await open(dir);
    expect(await again.all('select v from t')).toEqual([{ v: 1n }]);
  });

  it('a transaction commits all of its statements or none', async () => {
    const db = await open(await mkdtemp(join(tmpdir(), 'atlas-history-')));
    await db.ensureSchema(['create table if not exists t (v integer primary key)']);
    await expect(
      db.transaction(async (tx) => {
        await tx.run('insert into t values (1)');
        await tx.run('insert into t values (1)'); // a duplicate key: the whole transaction fails
      }),
    ).rejects.toThrow(/Duplicate key|constraint/i);
    expect(await db.all('select * from t')).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.run('insert into t values (1)');
      await tx.run('insert into t values (2)');
    });
    expect(await db.all('select v from t order by v')).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('a statement of another feature waits for an open transaction instead of joining it', async () => {
    const db = await open(await mkdtemp(join(tmpdir(), 'atlas-history-')));
    await db.ensureSchema(['create table if not exists t (v integer primary key)', 'create table if not exists u (v integer)']);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const failing = db.transaction(async (tx) => {
      await tx.run('insert into t values (1)');
      order.push('transaction wrote');
      await held;
      throw new Error('the run failed');
    });
    const other = db.run('insert into u values (7)').then(() => order.push('other wrote'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await expect(failing).rejects.toThrow('the run failed');
    await other;
    expect(order).toEqual(['transaction wrote', 'other wrote']);
    expect(await db.all('select * from t')).toEqual([]);
    expect(await db.all('select * from u')).toEqual([{ v: 7 }]);
  });

  it('lives in the platform data directory', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/x' }, '/home/a')).toBe('/x/bedrock-atlas');
    expect(defaultDataDir('linux', {}, '/home/a')).toBe('/home/a/.local/share/bedrock-atlas');
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Application Support/bedrock-atlas');
  });
});
