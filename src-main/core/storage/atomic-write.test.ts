import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { removeStaleTemporaries, STALE_TEMPORARY_AGE_MS, temporaryPathFor, writeFileAtomic } from './atomic-write';

async function directory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'atlas-atomic-'));
}

describe('atomic writes', () => {
  it('replaces the whole file and leaves only the target', async () => {
    const dir = await directory();
    const target = join(dir, 'data.json');
    await writeFile(target, 'old');
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['data.json']);
  });

  it('names its temporary file so that the sweep recognises it as this target\'s', async () => {
    const dir = await directory();
    const target = join(dir, 'data.json');
    const temporary = temporaryPathFor(target);
    expect(basename(temporary)).toMatch(new RegExp(`^data\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    await writeFile(temporary, 'half');
    const old = new Date(Date.now() - 2 * STALE_TEMPORARY_AGE_MS);
    await utimes(temporary, old, old);
    expect(await removeStaleTemporaries(target)).toEqual([basename(temporary)]);
  });
});

describe('sweeping temporary files of killed writes', () => {
  const now = Date.parse('2026-11-23T01:00:00Z');

  async function withFiles(names: string[], mtime: number): Promise<string> {
    const dir = await directory();
    for (const name of names) {
      await writeFile(join(dir, name), 'x');
      await utimes(join(dir, name), new Date(mtime), new Date(mtime));
    }
    return dir;
  }

  it('removes a young file whose process is gone, keeps a young file of a running process', async () => {
    const dir = await withFiles(['c.json.111.aaaaaaaa.tmp', 'c.json.222.bbbbbbbb.tmp'], now - 1_000);
    const removed = await removeStaleTemporaries(join(dir, 'c.json'), { now: () => now, isRunning: (pid) => pid === 222 });
    expect(removed).toEqual(['c.json.111.aaaaaaaa.tmp']);
    expect(await readdir(dir)).toEqual(['c.json.222.bbbbbbbb.tmp']);
  });

  it('removes a file older than a minute even when its pid is running again (pids are reused)', async () => {
    const dir = await withFiles(['c.json.222.bbbbbbbb.tmp'], now - STALE_TEMPORARY_AGE_MS - 1);
    expect(await removeStaleTemporaries(join(dir, 'c.json'), { now: () => now, isRunning: () => true })).toEqual(['c.json.222.bbbbbbbb.tmp']);
  });

  it('touches nothing that is not a temporary file of this target', async () => {
    const names = ['c.json', 'd.json.111.aaaaaaaa.tmp', 'c.json.111.aaaaaaaa.tmp.bak', 'c.json.x.aaaaaaaa.tmp', 'xc.json.111.aaaaaaaa.tmp', 'c.jsonX111.aaaaaaaa.tmp'];
    const dir = await withFiles(names, now - 10 * STALE_TEMPORARY_AGE_MS);
    expect(await removeStaleTemporaries(join(dir, 'c.json'), { now: () => now, isRunning: () => false })).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual([...names].sort());
  });

  it('is quiet about a directory that does not exist yet', async () => {
    expect(await removeStaleTemporaries(join(tmpdir(), 'atlas-missing-dir-x', 'c.json'))).toEqual([]);
  });
});
